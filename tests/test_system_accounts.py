"""System accounts (the administrator's "Quản trị hệ thống") are no staff members: never invited to a campaign,
never counted in the TT 124 coverage, never offered in a people picker, never on the team or on duty."""

import importlib
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from campaigns import coverage, services
from campaigns.forms import SessionForm
from campaigns.models import Audience, Participant, Session
from evaluations.forms.cycle import staff_choices
from incidents.forms import AssignForm
from team import services as team_services
from team.forms import AppointCommandForm
from team.models import Membership, User
from tests.support.campaigns import campaign_of, rules_material


@pytest.fixture
def system_admin(make_user):
    return make_user("Quản trị hệ thống", is_staff=True, username="sysadmin", is_system_account=True)


@pytest.fixture
def campaign(member):
    campaign = campaign_of(member)
    rules_material(campaign)
    return campaign


def test_people_are_the_active_staff_without_system_accounts(system_admin, staff, make_user):
    gone = make_user("Người Đã Nghỉ", is_active=False)
    people = set(User.objects.people())
    assert staff in people
    assert system_admin not in people
    assert gone not in people


@pytest.mark.parametrize("audience", [Audience.ALL_STAFF, Audience.PEOPLE, Audience.TEAM])
def test_a_system_account_is_never_invited(campaign, system_admin, staff, leader, audience):
    campaign.audience = audience
    campaign.save()
    campaign.people.set([system_admin, staff])
    services.schedule(campaign)
    invited = set(campaign.participants.values_list("user__username", flat=True))
    assert system_admin.username not in invited
    assert invited  # somebody else was


def test_everyone_briefed_is_100_percent_for_the_year(campaign, system_admin, staff, member, leader, client):
    services.schedule(campaign)
    campaign.participants.update(acknowledged_at=timezone.now())
    year = timezone.localdate().year
    figures = coverage.year_figures(year)
    assert (figures.briefed, figures.staff, figures.percent) == (3, 3, 100.0)
    assert system_admin not in coverage.year_missing(year)

    client.force_login(leader)
    page = client.get(reverse("campaigns:year_coverage", args=[year])).content.decode()
    assert "100,0%" in page
    assert "Quản trị hệ thống" not in page


def test_the_evaluation_window_counts_people_only(campaign, system_admin, staff, member):
    services.schedule(campaign)
    campaign.participants.update(acknowledged_at=timezone.now())
    start = timezone.now() - timedelta(days=1)
    figures = coverage.window_figures(start, start + timedelta(days=2), timezone.localdate())
    assert (figures.briefed, figures.staff, figures.percent) == (2, 2, 100.0)


def test_an_account_flagged_after_the_invitation_drops_out_of_the_figures_and_the_sheet(
    campaign, make_user, staff, member, client
):
    later_flagged = make_user("Tài khoản Kỹ thuật")
    services.schedule(campaign)
    assert coverage.campaign_figures(campaign).invited == 3
    later_flagged.is_system_account = True
    later_flagged.save()
    Participant.objects.filter(user=staff).update(acknowledged_at=timezone.now())
    Participant.objects.filter(user=member).update(acknowledged_at=timezone.now())

    figures = coverage.campaign_figures(campaign)
    assert (figures.reached, figures.invited, figures.percent) == (2, 2, 100.0)
    assert later_flagged.pk not in {entry.user_id for entry in coverage.missing_people(campaign)}
    assert sum(row.invited for _name, row in coverage.by_department(campaign)) == 2
    session = Session.objects.create(
        campaign=campaign, starts_at=timezone.now(), ends_at=timezone.now() + timedelta(hours=1)
    )
    client.force_login(member)
    sheet = client.get(reverse("campaigns:session_sheet", args=[session.pk])).content.decode()
    assert staff.full_name in sheet
    assert "Tài khoản Kỹ thuật" not in sheet
    export = client.get(reverse("campaigns:export", args=[campaign.pk, "csv"])).content.decode()
    assert "Tài khoản Kỹ thuật" not in export


def test_no_people_picker_offers_a_system_account(system_admin, staff, member, client):
    client.force_login(member)
    form = client.get(reverse("campaigns:new")).content.decode()
    assert staff.full_name in form
    assert "Quản trị hệ thống" not in form
    assert system_admin not in AssignForm().fields["assignee"].queryset
    assert system_admin not in SessionForm().fields["presenter"].queryset
    assert staff in SessionForm().fields["presenter"].queryset
    assert system_admin not in staff_choices()
    assert system_admin not in AppointCommandForm().fields["person"].queryset


def test_a_system_account_cannot_join_the_team_so_never_takes_a_duty(team, system_admin, leader):
    with pytest.raises(ValidationError) as refused:
        team_services.appoint_member(team=team, user=system_admin, role=Membership.Role.MEMBER, start_date=date.today())
    assert "Quản trị hệ thống là tài khoản hệ thống" in " ".join(refused.value.messages)


def test_a_role_held_before_the_flag_can_still_be_ended(team, member):
    membership = Membership.objects.get(user=member)
    member.is_system_account = True
    member.save()
    team_services.end_membership(membership=membership, end_date=date.today())
    assert not Membership.objects.active().filter(user=member).exists()


def test_the_roster_pickers_in_admin_leave_system_accounts_out(admin_user, system_admin, staff, client):
    client.force_login(admin_user)
    for model_name, field_name in (("membership", "user"), ("dutyshift", "member"), ("dutyshift", "backup")):
        found = client.get(
            reverse("admin:autocomplete"),
            {"app_label": "team", "model_name": model_name, "field_name": field_name, "term": ""},
        ).json()
        offered = {row["id"] for row in found["results"]}
        assert str(staff.pk) in offered, model_name
        assert str(system_admin.pk) not in offered, model_name


def test_the_flag_is_set_in_admin(admin_user, staff, client):
    client.force_login(admin_user)
    page = client.get(reverse("admin:team_user_change", args=[staff.pk])).content.decode()
    assert "Tài khoản hệ thống (không phải cán bộ)" in page


def test_the_migration_marks_the_demo_administrator(make_user):
    demo_admin = make_user("Quản trị hệ thống", username="admin", is_staff=True)
    namesake = make_user("Quản trị hệ thống", username="qtht")
    migration = importlib.import_module("team.migrations.0004_user_is_system_account")
    migration.mark_demo_admin(apps, None)
    demo_admin.refresh_from_db()
    namesake.refresh_from_db()
    assert demo_admin.is_system_account
    assert not namesake.is_system_account


def test_the_demo_administrator_is_a_system_account(db):
    from team.demo import seed

    seed()
    assert User.objects.get(username="admin").is_system_account
    assert User.objects.filter(is_system_account=True).count() == 1


def test_a_team_member_flagged_later_is_no_longer_offered_to_assign(member, leader):
    member.is_system_account = True
    member.save()
    assignees = set(AssignForm().fields["assignee"].queryset)
    assert leader in assignees
    assert member not in assignees
