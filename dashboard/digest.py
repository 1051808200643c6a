"""The weekly digest: on Monday morning, the week in incidents, duty and campaigns, by e-mail to the leadership.

Who gets it ("the leadership" of the issue): the team leader, the Chief of Office, and the Deputy Chief of
Office in charge of security, who is the one the escalation chain names at its deputy-chief level
(incidents.models.EscalationLevel: its person in charge, or every holder of that position when none is
named). A deputy chief not in the chain is not in charge of the team and gets nothing; an acting substitute
covers acknowledgements during leave, not this overview. Every one of them sees every incident
(incidents.access), so the figures are counted once and the same text, rendered once per language, goes to
all of them. The deputy team leader and the members work from the queue; staff never get it.

What it says:
- incidents filed last week (Monday to Sunday, office time) and, now, open, overdue and escalated: each a
  count with the link to the queue filtered the same way (incidents.forms.QueueFilter), so the list behind
  the link holds exactly that many;
- the days of the coming week (this Monday to Sunday) on which no duty shift starts (dashboard.figures);
- running campaigns behind their coverage target. A campaign's target is to reach its whole audience by its
  last day (campaigns.coverage); it is behind when the share reached is below the share of its days gone by.

Once per person and ISO week: the dedupe key carries the week, so a second run or a second worker sends
nothing more. A fixed number of queries, whatever the number of incidents, shifts or campaigns.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns import coverage
from campaigns.models import Campaign, Participant
from core.access import visible
from dashboard import figures
from dashboard.periods import Period
from incidents.models import EscalationLevel, Incident, Status
from incidents.models.incident import OPEN_STATUSES
from notifications.kinds import Kind, register
from notifications.services import Send, notify_bulk
from team.models import Membership, Position, User

WEEKLY_DIGEST = register(
    Kind("dashboard.weekly_digest", _("Weekly digest for the leadership (Monday morning)"), personal=False)
)


def leadership():
    """The people who get the digest: the team leader, the Chief of Office, the Deputy Chief in charge. One query."""
    in_charge = EscalationLevel.objects.filter(position__kind=Position.Kind.DEPUTY_CHIEF)
    deputy_in_charge = Q(
        position__kind__in=Position.LEADERSHIP_KINDS,
        pk__in=in_charge.filter(person_in_charge__isnull=False).values("person_in_charge"),
    ) | Q(position__in=in_charge.filter(person_in_charge__isnull=True).values("position"))
    leaders = Membership.objects.active().filter(role=Membership.Role.LEADER).values("user")
    return (
        User.objects.filter(is_active=True, is_system_account=False)
        .filter(Q(pk__in=leaders) | Q(position__kind=Position.Kind.CHIEF) | deputy_in_charge)
        .order_by("pk")
    )


@dataclass(frozen=True)
class Tally:
    """A number and the page that lists what it counts."""

    count: int
    url: str


@dataclass(frozen=True)
class BehindCampaign:
    title: str
    ends_on: date
    percent_reached: int  # rounded down, like every coverage share compared with a target
    percent_of_time: int
    missing: int
    url: str


@dataclass(frozen=True)
class Digest:
    last_week: Period
    this_week: Period
    new: Tally
    open: Tally
    overdue: Tally
    escalated: Tally
    days_without_duty: list[date]
    duty_url: str
    campaigns_behind: list[BehindCampaign]


def weeks(today: date) -> tuple[Period, Period]:
    """Last week and the week `today` falls in, Monday to Sunday."""
    monday = today - timedelta(days=today.weekday())
    return Period(monday - timedelta(days=7), monday - timedelta(days=1)), Period(monday, monday + timedelta(days=6))


def build(viewer, today: date, *, now: datetime | None = None) -> Digest:
    """The digest's figures as `viewer` sees them (somebody who sees every incident). Four queries."""
    now = now or timezone.now()
    last_week, this_week = weeks(today)
    filed = figures.summary(last_week, figures.Filters(), viewer, now=now).filed
    current = visible(viewer, Incident.objects.order_by()).aggregate(
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        # The queue's own "overdue" (QueueFilter), so the link lists exactly this many.
        overdue=Count("pk", filter=Q(pk__in=Incident.objects.overdue(now).values("pk"))),
        escalated=Count("pk", filter=Q(status=Status.ESCALATED)),
    )
    return Digest(
        last_week=last_week,
        this_week=this_week,
        new=Tally(filed, queue_url(since=last_week.start.isoformat(), until=last_week.end.isoformat())),
        open=Tally(current["open"], queue_url(status="open")),
        overdue=Tally(current["overdue"], queue_url(overdue="on")),
        escalated=Tally(current["escalated"], queue_url(status=Status.ESCALATED.value)),
        days_without_duty=figures.days_without_duty(this_week, figures.Filters(), viewer),
        duty_url=absolute(reverse("team:team")),
        campaigns_behind=campaigns_behind(today),
    )


def absolute(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def queue_url(**params) -> str:
    return absolute(f"{reverse('incidents:list')}?{urlencode(params)}")


def campaigns_behind(today: date) -> list[BehindCampaign]:
    """Running campaigns whose share of people reached trails the share of their days gone by. One query."""
    rows = (
        Participant.objects.people()
        .filter(campaign__status=Campaign.Status.RUNNING)
        .values("campaign", "campaign__title", "campaign__starts_on", "campaign__ends_on")
        .annotate(**coverage.AGGREGATES)
        .order_by("campaign__ends_on", "campaign")
    )
    behind = []
    for row in rows:
        reached = coverage.Figures(row["invited"], row["attended"], row["acknowledged"], row["reached"])
        start, end = row["campaign__starts_on"], row["campaign__ends_on"]
        days_gone = min(max((today - start).days, 0), (end - start).days + 1)
        time_share = 100 * days_gone / ((end - start).days + 1)
        if 100 * reached.reached < time_share * reached.invited:
            behind.append(
                BehindCampaign(
                    title=row["campaign__title"],
                    ends_on=end,
                    percent_reached=int(coverage.percent_down(reached.reached, reached.invited)),
                    percent_of_time=round(time_share),
                    missing=reached.missing,
                    url=absolute(reverse("campaigns:detail", args=[row["campaign"]])),
                )
            )
    return behind


def send_weekly_digest(now: datetime | None = None) -> int:
    """Send this week's digest to the leadership. Once per person and ISO week; returns how many were sent."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    people = list(leadership())
    if not people:
        return 0
    year, week, _day = today.isocalendar()
    digest = build(people[0], today, now=now)
    with transaction.atomic():
        [sent] = notify_bulk(
            [
                Send(
                    recipients=people,
                    kind=WEEKLY_DIGEST.code,
                    context={"digest": digest},
                    url=reverse("dashboard:dashboard"),
                    dedupe_key=f"weekly-digest:{year}-W{week:02d}",
                )
            ]
        )
    return len(sent)
