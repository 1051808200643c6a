"""TT 124 criterion 1: staff briefed over the window, the registration documents and the movement model.

Who counts (criterion 1 asks for "100% cán bộ, công chức, viên chức, người lao động"):

- An account counts when it is active (`is_active`) and joined (`date_joined`, as a date in the
  office's time) on or before the population day: the window's last day (15/11) once the window
  closed, today while it is open. People who joined during the window must be briefed too; people
  who join after 15/11 count for the next year.
- An account deactivated before the figures are computed does not count, even if the person worked
  part of the window: TựQuản does not record the day someone left, only that the account is off.
- A person is briefed when, in a campaign that counts for TT 124 (`Campaign.counts_for_tt124`) and
  is not cancelled, their participant row has `attended_at` or `acknowledged_at` inside the window
  (16/11 of the previous year 00:00 to 15/11 24:00, Asia/Ho_Chi_Minh). A reach after 15/11 counts
  for the next year, one before 16/11 of the previous year for the last; the campaign's own dates
  do not matter.

The model required by the criterion ("ít nhất 01 mô hình") is the team itself: its establishment
decision and the operating regulation in force on the population day.
"""

from dataclasses import dataclass, field

from campaigns import coverage
from evaluations.evidence.window import population_day, window_bounds
from evaluations.models import Evidence as Document
from evaluations.models import Stage
from team.selectors import current_team

REGISTRATION_DOCUMENTS = (
    Document.DocumentKind.PARTY_RESOLUTION,
    Document.DocumentKind.SECURITY_PLAN,
    Document.DocumentKind.REGISTRATION_PLEDGE,
)


@dataclass
class BriefingFigures:
    staff: int
    briefed: int
    percent: float
    missing: list
    campaigns: list  # [(Campaign, reaches in the window among the staff who count)]
    registration: dict
    team: object
    regulation: object
    population_day: object = field(default=None)

    @property
    def complete(self) -> bool:
        return self.staff > 0 and self.briefed == self.staff

    @property
    def registered(self) -> bool:
        return all(self.registration.values())


def registration_documents(evaluation) -> dict:
    """The last recorded document of each registration kind on the REGISTRATION stage, else None."""
    found = dict.fromkeys((kind.value for kind in REGISTRATION_DOCUMENTS), None)
    rows = Document.objects.filter(
        evaluation=evaluation, stage__kind=Stage.Kind.REGISTRATION, document_kind__in=list(found)
    ).order_by("added_at", "pk")
    for row in rows:
        found[row.document_kind] = row  # a later upload replaces an earlier one
    return found


def briefing_figures(evaluation) -> BriefingFigures:
    """Criterion 1's figures. Six queries whatever the number of staff, campaigns and participants."""
    start, end = window_bounds(evaluation)
    day = population_day(evaluation)
    counts = coverage.window_figures(start, end, day)
    team = current_team()
    regulation = None
    if team is not None:
        # In force on the population day: the regulation a closed year's dossier cites, today's while open.
        regulation = team.regulations.filter(effective_from__lte=day).order_by("-version").first()
    return BriefingFigures(
        staff=counts.staff,
        briefed=counts.briefed,
        percent=counts.percent,
        missing=list(coverage.window_missing(start, end, day)),
        campaigns=[(campaign, campaign.reached) for campaign in coverage.window_campaigns(start, end, day)],
        registration=registration_documents(evaluation),
        team=team,
        regulation=regulation,
        population_day=day,
    )
