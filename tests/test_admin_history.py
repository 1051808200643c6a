"""Django admin keeps a history of who changed what on the roster."""

from django.urls import reverse

from team.models import Membership


def test_a_change_in_admin_is_recorded_with_its_author(client, admin_user, team, member):
    membership = Membership.objects.get(user=member)
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:team_membership_change", args=[membership.pk]),
        {"team": team.pk, "user": member.pk, "role": "member", "start_date": "15/07/2023", "end_date": "31/12/2025"},
    )
    assert response.status_code == 302
    latest = membership.history.latest()
    assert latest.history_user == admin_user
    assert latest.end_date.strftime("%d/%m/%Y") == "31/12/2025"
    assert latest.prev_record.end_date is None  # the earlier state is kept

    page = client.get(reverse("admin:team_membership_history", args=[membership.pk])).content.decode()
    assert admin_user.full_name in page or admin_user.username in page


def test_deactivating_a_user_ends_their_session_at_the_next_request(client, staff):
    client.force_login(staff)
    assert client.get(reverse("home")).status_code == 200
    staff.is_active = False
    staff.save()
    assert client.get(reverse("home")).status_code == 302


def test_an_administrator_logs_someone_out_everywhere(client, admin_user, staff, member):
    from django.test import Client

    laptop, phone, colleague = Client(), Client(), Client()
    for browser, person in ((laptop, staff), (phone, staff), (colleague, member)):
        browser.force_login(person)
        assert browser.get(reverse("home")).status_code == 200
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:team_user_changelist"),
        {"action": "end_all_sessions", "_selected_action": [staff.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert laptop.get(reverse("home")).status_code == 302  # back to the login page
    assert phone.get(reverse("home")).status_code == 302
    assert colleague.get(reverse("home")).status_code == 200  # nobody else is affected
