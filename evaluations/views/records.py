from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max, Min
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.access import can, visible
from evaluations import calendar
from evaluations.forms.records import DisciplineFilter, DisciplineForm, UnitRatingForm
from evaluations.models import DisciplineRecord, Evaluation, UnitRating
from evaluations.selectors import evaluation_for
from evaluations.services import records
from team.models import Department
from team.selectors import current_team


@dataclass
class Unit:
    name: str
    team_id: int | None
    department_id: int | None
    counted: bool  # counts in criterion 5 (a subordinate department)
    saved: UnitRating | None
    form: UnitRatingForm

    @property
    def qualifies(self) -> bool | None:
        if self.saved is None or not (self.saved.rating or self.saved.advanced_collective):
            return None
        return self.saved.qualifies


def _initial(rating: UnitRating | None) -> dict:
    if rating is None:
        return {}
    return {name: getattr(rating, name) for name in records.RATING_FIELDS}


def ratings(request, year):
    """Year-end ratings of the team (criterion 4) and of every department (criterion 5), entered at once."""
    evaluation = evaluation_for(request.user, year)
    may_rate = can(request.user, "evaluations.rate_units", evaluation)
    if request.method == "POST" and not may_rate:
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    team = current_team()
    departments = list(Department.objects.order_by("order", "name", "pk"))
    saved = {(r.team_id, r.department_id): r for r in UnitRating.objects.filter(year=evaluation.year)}

    def unit(name, prefix, team_id, department_id, counted):
        rating = saved.get((team_id, department_id))
        form = UnitRatingForm(data, prefix=prefix, initial=_initial(rating))
        return Unit(name, team_id, department_id, counted, rating, form)

    team_unit = unit(team.name, f"team-{team.pk}", team.pk, None, False) if team else None
    units = [unit(d.name, f"dept-{d.pk}", None, d.pk, d.is_subordinate_unit) for d in departments]
    everyone = ([team_unit] if team_unit else []) + units

    if data is not None:
        if all(u.form.is_valid() for u in everyone):
            rows = [
                {"team_id": u.team_id, "department_id": u.department_id, **u.form.cleaned_data}
                for u in everyone
                if u.form.has_changed()  # only what this person changed: a colleague's rows stay his
            ]
            try:
                written = records.save_ratings(year=evaluation.year, actor=request.user, rows=rows)
            except (PermissionDenied, ValidationError) as error:
                messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
            else:
                if written:
                    messages.success(
                        request,
                        ngettext(
                            "Saved the rating of %(count)d unit.", "Saved the ratings of %(count)d units.", written
                        )
                        % {"count": written},
                    )
                else:
                    messages.info(request, _("Nothing was changed."))
                return redirect("evaluations:ratings", year=evaluation.year)
        else:
            messages.error(request, _("Nothing was saved: correct the rows marked in red."))

    share = records.share_from(departments, {department_id: r for (_t, department_id), r in saved.items()})
    return render(
        request,
        "evaluations/ratings.html",
        {
            "evaluation": evaluation,
            "tab": "ratings",
            "team_unit": team_unit,
            "sections": _sections(team_unit, units),
            "share": share,
            "share_required": records.SHARE_REQUIRED,
            "may_rate": may_rate,
        },
    )


def _sections(team_unit: Unit | None, units: list[Unit]) -> list[dict]:
    sections = [
        {
            "key": "team",
            "title": _("Criterion 4: the office's protection force"),
            "units": [team_unit] if team_unit else [],
            "empty": _("The security team is not set up yet."),
        },
        {
            "key": "counted",
            "title": _("Criterion 5: subordinate units"),
            "units": [u for u in units if u.counted],
            "empty": _("No department is marked as a subordinate unit. An administrator sets this on each department."),
        },
    ]
    not_counted = [u for u in units if not u.counted]
    if not_counted:
        sections.append(
            {
                "key": "not-counted",
                "title": _("Not counted in criterion 5 (not a subordinate unit)"),
                "units": not_counted,
            }
        )
    return sections


def _discipline_years() -> list[int]:
    """Every evaluation year from the oldest record or evaluation to the current one, newest first."""
    current = calendar.evaluation_year_of(timezone.localdate())
    bounds = DisciplineRecord.objects.aggregate(first=Min("decided_on"), last=Max("decided_on"))
    years = {current, *Evaluation.objects.values_list("year", flat=True)}
    years |= {calendar.evaluation_year_of(day) for day in bounds.values() if day}
    return list(range(max(years), min(years) - 1, -1))


def discipline(request):
    """Discipline records: personal data, so anyone but the leadership and administrators gets a 404."""
    if not can(request.user, "evaluations.see_discipline"):
        raise Http404
    form = DisciplineForm(request.POST or None) if can(request.user, "evaluations.record_discipline") else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                record = records.record_discipline(actor=request.user, **form.cleaned_data)
            except (PermissionDenied, ValidationError) as error:
                messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
            else:
                messages.success(
                    request,
                    _("Recorded a %(form)s for %(person)s (%(date)s).")
                    % {
                        "form": record.get_form_display(),
                        "person": record.person,
                        "date": date_format(record.decided_on, "d/m/Y"),
                    },
                )
                year = calendar.evaluation_year_of(record.decided_on)
                return redirect(f"{reverse('evaluations:discipline')}?year={year}")
        else:
            messages.error(request, _("The record was not saved: correct the fields marked in red."))
    filters = DisciplineFilter(request.GET or None, years=_discipline_years())
    year = filters.chosen_year()
    start, end = records.window_of(year)
    rows = visible(
        request.user,
        DisciplineRecord.objects.filter(decided_on__range=(start, end)).select_related(
            "person", "person__department", "recorded_by"
        ),
    )
    return render(
        request,
        "evaluations/discipline.html",
        {
            "form": form,
            "filters": filters,
            "year": year,
            "window": (start, end),
            "rows": rows,
            "administer": can(request.user, "evaluations.administer"),
        },
    )
