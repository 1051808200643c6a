"""The roster rules hold in forms/admin (with a readable message) and in the database itself."""

import threading
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import translation

from team import services
from team.models import Membership
from team.models.membership import ONE_DEPUTY_MESSAGE, ONE_LEADER_MESSAGE, ONE_ROLE_MESSAGE, team_full_message
from tests.conftest import appoint, requires_postgresql

START = date(2024, 1, 1)


def admin_add_membership(client, team, user, role):
    return client.post(
        reverse("admin:team_membership_add"),
        {"team": team.pk, "user": user.pk, "role": role, "start_date": "01/01/2024"},
    )


# --- one leader, one deputy, one role per person ----------------------------------------


def test_it_refuses_a_second_leader_in_admin_with_a_message(client, admin_user, team, leader, staff):
    client.force_login(admin_user)
    response = admin_add_membership(client, team, staff, Membership.Role.LEADER)
    assert response.status_code == 200  # the form is shown again, not saved
    assert str(ONE_LEADER_MESSAGE) in response.content.decode()
    assert not Membership.objects.filter(user=staff).exists()


def test_it_refuses_a_second_deputy_in_admin_with_a_message(client, admin_user, team, deputy, staff):
    client.force_login(admin_user)
    response = admin_add_membership(client, team, staff, Membership.Role.DEPUTY)
    assert str(ONE_DEPUTY_MESSAGE) in response.content.decode()
    assert not Membership.objects.filter(user=staff).exists()


def test_it_refuses_a_second_active_role_for_one_person_in_admin(client, admin_user, team, member):
    client.force_login(admin_user)
    response = admin_add_membership(client, team, member, Membership.Role.DEPUTY)
    assert str(ONE_ROLE_MESSAGE) in response.content.decode()
    assert Membership.objects.filter(user=member).count() == 1


def test_the_admin_shows_the_messages_in_vietnamese(client, admin_user, team, leader, staff):
    client.force_login(admin_user)
    response = admin_add_membership(client, team, staff, Membership.Role.LEADER)
    with translation.override("vi"):
        vietnamese = str(ONE_LEADER_MESSAGE)
    with translation.override("en"):
        assert vietnamese != str(ONE_LEADER_MESSAGE)  # a real translation exists
    assert vietnamese in response.content.decode()


@pytest.mark.parametrize(
    ("existing_role", "new_role"),
    [(Membership.Role.LEADER, Membership.Role.LEADER), (Membership.Role.DEPUTY, Membership.Role.DEPUTY)],
)
def test_the_database_refuses_a_second_leader_or_deputy(team, make_user, existing_role, new_role):
    appoint(team, make_user(), existing_role)
    # Straight through the ORM, skipping every form and model validation.
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(team=team, user=make_user(), role=new_role, start_date=START)


def test_the_database_refuses_a_second_active_role_for_one_person(team, member):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(team=team, user=member, role=Membership.Role.DEPUTY, start_date=START)


def test_an_ended_membership_stays_as_history_and_frees_the_role(team, leader, make_user):
    old = Membership.objects.get(user=leader)
    services.end_membership(membership=old, end_date=date(2025, 1, 31))
    successor = make_user("Người Kế Nhiệm")
    services.appoint_member(team=team, user=successor, role=Membership.Role.LEADER, start_date=date(2025, 2, 1))
    assert Membership.objects.filter(user=leader, end_date=date(2025, 1, 31)).exists()
    assert Membership.objects.active().get(role=Membership.Role.LEADER).user == successor


def test_the_end_date_cannot_precede_the_start(team, member):
    membership = Membership.objects.get(user=member)
    with pytest.raises(ValidationError):
        services.end_membership(membership=membership, end_date=date(2020, 1, 1))


def test_admin_cannot_delete_a_membership(client, admin_user, team, member):
    client.force_login(admin_user)
    membership = Membership.objects.get(user=member)
    response = client.post(reverse("admin:team_membership_delete", args=[membership.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert Membership.objects.filter(pk=membership.pk).exists()


# --- at most 7 active members ------------------------------------------------------------


def test_it_refuses_an_eighth_member_in_admin_with_a_message(client, admin_user, full_team, staff):
    client.force_login(admin_user)
    response = admin_add_membership(client, full_team, staff, Membership.Role.MEMBER)
    assert response.status_code == 200
    assert team_full_message(7) in response.content.decode()
    assert Membership.objects.active().filter(team=full_team).count() == 7


def test_it_refuses_an_eighth_member_through_the_service(full_team, staff):
    with pytest.raises(ValidationError) as error:
        services.appoint_member(team=full_team, user=staff, role=Membership.Role.MEMBER, start_date=START)
    assert error.value.messages == [team_full_message(7)]


def test_the_limit_is_a_setting(settings, team, leader, member, staff):
    settings.TEAM_MAX_ACTIVE_MEMBERS = 2
    with pytest.raises(ValidationError):
        services.appoint_member(team=team, user=staff, role=Membership.Role.MEMBER, start_date=START)


def test_the_team_inline_refuses_two_new_leaders_in_one_save(client, admin_user, team, make_user):
    """Each row alone passes (nothing is saved yet); the formset sees both."""
    client.force_login(admin_user)
    first, second = make_user(), make_user()
    response = client.post(
        reverse("admin:team_team_change", args=[team.pk]),
        team_change_form(
            team,
            [
                {"user": first.pk, "role": "leader", "start_date": "01/01/2024"},
                {"user": second.pk, "role": "leader", "start_date": "01/01/2024"},
            ],
        ),
    )
    assert response.status_code == 200
    assert str(ONE_LEADER_MESSAGE) in response.content.decode()
    assert not Membership.objects.filter(team=team).exists()


def test_the_team_inline_refuses_an_eighth_member_added_with_others(client, admin_user, team, make_user):
    client.force_login(admin_user)
    rows = [{"user": make_user().pk, "role": "member", "start_date": "01/01/2024"} for _ in range(8)]
    response = client.post(reverse("admin:team_team_change", args=[team.pk]), team_change_form(team, rows))
    assert team_full_message(7) in response.content.decode()
    assert not Membership.objects.filter(team=team).exists()


def team_change_form(team, new_memberships):
    data = {
        "office": team.office_id,
        "name": team.name,
        "abbreviation": team.abbreviation,
        "establishment_decision": team.establishment_decision_id or "",
        "start_date": team.start_date.strftime("%d/%m/%Y"),
        "memberships-TOTAL_FORMS": len(new_memberships),
        "memberships-INITIAL_FORMS": 0,
        "regulations-TOTAL_FORMS": 0,
        "regulations-INITIAL_FORMS": 0,
        "duty_shifts-TOTAL_FORMS": 0,
        "duty_shifts-INITIAL_FORMS": 0,
    }
    for index, row in enumerate(new_memberships):
        for field, value in row.items():
            data[f"memberships-{index}-{field}"] = value
        data[f"memberships-{index}-team"] = team.pk
    return data


# --- two administrators at the same moment (PostgreSQL) -----------------------------------


@requires_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_appointments_cannot_pass_seven(team, leader, deputy, member, make_user):
    """The 7th and 8th member are added at once: the second waits for the first and is refused."""
    for _ in range(3):
        appoint(team, make_user())  # 6 active
    seventh, eighth = make_user(), make_user()
    first_inside = threading.Event()
    release_first = threading.Event()
    outcome = {}

    def add_seventh():
        try:
            with transaction.atomic():
                services.appoint_member(team=team, user=seventh, role="member", start_date=START)
                first_inside.set()
                # Hold the transaction open: without the team row lock, the other thread
                # would count 6 right now and also pass.
                release_first.wait(timeout=10)
            outcome["seventh"] = "saved"
        finally:
            connection.close()  # each thread has its own; leave none open on the test database

    def add_eighth():
        try:
            services.appoint_member(team=team, user=eighth, role="member", start_date=START)
            outcome["eighth"] = "saved"
        except ValidationError as error:
            outcome["eighth"] = error.messages
        finally:
            connection.close()  # each thread has its own; leave none open on the test database

    first = threading.Thread(target=add_seventh)
    first.start()
    assert first_inside.wait(timeout=10)
    second = threading.Thread(target=add_eighth)
    second.start()
    second.join(timeout=1)
    assert second.is_alive(), "the second appointment should be waiting for the team row lock"
    release_first.set()
    first.join(timeout=10)
    second.join(timeout=10)

    assert outcome == {"seventh": "saved", "eighth": [team_full_message(7)]}
    assert Membership.objects.active().filter(team=team).count() == 7


@requires_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_admins_posting_at_once_leave_at_most_seven(team, leader, deputy, member, make_user, admin_user):
    from django.test import Client

    for _ in range(3):
        appoint(team, make_user())  # 6 active
    candidates = [make_user(), make_user()]
    barrier = threading.Barrier(2)
    responses = []

    def post(user):
        client = Client()
        client.force_login(admin_user)
        barrier.wait()
        try:
            responses.append(admin_add_membership(client, team, user, "member"))
        finally:
            connection.close()  # each thread has its own; leave none open on the test database

    threads = [threading.Thread(target=post, args=(user,)) for user in candidates]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(response.status_code for response in responses) == [200, 302]  # one saved, one refused
    refused = next(response for response in responses if response.status_code == 200)
    assert team_full_message(7) in refused.content.decode()
    assert Membership.objects.active().filter(team=team).count() == 7
