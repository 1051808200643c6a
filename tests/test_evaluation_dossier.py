"""The dossier of a year as one .zip: the issued documents in the order of TT 124 Điều 9.2, signed copies first."""

import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from evaluations.models import DocumentKind, Draft, Evidence, IssuedDocument, Stage
from evaluations.services import cycle
from tests.evaluation_support import ensure_tt124_data


@pytest.fixture
def evaluation(db, settings, tmp_path, team, leader, member, chief):
    settings.MEDIA_ROOT = tmp_path
    ensure_tt124_data()
    return cycle.start_year(year=2026, actor=leader)


def issued(evaluation, kind, number_text, leader, *, signed: bytes = b"", version=1):
    draft, _ = Draft.objects.get_or_create(evaluation=evaluation, kind=kind, defaults={"summary": "x", "body": "x"})
    document = IssuedDocument(
        draft=draft,
        version=version,
        number=1,
        number_text=number_text,
        issued_on=timezone.localdate(),
        summary="x",
        body="x",
        issued_by=leader,
    )
    document.file.save("x.docx", ContentFile(f"docx {number_text} v{version}".encode()), save=False)
    if signed:
        document.signed_extension, document.signed_content_type = ".pdf", "application/pdf"
        document.signed_file.save("s.pdf", ContentFile(signed), save=False)
    document.save()
    return document


def test_the_dossier_holds_the_latest_issued_documents_in_order_and_lists_what_is_missing(
    client, evaluation, leader, member
):
    issued(evaluation, DocumentKind.REPORT, "04/BC-VP", leader)
    issued(evaluation, DocumentKind.REPORT, "05/BC-VP", leader, version=2)
    issued(evaluation, DocumentKind.MINUTES, "03/BB-VP", leader, signed=b"%PDF-1.4 signed minutes")
    registration = evaluation.stages.get(kind=Stage.Kind.REGISTRATION)
    plan = Evidence(
        evaluation=evaluation,
        stage=registration,
        title="Kế hoạch bảo đảm ANTT",
        number="12/KH-VP",
        original_name="ke-hoach.pdf",
        extension=".pdf",
        content_type="application/pdf",
        added_by=leader,
    )
    plan.file.save("k.pdf", ContentFile(b"%PDF-1.4 plan"), save=False)
    plan.save()
    client.force_login(member)
    response = client.get(reverse("evaluations:dossier", args=[2026]))
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.namelist() == [
        "01. 05-BC-VP.docx",
        "02. 03-BB-VP-ban-ky.pdf",
        "03. ke-hoach.pdf",
        "00. Danh mục hồ sơ.txt",
    ]
    assert archive.read("01. 05-BC-VP.docx") == b"docx 05/BC-VP v2"  # the latest version, not the first
    assert archive.read("02. 03-BB-VP-ban-ky.pdf") == b"%PDF-1.4 signed minutes"  # the signed scan wins
    index = archive.read("00. Danh mục hồ sơ.txt").decode()
    assert "Tờ trình đề nghị xét duyệt, công nhận: chưa ban hành" in index
    assert "Biên bản cuộc họp đánh giá (số 03/BB-VP" in index and "bản đã ký" in index
    assert "Kế hoạch bảo đảm ANTT (12/KH-VP)" in index


def test_staff_get_no_dossier(client, evaluation, staff):
    client.force_login(staff)
    assert client.get(reverse("evaluations:dossier", args=[2026])).status_code == 404
