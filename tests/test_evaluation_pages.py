"""The evaluation pages as the team, the Chief and staff see them: overview, criteria, evidence, stages, meeting."""

from datetime import datetime, time, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign, Participant
from evaluations.models import Assessment, DisciplineRecord, Evaluation, Evidence, Stage
from evaluations.services import cycle
from incidents.models import Category, ExternalReport, Incident, Place
from tests.evaluation_support import ensure_tt124_data

YEAR = 2026


@pytest.fixture
def evaluation(db, team, leader, deputy, member, chief, staff):
    ensure_tt124_data()
    for person in (leader, deputy, member, chief, staff):
        person.language = "en"  # the assertions below read the English text
        person.save(update_fields=["language"])
    return cycle.start_year(year=YEAR, actor=leader)


def criterion(evaluation, code) -> Assessment:
    return evaluation.assessments.get(criterion__code=code)


def in_window(day_offset: int, hour: int = 9):
    return timezone.make_aware(
        datetime.combine(timezone.datetime(YEAR, 6, 1).date() + timedelta(days=day_offset), time(hour))
    )


def add_incidents(count: int, leader) -> None:
    """Flagged incidents like the office's: in rooms of buildings, some reported to the police."""
    building = Place.objects.get_or_create(name="Nhà A", kind=Place.Kind.BUILDING)[0]
    floor = Place.objects.get_or_create(name="Tầng 2", kind=Place.Kind.FLOOR, parent=building)[0]
    categories = list(Category.objects.exclude(tt124_item=""))
    for n in range(count):
        category = categories[n % len(categories)]
        occurred = in_window(n)
        incident = Incident.objects.create(
            reference=f"VV-{YEAR}-{9000 + Incident.objects.count():04d}",
            category=category,
            place=floor,
            occurred_at=occurred,
            detected_at=occurred + timedelta(minutes=30),
            description=f"Vụ việc {n}",
            immediate_actions="Bảo vệ hiện trường",
            proposed_severity=3,
            severity=3,
            filed_by=leader,
            reporter=leader,
            tt124_item=category.tt124_item,
            police_confirmed_serious=n % 2 == 0,
        )
        ExternalReport.objects.create(
            incident=incident, agency="ward_police", notified_at=occurred + timedelta(hours=1), notified_by=leader
        )


def add_staff(count: int, make_user, departments, campaign) -> None:
    for n in range(count):
        person = make_user(department=departments["TH"], date_joined=in_window(0))
        if n % 3:
            Participant.objects.create(
                campaign=campaign, user=person, invited_at=in_window(1), attended_at=in_window(2)
            )


@pytest.fixture
def campaign(evaluation, deputy):
    return Campaign.objects.create(
        title="Quán triệt Nội quy",
        theme="internal_rules",
        organiser=deputy,
        counts_for_tt124=True,
        starts_on=in_window(0).date(),
        ends_on=in_window(30).date(),
        status=Campaign.Status.COMPLETED,
    )


def count_queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_overview_tells_the_team_what_to_do_next(client, evaluation, member):
    client.force_login(member)
    page = client.get(evaluation.get_absolute_url()).content.decode()
    assert "Assess the criteria still open: 1, 2, 3, 4, 5." in page
    assert "Criterion 3" in page and "3.đ" in page
    assert "Registration (Quarter I)" in page and "31/03/2026" in page


def test_the_overview_and_criterion_pages_do_not_grow_with_incidents_and_staff(
    client, evaluation, leader, make_user, departments, campaign
):
    add_incidents(3, leader)
    add_staff(4, make_user, departments, campaign)
    client.force_login(leader)
    urls = [evaluation.get_absolute_url()] + [
        reverse("evaluations:assessment", args=[YEAR, criterion(evaluation, code).pk]) for code in ("1", "3", "4", "5")
    ]
    small = [count_queries(client, url) for url in urls]
    add_incidents(40, leader)
    add_staff(60, make_user, departments, campaign)
    large = [count_queries(client, url) for url in urls]
    assert small == large, (small, large)
    # The overview: session, user, roles, unread badge, the evaluation, assessments with people and evidence
    # counts, criterion items, the four kinds of figures, stages, issued documents, signing role.
    assert large[0] <= 30, large


def test_criterion_1_shows_the_share_briefed_and_who_is_missing(
    client, evaluation, leader, make_user, departments, campaign
):
    missing = make_user("Mai Văn Cường", department=departments["TH"], date_joined=in_window(0))
    briefed = make_user("Lý Thị Mai", department=departments["TH"], date_joined=in_window(0))
    Participant.objects.create(campaign=campaign, user=briefed, invited_at=in_window(1), attended_at=in_window(2))
    Participant.objects.create(campaign=campaign, user=missing, invited_at=in_window(1))
    client.force_login(leader)
    page = client.get(reverse("evaluations:assessment", args=[YEAR, criterion(evaluation, "1").pk])).content.decode()
    assert "Mai Văn Cường" in page.split("Not briefed yet")[1]
    assert "Lý Thị Mai" not in page.split("Not briefed yet")[1]
    assert "Quán triệt Nội quy" in page


def test_criterion_3_lists_the_flagged_incidents_with_their_reports(client, evaluation, leader):
    add_incidents(2, leader)
    client.force_login(leader)
    page = client.get(reverse("evaluations:assessment", args=[YEAR, criterion(evaluation, "3").pk])).content.decode()
    for incident in Incident.objects.all():
        assert incident.reference in page
        assert incident.get_absolute_url() in page
    assert "Ward police" in page


def test_discipline_names_show_to_the_leadership_only(client, evaluation, leader, deputy, chief, make_user):
    culprit = make_user("Kiều Quang Vinh")
    DisciplineRecord.objects.create(
        person=culprit, form=DisciplineRecord.Form.WARNING, decided_on=in_window(10).date(), recorded_by=chief
    )
    url = reverse("evaluations:assessment", args=[YEAR, criterion(evaluation, "5").pk])
    client.force_login(deputy)
    page = client.get(url).content.decode()
    assert "Kiều Quang Vinh" not in page and "1 record (names visible to the office leadership only)" in page
    client.force_login(chief)
    assert "Kiều Quang Vinh" in client.get(url).content.decode()


def test_assessing_on_the_page_says_what_happened_and_bad_input_gets_a_message(client, evaluation, member):
    one = criterion(evaluation, "1")
    url = reverse("evaluations:assessment", args=[YEAR, one.pk])
    client.force_login(member)
    response = client.post(url, {"result": "not_met", "explanation": "", "seen": ""}, follow=True)
    assert "Explain why the criterion is not met" in response.content.decode()
    assert Assessment.objects.get(pk=one.pk).result == ""
    response = client.post(url, {"result": "met", "explanation": "Đủ minh chứng.", "seen": ""}, follow=True)
    assert "Criterion 1 assessed: Met." in response.content.decode()
    assert Assessment.objects.get(pk=one.pk).assessed_by == member


def test_evidence_is_uploaded_checked_served_to_the_team_only_and_removed(
    client, evaluation, member, staff, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    one = criterion(evaluation, "1")
    back = reverse("evaluations:assessment", args=[YEAR, one.pk])
    add = reverse("evaluations:evidence_add", args=[YEAR])
    client.force_login(member)
    pdf = SimpleUploadedFile("Biên bản quán triệt.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")
    response = client.post(add, {"target": f"assessment:{one.pk}", "next": back, "title": "", "file": pdf}, follow=True)
    assert "Added “Biên bản quán triệt.pdf”." in response.content.decode()
    evidence = Evidence.objects.get()
    assert (evidence.assessment, evidence.content_type) == (one, "application/pdf")
    download = client.get(reverse("evaluations:evidence", args=[evidence.pk]))
    assert download.status_code == 200 and download["X-Content-Type-Options"] == "nosniff"
    client.force_login(staff)
    assert client.get(reverse("evaluations:evidence", args=[evidence.pk])).status_code == 404
    client.force_login(member)
    disguised = SimpleUploadedFile("minh-chung.pdf", b"<html><script>alert(1)</script>", content_type="application/pdf")
    response = client.post(add, {"target": f"assessment:{one.pk}", "next": back, "file": disguised}, follow=True)
    assert "is not an accepted file type" in response.content.decode()
    response = client.post(
        add, {"target": f"assessment:{one.pk}", "next": back, "link": "https://example.com/x"}, follow=True
    )
    assert "A link must point to a page of TựQuản" in response.content.decode()
    response = client.post(
        add, {"target": f"assessment:{one.pk}", "next": back, "title": "Tổ", "link": reverse("team:team")}, follow=True
    )
    assert Evidence.objects.filter(link=reverse("team:team")).exists()
    response = client.post(reverse("evaluations:evidence_remove", args=[evidence.pk]), {"next": back}, follow=True)
    assert "Removed “Biên bản quán triệt.pdf”." in response.content.decode()
    assert not Evidence.objects.filter(pk=evidence.pk).exists()


def test_evidence_cannot_be_attached_to_another_years_criterion(client, evaluation, member, leader):
    other = cycle.start_year(year=YEAR + 1, actor=leader)
    foreign = criterion(other, "1")
    client.force_login(member)
    response = client.post(
        reverse("evaluations:evidence_add", args=[YEAR]), {"target": f"assessment:{foreign.pk}", "number": "1/BC"}
    )
    assert response.status_code == 404 and not Evidence.objects.exists()


def test_the_leader_moves_a_deadline_and_a_member_cannot(client, evaluation, leader, member):
    url = reverse("evaluations:stage", args=[YEAR, "dossier"])
    data = {
        "stage-due_on": "2026-11-05",
        "stage-responsible": member.pk,
        "stage-completed_on": "",
        "stage-note": "Tỉnh yêu cầu sớm",
    }
    client.force_login(member)
    assert client.post(url, data).status_code == 403
    client.force_login(leader)
    response = client.post(url, data, follow=True)
    assert "Saved the stage “Submission of the dossier”." in response.content.decode()
    stage = evaluation.stages.get(kind=Stage.Kind.DOSSIER)
    assert (stage.due_on.isoformat(), stage.responsible) == ("2026-11-05", member)
    assert "deadline 05/11/2026" in evaluation.events.last().detail


def test_the_meeting_is_filled_in_with_its_participants(client, evaluation, member, chief, deputy):
    url = reverse("evaluations:meeting", args=[YEAR])
    client.force_login(member)
    data = {
        "meeting-starts_at": "2026-11-10T14:00",
        "meeting-ends_at": "2026-11-10T16:30",
        "meeting-place": "Phòng họp lớn",
        "meeting-chair": chief.pk,
        "meeting-secretary": deputy.pk,
        "meeting-vote_method": "hands",
        "meeting-votes_for": "7",
        "people-TOTAL_FORMS": "3",
        "people-INITIAL_FORMS": "0",
        "people-0-role": "ward_police",
        "people-0-name": "Lê Văn Hòa",
        "people-0-position": "Phó Trưởng Công an phường",
        "people-0-present": "on",
        "people-1-role": "trade_union",
        "people-1-name": "Ngô Hoàng Long",
        "people-2-role": "other",
        "people-2-name": "",
    }
    response = client.post(url, data, follow=True)
    assert "Saved the evaluation meeting with 2 participants." in response.content.decode()
    meeting = Evaluation.objects.get(pk=evaluation.pk).meeting
    assert [(p.name, p.present) for p in meeting.participants.all()] == [
        ("Lê Văn Hòa", True),
        ("Ngô Hoàng Long", False),
    ]
    assert evaluation.stages.get(kind=Stage.Kind.MEETING).completed_on.isoformat() == "2026-11-10"
    data["meeting-ends_at"] = "2026-11-10T13:00"
    response = client.post(url, data, follow=True)
    assert "The meeting cannot end before it starts." in response.content.decode()


def test_sign_off_through_the_pages(client, evaluation, leader, member, chief):
    for assessment in evaluation.assessments.all():
        assessment.result, assessment.assessed_by, assessment.assessed_at = "met", member, timezone.now()
        assessment.save()
    client.force_login(leader)
    url = evaluation.get_absolute_url()
    response = client.post(reverse("evaluations:sign_off", args=[YEAR, "send"]), {"version": 1}, follow=True)
    assert "Sent the 2026 evaluation to the Chief of Office for sign-off." in response.content.decode()
    client.force_login(chief)
    page = client.get(url).content.decode()
    assert "Sent for your sign-off on" in page and 'data-testid="sign-off-button"' in page
    response = client.post(reverse("evaluations:sign_off", args=[YEAR, "sign"]), {"version": 1}, follow=True)
    assert "someone else changed this evaluation" in response.content.decode().lower()  # the page was stale
    version = Evaluation.objects.get(pk=evaluation.pk).version
    response = client.post(reverse("evaluations:sign_off", args=[YEAR, "sign"]), {"version": version}, follow=True)
    assert "Signed off the 2026 evaluation. It is now locked." in response.content.decode()
    client.force_login(member)
    page = client.get(reverse("evaluations:assessment", args=[YEAR, criterion(evaluation, "1").pk])).content.decode()
    assert "reopen it (the Chief of Office, with a reason)" in page and 'data-testid="assess-form"' not in page


def test_staff_find_nothing_here(client, evaluation, staff):
    client.force_login(staff)
    for url in [
        reverse("evaluations:index"),
        evaluation.get_absolute_url(),
        reverse("evaluations:assessment", args=[YEAR, criterion(evaluation, "1").pk]),
        reverse("evaluations:stage", args=[YEAR, "registration"]),
        reverse("evaluations:meeting", args=[YEAR]),
        reverse("evaluations:history", args=[YEAR]),
    ]:
        assert client.get(url).status_code in (403, 404), url
