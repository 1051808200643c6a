"""Roles follow from memberships and positions; core.access answers from them."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured, PermissionDenied

from core import access
from team import services
from team.models import DutyShift, Membership, User
from team.roles import Role, forget_roles, roles_of


def test_staff_hold_only_the_staff_role(staff):
    assert roles_of(staff) == {Role.STAFF}


def test_a_team_member_is_staff_and_team_member(member):
    assert roles_of(member) == {Role.STAFF, Role.TEAM_MEMBER}


def test_the_deputy_team_leader(deputy):
    assert roles_of(deputy) == {Role.STAFF, Role.TEAM_MEMBER, Role.DEPUTY_TEAM_LEADER}


def test_the_team_leader_who_is_a_deputy_chief_is_also_leadership(leader):
    assert roles_of(leader) == {Role.STAFF, Role.TEAM_MEMBER, Role.TEAM_LEADER, Role.LEADERSHIP}


def test_the_chief_of_office_is_leadership(chief):
    assert roles_of(chief) == {Role.STAFF, Role.LEADERSHIP}


def test_the_administrator(admin_user):
    assert Role.ADMIN in roles_of(admin_user)


def test_ending_a_membership_removes_the_team_roles(leader):
    services.end_membership(membership=Membership.objects.get(user=leader), end_date=date(2025, 1, 1))
    fresh = User.objects.get(pk=leader.pk)
    assert roles_of(fresh) == {Role.STAFF, Role.LEADERSHIP}


def test_roles_are_cached_for_the_request(member, django_assert_num_queries):
    forget_roles(member)
    with django_assert_num_queries(1):
        roles_of(member)
        roles_of(member)


def test_anonymous_and_deactivated_users_hold_no_role(staff):
    assert roles_of(AnonymousUser()) == frozenset()
    staff.is_active = False
    forget_roles(staff)
    assert roles_of(staff) == frozenset()


@pytest.mark.parametrize(
    ("persona", "view", "manage_roster", "manage_duty"),
    [
        ("staff", True, False, False),
        ("member", True, False, False),
        ("deputy", True, False, False),
        ("leader", True, False, False),
        ("chief", True, False, False),
        ("admin_user", True, True, True),
    ],
)
def test_what_each_role_may_do(request, persona, view, manage_roster, manage_duty):
    user = request.getfixturevalue(persona)
    assert access.can(user, "team.view") is view
    assert access.can(user, "team.manage_roster") is manage_roster
    assert access.can(user, "team.manage_duty") is manage_duty


@pytest.mark.parametrize(
    ("persona", "sees"),
    [("staff", False), ("member", False), ("deputy", True), ("leader", True), ("chief", True), ("admin_user", True)],
)
def test_who_sees_the_dashboard(request, persona, sees):
    assert access.can(request.getfixturevalue(persona), "dashboard.view") is sees


def test_anonymous_may_do_nothing(db):
    for action in access.registered_actions():
        assert access.can(AnonymousUser(), action) is False


def test_require_raises_permission_denied(staff):
    with pytest.raises(PermissionDenied):
        access.require(staff, "team.manage_roster")


def test_an_unregistered_action_is_a_programming_error_not_a_yes(staff):
    with pytest.raises(ImproperlyConfigured):
        access.can(staff, "team.launch_rockets")


def test_visibility_scopes(staff, member):
    assert list(access.visible(staff, Membership.objects.all())) == list(Membership.objects.all())
    assert access.visible(AnonymousUser(), Membership.objects.all()).count() == 0
    assert access.visible(AnonymousUser(), DutyShift.objects.all()).count() == 0


def test_deactivated_staff_are_invisible_in_user_lists(staff, member):
    staff.is_active = False
    staff.save()
    assert staff not in access.visible(member, User.objects.all())
