"""The document pages: who reaches them, editing and regenerating a draft, issuing, downloads with good file names,
signed copies, bad input answered with a message (never a 500), and the draft page's constant query count."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document

from evaluations.models import Commendation, DocumentKind, Draft, IssuedDocument, MeetingParticipant
from evaluations.services import documents as services
from tests.test_evaluation_documents import build_dossier, local, sign_off

K = DocumentKind
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
KINDS = ["pledge", "report", "submission", "minutes", "score_sheet"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def dossier(team, leader, deputy, member, chief, staff, make_user, departments, category):
    # Messages and headings in English (the msgids), so the assertions hold once Vietnamese is added.
    for person in (leader, deputy, member, chief, staff):
        person.language = "en"
        person.save(update_fields=["language"])
    return build_dossier(team, leader, deputy, member, chief, staff, make_user, departments, category)


def page_url(kind="report", year=2026):
    return reverse("evaluations:document", args=[year, kind])


def post_draft(client, draft, **changes):
    data = {
        "summary": draft.summary,
        "addressees": draft.addressees,
        "body": draft.body,
        "recipients": draft.recipients,
        "signer": draft.signer_id or "",
        "seen": draft.updated_at.isoformat(),
        **changes,
    }
    return client.post(page_url(draft.kind), data)


@pytest.fixture
def proposal(dossier, leader, staff):
    """An approved commendation of the staff member: he can see it, but not the office's paperwork about it."""
    return Commendation.objects.create(
        year=2026,
        kind=Commendation.Kind.AD_HOC,
        form=Commendation.Form.CHIEF_CERTIFICATE,
        person=staff,
        achievement="Phát hiện cháy chập điện tại kho lưu trữ.",
        proposed_by=leader,
        proposed_at=local(2026, 6, 1, 9),
        status=Commendation.Status.APPROVED,
    )


def test_staff_get_404_on_every_document_url(client, dossier, proposal, leader, staff):
    sign_off(dossier)
    issued = services.issue(services.draft_for(dossier, K.REPORT, leader).pk, leader)
    client.force_login(staff)
    urls = [reverse("evaluations:document", args=[2026, kind]) for kind in KINDS]
    urls += [reverse("evaluations:preview", args=[2026, kind]) for kind in KINDS]
    urls += [
        reverse("evaluations:issued", args=[issued.pk]),
        reverse("evaluations:signed_copy", args=[issued.pk]),
        reverse("evaluations:commendation_document", args=[proposal.pk]),
        reverse("evaluations:commendation_preview", args=[proposal.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    for url in [
        reverse("evaluations:issue", args=[2026, "report"]),
        reverse("evaluations:commendation_issue", args=[proposal.pk]),
    ]:
        assert client.post(url).status_code == 404, url
    assert IssuedDocument.objects.count() == 1


def test_unknown_years_and_kinds_are_404(client, dossier, leader):
    client.force_login(leader)
    assert client.get(page_url(year=2031)).status_code == 404
    assert client.get("/evaluations/2026/documents/decision/").status_code == 404
    assert client.get(reverse("evaluations:issued", args=[999999])).status_code == 404


def test_a_member_edits_the_draft_and_sees_it_saved(client, dossier, member):
    client.force_login(member)
    page = client.get(page_url())
    assert page.status_code == 200
    assert 'data-testid="draft-form"' in page.content.decode()
    assert 'data-testid="issue-box"' not in page.content.decode()  # members do not issue
    draft = Draft.objects.get(evaluation=dossier, kind=K.REPORT)
    response = post_draft(client, draft, body=draft.body + "\nĐoạn bổ sung của tổ viên./.")
    assert response.status_code == 302 and response["Location"] == page_url()
    saved = Draft.objects.get(pk=draft.pk)
    assert saved.body.endswith("Đoạn bổ sung của tổ viên./.") and saved.updated_by == member
    followed = client.get(page_url())
    assert "Saved the draft of the Results report." in [str(m) for m in followed.context["messages"]]


def test_bad_input_is_answered_on_the_page(client, dossier, member, deputy):
    client.force_login(member)
    client.get(page_url())
    draft = Draft.objects.get(evaluation=dossier, kind=K.REPORT)
    response = post_draft(client, draft, body="   ", summary="", signer=str(deputy.pk), seen="not a date")
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["body"] == ["The text cannot be empty."]
    assert errors["summary"] == ["Give the subject line."]
    assert errors["signer"] == ["The signer must be the Chief of Office or a Deputy Chief."]
    assert Draft.objects.get(pk=draft.pk).body == draft.body


def test_a_stale_page_does_not_overwrite_a_colleagues_text(client, dossier, member, deputy):
    client.force_login(member)
    client.get(page_url())
    draft = Draft.objects.get(evaluation=dossier, kind=K.REPORT)
    services.save_draft(draft.pk, deputy, draft.summary, "", "Văn bản của Tổ phó./.", "", None)
    response = post_draft(client, draft, body="Văn bản của tổ viên./.")
    assert response.status_code == 200
    assert "Someone else saved this draft" in " ".join(str(m) for m in response.context["messages"])
    assert response.context["form"].initial["body"] == "Văn bản của Tổ phó./."  # their text, to merge into
    assert Draft.objects.get(pk=draft.pk).body == "Văn bản của Tổ phó./."


def test_regenerating_asks_for_confirmation(client, dossier, member):
    client.force_login(member)
    client.get(page_url())
    draft = Draft.objects.get(evaluation=dossier, kind=K.REPORT)
    services.save_draft(draft.pk, member, "Tạm", "", "Văn bản tạm./.", "", None)
    unconfirmed = client.post(page_url(), {"regenerate": "1"})
    assert unconfirmed.status_code == 200
    assert unconfirmed.context["regenerate_form"].errors["confirm"]
    assert Draft.objects.get(pk=draft.pk).body == "Văn bản tạm./."
    confirmed = client.post(page_url(), {"regenerate": "1", "confirm": "on"})
    assert confirmed.status_code == 302
    assert Draft.objects.get(pk=draft.pk).body.startswith("Căn cứ Thông tư số 124/2021/TT-BCA")


def test_the_leadership_reads_the_drafts_but_does_not_write_them(client, dossier, chief):
    client.force_login(chief)
    page = client.get(page_url())
    assert page.status_code == 200 and 'data-testid="read-only"' in page.content.decode()
    draft = Draft.objects.get(evaluation=dossier, kind=K.REPORT)
    assert post_draft(client, draft, body="Sửa./.").status_code == 403
    assert client.post(page_url(), {"regenerate": "1", "confirm": "on"}).status_code == 403


def test_the_draft_downloads_as_a_docx_marked_draft(client, dossier, member):
    client.force_login(member)
    response = client.get(reverse("evaluations:preview", args=[2026, "report"]))
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert response["Content-Disposition"] == 'attachment; filename="BC-VP-2026-du-thao.docx"'
    doc = Document(io.BytesIO(response.content))
    assert doc.paragraphs[0].text.strip("\u00a0 ") == "DỰ THẢO"


def test_only_the_leader_or_deputy_issues_and_the_page_then_shows_the_number(client, dossier, member, leader):
    sign_off(dossier)
    client.force_login(member)
    assert client.post(reverse("evaluations:issue", args=[2026, "report"])).status_code == 403
    assert not IssuedDocument.objects.exists()
    client.force_login(leader)
    response = client.post(reverse("evaluations:issue", args=[2026, "report"]), follow=True)
    issued = IssuedDocument.objects.get()
    assert issued.number_text == "01/BC-VP"
    assert "Issued the Results report as number 01/BC-VP, version 1." in [str(m) for m in response.context["messages"]]
    content = response.content.decode()
    assert "01/BC-VP" in content and issued.issued_on.strftime("%d/%m/%Y") in content
    download = client.get(reverse("evaluations:issued", args=[issued.pk]))
    assert download.status_code == 200 and download["Content-Type"] == DOCX
    assert download["Content-Disposition"] == 'attachment; filename="01-BC-VP.docx"'
    doc = Document(io.BytesIO(b"".join(download.streaming_content)))
    assert [p.text for p in doc.tables[0].cell(1, 0).paragraphs if p.text] == ["Số: 01/BC-VP"]


def test_issuing_before_sign_off_says_why_and_takes_no_number(client, dossier, leader):
    client.force_login(leader)
    page = client.get(page_url())
    assert "once the Chief of Office has signed off" in page.content.decode()  # shown before trying
    response = client.post(reverse("evaluations:issue", args=[2026, "report"]), follow=True)
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert any("once the Chief of Office has signed off" in m for m in messages)
    assert not IssuedDocument.objects.exists()


def test_every_issued_version_stays_downloadable(client, dossier, leader):
    sign_off(dossier)
    client.force_login(leader)
    issue_url = reverse("evaluations:issue", args=[2026, "pledge"])
    client.post(issue_url)
    client.post(issue_url)
    first, second = IssuedDocument.objects.order_by("version")
    assert [(first.version, first.number_text), (second.version, second.number_text)] == [
        (1, "01/ĐK-VP"),
        (2, "02/ĐK-VP"),
    ]
    page = client.get(page_url("pledge")).content.decode()
    assert page.count('data-testid="issued-row"') == 2
    for issued, name in ((first, "01-DK-VP.docx"), (second, "02-DK-VP.docx")):
        download = client.get(reverse("evaluations:issued", args=[issued.pk]))
        assert download["Content-Disposition"] == f'attachment; filename="{name}"'


def test_the_signed_copy_is_uploaded_once_and_downloaded(client, dossier, leader):
    client.force_login(leader)
    client.post(reverse("evaluations:issue", args=[2026, "pledge"]))
    issued = IssuedDocument.objects.get()
    url = reverse("evaluations:signed_copy", args=[issued.pk])
    assert client.get(url).status_code == 404  # nothing uploaded yet
    scan = SimpleUploadedFile("Bản ký.pdf", b"%PDF-1.4 signed and sealed", content_type="application/pdf")
    response = client.post(url, {"file": scan}, follow=True)
    assert "Uploaded the signed copy of 01/ĐK-VP." in [str(m) for m in response.context["messages"]]
    download = client.get(url)
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == b"%PDF-1.4 signed and sealed"
    again = SimpleUploadedFile("lan-2.pdf", b"%PDF-1.4 other", content_type="application/pdf")
    response = client.post(url, {"file": again}, follow=True)
    assert "already uploaded" in " ".join(str(m) for m in response.context["messages"])
    script = SimpleUploadedFile("x.html", b"<script>alert(1)</script>", content_type="application/pdf")
    other = services.issue(issued.draft_id, leader)
    response = client.post(reverse("evaluations:signed_copy", args=[other.pk]), {"file": script}, follow=True)
    assert "not an accepted file type" in " ".join(str(m) for m in response.context["messages"])
    other.refresh_from_db()
    assert not other.signed_file


def test_the_commendation_proposal_page(client, dossier, proposal, member, leader):
    client.force_login(member)
    url = reverse("evaluations:commendation_document", args=[proposal.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Đề nghị tặng Giấy khen của Chánh Văn phòng cho đồng chí Phạm Thị Hoa" in page.content.decode()
    preview = client.get(reverse("evaluations:commendation_preview", args=[proposal.pk]))
    assert (
        preview["Content-Disposition"] == f'attachment; filename="TTr-VP-khen-thuong-{proposal.pk}-2026-du-thao.docx"'
    )
    client.force_login(leader)
    client.post(reverse("evaluations:commendation_issue", args=[proposal.pk]))
    assert IssuedDocument.objects.get().number_text == "01/TTr-VP"
    side = client.get(page_url()).content.decode()
    assert "Issued n° 01/TTr-VP on" in side  # the year's side list shows the proposal's state


def test_the_side_list_shows_the_state_of_each_document(client, dossier, leader):
    sign_off(dossier)
    client.force_login(leader)
    client.post(reverse("evaluations:issue", args=[2026, "minutes"]))
    page = client.get(page_url()).content.decode()
    assert page.count('data-testid="document-state"') == 5
    assert "Issued n° 01/BB-VP on" in page
    assert "Not started" in page  # pledge, score sheet, submission: never opened


def test_the_draft_page_query_count_does_not_grow(client, dossier, leader, member, staff):
    sign_off(dossier)
    client.force_login(leader)
    client.get(page_url())

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page_url()).status_code == 200
        return len(queries)

    small = count()
    # More of everything the page lists: issued versions, commendations and their proposals, participants.
    draft = Draft.objects.get(evaluation=dossier, kind=K.REPORT)
    for _ in range(3):
        services.issue(draft.pk, leader)
    for n in range(4):
        commendation = Commendation.objects.create(
            year=2026,
            kind=Commendation.Kind.REGULAR,
            form=Commendation.Form.CHIEF_CERTIFICATE,
            person=member if n % 2 else staff,
            achievement="Hoàn thành tốt nhiệm vụ.",
            proposed_by=leader,
            proposed_at=local(2026, 6, 1, 9),
        )
        services.issue(services.draft_for(commendation, K.COMMENDATION, leader).pk, leader)
    meeting = dossier.meeting
    for n in range(5):
        MeetingParticipant.objects.create(meeting=meeting, role="department", name=f"Trưởng phòng {n}", order=10 + n)
    large = count()
    # 11: session, user, roles, the evaluation, the draft, its issued versions, the side list's commendations,
    # drafts and issued versions, the unread-notifications badge, the signer choices; plus 27 to generate the
    # report's text from today's records, to tell the editor whether the draft is out of date (the figures of
    # the four criteria, the office, the team, the meeting, the registration documents, the score sheet).
    # More rows, same count.
    assert large == small == 38


def test_the_draft_page_warns_when_the_records_changed_since_the_text_was_generated(
    client, team, leader, member, chief
):
    from evaluations.services.cycle import start_year
    from tests.evaluation_support import ensure_tt124_data

    ensure_tt124_data()
    evaluation = start_year(year=2026, actor=leader)
    url = reverse("evaluations:document", args=[2026, "report"])
    client.force_login(leader)
    assert 'data-testid="outdated"' not in client.get(url).content.decode()
    assessment = evaluation.assessments.get(criterion__code="2")
    assessment.result, assessment.explanation = "met", "Thực hiện đầy đủ quy chế phối hợp."
    assessment.save()
    assert 'data-testid="outdated"' in client.get(url).content.decode()
    services.regenerate(Draft.objects.get(evaluation=evaluation, kind="report").pk, leader)
    assert 'data-testid="outdated"' not in client.get(url).content.decode()
