"""What is still open when a shift hands over: the items the next shift takes on.

Kept in the handover as they were at that moment (a JSON list), so the book shows what was handed over
even after the incidents are closed and the visitors gone. Four groups, each one query.
"""

from datetime import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duty.models import KeyLoan, LogEntry
from incidents.models import Incident

# Enough for the desk of the gate; the rest are counted and one link leads to them all.
LIMIT = 20


class Group:
    INCIDENTS = "incidents"
    VISITORS = "visitors"
    KEYS = "keys"
    ENTRIES = "entries"


GROUP_TITLES = {
    Group.INCIDENTS: gettext_lazy("Open incidents"),
    Group.VISITORS: gettext_lazy("Visitors still inside"),
    Group.KEYS: gettext_lazy("Keys not returned"),
    Group.ENTRIES: gettext_lazy("Written to hand over"),
}


def open_items(shift, now: datetime) -> list[dict]:
    return [*_incidents(), *_visitors(now), *_keys(), *_entries(shift)]


def _item(group: str, text: str, url: str = "") -> dict:
    return {"group": group, "text": text, "url": url}


def _incidents() -> list[dict]:
    most_urgent = Incident.objects.open().select_related("assignee").order_by("-severity", "created_at")
    incidents = list(most_urgent[: LIMIT + 1])
    items = []
    for incident in incidents[:LIMIT]:
        assignee = incident.assignee.get_full_name() if incident.assignee_id else _("not assigned")
        text = f"{incident.reference} · {incident.get_status_display()} · {assignee}"
        items.append(_item(Group.INCIDENTS, text, incident.get_absolute_url()))
    if len(incidents) > LIMIT:
        items.append(_item(Group.INCIDENTS, _("and more open incidents"), reverse("incidents:list")))
    return items


def _visitors(now: datetime) -> list[dict]:
    from visitors.panels import handover_items

    return [_item(Group.VISITORS, item["text"], item.get("url", "")) for item in handover_items(now)]


def _keys() -> list[dict]:
    loans = KeyLoan.objects.filter(returned_at__isnull=True).order_by("lent_at")[:LIMIT]
    return [
        _item(
            Group.KEYS,
            _("%(key)s — with %(holder)s since %(time)s")
            % {"key": loan.key, "holder": loan.holder, "time": f"{timezone.localtime(loan.lent_at):%H:%M %d/%m/%Y}"},
            reverse("duty:keys"),
        )
        for loan in loans
    ]


def _entries(shift) -> list[dict]:
    entries = LogEntry.objects.filter(shift=shift, to_hand_over=True).in_order()
    return [
        _item(Group.ENTRIES, f"{timezone.localtime(entry.occurred_at):%H:%M} {entry.text}", "") for entry in entries
    ]


def grouped(items: list[dict]) -> list[tuple[str, list[dict]]]:
    """The items under their group's title, every group shown (an empty one says so)."""
    return [(GROUP_TITLES[group], [item for item in items if item["group"] == group]) for group in GROUP_TITLES]
