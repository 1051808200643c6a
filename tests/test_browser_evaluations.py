"""Browser journey on the demo office: the team leader works through this year's evaluation, the Chief of Office
signs it off on his phone, and the leader downloads the results report and the minutes."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from docx import Document
from playwright.sync_api import expect

from evaluations.models import Assessment, Evaluation
from team.demo import DEMO_PASSWORD
from tests.conftest import log_in
from tests.evaluation_support import ensure_migrated_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx_text(download) -> str:
    with open(download.path(), "rb") as stored:
        document = Document(io.BytesIO(stored.read()))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([paragraph.text for paragraph in document.paragraphs] + cells)


def assess(page, result: str, explanation: str) -> None:
    form = page.locator("[data-testid=assess-form]")
    form.locator(f"input[name=result][value={result}]").check()
    form.locator("textarea[name=explanation]").fill(explanation)
    form.locator("button[type=submit]").click()
    expect(page.locator(".alert-success")).to_be_visible()


def test_the_leader_prepares_the_chief_signs_off_and_the_documents_come_out(
    page, phone, live_server, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    ensure_migrated_data()  # earlier transactional tests flushed what the data migrations loaded
    call_command("seed_demo", stdout=io.StringIO())
    year = timezone.localdate().year
    base = live_server.url

    # The leader opens this year's evaluation from the menu.
    log_in(page, base, "minh.hv", DEMO_PASSWORD)
    page.locator("[data-testid=evaluations-link]").click()
    page.get_by_role("link", name=str(year)).first.click()
    expect(page.locator("[data-testid=next-step]")).to_contain_text("1, 3, 4, 5")

    # Criterion 1: 28 of the 30 staff (the system account does not count) briefed, the two others by name.
    page.locator("[data-testid=criterion-1] a").first.click()
    expect(page.locator("[data-testid=briefing-percent]")).to_have_text("93,3%")
    missing = page.locator("[data-testid=briefing-missing]")
    expect(missing).to_contain_text("Mai Văn Cường")
    expect(missing).to_contain_text("Tống Trung Kiên")

    # He attaches the attendance sheet of the make-up session and marks the criterion.
    page.locator("[data-testid=evidence-form]").locator("..").locator("summary").click()
    form = page.locator("[data-testid=evidence-form]")
    form.locator("input[name=title]").fill("Danh sách ký quán triệt bổ sung")
    form.locator("input[name=file]").set_input_files(
        {"name": "danh-sach-bo-sung.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    form.locator("button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text("Danh sách ký quán triệt bổ sung")
    expect(page.locator("[data-testid=evidence-list]")).to_contain_text("Danh sách ký quán triệt bổ sung")
    assess(page, "met", "Buổi quán triệt bổ sung ngày 28/11 đã phổ biến cho 02 đồng chí vắng; đạt 100%.")

    # Criterion 3: the theft under 3.đ, excused by its prompt report to the ward police.
    page.goto(f"{base}/evaluations/{year}/")
    page.locator("[data-testid=criterion-3] a").first.click()
    expect(page.locator("[data-testid=incident-figures]")).to_contain_text("VV-")
    expect(page.locator("[data-testid=incident-figures]")).to_contain_text("Công an phường")
    assess(page, "met", "Vụ trộm tháng trước được phát hiện sớm, bảo vệ hiện trường và báo ngay Công an phường.")
    for code in ("4", "5"):
        page.goto(f"{base}/evaluations/{year}/")
        page.locator(f"[data-testid=criterion-{code}] a").first.click()
        assess(page, "met", "Theo kết quả bình xét cuối năm.")

    page.goto(f"{base}/evaluations/{year}/")
    expect(page.locator("[data-testid=overall-result]")).to_contain_text("5/5")
    page.locator("[data-testid=send-for-sign-off]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    assert Evaluation.objects.get(year=year).status == Evaluation.Status.AWAITING_SIGN_OFF

    # The Chief of Office, on his phone, follows the notification and signs off.
    log_in(phone, base, "hung.nq", DEMO_PASSWORD)
    phone.goto(f"{base}/notifications/")
    phone.locator("main a").filter(has_text=str(year)).first.click()
    expect(phone.locator("[data-testid=sign-off-button]")).to_be_visible()
    phone.locator("[data-testid=sign-off-button]").click()
    expect(phone.locator(".alert-success")).to_be_visible()
    evaluation = Evaluation.objects.get(year=year)
    assert evaluation.status == Evaluation.Status.SIGNED_OFF and evaluation.signed_off_by.username == "hung.nq"
    assert not Assessment.objects.filter(evaluation=evaluation, reviewed_by=None).exists()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    # The leader issues the report and downloads it, then downloads the minutes.
    page.goto(f"{base}/evaluations/{year}/documents/report/")
    page.locator("[data-testid=issue]").click()
    expect(page.locator(".alert-success")).to_contain_text("01/BC-VP")
    with page.expect_download() as report:
        page.locator("[data-testid=issued-file]").first.click()
    text = docx_text(report.value)
    assert "Số: 01/BC-VP" in text and "BÁO CÁO" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "28/30" in text and "93,3%" in text
    assert text.count("Tự đánh giá: Đạt") == 5

    page.goto(f"{base}/evaluations/{year}/documents/minutes/")
    with page.expect_download() as minutes:
        page.locator("[data-testid=download-draft]").click()
    text = docx_text(minutes.value)
    assert "BIÊN BẢN" in text and "THƯ KÝ" in text and "CHỦ TỌA" in text
    assert "Thiếu tá Lê Văn Hòa" in text  # the ward police at the meeting
    assert "Kết luận: Đạt" in text
