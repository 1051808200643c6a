"""The movement score sheet (QĐ 510/QĐ-BCA-V05): self-scores per line, the total and the classification.

Only QĐ 510's first lines are loaded by a migration; an administrator adds the rest (or the
province's version) in admin. Until the lines add up to the template's total, the figures say so
and the classification is provisional. `sheet_figures` is what the page and the score-sheet
document both read, so it stays free of views and request state.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from evaluations.models import EvaluationEvent, ItemScore, ScoreItem, ScoreSheet
from evaluations.services.common import locked_for, record
from evaluations.services.cycle import add_missing_item_scores

EXCELLENT, GOOD, AVERAGE, WEAK = "excellent", "good", "average", "weak"
CLASSES = {
    EXCELLENT: _("Excellent"),
    GOOD: _("Good"),
    AVERAGE: _("Average"),
    WEAK: _("Weak"),
}

NO_SHEET = _("This evaluation has no movement score sheet. An administrator must load a score sheet template first.")
OUT_OF_RANGE = _("Line %(line)s: the score must be between 0 and %(max)s points.")
TOO_PRECISE = _("Line %(line)s: give the score with at most two decimals.")
NOT_A_LINE = _("Line %(line)s is not a line to score on this sheet: it has sub-lines, or it is not on it.")

CENT = Decimal("0.01")


def points(value: Decimal | None) -> Decimal | None:
    """The value without trailing zeros (3.00 → 3, 2.50 → 2.5), for display; None stays None."""
    if value is None:
        return None
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def points_text(value: Decimal | None) -> str:
    """Points as people write them in the active language (2,5 in Vietnamese); "—" when not scored."""
    return "—" if value is None else formats.number_format(points(value))


def classification(total: Decimal) -> tuple[str, str | Promise]:
    """(code, label) of the movement class for `total` points, by the thresholds in settings.

    QĐ 510's own thresholds were not found (domain.md §2.2): the defaults 90 / 70 / 50 are
    placeholders the province can change with MOVEMENT_*_FROM.
    """
    for code, threshold in (
        (EXCELLENT, settings.MOVEMENT_EXCELLENT_FROM),
        (GOOD, settings.MOVEMENT_GOOD_FROM),
        (AVERAGE, settings.MOVEMENT_AVERAGE_FROM),
    ):
        if total >= threshold:
            return code, CLASSES[code]
    return WEAK, CLASSES[WEAK]


@dataclass
class Row:
    """One line of the sheet as shown: a line to score (with its ItemScore, when it has one) or a parent."""

    item: ScoreItem
    depth: int
    is_parent: bool
    max_points: Decimal  # a parent's is the sum of its sub-lines' maxima
    self_score: Decimal | None  # a parent's is the sum of its sub-lines' scores, None when none is scored
    score: ItemScore | None = None
    evidence: list = field(default_factory=list)

    @property
    def note(self) -> str:
        return self.score.note if self.score else ""


@dataclass
class SheetFigures:
    total: Decimal
    maximum_defined: Decimal
    template_total: int
    complete: bool  # the lines defined add up to the template's total
    classification: tuple[str, str | Promise]
    rows: list[Row]
    unscored: int  # lines to score that have no score yet

    @property
    def provisional(self) -> bool:
        return not self.complete or self.unscored > 0

    @property
    def missing_points(self) -> Decimal:
        return max(Decimal(self.template_total) - self.maximum_defined, Decimal(0))

    @property
    def exceeds(self) -> bool:
        return self.maximum_defined > self.template_total


def sheet_figures(sheet: ScoreSheet, *, with_evidence: bool = False) -> SheetFigures:
    """The rows in sheet order with parent sums, the total, the maximum defined and the class.

    Three queries (the template, its lines, the sheet's scores), four with the evidence; the
    count does not depend on the number of lines. Lines added in admin after the sheet was made
    are shown without a score until someone saves one.
    """
    template = sheet.template
    items = list(ScoreItem.objects.filter(template_id=template.pk).order_by("order", "code", "pk"))
    scores_qs = ItemScore.objects.filter(sheet=sheet)
    if with_evidence:
        scores_qs = scores_qs.prefetch_related("evidence")
    scores = {score.item_id: score for score in scores_qs}
    children: dict[int | None, list[ScoreItem]] = defaultdict(list)
    known = {item.pk for item in items}
    for item in items:
        # A parent outside the template would hide the line; show it at the top level instead.
        children[item.parent_id if item.parent_id in known else None].append(item)

    rows: list[Row] = []

    def walk(item: ScoreItem, depth: int) -> tuple[Decimal, Decimal | None]:
        subs = children.get(item.pk, [])
        if not subs:
            score = scores.get(item.pk)
            value = score.self_score if score else None
            rows.append(
                Row(
                    item=item,
                    depth=depth,
                    is_parent=False,
                    max_points=item.max_points,
                    self_score=value,
                    score=score,
                    evidence=list(score.evidence.all()) if (with_evidence and score) else [],
                )
            )
            return item.max_points, value
        row = Row(item=item, depth=depth, is_parent=True, max_points=Decimal(0), self_score=None)
        rows.append(row)
        maximum, total, any_scored = Decimal(0), Decimal(0), False
        for sub in subs:
            sub_max, sub_score = walk(sub, depth + 1)
            maximum += sub_max
            if sub_score is not None:
                total += sub_score
                any_scored = True
        row.max_points, row.self_score = maximum, (total if any_scored else None)
        return maximum, row.self_score

    maximum_defined, total = Decimal(0), Decimal(0)
    for root in children.get(None, []):
        sub_max, sub_score = walk(root, 0)
        maximum_defined += sub_max
        total += sub_score or 0
    unscored = sum(1 for row in rows if not row.is_parent and row.self_score is None)
    for row in rows:  # 3.00 → 3: the same numbers, written as people write them
        row.max_points, row.self_score = points(row.max_points), points(row.self_score)
    return SheetFigures(
        total=points(total),
        maximum_defined=points(maximum_defined),
        template_total=template.total_points,
        complete=maximum_defined >= template.total_points,
        classification=classification(total),
        rows=rows,
        unscored=unscored,
    )


def score_error(item: ScoreItem, score: Decimal | None) -> str | None:
    """Why `score` cannot be the self-score of `item`, or None. The form and the service share it."""
    if score is None:
        return None
    line = item.code
    try:
        if score < 0 or score > item.max_points:
            return OUT_OF_RANGE % {"line": line, "max": points_text(item.max_points)}
        if score != score.quantize(CENT):
            return TOO_PRECISE % {"line": line}
    except InvalidOperation:  # NaN, infinity
        return OUT_OF_RANGE % {"line": line, "max": points_text(item.max_points)}
    return None


@transaction.atomic
def save_scores(*, evaluation_id: int, actor, scores: dict[int, tuple[Decimal | None, str]]) -> list[ItemScore]:
    """Store the self-scores and notes of the lines in `scores` ({ScoreItem pk: (score or None, note)}).

    Refuses the whole change when a line is not a line to score on this sheet or a score is
    outside 0 … the line's maximum (ValidationError naming every such line). Lines whose score
    and note did not change are left alone. Returns the ItemScores that changed, in sheet
    order, and writes one history entry listing them.
    """
    evaluation = locked_for(actor, "evaluations.score_movement", evaluation_id)
    sheet = ScoreSheet.objects.select_related("template").filter(evaluation=evaluation).first()
    if sheet is None:
        raise ValidationError(NO_SHEET)
    add_missing_item_scores(sheet)  # lines an administrator added since the sheet was made
    leaves = {item.pk: item for item in sheet.template.items.filter(children=None)}
    current = {row.item_id: row for row in sheet.scores.select_related("item")}

    errors = []
    for item_id, (score, _note) in scores.items():
        item = leaves.get(item_id)
        if item is None:
            errors.append(NOT_A_LINE % {"line": item_id})
            continue
        problem = score_error(item, score)
        if problem:
            errors.append(problem)
    if errors:
        raise ValidationError(errors)

    changed, lines = [], []
    for item_id, (score, note) in scores.items():
        row, item = current[item_id], leaves[item_id]
        note = (note or "").strip()
        new_score = score.quantize(CENT) if score is not None else None
        if row.self_score == new_score and row.note == note:
            continue
        line = gettext("Line %(line)s: %(old)s → %(new)s points") % {
            "line": item.code,
            "old": points_text(row.self_score),
            "new": points_text(new_score),
        }
        if row.note != note:
            line += gettext(" (note changed)")
        lines.append((_key(item), line))
        row.self_score, row.note, row.scored_by = new_score, note, actor
        changed.append(row)
    if not changed:
        return []
    ItemScore.objects.bulk_update(changed, ["self_score", "note", "scored_by"])
    record(evaluation, actor, EvaluationEvent.Action.SCORES_UPDATED, "\n".join(text for _k, text in sorted(lines)))
    return sorted(changed, key=lambda row: _key(leaves[row.item_id]))


def _key(item: ScoreItem) -> tuple:
    return (item.order, item.code, item.pk)
