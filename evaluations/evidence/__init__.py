"""What TựQuản can tell from its own records about an evaluation's criteria: figures and suggestions.

Every figure covers the evaluation's window (window.py) and comes with the records behind it, so
a page can link each number to its list. A suggestion is only that: the assessor confirms each
criterion (`Assessment.result`), the code never does. Criteria name what can be computed for them
in `Criterion.evidence`:

- "briefing"         criterion 1 (briefing.py)
- "incidents"        criterion 3 (incidents.py)
- "protection_force" criterion 4 (units.py)
- "units"            criterion 5 (units.py)

`Evidence(evaluation)` computes each kind at most once, when first asked. Summaries and checks
give counts, never the names of disciplined people: the page decides who may see those lists
(`evaluations.see_discipline`).
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from evaluations.evidence.briefing import REGISTRATION_DOCUMENTS, BriefingFigures, briefing_figures
from evaluations.evidence.incidents import IncidentFigures, Verdict, incident_figures
from evaluations.evidence.units import ForceFigures, UnitFigures, meets_share, protection_force, subordinate_units
from evaluations.models import Assessment, Criterion
from incidents.models.catalog import Tt124Item

MET, NOT_MET, UNKNOWN = Assessment.Result.MET.value, Assessment.Result.NOT_MET.value, ""


@dataclass
class Check:
    label: str
    ok: bool | None  # None: cannot tell yet
    detail: str


@dataclass
class Suggestion:
    result: str  # an Assessment.Result value: "met", "not_met", or "" when it cannot tell yet
    summary: str
    checks: list[Check] = field(default_factory=list)


def format_percent(value: float) -> str:
    """93.5 → "93,5" in Vietnamese, "93.5" in English; 100.0 → "100"."""
    return formats.number_format(value, 0 if value == int(value) else 1)


def format_date(day) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def describe_document(document) -> str:
    parts = [document.number or document.title]
    if document.dated:
        parts.append(format_date(document.dated))
    return " · ".join(parts)


def rating_label(rating) -> str:
    parts = []
    if rating.advanced_collective:
        parts.append(_("Advanced labour collective"))
    if rating.rating:
        parts.append(rating.get_rating_display())
    return ", ".join(str(part) for part in parts)


def count_records(records: list) -> str:
    if not records:
        return _("None")
    return ngettext("%(count)s record", "%(count)s records", len(records)) % {"count": len(records)}


class Evidence:
    """The figures of one evaluation, computed once per request and lazily per kind."""

    def __init__(self, evaluation):
        self.evaluation = evaluation

    @cached_property
    def briefing(self) -> BriefingFigures:
        return briefing_figures(self.evaluation)

    @cached_property
    def incidents(self) -> IncidentFigures:
        return incident_figures(self.evaluation)

    @cached_property
    def force(self) -> ForceFigures:
        return protection_force(self.evaluation)

    @cached_property
    def units(self) -> UnitFigures:
        return subordinate_units(self.evaluation)

    def suggestion(self, criterion) -> Suggestion | None:
        """The suggestion for `criterion` (a Criterion or its `evidence` value); None when nothing is computed."""
        kind = getattr(criterion, "evidence", criterion)
        builder = {
            Criterion.Evidence.BRIEFING: self._briefing,
            Criterion.Evidence.INCIDENTS: self._incidents,
            Criterion.Evidence.PROTECTION_FORCE: self._force,
            Criterion.Evidence.UNITS: self._units,
        }.get(kind)
        return builder() if builder else None

    # --- criterion 1 ---------------------------------------------------------------------

    def _briefing(self) -> Suggestion:
        figures = self.briefing
        # While the window is open, people may still be briefed: not reached yet is not a failure yet.
        pending = False if self.evaluation.window_closed else None
        numbers = {
            "briefed": figures.briefed,
            "staff": figures.staff,
            "missing": figures.staff - figures.briefed,
            "percent": format_percent(figures.percent),
        }
        if figures.staff:
            coverage_detail = _("%(briefed)s of %(staff)s (%(percent)s%%)") % numbers
        else:
            coverage_detail = _("No staff counted")
        checks = [Check(_("Staff briefed"), True if figures.complete else pending, coverage_detail)]
        for kind in REGISTRATION_DOCUMENTS:
            document = figures.registration.get(kind.value)
            detail = describe_document(document) if document else _("Not recorded")
            checks.append(Check(str(kind.label), document is not None, detail))
        decision = figures.team.establishment_decision if figures.team else None
        if decision:
            decision_detail = str(decision)
        else:
            decision_detail = _("No security team recorded") if figures.team is None else _("Not recorded")
        model_label = _("Movement model: the team's establishment decision")
        checks.append(Check(model_label, decision is not None, decision_detail))
        regulation = figures.regulation
        regulation_detail = (
            _("%(regulation)s, in force from %(date)s")
            % {"regulation": regulation, "date": format_date(regulation.effective_from)}
            if regulation
            else _("Not recorded")
        )
        checks.append(Check(_("The team's operating regulation"), regulation is not None, regulation_detail))

        if all(check.ok for check in checks):
            summary = (
                _(
                    "All %(staff)s staff briefed; the registration documents, the team's establishment decision "
                    "and its operating regulation are recorded."
                )
                % numbers
            )
            return Suggestion(MET, summary, checks)
        if figures.complete:
            coverage = _("All %(staff)s staff briefed") % numbers
        elif figures.staff:
            coverage = _("%(percent)s%% of staff briefed (%(briefed)s of %(staff)s): %(missing)s not yet") % numbers
        else:
            coverage = _("No staff counted")
        lacking = [check.label for check in checks[1:] if not check.ok]
        if lacking:
            summary = _("%(coverage)s; not recorded: %(lacking)s.") % {
                "coverage": coverage,
                "lacking": ", ".join(lacking),
            }
        else:
            summary = _("%(coverage)s.") % {"coverage": coverage}
        return Suggestion(NOT_MET if self.evaluation.window_closed else UNKNOWN, summary, checks)

    # --- criterion 3 ---------------------------------------------------------------------

    def _incidents(self) -> Suggestion:
        figures = self.incidents
        checks = []
        for item in Tt124Item:
            flagged = figures.by_item.get(item.value, [])
            verdicts = [entry.verdict for entry in flagged]
            records = figures.discipline_h if item == Tt124Item.H else []
            parts = [f"{verdict.label}: {verdicts.count(verdict)}" for verdict in Verdict if verdicts.count(verdict)]
            if records:
                parts.append(_("discipline for social evils: %(count)s") % {"count": len(records)})
            if Verdict.DISQUALIFYING in verdicts or records:
                ok = False
            elif Verdict.UNCONFIRMED in verdicts:
                ok = None
            else:
                ok = True
            checks.append(Check(str(item.label), ok, "; ".join(str(part) for part in parts) or _("None")))

        if figures.disqualifying:
            count = figures.disqualifying
            summary = ngettext(
                "%(count)s event under criterion 3 in the window has nothing to excuse it.",
                "%(count)s events under criterion 3 in the window have nothing to excuse them.",
                count,
            ) % {"count": count}
            return Suggestion(NOT_MET, summary, checks)
        if figures.unconfirmed:
            count = figures.unconfirmed
            summary = ngettext(
                "%(count)s incident under 3.đ awaits the police's classification; nothing else disqualifies.",
                "%(count)s incidents under 3.đ await the police's classification; nothing else disqualifies.",
                count,
            ) % {"count": count}
            return Suggestion(UNKNOWN, summary, checks)
        if figures.none_flagged:
            return Suggestion(MET, _("No incident under criterion 3 in the window."), checks)
        count = len(figures.flagged)
        summary = ngettext(
            "%(count)s flagged incident in the window, excused: force majeure, or handled and reported in time.",
            "%(count)s flagged incidents in the window, each excused: force majeure, or handled and reported in time.",
            count,
        ) % {"count": count}
        return Suggestion(MET, summary, checks)

    # --- criterion 4 ---------------------------------------------------------------------

    def _force(self) -> Suggestion:
        figures = self.force
        year = self.evaluation.year
        rating = figures.rating
        if figures.qualifies is None:
            rating_detail = _("Not recorded for %(year)s") % {"year": year}
        else:
            rating_detail = rating_label(rating)
            if rating.decision_number:
                rating_detail = _("%(rating)s (decision %(number)s)") % {
                    "rating": rating_detail,
                    "number": rating.decision_number,
                }
        people = len({record.person_id for record in figures.disciplined})
        checks = [
            Check(_("Rating of the security team"), figures.qualifies, rating_detail),
            Check(
                _("Team members disciplined at warning level or above"),
                not figures.disciplined,
                count_records(figures.disciplined),
            ),
        ]
        if people:
            # Certain whatever the rating: criterion 4 also asks that no member be disciplined.
            summary = ngettext(
                "%(count)s member of the security team was disciplined at warning level or above in the window.",
                "%(count)s members of the security team were disciplined at warning level or above in the window.",
                people,
            ) % {"count": people}
            return Suggestion(NOT_MET, summary, checks)
        if figures.qualifies is None:
            return Suggestion(UNKNOWN, _("The security team has no rating for %(year)s yet.") % {"year": year}, checks)
        numbers = {"rating": rating_label(rating), "year": year}
        if figures.qualifies:
            summary = (
                _(
                    "The security team was rated “%(rating)s” for %(year)s; no member was disciplined at warning "
                    "level or above."
                )
                % numbers
            )
            return Suggestion(MET, summary, checks)
        summary = _("The security team was rated “%(rating)s” for %(year)s, below “Well completed duties”.") % numbers
        return Suggestion(NOT_MET, summary, checks)

    # --- criterion 5 ---------------------------------------------------------------------

    def _units(self) -> Suggestion:
        figures = self.units
        numbers = {
            "qualifying": figures.qualifying,
            "total": figures.total,
            "percent": format_percent(figures.percent),
            "unrated": figures.unrated,
        }
        share_detail = _("%(qualifying)s of %(total)s (%(percent)s%%)") % numbers
        if figures.unrated:
            share_detail = _("%(share)s; %(unrated)s not rated yet") % {"share": share_detail, **numbers}
        people = len({record.person_id for record in figures.disciplined})
        checks = [
            Check(_("Departments rated “Well completed duties” or better"), figures.meets, share_detail),
            Check(
                _("Staff disciplined at warning level or above"),
                not figures.disciplined,
                count_records(figures.disciplined),
            ),
        ]
        share_met = meets_share(figures.qualifying, figures.total)
        if people:
            summary = ngettext(
                "%(count)s staff member was disciplined at warning level or above in the window.",
                "%(count)s staff members were disciplined at warning level or above in the window.",
                people,
            ) % {"count": people}
            return Suggestion(NOT_MET, summary, checks)
        if share_met:
            summary = (
                _(
                    "%(qualifying)s of %(total)s departments (%(percent)s%%) rated “Well completed duties” or "
                    "better; no one disciplined at warning level or above."
                )
                % numbers
            )
            return Suggestion(MET, summary, checks)
        if not figures.total:
            return Suggestion(NOT_MET, _("No department is marked as a subordinate unit."), checks)
        if figures.unrated:
            summary = (
                _(
                    "%(qualifying)s of %(total)s departments rated “Well completed duties” or better so far; "
                    "%(unrated)s not rated yet."
                )
                % numbers
            )
            return Suggestion(UNKNOWN, summary, checks)
        summary = (
            _(
                "Only %(qualifying)s of %(total)s departments (%(percent)s%%) rated “Well completed duties” or better; "
                "at least 70%% are needed."
            )
            % numbers
        )
        return Suggestion(NOT_MET, summary, checks)


__all__ = ["Check", "Evidence", "Suggestion", "Verdict"]
