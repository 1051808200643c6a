"""Browser: a member corrects the report's draft; after the Chief's sign-off the team leader issues it with a
number and downloads the issued .docx; on a phone the documents page still works."""

import io

import pytest
from docx import Document
from playwright.sync_api import expect

from evaluations.models import Evaluation, IssuedDocument
from evaluations.services.cycle import start_year
from tests.conftest import log_in
from tests.evaluation_support import ensure_tt124_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def evaluation(team, leader, member, chief, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ensure_tt124_data()  # transactional tests flush what the data migration loaded
    return start_year(year=2026, actor=leader)


def test_a_member_edits_the_report_and_the_leader_issues_and_downloads_it(
    page, phone, live_server, evaluation, member, leader
):
    url = f"{live_server.url}/evaluations/2026/documents/report/"
    log_in(page, live_server.url, member.username)
    page.goto(url)
    expect(page.locator("[data-testid=document-report]")).to_have_class("list-group-item list-group-item-action active")
    body = page.locator("textarea[name=body]")
    assert body.input_value().startswith("Căn cứ Thông tư số 124/2021/TT-BCA")
    body.fill(body.input_value().replace("I. ĐẶC ĐIỂM, TÌNH HÌNH", "I. ĐẶC ĐIỂM, TÌNH HÌNH CHUNG"))
    page.locator("[data-testid=draft-form] button[name=save]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("[data-testid=issue-box]")).to_have_count(0)  # a member does not issue

    # The Chief signs off (his page is another engineer's); the leader issues and downloads.
    Evaluation.objects.filter(pk=evaluation.pk).update(status=Evaluation.Status.SIGNED_OFF)
    log_in(page, live_server.url, leader.username)
    page.goto(url)
    with page.expect_download() as draft_download:
        page.locator("[data-testid=download-draft]").click()
    assert draft_download.value.suggested_filename == "BC-VP-2026-du-thao.docx"
    page.locator("[data-testid=issue]").click()
    expect(page.locator(".alert-success")).to_contain_text("01/BC-VP")
    expect(page.locator("[data-testid=document-report] [data-testid=document-state]")).to_contain_text("01/BC-VP")
    with page.expect_download() as issued_download:
        page.locator("[data-testid=issued-file]").first.click()
    assert issued_download.value.suggested_filename == "01-BC-VP.docx"
    with open(issued_download.value.path(), "rb") as stored:
        doc = Document(io.BytesIO(stored.read()))
    assert "I. ĐẶC ĐIỂM, TÌNH HÌNH CHUNG" in [p.text for p in doc.paragraphs]
    assert IssuedDocument.objects.get().number_text == "01/BC-VP"

    # On a phone: the list of documents and the editor are reachable without sideways scrolling of the page.
    log_in(phone, live_server.url, member.username)
    phone.goto(url)
    expect(phone.locator("textarea[name=body]")).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
