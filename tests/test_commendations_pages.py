"""Commendation pages: the register (filters, search without diacritics, pages, staff's own list), the detail
page with only the steps the viewer may take, the proposal form, and query counts that do not grow."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evaluations.models import Commendation
from evaluations.services import commendations as services
from evaluations.services.cycle import start_year
from tests.test_commendations import file_incident, make_campaign, propose

C = Commendation.Status
REGISTER = reverse("evaluations:commendations")
ROW_LINK = re.compile(r'href="/evaluations/commendations/(\d+)/"')


def in_english(*people):
    """Messages and headings in English (the msgids), so the assertions hold once Vietnamese is added."""
    for person in people:
        person.language = "en"
        person.save(update_fields=["language"])


def listed(response) -> set[int]:
    assert response.status_code == 200
    return {int(pk) for pk in ROW_LINK.findall(response.content.decode())}


def add(proposer, *, year=None, status=C.PROPOSED, person=None, collective="", achievement="Bảo vệ cơ quan", **extra):
    """A commendation written straight to the table (for volume and for past years)."""
    return Commendation.objects.create(
        year=year or timezone.localdate().year,
        kind=extra.pop("kind", Commendation.Kind.REGULAR),
        form=extra.pop("form", Commendation.Form.CHIEF_CERTIFICATE),
        person=person,
        collective="" if person else (collective or "Tổ bảo vệ an ninh, trật tự cơ quan"),
        achievement=achievement,
        status=status,
        proposed_by=proposer,
        proposed_at=timezone.now(),
        **extra,
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# --- the register --------------------------------------------------------------------------------


def test_the_register_shows_this_year_by_default_and_any_year_on_request(client, member):
    this_year = add(member)
    last_year = add(member, year=timezone.localdate().year - 1)
    client.force_login(member)
    assert listed(client.get(REGISTER)) == {this_year.pk}
    assert listed(client.get(REGISTER, {"year": last_year.year})) == {last_year.pk}
    assert listed(client.get(REGISTER, {"year": "all"})) == {this_year.pk, last_year.pk}


def test_the_register_filters_by_status_kind_and_form(client, member, deputy):
    proposed = add(member, person=deputy)
    granted = add(member, status=C.DECIDED, kind=Commendation.Kind.AD_HOC, form=Commendation.Form.PROVINCE_MERIT)
    client.force_login(member)
    assert listed(client.get(REGISTER, {"status": "decided"})) == {granted.pk}
    assert listed(client.get(REGISTER, {"status": "proposed"})) == {proposed.pk}
    assert listed(client.get(REGISTER, {"kind": "ad_hoc"})) == {granted.pk}
    assert listed(client.get(REGISTER, {"form": "chief_certificate"})) == {proposed.pk}


def test_the_search_finds_names_and_achievements_typed_without_diacritics(client, member, deputy, make_user):
    tuan = add(member, person=make_user("Lê Anh Tuấn"))
    fire = add(member, person=deputy, achievement="Dập tắt đám cháy tại kho lưu trữ tầng 3")
    team = add(member, collective="Tổ bảo vệ an ninh, trật tự cơ quan", achievement="Tuần tra đêm")
    client.force_login(member)
    assert listed(client.get(REGISTER, {"q": "le anh tuan"})) == {tuan.pk}
    assert listed(client.get(REGISTER, {"q": "DAM CHAY kho"})) == {fire.pk}
    assert listed(client.get(REGISTER, {"q": "to bao ve"})) == {team.pk}
    assert listed(client.get(REGISTER, {"q": "tuần tra"})) == {team.pk}  # typed with diacritics works too
    assert listed(client.get(REGISTER, {"q": "không có"})) == set()


def test_the_register_has_pages_of_fifty(client, member):
    Commendation.objects.bulk_create(
        Commendation(
            year=timezone.localdate().year,
            kind="regular",
            form="chief_certificate",
            collective=f"Tập thể {n}",
            achievement="Bảo vệ cơ quan",
            proposed_by=member,
            proposed_at=timezone.now(),
        )
        for n in range(51)
    )
    client.force_login(member)
    first = client.get(REGISTER)
    second = client.get(REGISTER, {"page": 2})
    assert len(listed(first)) == 50 and len(listed(second)) == 1
    assert listed(first).isdisjoint(listed(second))
    assert "page=2" in first.content.decode()
    assert client.get(REGISTER, {"page": "999"}).status_code == 200  # the last page, not an error


def test_bad_filter_values_are_ignored_not_an_error(client, member):
    mine = add(member)
    client.force_login(member)
    assert listed(client.get(REGISTER, {"year": "abc", "status": "zzz", "kind": "<script>", "page": "x"})) == {mine.pk}


def test_staff_see_only_their_approved_or_granted_commendations(client, member, staff, deputy):
    in_english(staff)
    approved = add(member, person=staff, status=C.APPROVED, year=timezone.localdate().year - 1)
    granted = add(member, person=staff, status=C.DECIDED, decision_number="12/QĐ-VP")
    add(member, person=staff, status=C.PROPOSED)
    add(member, person=staff, status=C.REVIEWED)
    add(member, person=staff, status=C.REJECTED)
    add(member, person=deputy, status=C.DECIDED)
    client.force_login(staff)
    response = client.get(REGISTER)
    page = response.content.decode()
    # All his years at once: his list is short.
    assert listed(response) == {approved.pk, granted.pk}
    assert "Your commendations" in page
    assert reverse("evaluations:propose") not in page
    assert 'data-testid="register-filters"' not in page


def test_the_team_sees_the_register_and_the_propose_button(client, member, chief):
    in_english(member, chief)
    client.force_login(member)
    page = client.get(REGISTER).content.decode()
    assert "Your commendations" not in page and reverse("evaluations:propose") in page
    client.force_login(chief)
    page = client.get(REGISTER).content.decode()
    assert 'data-testid="register-filters"' in page and reverse("evaluations:propose") not in page


# --- the detail page -----------------------------------------------------------------------------


def test_staff_get_404_on_commendations_they_may_not_see(client, member, staff, deputy):
    others = add(member, person=deputy, status=C.DECIDED)
    proposed = add(member, person=staff, status=C.PROPOSED)
    rejected = add(member, person=staff, status=C.REJECTED)
    approved = add(member, person=staff, status=C.APPROVED)
    client.force_login(staff)
    for hidden in (others, proposed, rejected):
        assert client.get(hidden.get_absolute_url()).status_code == 404
        assert client.post(reverse("evaluations:commendation_action", args=[hidden.pk, "review"])).status_code == 404
    assert client.get(approved.get_absolute_url()).status_code == 200
    assert client.get(reverse("evaluations:propose")).status_code == 403


def test_the_detail_page_shows_the_achievement_what_is_behind_it_and_the_history(
    client, member, deputy, leader, chief, staff, category
):
    in_english(member)
    incident = file_incident(staff, category)
    campaign = make_campaign(member)
    evaluation = start_year(year=timezone.localdate().year, actor=leader)
    commendation = services.propose(
        actor=member,
        fields={
            "kind": "ad_hoc",
            "form": "chief_certificate",
            "person": deputy,
            "achievement": "Bắt giữ đối tượng trộm cắp xe máy.",
            "evaluation": evaluation,
        },
        incidents=[incident],
        campaigns=[campaign],
    )
    step = services.review(commendation_id=commendation.pk, actor=leader, version=1, note="Đề nghị khen đột xuất.")
    services.reject(commendation_id=step.pk, actor=chief, version=step.version, note="Chưa đủ tiêu chuẩn.")
    client.force_login(member)
    page = client.get(commendation.get_absolute_url()).content.decode()
    assert "Bắt giữ đối tượng trộm cắp xe máy." in page
    assert f'href="{reverse("incidents:detail", args=[incident.pk])}">{incident.reference}</a>' in page
    assert campaign.get_absolute_url() in page and evaluation.get_absolute_url() in page
    assert "Proposed by Lê Anh Tuấn" in page
    assert "Reviewed by the team leader, Hoàng Văn Minh" in page and "Đề nghị khen đột xuất." in page
    assert "Not approved by Nguyễn Quốc Hùng" in page and "Chưa đủ tiêu chuẩn." in page
    # The team writes the dossier documents.
    assert reverse("evaluations:commendation_document", args=[commendation.pk]) in page


def test_the_nominee_sees_his_commendation_but_not_the_team_documents(client, member, staff, chief, category):
    incident = file_incident(member, category)  # filed by the team, not by him: not his to see
    commendation = propose(member, person=staff, incidents=[incident])
    services.approve(commendation_id=commendation.pk, actor=chief, version=commendation.version)
    client.force_login(staff)
    page = client.get(commendation.get_absolute_url()).content.decode()
    assert "Bắt giữ đối tượng trộm cắp" in page
    assert incident.reference not in page
    assert reverse("evaluations:commendation_document", args=[commendation.pk]) not in page
    assert 'data-testid="record"' not in page


def forms_on(client, commendation) -> set[str]:
    page = client.get(commendation.get_absolute_url()).content.decode()
    return {name for name in ("review", "approve", "reject", "record") if f'data-testid="{name}"' in page}


def test_each_person_sees_only_the_steps_he_may_take(client, member, deputy, leader, chief, staff):
    commendation = propose(member, person=deputy)
    expected = {member: set(), deputy: set(), leader: {"review"}, chief: {"approve", "reject"}}
    for person, steps in expected.items():
        client.force_login(person)
        assert forms_on(client, commendation) == steps, person
    approved = services.approve(commendation_id=commendation.pk, actor=chief, version=commendation.version)
    expected = {member: set(), deputy: {"record"}, leader: {"record"}, chief: {"record"}}
    for person, steps in expected.items():
        client.force_login(person)
        assert forms_on(client, approved) == steps, person


# --- the steps through the pages ------------------------------------------------------------------


def act(client, commendation, action, **data):
    url = reverse("evaluations:commendation_action", args=[commendation.pk, action])
    return client.post(url, {f"{action}-{key}": value for key, value in data.items()}, follow=True)


def test_review_approve_and_record_through_the_pages_say_what_happened(client, member, deputy, leader, chief):
    in_english(leader, chief)
    commendation = propose(member, person=deputy)
    client.force_login(leader)
    response = act(client, commendation, "review", version=1, note="Đồng ý")
    assert messages_of(response) == ["Reviewed the proposal for Trần Thị Lan. The Chief of Office has been told."]
    client.force_login(chief)
    response = act(client, commendation, "approve", version=2, note="")
    assert messages_of(response) == [
        "Approved the commendation of Trần Thị Lan: Certificate of commendation of the Chief of Office."
    ]
    client.force_login(leader)
    today = timezone.localdate()
    response = act(client, commendation, "record", version=3, number="12/QĐ-VP", date=today.isoformat())
    assert messages_of(response) == [
        f"Recorded decision 12/QĐ-VP of {today:%d/%m/%Y} for Trần Thị Lan: "
        "Certificate of commendation of the Chief of Office."
    ]
    commendation.refresh_from_db()
    assert commendation.status == C.DECIDED and commendation.decision_number == "12/QĐ-VP"
    assert 'data-testid="decision"' in response.content.decode()


def test_a_stale_page_gets_a_message_and_changes_nothing(client, member, deputy, leader, chief):
    in_english(chief)
    commendation = propose(member, person=deputy)
    services.review(commendation_id=commendation.pk, actor=leader, version=1)
    client.force_login(chief)
    response = act(client, commendation, "approve", version=1, note="")
    assert messages_of(response) == [str(services.STALE)]
    commendation.refresh_from_db()
    assert commendation.status == C.REVIEWED


def test_a_step_someone_may_not_take_is_refused_with_a_reason(client, member, deputy, leader):
    in_english(leader)
    commendation = propose(member, person=deputy)
    client.force_login(leader)  # a Deputy Chief, but not acting for the Chief
    response = act(client, commendation, "approve", version=1, note="")
    assert messages_of(response) == [str(services.MAY_NOT_DECIDE)]
    commendation.refresh_from_db()
    assert commendation.status == C.PROPOSED


def test_errors_are_shown_in_place(client, member, deputy, leader, chief):
    in_english(chief, leader)
    commendation = propose(member, person=deputy)
    client.force_login(chief)
    response = act(client, commendation, "reject", version=1, note="  ")
    assert response.status_code == 200 and str(services.REASON_MISSING) in response.content.decode()
    response = act(client, commendation, "approve", version="abc", note="")
    assert response.status_code == 200
    approved = services.approve(commendation_id=commendation.pk, actor=chief, version=1)
    client.force_login(leader)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = act(client, approved, "record", version=approved.version, number="12/QĐ-VP", date=tomorrow.isoformat())
    page = response.content.decode()
    assert str(services.DATE_IN_FUTURE) in page and 'value="12/QĐ-VP"' in page  # what he typed is kept
    response = act(client, approved, "record", version=approved.version, number="", date="31/02/2026")
    assert response.status_code == 200
    approved.refresh_from_db()
    assert approved.status == C.APPROVED


def test_steps_answer_only_to_post(client, member, deputy, leader):
    commendation = propose(member, person=deputy)
    client.force_login(leader)
    assert client.get(reverse("evaluations:commendation_action", args=[commendation.pk, "review"])).status_code == 405


# --- the proposal form ------------------------------------------------------------------------------


def test_the_proposal_form_lists_visible_incidents_of_the_last_two_years(client, member, staff, category):
    incident = file_incident(staff, category)
    old = file_incident(staff, category)
    past = timezone.now() - timedelta(days=800)
    type(old).objects.filter(pk=old.pk).update(occurred_at=past, detected_at=past)
    client.force_login(member)
    page = client.get(reverse("evaluations:propose")).content.decode()
    label = f"{incident.reference} · {category.name} · {timezone.localtime(incident.occurred_at):%d/%m/%Y}"
    assert label in page
    assert old.reference not in page


def test_proposing_through_the_form(client, member, deputy, leader, staff, category):
    in_english(member)
    incident = file_incident(staff, category)
    client.force_login(member)
    response = client.post(
        reverse("evaluations:propose"),
        {
            "year": timezone.localdate().year,
            "kind": "ad_hoc",
            "form": "chief_certificate",
            "person": deputy.pk,
            "collective": "",
            "achievement": "Phát hiện và ngăn chặn kẻ gian đột nhập kho lưu trữ.",
            "incidents": [incident.pk],
        },
        follow=True,
    )
    commendation = Commendation.objects.get()
    assert response.redirect_chain[-1][0] == commendation.get_absolute_url()
    assert messages_of(response) == [
        "Proposed Trần Thị Lan for a Certificate of commendation of the Chief of Office. The team leader has been told."
    ]
    assert list(commendation.incidents.all()) == [incident]
    assert commendation.proposed_by == member


def test_when_the_leader_proposes_the_chief_is_told(client, leader, member, chief):
    in_english(leader)
    client.force_login(leader)
    data = {"year": timezone.localdate().year, "kind": "regular", "form": "province_merit", "person": member.pk}
    response = client.post(reverse("evaluations:propose"), {**data, "achievement": "Cả năm xuất sắc."}, follow=True)
    assert messages_of(response) == [
        "Proposed Lê Anh Tuấn for a Certificate of merit of the provincial People's Committee. "
        "The Chief of Office has been told."
    ]
    assert chief.notifications.filter(kind="evaluations.commendation_proposed").count() == 1


@pytest.mark.parametrize(
    ("person", "collective", "field", "message"),
    [
        (True, "Tổ bảo vệ", "collective", services.NOMINEE_TWICE),
        (False, "", "person", services.NOMINEE_MISSING),
    ],
)
def test_the_form_asks_for_exactly_one_nominee(client, member, deputy, person, collective, field, message):
    in_english(member)
    client.force_login(member)
    response = client.post(
        reverse("evaluations:propose"),
        {
            "year": timezone.localdate().year,
            "kind": "regular",
            "form": "chief_certificate",
            "person": deputy.pk if person else "",
            "collective": collective,
            "achievement": "Hoàn thành xuất sắc nhiệm vụ.",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [str(message)]
    assert str(message) in response.content.decode()
    assert not Commendation.objects.exists()


def test_the_form_refuses_bad_input_without_an_error_page(client, member, leader, deputy):
    in_english(member)
    evaluation = start_year(year=timezone.localdate().year, actor=leader)
    client.force_login(member)
    response = client.post(
        reverse("evaluations:propose"),
        {
            "year": timezone.localdate().year - 1,
            "kind": "nonsense",
            "form": "chief_certificate",
            "person": deputy.pk,
            "achievement": "",
            "incidents": ["999999", "x"],
            "evaluation": evaluation.pk,
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"kind", "achievement", "incidents", "evaluation"} <= set(errors)
    assert not Commendation.objects.exists()


# --- queries ---------------------------------------------------------------------------------------


def count_queries(client, url, params=None) -> int:
    client.get(url, params)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


def test_register_and_detail_queries_do_not_grow_with_the_data(client, member, deputy, staff, category):
    client.force_login(member)
    for n in range(3):
        add(member, person=deputy, achievement=f"Thành tích {n}", status=C.DECIDED, decision_number=f"{n}/QĐ-VP")
    few = count_queries(client, REGISTER), count_queries(client, REGISTER, {"q": "thanh tich"})
    one = propose(member, person=deputy, incidents=[file_incident(staff, category)])
    small_detail = count_queries(client, one.get_absolute_url())
    small_form = count_queries(client, reverse("evaluations:propose"))
    for n in range(37):
        add(member, person=staff if n % 2 else deputy, achievement=f"Thành tích {n}", reviewed_by=member)
    many = count_queries(client, REGISTER), count_queries(client, REGISTER, {"q": "thanh tich"})
    ten = propose(member, collective="Tổ", incidents=[file_incident(staff, category) for _ in range(10)])
    big_detail = count_queries(client, ten.get_absolute_url())
    big_form = count_queries(client, reverse("evaluations:propose"))  # 11 incidents to choose from
    assert Commendation.objects.count() == 42
    # Register: session, user, roles, unread badge, the years, the count, the page (+1: the search's candidates).
    assert few == many
    assert few[0] <= 7
    # Detail: session, user, roles, unread badge, the commendation, its incidents, its campaigns.
    assert small_detail == big_detail
    # Form: session, user, roles, unread badge, the team, people, incidents, campaigns, evaluations.
    assert small_form == big_form
