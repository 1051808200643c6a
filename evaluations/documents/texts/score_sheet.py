"""Bảng chấm điểm đánh giá, phân loại phong trào toàn dân bảo vệ an ninh Tổ quốc (QĐ 510; evaluation-documents.md §6).

An annex of the dossier, so it has no number: the table TT | Nội dung chấm điểm | Điểm chuẩn | Điểm tự
chấm with sub-lines under their line, the total row and the classification.
"""

from . import common as c
from .facts import Facts


def score_sheet(evaluation) -> c.Texts:
    facts = Facts(evaluation)
    sheet = facts.sheet
    lines = [f"Đơn vị: {facts.office}."]
    if sheet is None:
        lines.append("Chưa có bảng chấm điểm cho năm đánh giá này.")
    else:
        lines.append("| TT | Nội dung chấm điểm | Điểm chuẩn | Điểm tự chấm |")
        for row in sheet.rows:
            text = c.inline(row.item.text).replace("|", "/")
            self_score = c.number(row.self_score) if row.self_score is not None else ""
            lines.append(f"| {row.item.code} | {text} | {c.number(row.max_points)} | {self_score} |")
        lines.append(f"| | Tổng cộng | {c.number(sheet.maximum_defined)} | {c.number(sheet.total)} |")
        lines.append(f"Tổng điểm tự chấm: {c.number(sheet.total)}/{sheet.template_total} điểm.")
        lines.append(f"Tự phân loại: {facts.movement_class}.")
        if not sheet.complete:
            lines.append(
                f"Ghi chú: các nội dung chấm điểm đã xác định có tổng điểm chuẩn {c.number(sheet.maximum_defined)}/"
                f"{sheet.template_total} điểm; kết quả phân loại là tạm tính."
            )
        elif sheet.unscored:
            lines.append(f"Ghi chú: còn {sheet.unscored} nội dung chưa chấm điểm; kết quả phân loại là tạm tính.")
    return c.Texts(
        summary=f"Đánh giá, phân loại {c.MOVEMENT} cơ quan, doanh nghiệp năm {evaluation.year}",
        body=c.join(lines),
    )
