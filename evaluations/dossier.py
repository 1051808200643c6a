"""The recognition dossier of a year as one .zip: what goes to the receiving body, in the order of TT 124 Điều 9.2.

The submission, the results report and the minutes (Điều 9.2.b), the registration pledge, the score sheet, then the
other documents of the stages (the Party resolution, the security plan, the certificate …). Each issued document is
its signed scan when one was uploaded back, else the issued .docx. A "Danh mục hồ sơ" lists every piece and says
which documents are still missing, so whoever sends the dossier sees at once whether it is complete.
"""

import io
import zipfile
from datetime import date

from evaluations.models import DocumentKind, Evaluation, Evidence, IssuedDocument
from evaluations.services.documents import issued_file_name, signed_file_name

K = DocumentKind
ORDER = (K.SUBMISSION, K.REPORT, K.MINUTES, K.PLEDGE, K.SCORE_SHEET)
TITLES = {
    K.SUBMISSION: "Tờ trình đề nghị xét duyệt, công nhận",
    K.REPORT: "Báo cáo kết quả xây dựng cơ quan đạt tiêu chuẩn",
    K.MINUTES: "Biên bản cuộc họp đánh giá",
    K.PLEDGE: "Bản đăng ký phấn đấu",
    K.SCORE_SHEET: "Bảng chấm điểm phong trào",
}


def _day(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _latest_issued(evaluation: Evaluation) -> dict:
    latest = {}
    for issued in (
        IssuedDocument.objects.filter(draft__evaluation=evaluation)
        .select_related("draft")
        .order_by("draft__kind", "-version")
    ):
        latest.setdefault(issued.draft.kind, issued)
    return latest


def dossier_zip(evaluation: Evaluation) -> tuple[bytes, int]:
    """The .zip and how many documents are still missing from the dossier proper (submission, report, minutes)."""
    latest = _latest_issued(evaluation)
    index = [f"DANH MỤC HỒ SƠ ĐỀ NGHỊ CÔNG NHẬN NĂM {evaluation.year}", ""]
    missing = 0
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        number = 0
        for kind in ORDER:
            issued = latest.get(kind)
            if issued is None:
                missing += kind in (K.SUBMISSION, K.REPORT, K.MINUTES)
                index.append(f"-  {TITLES[kind]}: chưa ban hành")
                continue
            number += 1
            stored, name = (
                (issued.signed_file, signed_file_name(issued))
                if issued.signed_file
                else (issued.file, issued_file_name(issued))
            )
            with stored.open("rb") as content:
                archive.writestr(f"{number:02d}. {name}", content.read())
            label = f"số {issued.number_text}, " if issued.number_text else ""
            copy = "bản đã ký" if issued.signed_file else "bản ban hành (.docx)"
            index.append(f"{number:02d}. {TITLES[kind]} ({label}ngày {_day(issued.issued_on)}) — {copy}")
        for evidence in (
            Evidence.objects.filter(evaluation=evaluation, stage__isnull=False)
            .exclude(file="")
            .select_related("stage")
            .order_by("stage__order", "added_at", "pk")
        ):
            number += 1
            with evidence.file.open("rb") as content:
                archive.writestr(f"{number:02d}. {evidence.original_name}", content.read())
            reference = ", ".join(part for part in (evidence.number, _day(evidence.dated)) if part)
            index.append(f"{number:02d}. {evidence.title}{f' ({reference})' if reference else ''}")
        archive.writestr("00. Danh mục hồ sơ.txt", "\n".join(index) + "\n")
    return buffer.getvalue(), missing
