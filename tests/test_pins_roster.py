"""The roster rules as an administrator and the people on the roster meet them (issue 13).

A valid roster must be saved as surely as an invalid one is refused; ended memberships are history and
take no place; each appointment, ending and role change tells the person and leaves an audit entry.
Every check re-reads the database.
"""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEntry
from notifications.models import Notification
from team import services
from team.models import Membership
from team.models.membership import (
    END_BEFORE_START_MESSAGE,
    ONE_DEPUTY_MESSAGE,
    ONE_LEADER_MESSAGE,
    ONE_ROLE_MESSAGE,
    active_roster_errors,
    team_full_message,
)
from tests.conftest import appoint
from tests.test_roster_rules import team_change_form

LEADER, DEPUTY, MEMBER = Membership.Role.LEADER, Membership.Role.DEPUTY, Membership.Role.MEMBER
START = "01/01/2024"
ALL_ROSTER_MESSAGES = (ONE_LEADER_MESSAGE, ONE_DEPUTY_MESSAGE, ONE_ROLE_MESSAGE)


def past_membership(team, person, *, end=date(2021, 1, 1)):
    return Membership.objects.create(team=team, user=person, role=MEMBER, start_date=date(2020, 1, 1), end_date=end)


def active_in(team):
    return Membership.objects.active().filter(team=team)


def notices(person, kind):
    return Notification.objects.filter(recipient=person, kind=f"team.membership_{kind}")


def role_changes(membership):
    return list(
        AuditEntry.objects.filter(action=AuditEntry.Action.ROLE_CHANGE, object_id=str(membership.pk))
        .order_by("at", "id")
        .values_list("detail", flat=True)
    )


# --- the team's inline in admin: whole rosters ---------------------------------------------


def row(person, role=MEMBER, start=START, end=""):
    return {"user": person.pk, "role": role, "start_date": start, "end_date": end}


def post_roster(client, admin_user, team, rows):
    client.force_login(admin_user)
    return client.post(reverse("admin:team_team_change", args=[team.pk]), team_change_form(team, rows))


def messages_on(response):
    """Which of the roster messages the page shows."""
    page = response.content.decode()
    candidates = [*ALL_ROSTER_MESSAGES, END_BEFORE_START_MESSAGE, team_full_message(7)]
    return {str(message) for message in candidates if str(message) in page}


def test_the_team_inline_saves_a_full_valid_roster(client, admin_user, team, make_user):
    people = [make_user() for _ in range(7)]
    roles = [LEADER, DEPUTY] + [MEMBER] * 5
    response = post_roster(client, admin_user, team, [row(p, r) for p, r in zip(people, roles, strict=True)])

    assert response.status_code == 302, messages_on(response)
    saved = dict(active_in(team).values_list("user", "role"))
    assert saved == {person.pk: role for person, role in zip(people, roles, strict=True)}
    # Each of the seven is told, once.
    assert Notification.objects.filter(kind="team.membership_added").count() == 7
    assert all(notices(person, "added").count() == 1 for person in people)


@pytest.mark.parametrize(
    ("roles_and_people", "message"),
    [
        # (role, index of the person): index repeats mean the same person twice.
        ([(LEADER, 0), (DEPUTY, 1)] + [(MEMBER, n) for n in range(2, 8)], team_full_message(7)),
        ([(LEADER, 0), (LEADER, 1), (MEMBER, 2)], ONE_LEADER_MESSAGE),
        ([(LEADER, 0), (DEPUTY, 1), (DEPUTY, 2)], ONE_DEPUTY_MESSAGE),
        ([(LEADER, 0), (MEMBER, 1), (MEMBER, 1)], ONE_ROLE_MESSAGE),
        ([(DEPUTY, 0), (LEADER, 0)], ONE_ROLE_MESSAGE),
    ],
    ids=["eighth person", "two leaders", "two deputies", "one person twice", "one person leader and deputy"],
)
def test_the_team_inline_refuses_a_roster_that_breaks_one_rule(
    client, admin_user, team, make_user, roles_and_people, message
):
    people = [make_user() for _ in range(8)]
    rows = [row(people[index], role) for role, index in roles_and_people]
    response = post_roster(client, admin_user, team, rows)

    assert response.status_code == 200
    assert messages_on(response) == {str(message)}  # that rule's message, and no other
    assert not Membership.objects.filter(team=team).exists()


@pytest.mark.parametrize(
    "extra_rows",
    [
        [("staff", MEMBER, "31/12/2024")],  # an eighth person, ended: takes no place
        [("staff", LEADER, "31/12/2024")],  # a former leader besides the current one
        [("staff", DEPUTY, "31/12/2024")],  # a former deputy besides the current one
        [("first", MEMBER, "31/12/2023")],  # the leader's own earlier membership
    ],
    ids=["ended eighth", "ended second leader", "ended second deputy", "same person earlier"],
)
def test_the_team_inline_does_not_count_ended_memberships(client, admin_user, team, make_user, staff, extra_rows):
    people = [make_user() for _ in range(7)]
    roles = [LEADER, DEPUTY] + [MEMBER] * 5
    rows = [row(p, r) for p, r in zip(people, roles, strict=True)]
    named = {"staff": staff, "first": people[0]}
    rows += [row(named[who], role, start="01/01/2023", end=end) for who, role, end in extra_rows]
    response = post_roster(client, admin_user, team, rows)

    assert response.status_code == 302, messages_on(response)
    assert active_in(team).count() == 7
    assert Membership.objects.filter(team=team, end_date__isnull=False).count() == 1


def test_a_membership_may_end_on_the_day_it_starts(client, admin_user, team, staff):
    response = post_roster(client, admin_user, team, [row(staff, start="10/03/2024", end="10/03/2024")])

    assert response.status_code == 302, messages_on(response)
    saved = Membership.objects.get(user=staff)
    assert (saved.start_date, saved.end_date, saved.is_active) == (date(2024, 3, 10), date(2024, 3, 10), False)


def test_a_membership_may_not_end_before_it_starts(client, admin_user, team, staff):
    response = post_roster(client, admin_user, team, [row(staff, start="10/03/2024", end="09/03/2024")])

    assert response.status_code == 200
    assert messages_on(response) == {str(END_BEFORE_START_MESSAGE)}
    assert not Membership.objects.filter(user=staff).exists()


def test_the_inline_reports_every_broken_rule_at_once(english_text):
    rows = [(1, LEADER), (2, LEADER), (3, DEPUTY), (4, DEPUTY), (4, MEMBER)] + [(n, MEMBER) for n in range(5, 9)]
    assert active_roster_errors(rows) == [
        ONE_LEADER_MESSAGE,
        ONE_DEPUTY_MESSAGE,
        ONE_ROLE_MESSAGE,
        "The team already has 7 active members, the most allowed. End a membership first.",
    ]


def test_a_valid_roster_has_no_errors():
    assert active_roster_errors([(1, LEADER), (2, DEPUTY)] + [(n, MEMBER) for n in range(3, 8)]) == []


# --- the limit, one appointment at a time ----------------------------------------------------


@pytest.mark.parametrize("limit", [1, 3, 7])
def test_the_team_takes_members_up_to_the_limit_and_not_one_more(settings, team, make_user, limit):
    settings.TEAM_MAX_ACTIVE_MEMBERS = limit
    for _ in range(limit):
        appoint(team, make_user())
    assert active_in(team).count() == limit

    one_too_many = make_user()
    with pytest.raises(ValidationError) as refused:
        appoint(team, one_too_many)
    assert refused.value.messages == [team_full_message(limit)]
    assert not Membership.objects.filter(user=one_too_many).exists()
    assert active_in(team).count() == limit


@pytest.mark.parametrize(
    ("limit", "text"),
    [
        (1, "The team already has 1 active member, the most allowed. End a membership first."),
        (7, "The team already has 7 active members, the most allowed. End a membership first."),
    ],
)
def test_the_team_full_message_reads_right(english_text, limit, text):
    assert team_full_message(limit) == text


def test_ending_a_membership_frees_its_place(full_team, member, staff):
    services.end_membership(membership=member.memberships.get(), end_date=date(2025, 6, 30))
    appoint(full_team, staff)
    assert active_in(full_team).count() == 7
    assert set(active_in(full_team).values_list("user", flat=True)) >= {staff.pk}
    assert not active_in(full_team).filter(user=member).exists()


def membership_change_form(membership, **changes):
    data = {
        "team": membership.team_id,
        "user": membership.user_id,
        "role": membership.role,
        "start_date": membership.start_date.strftime("%d/%m/%Y"),
        "end_date": membership.end_date.strftime("%d/%m/%Y") if membership.end_date else "",
    }
    return data | changes


def test_correcting_a_member_of_a_full_team_is_not_refused_as_an_eighth(client, admin_user, full_team, member):
    """The member being edited is one of the seven, not one more."""
    membership = member.memberships.get()
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:team_membership_change", args=[membership.pk]),
        membership_change_form(membership, start_date="01/08/2023"),
    )
    assert response.status_code == 302, messages_on(response)
    membership.refresh_from_db()
    assert membership.start_date == date(2023, 8, 1)


def test_correcting_an_old_membership_while_the_team_is_full_is_accepted(client, admin_user, full_team, staff):
    """A past membership takes no place, so editing it must not be refused because the team is full."""
    old = past_membership(full_team, staff)
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:team_membership_change", args=[old.pk]),
        membership_change_form(old, end_date="31/03/2021"),
    )
    assert response.status_code == 302, messages_on(response)
    old.refresh_from_db()
    assert old.end_date == date(2021, 3, 31)
    assert active_in(full_team).count() == 7


# --- active means "not ended" ----------------------------------------------------------------


def test_only_memberships_without_an_end_date_are_active(team, leader, member, staff):
    services.end_membership(membership=member.memberships.get(), end_date=date(2024, 5, 31))
    past_membership(team, staff, end=date(2030, 1, 1))  # ending later still counts as ended

    assert list(Membership.objects.active().values_list("user", flat=True)) == [leader.pk]
    by_person = {m.user_id: m.is_active for m in Membership.objects.all()}
    assert by_person == {leader.pk: True, member.pk: False, staff.pk: False}


def test_the_team_page_lists_the_roster_leader_first_then_deputy_then_members_by_name(client, staff, team, make_user):
    # Appointed out of order, names chosen so neither appointment order nor name order gives the roster order.
    appoint(team, make_user("Bùi Văn Bình"))
    appoint(team, make_user("Vũ Thị Yến"), DEPUTY)
    appoint(team, make_user("An Văn Anh"))
    appoint(team, make_user("Xa Văn Xuân"), LEADER)
    former = make_user("Đỗ Văn Cựu")
    services.end_membership(membership=appoint(team, former), end_date=date(2024, 1, 31))

    client.force_login(staff)
    response = client.get(reverse("team:team"))
    shown = [membership.user.full_name for membership in response.context["roster"]]
    assert shown == ["Xa Văn Xuân", "Vũ Thị Yến", "An Văn Anh", "Bùi Văn Bình"]
    page = response.content.decode()
    assert former.full_name not in page
    assert page.index("Xa Văn Xuân") < page.index("Vũ Thị Yến") < page.index("An Văn Anh") < page.index("Bùi Văn Bình")


# --- what saving tells the person and the audit log -----------------------------------------


def test_an_appointment_tells_the_person_and_is_audited(english_text, team, staff):
    membership = appoint(team, staff, DEPUTY)

    assert notices(staff, "added").count() == 1
    assert not notices(staff, "ended").exists()
    assert role_changes(membership) == ["appointed deputy from 15/07/2023"]


def test_ending_tells_the_person_once_and_is_audited_once(english_text, team, member):
    membership = member.memberships.get()
    services.end_membership(membership=membership, end_date=date(2026, 1, 31))

    assert notices(member, "ended").count() == 1
    assert "31/01/2026" in notices(member, "ended").get().body
    assert role_changes(membership)[1:] == ["ended member on 31/01/2026"]

    membership.refresh_from_db()
    membership.save()  # saving an ended membership again: nothing happened to the person
    assert notices(member, "ended").count() == 1
    assert role_changes(membership)[1:] == ["ended member on 31/01/2026"]


def test_entering_a_past_membership_as_history_tells_nobody(client, admin_user, team, staff):
    """An administrator recording who served before: the person is neither "added" nor "ended" today."""
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:team_membership_add"),
        {"team": team.pk, "user": staff.pk, "role": MEMBER, "start_date": "01/01/2020", "end_date": "31/12/2020"},
    )
    assert response.status_code == 302, messages_on(response)
    assert Membership.objects.get(user=staff).end_date == date(2020, 12, 31)
    assert not Notification.objects.filter(recipient=staff).exists()


def test_a_role_change_is_audited_without_telling_anyone_added_or_ended(english_text, team, member):
    membership = member.memberships.get()
    membership.role = DEPUTY
    membership.full_clean()
    membership.save()

    assert role_changes(membership)[1:] == ["role member -> deputy"]
    assert not notices(member, "ended").exists()
    assert notices(member, "added").count() == 1  # the one from the appointment
    assert Membership.objects.get(pk=membership.pk).role == DEPUTY


def test_a_correction_that_changes_neither_role_nor_end_is_not_a_role_change(english_text, team, member):
    membership = member.memberships.get()
    membership.start_date = date(2023, 8, 1)
    membership.save()

    assert role_changes(membership) == ["appointed member from 15/07/2023"]
    assert Membership.objects.get(pk=membership.pk).start_date == date(2023, 8, 1)


def test_ending_does_not_undo_what_another_administrator_saved_meanwhile(team, member):
    """Two administrators have the same membership open: one corrects the start date, the other ends it."""
    ending = member.memberships.get()
    correcting = Membership.objects.get(pk=ending.pk)
    correcting.start_date = date(2023, 8, 1)
    correcting.save()

    services.end_membership(membership=ending, end_date=date(2026, 1, 31))

    saved = Membership.objects.get(pk=ending.pk)
    assert (saved.start_date, saved.end_date) == (date(2023, 8, 1), date(2026, 1, 31))
