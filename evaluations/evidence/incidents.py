"""TT 124 criterion 3: the events of the window an agency must not let happen (items a–h).

Incidents of the window: `occurred_at` inside the window bounds (see window.py), not rejected and
not a duplicate, with a TT 124 flag (`tt124_item`) set by the team leader or the leadership.
Each gets a verdict, a suggestion the assessor confirms:

- 3.đ (serious crime or worse). Force majeure excuses it. Otherwise the exception of the text
  ("kịp thời phát hiện, sử dụng đồng bộ các biện pháp giảm thiểu hậu quả và báo cáo ngay cấp có
  thẩm quyền") is judged from the incident's own record: something was done at once
  (`immediate_actions` not blank) and the first report to the authorities (`ExternalReport.notified_at`)
  came within settings.TT124_REPORT_WITHIN_HOURS of `detected_at`. An excused incident is excused
  whatever the police conclude; one that is not is disqualifying once the police confirmed a
  serious crime (`police_confirmed_serious`), and only to watch until then.
- 3.g (serious fire, fatal accident …): force majeure excuses it, nothing else does.
- every other item: it happened, nothing excuses it.

Item 3.h also covers discipline at warning level or above for social evils (`DisciplineRecord`
with `social_evils`), decided in the window. Those rows name people: the caller shows them only to
those who may see discipline records.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from evaluations.evidence.window import window_bounds
from evaluations.models import DisciplineRecord
from incidents.models import ExternalReport, Incident, Status
from incidents.models.catalog import Tt124Item

IGNORED_STATUSES = (Status.REJECTED, Status.DUPLICATE)


class Verdict(models.TextChoices):
    DISQUALIFYING = "disqualifying", _("Disqualifying")
    HANDLED = "handled", _("Handled and reported in time")
    FORCE_MAJEURE = "force_majeure", _("Force majeure")
    UNCONFIRMED = "unconfirmed", _("Awaiting the police's classification")


@dataclass
class FlaggedIncident:
    incident: object
    item: str
    verdict: str
    first_report: object | None
    hours_to_report: float | None

    @property
    def disqualifies(self) -> bool:
        return self.verdict == Verdict.DISQUALIFYING

    def get_verdict_display(self) -> str:
        return Verdict(self.verdict).label


@dataclass
class IncidentFigures:
    by_item: dict
    disqualifying: int
    discipline_h: list

    @property
    def flagged(self) -> list[FlaggedIncident]:
        return [flagged for items in self.by_item.values() for flagged in items]

    @property
    def unconfirmed(self) -> int:
        return sum(1 for flagged in self.flagged if flagged.verdict == Verdict.UNCONFIRMED)

    @property
    def none_flagged(self) -> bool:
        return not self.flagged and not self.discipline_h


def reported_in_time(incident, first_report) -> bool:
    if first_report is None:
        return False
    return first_report.notified_at - incident.detected_at <= timedelta(hours=settings.TT124_REPORT_WITHIN_HOURS)


def verdict_of(incident, first_report) -> str:
    item = incident.tt124_item
    if item in (Tt124Item.DD, Tt124Item.G) and incident.force_majeure:
        return Verdict.FORCE_MAJEURE
    if item != Tt124Item.DD:
        return Verdict.DISQUALIFYING
    if incident.immediate_actions.strip() and reported_in_time(incident, first_report):
        return Verdict.HANDLED
    return Verdict.DISQUALIFYING if incident.police_confirmed_serious else Verdict.UNCONFIRMED


def flagged_incidents(evaluation):
    """The window's flagged incidents, oldest first, with what a list shows. Two queries.

    The first report to the authorities comes from a sliced Prefetch (one row per incident, by a
    window function), so the count stays at two however many incidents and reports there are.
    """
    start, end = window_bounds(evaluation)
    first_report = Prefetch(
        "external_reports",
        queryset=ExternalReport.objects.order_by("notified_at", "pk")[:1],
        to_attr="first_reports",
    )
    return (
        Incident.objects.filter(occurred_at__gte=start, occurred_at__lt=end)
        .exclude(tt124_item="")
        .exclude(status__in=IGNORED_STATUSES)
        # Places nest (room › floor › building): three levels so that str(place) needs no query.
        .select_related("category", "place__parent__parent", "reporter")
        .prefetch_related(first_report)
        .order_by("occurred_at", "pk")
    )


def social_evils_discipline(evaluation):
    """Discipline at warning level or above for social evils, decided in the window (item 3.h). One query."""
    return (
        DisciplineRecord.objects.filter(
            social_evils=True,
            form__gte=DisciplineRecord.Form.WARNING,
            decided_on__range=(evaluation.window_start, evaluation.window_end),
        )
        .select_related("person", "person__department")
        .order_by("decided_on", "pk")
    )


def incident_figures(evaluation) -> IncidentFigures:
    """Criterion 3's figures: every item letter with its flagged incidents (empty lists too). Three queries."""
    by_item = {item.value: [] for item in Tt124Item}
    for incident in flagged_incidents(evaluation):
        report = incident.first_reports[0] if incident.first_reports else None
        hours = (report.notified_at - incident.detected_at).total_seconds() / 3600 if report else None
        by_item.setdefault(incident.tt124_item, []).append(
            FlaggedIncident(
                incident=incident,
                item=incident.tt124_item,
                verdict=verdict_of(incident, report),
                first_report=report,
                hours_to_report=round(hours, 2) if hours is not None else None,
            )
        )
    discipline_h = list(social_evils_discipline(evaluation))
    disqualifying = sum(1 for items in by_item.values() for flagged in items if flagged.disqualifies)
    return IncidentFigures(by_item=by_item, disqualifying=disqualifying + len(discipline_h), discipline_h=discipline_h)
