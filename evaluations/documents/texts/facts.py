"""The facts of one evaluation that several documents cite, in Vietnamese: figures, results, references.

One `Facts` per generated document; each figure is computed when first asked (evaluations.evidence
caches its own kinds), so the pledge does not pay for criterion 3.
"""

from functools import cached_property

from evaluations.evidence import Evidence as Figures
from evaluations.evidence.incidents import IGNORED_STATUSES, Verdict
from evaluations.evidence.window import window_bounds
from evaluations.models import Criterion, DocumentKind, ScoreSheet
from evaluations.models import Evidence as Document
from evaluations.results import outcome
from evaluations.services.movement import sheet_figures
from incidents.models import Incident
from incidents.models.catalog import Tt124Item

from . import common as c

REGISTRATION_LABEL = {
    Document.DocumentKind.PARTY_RESOLUTION: "Nghị quyết lãnh đạo của cấp ủy",
    Document.DocumentKind.SECURITY_PLAN: "Kế hoạch bảo đảm an ninh, trật tự",
    Document.DocumentKind.REGISTRATION_PLEDGE: "Đăng ký phấn đấu đạt tiêu chuẩn",
}

ITEM_ORDER = [item.value for item in Tt124Item]


class Facts:
    def __init__(self, evaluation, info: c.OfficeInfo | None = None):
        self.evaluation = evaluation
        self.info = info or c.office_info()
        self.figures = Figures(evaluation)

    @property
    def year(self) -> int:
        return self.evaluation.year

    @property
    def office(self) -> str:
        return self.info.name

    @property
    def window(self) -> str:
        return f"từ ngày {c.day(self.evaluation.window_start)} đến ngày {c.day(self.evaluation.window_end)}"

    # --- criteria and results --------------------------------------------------------------

    @cached_property
    def assessments(self) -> list:
        return list(
            self.evaluation.assessments.select_related("criterion")
            .prefetch_related("evidence")
            .order_by("criterion__order", "criterion__code")
        )

    @cached_property
    def outcome(self):
        return outcome(self.assessments)

    @property
    def holding_line(self) -> str:
        """'đạt 5/5 tiêu chí'"""
        return f"đạt {self.outcome.holding}/{self.outcome.total} tiêu chí"

    @cached_property
    def item_titles(self) -> dict[str, str]:
        """Criterion 3's items by letter, in the wording of the evaluation's criteria set."""
        items = Criterion.objects.filter(criteria_set_id=self.evaluation.criteria_set_id).exclude(tt124_item="")
        return {item.tt124_item: item.title for item in items}

    # --- documents of the registration stage -------------------------------------------------

    @cached_property
    def pledge(self):
        """The pledge issued in TựQuản, else the one recorded as evidence of the registration."""
        return c.latest_issued(self.evaluation, DocumentKind.PLEDGE) or self.figures.briefing.registration.get(
            Document.DocumentKind.REGISTRATION_PLEDGE
        )

    def registration(self, kind: str):
        if kind == Document.DocumentKind.REGISTRATION_PLEDGE:
            return self.pledge
        return self.figures.briefing.registration.get(kind)

    def registration_citation(self, kind: str) -> str | None:
        document = self.registration(kind)
        return c.cite(c.REGISTRATION_KIND[kind], document) if document else None

    @cached_property
    def coordination(self):
        return (
            Document.objects.filter(evaluation=self.evaluation, document_kind=Document.DocumentKind.COORDINATION)
            .order_by("-added_at", "-pk")
            .first()
        )

    # --- figures ------------------------------------------------------------------------------

    @property
    def briefing_line(self) -> str:
        """'29/31 cán bộ (93,5%)'"""
        figures = self.figures.briefing
        return f"{figures.briefed}/{figures.staff} cán bộ ({c.percent(figures.percent)})"

    @property
    def units_line(self) -> str:
        units = self.figures.units
        return f"{units.qualifying}/{units.total} phòng, đơn vị ({c.percent(units.percent)})"

    @cached_property
    def incidents_in_window(self) -> int:
        start, end = window_bounds(self.evaluation)
        return (
            Incident.objects.filter(occurred_at__gte=start, occurred_at__lt=end)
            .exclude(status__in=IGNORED_STATUSES)
            .count()
        )

    @cached_property
    def sheet(self):
        """The movement figures (evaluations.services.movement.sheet_figures), or None without a sheet."""
        sheet = ScoreSheet.objects.filter(evaluation=self.evaluation).select_related("template").first()
        return sheet_figures(sheet) if sheet else None

    @property
    def movement_class(self) -> str:
        return c.MOVEMENT_CLASS.get(self.sheet.classification[0], "") if self.sheet else ""

    @property
    def movement_line(self) -> str:
        """'87/100 điểm, tự phân loại: Khá' (with '(tạm tính)' while lines are missing or unscored)."""
        sheet = self.sheet
        if sheet is None:
            return f"{c.PLACEHOLDER}/100 điểm, tự phân loại: {c.PLACEHOLDER}"
        provisional = " (tạm tính)" if sheet.provisional else ""
        return f"{c.number(sheet.total)}/{sheet.template_total} điểm, tự phân loại: {self.movement_class}{provisional}"

    # --- one line per criterion -------------------------------------------------------------------

    def summary(self, assessment) -> str:
        """A short account of a criterion's evidence, for the annex table and the minutes."""
        kind = assessment.criterion.evidence
        if kind == Criterion.Evidence.BRIEFING:
            parts = [f"Phổ biến, quán triệt {self.briefing_line}"]
            parts += [self.registration_citation(k) for k in REGISTRATION_LABEL if self.registration(k)]
            team = self.info.team
            if team and team.establishment_decision:
                parts.append(f"mô hình: {team.name}")
            return "; ".join(parts)
        if kind == Criterion.Evidence.INCIDENTS:
            return self._incidents_summary()
        if kind == Criterion.Evidence.PROTECTION_FORCE:
            force = self.figures.force
            rated = c.rating(force.rating) or "chưa có kết quả bình xét"
            discipline = (
                "không có cá nhân bị kỷ luật từ cảnh cáo trở lên"
                if not force.disciplined
                else f"{c.count(len(force.disciplined))} trường hợp bị kỷ luật từ cảnh cáo trở lên"
            )
            return f"{self.info.team_name}: {rated}; {discipline}"
        if kind == Criterion.Evidence.UNITS:
            units = self.figures.units
            discipline = (
                "không có cá nhân bị kỷ luật từ cảnh cáo trở lên"
                if not units.disciplined
                else f"{c.count(len(units.disciplined))} trường hợp bị kỷ luật từ cảnh cáo trở lên"
            )
            return f"{self.units_line} đạt “Hoàn thành tốt nhiệm vụ” trở lên; {discipline}"
        if assessment.criterion.code == "2" and self.coordination:
            return c.cite(c.REGISTRATION_KIND[Document.DocumentKind.COORDINATION], self.coordination)
        return c.without_end(assessment.explanation) or c.PLACEHOLDER

    def _incidents_summary(self) -> str:
        figures = self.figures.incidents
        if figures.none_flagged:
            return "Không để xảy ra các trường hợp quy định"
        parts = []
        for letter in ITEM_ORDER:
            flagged = figures.by_item.get(letter, [])
            records = figures.discipline_h if letter == Tt124Item.H else []
            if not flagged and not records:
                continue
            handled = sum(1 for entry in flagged if entry.verdict in (Verdict.HANDLED, Verdict.FORCE_MAJEURE))
            text = f"điểm {letter}: {c.count(len(flagged) + len(records))} trường hợp"
            if handled:
                text += f" ({c.count(handled)} bất khả kháng hoặc đã xử lý, báo cáo kịp thời)"
            parts.append(text)
        return "Xảy ra: " + "; ".join(parts)
