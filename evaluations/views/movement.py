from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.access import can
from evaluations.forms.movement import ScoreSheetForm
from evaluations.models import ScoreSheet
from evaluations.selectors import evaluation_for
from evaluations.services import movement


def score_sheet(request, year):
    """The movement score sheet of the year: everyone who sees the evaluation reads it, the team scores it."""
    evaluation = evaluation_for(request.user, year)
    may_score = can(request.user, "evaluations.score_movement", evaluation)
    if request.method == "POST" and not may_score:
        raise PermissionDenied
    sheet = ScoreSheet.objects.select_related("template").filter(evaluation=evaluation).first()
    figures = movement.sheet_figures(sheet, with_evidence=True) if sheet else None
    form = ScoreSheetForm(figures.rows, request.POST or None) if figures and may_score else None
    if request.method == "POST":
        if form is None:
            messages.error(request, str(movement.NO_SHEET))
            return redirect("evaluations:movement", year=evaluation.year)
        if form.is_valid():
            try:
                changed = movement.save_scores(
                    evaluation_id=evaluation.pk, actor=request.user, scores=form.changed_lines()
                )
            except (PermissionDenied, ValidationError) as error:
                messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
            else:
                if changed:
                    messages.success(request, _saved_message(changed))
                else:
                    messages.info(request, _("Nothing was changed."))
                return redirect("evaluations:movement", year=evaluation.year)
        else:
            messages.error(request, _("Nothing was saved: %(errors)s") % {"errors": " ".join(form.error_list())})
    return render(
        request,
        "evaluations/movement.html",
        {
            "evaluation": evaluation,
            "tab": "movement",
            "sheet": sheet,
            "figures": figures,
            "form": form,
            "lines": _lines(figures, form),
            "may_score": may_score,
            "thresholds": {
                "excellent": settings.MOVEMENT_EXCELLENT_FROM,
                "good": settings.MOVEMENT_GOOD_FROM,
                "average": settings.MOVEMENT_AVERAGE_FROM,
            },
        },
    )


def _lines(figures, form) -> list[dict]:
    if figures is None:
        return []
    return [
        {
            "row": row,
            "score_field": form.score_field(row.item.pk) if form and not row.is_parent else None,
            "note_field": form.note_field(row.item.pk) if form and not row.is_parent else None,
        }
        for row in figures.rows
    ]


def _saved_message(changed) -> str:
    if len(changed) == 1:
        line = changed[0]
        if line.self_score is None:
            return _("Cleared the score of line %(line)s.") % {"line": line.item.code}
        return _("Saved the score of line %(line)s: %(points)s points.") % {
            "line": line.item.code,
            "points": movement.points_text(line.self_score),
        }
    return ngettext(
        "Saved the scores of %(count)d line: %(lines)s.",
        "Saved the scores of %(count)d lines: %(lines)s.",
        len(changed),
    ) % {"count": len(changed), "lines": ", ".join(line.item.code for line in changed)}
