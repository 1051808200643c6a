"""What this app shows in "Ca trực của tôi" (duty.views.my_shift) and gives the duty handover."""

from datetime import datetime, timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from visitors.models import Visit

NEXT_EXPECTED = 3


def day_bounds(day) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, datetime.min.time()))
    return start, start + timedelta(days=1)


def shift_panel(user, shift, now) -> dict:
    """What templates/visitors/_shift_panel.html shows to `user`, on duty in `shift` (None when off duty).

    On duty: today's expected visitors not arrived yet, those inside now, the next few expected (two
    queries). Off duty, or a shift that ended and waits for its handover: a link to the gate page only.
    """
    gate_url = reverse("visitors:gate")
    on_duty = shift is not None and shift.starts_at <= now < shift.ends_at
    if not on_duty:
        return {"on_duty": False, "gate_url": gate_url}
    start, end = day_bounds(timezone.localdate(now))
    counts = Visit.objects.aggregate(
        expected=Count(
            "pk",
            filter=Q(
                expected_at__gte=start, expected_at__lt=end, checked_in_at__isnull=True, cancelled_at__isnull=True
            ),
        ),
        inside=Count("pk", filter=Q(checked_in_at__isnull=False, checked_out_at__isnull=True)),
    )
    upcoming = list(
        Visit.objects.expected_between(start, end).select_related("host").order_by("expected_at", "pk")[:NEXT_EXPECTED]
    )
    return {"on_duty": True, "gate_url": gate_url, "upcoming": upcoming, **counts}


def handover_items(now) -> list[dict]:
    """Visitors still inside at `now`, for the handover's open items: one query."""
    visits = Visit.objects.inside().filter(checked_in_at__lte=now).order_by("checked_in_at", "pk")
    items = []
    for visit in visits.only("pk", "visitor_name", "organisation", "badge_number", "checked_in_at"):
        facts = {"visitor": visit.visitor_name, "time": f"{timezone.localtime(visit.checked_in_at):%H:%M %d/%m}"}
        if visit.badge_number:
            text = _("Visitor %(visitor)s still inside since %(time)s, badge %(badge)s") % {
                **facts,
                "badge": visit.badge_number,
            }
        else:
            text = _("Visitor %(visitor)s still inside since %(time)s") % facts
        if visit.organisation:
            text += f" ({visit.organisation})"
        items.append({"text": text, "url": visit.get_absolute_url()})
    return items
