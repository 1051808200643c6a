"""The administrator changes the team leader (or deputy) in one step under one decision, and every page of
the team says so while the team has nobody in that seat."""

from datetime import date

import pytest
from django.urls import reverse

from notifications.models import Notification
from team import services
from team.models import Decision, Membership
from tests.conftest import appoint


def appoint_page(team):
    return reverse("admin:team_team_appoint", args=[team.pk])


def decision_fields(**overrides):
    return {
        "decision_number": "45/QĐ-VP",
        "signed_on": "01/12/2026",
        "signer_name": "Nguyễn Quốc Hùng",
        "signer_title": "Chánh Văn phòng",
        "start_date": "02/12/2026",
        **overrides,
    }


def active(team, role):
    return Membership.objects.active().filter(team=team, role=role).select_related("user").first()


def test_the_administrator_appoints_a_new_leader_in_one_step(client, admin_user, full_team, leader, make_user):
    newcomer = make_user("Đỗ Văn Nam")
    old = Membership.objects.get(user=leader)
    client.force_login(admin_user)
    response = client.post(
        appoint_page(full_team), {"role": "leader", "person": newcomer.pk, **decision_fields()}, follow=True
    )
    decision = Decision.objects.get(number="45/QĐ-VP")
    old.refresh_from_db()
    assert old.end_date == date(2026, 12, 2) and old.relieved_by == decision
    new = active(full_team, Membership.Role.LEADER)
    assert new.user == newcomer and new.start_date == date(2026, 12, 2) and new.appointed_by == decision
    assert not Membership.objects.active().filter(user=leader).exists()  # left the team
    assert Notification.objects.filter(recipient=leader, kind="team.membership_ended").exists()
    assert Notification.objects.filter(recipient=newcomer, kind="team.membership_added").exists()
    assert response.redirect_chain[-1][0] == reverse("admin:team_team_change", args=[full_team.pk])


def test_the_success_message_names_both_people_and_the_decision(client, admin_user, team, leader, make_user):
    newcomer = make_user("Đỗ Văn Nam")
    client.force_login(admin_user)
    form = {"role": "leader", "person": newcomer.pk, **decision_fields()}
    response = client.post(appoint_page(team), form, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Đã bổ nhiệm đ/c Đỗ Văn Nam làm Tổ trưởng theo Quyết định số 45/QĐ-VP ngày 01/12/2026. "
        "Đ/c Hoàng Văn Minh thôi làm Tổ trưởng từ ngày 02/12/2026.",
        # The team has had no deputy all along in this test.
        "Tổ bảo vệ an ninh, trật tự cơ quan hiện không có Tổ phó: không có người thay Tổ trưởng khi vắng mặt.",
    ]


def test_the_previous_leader_may_stay_as_a_member(client, admin_user, team, leader, make_user):
    newcomer = make_user("Đỗ Văn Nam")
    client.force_login(admin_user)
    client.post(
        appoint_page(team),
        {"role": "leader", "person": newcomer.pk, "previous_holder_stays": "on", **decision_fields()},
    )
    stays = Membership.objects.active().get(user=leader)
    assert stays.role == Membership.Role.MEMBER and stays.appointed_by.number == "45/QĐ-VP"


def test_promoting_the_deputy_leaves_the_deputy_seat_empty_and_says_so(client, admin_user, team, leader, deputy):
    client.force_login(admin_user)
    form = {"role": "leader", "person": deputy.pk, **decision_fields()}
    response = client.post(appoint_page(team), form, follow=True)
    assert active(team, Membership.Role.LEADER).user == deputy
    assert active(team, Membership.Role.DEPUTY) is None
    assert Membership.objects.active().filter(user=deputy).count() == 1
    assert "không có Tổ phó" in response.content.decode()


def test_a_refused_appointment_changes_nothing(client, admin_user, team, leader, make_user):
    newcomer = make_user("Đỗ Văn Nam")
    client.force_login(admin_user)
    # The leader was appointed on 15/07/2023: a role cannot end before it started.
    response = client.post(
        appoint_page(team), {"role": "leader", "person": newcomer.pk, **decision_fields(start_date="01/01/2020")}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Vui lòng sửa" in page
    assert active(team, Membership.Role.LEADER).user == leader
    assert not Decision.objects.filter(number="45/QĐ-VP").exists()  # one transaction: the decision too


def test_a_full_team_cannot_take_a_newcomer_if_the_old_leader_stays(client, admin_user, full_team, leader, make_user):
    newcomer = make_user("Đỗ Văn Nam")
    client.force_login(admin_user)
    response = client.post(
        appoint_page(full_team),
        {"role": "leader", "person": newcomer.pk, "previous_holder_stays": "on", **decision_fields()},
    )
    assert "Tổ đã có 7 thành viên" in str(response.context["form"].non_field_errors())
    assert active(full_team, Membership.Role.LEADER).user == leader


def test_appointing_the_holder_again_is_refused(client, admin_user, team, leader):
    client.force_login(admin_user)
    response = client.post(appoint_page(team), {"role": "leader", "person": leader.pk, **decision_fields()})
    assert "đã là Tổ trưởng" in response.content.decode()


def test_the_action_on_the_team_list_opens_the_appointment_page(client, admin_user, team):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:team_team_changelist"), {"action": "appoint_command", "_selected_action": [team.pk]}
    )
    assert response.status_code == 302 and response["Location"] == appoint_page(team)


def test_only_the_administrator_opens_the_appointment_page(client, leader, team):
    client.force_login(leader)
    response = client.get(appoint_page(team))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_ending_the_leaders_membership_in_admin_warns_that_the_team_has_no_leader(client, admin_user, team, leader):
    membership = Membership.objects.get(user=leader)
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:team_membership_change", args=[membership.pk]),
        {"team": team.pk, "user": leader.pk, "role": "leader", "start_date": "15/07/2023", "end_date": "30/11/2026"},
        follow=True,
    )
    assert "không có Tổ trưởng" in response.content.decode()


@pytest.mark.parametrize(
    "page", ["admin:team_team_changelist", "admin:team_team_change", "admin:team_membership_changelist"]
)
def test_the_admin_pages_of_the_team_warn_while_it_has_no_leader(client, admin_user, team, deputy, page):
    client.force_login(admin_user)
    url = reverse(page, args=[team.pk]) if page.endswith("_change") else reverse(page)
    text = client.get(url).content.decode()
    assert "không có Tổ trưởng" in text
    assert "không có Tổ phó" not in text


def test_the_team_page_warns_while_the_team_has_no_leader(client, staff, team, deputy, member):
    client.force_login(staff)
    page = client.get(reverse("team:team")).content.decode()
    assert "không có Tổ trưởng" in page
    assert reverse("admin:team_team_appoint", args=[team.pk]) not in page  # staff cannot appoint


def test_the_team_page_shows_the_administrator_where_to_appoint(client, admin_user, team, leader):
    client.force_login(admin_user)
    page = client.get(reverse("team:team")).content.decode()
    assert "không có Tổ phó" in page and "không có Tổ trưởng" not in page
    assert reverse("admin:team_team_appoint", args=[team.pk]) in page


def test_no_warning_while_leader_and_deputy_serve(client, staff, team, leader, deputy):
    client.force_login(staff)
    assert "command-warning" not in client.get(reverse("team:team")).content.decode()


def test_the_service_is_one_transaction(team, leader, make_user):
    from django.core.exceptions import ValidationError

    outsider = make_user("Đỗ Văn Nam")
    other_team = type(team).objects.create(office=team.office, name="Tổ khác", start_date=date(2024, 1, 1))
    appoint(other_team, outsider)
    decision = services.record_decision(
        number="1/QĐ", signed_on=date(2026, 12, 1), signer_name="A", signer_title="", summary="x"
    )
    with pytest.raises(ValidationError):
        services.appoint_to_command(
            team=team,
            role=Membership.Role.LEADER,
            person=outsider,
            start_date=date(2026, 12, 2),
            decision=decision,
            previous_holder_stays=False,
        )
    assert active(team, Membership.Role.LEADER).user == leader


def test_a_promoted_deputy_is_told_once_of_the_new_role(client, admin_user, team, leader, deputy):
    before = Notification.objects.count() and Notification.objects.latest("pk").pk
    client.force_login(admin_user)
    client.post(appoint_page(team), {"role": "leader", "person": deputy.pk, **decision_fields()})
    told = Notification.objects.filter(recipient=deputy, kind__startswith="team.membership_", pk__gt=before)
    assert [notice.kind for notice in told] == ["team.membership_added"]
    assert "Tổ trưởng" in told[0].body and "Trước đó đồng chí là Tổ phó." in told[0].body
    # The leader leaves the team: told that the role ended.
    assert Notification.objects.filter(recipient=leader, kind="team.membership_ended", pk__gt=before).count() == 1


def test_a_previous_leader_who_stays_is_told_once_of_the_member_role(client, admin_user, team, leader, make_user):
    newcomer = make_user("Đỗ Văn Nam")
    before = Notification.objects.count() and Notification.objects.latest("pk").pk
    client.force_login(admin_user)
    client.post(
        appoint_page(team),
        {"role": "leader", "person": newcomer.pk, "previous_holder_stays": "on", **decision_fields()},
    )
    told = Notification.objects.filter(recipient=leader, kind__startswith="team.membership_", pk__gt=before)
    assert [notice.kind for notice in told] == ["team.membership_added"]
    assert "Trước đó đồng chí là Tổ trưởng." in told[0].body
