"""The inbox: own notifications only, the unread badge, reading, settings."""

import re

import pytest
from django.urls import reverse

from notifications.models import Notification
from notifications.services import notify

pytestmark = pytest.mark.django_db


def tell(user, n=1, url="/team/"):
    for _ in range(n):
        notify(
            recipient=user,
            kind="team.membership_added",
            context={"membership": user.memberships.first(), "team": None},
            url=url,
        )


def badge(page: str) -> int:
    match = re.search(r'data-testid="unread-badge"[^>]*>(\d+)<', page)
    return int(match.group(1)) if match else 0


def test_a_user_sees_only_his_own_notifications(client, member, staff):
    tell(staff, 2)
    client.force_login(member)
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert page.count('data-testid="notification"') == Notification.objects.filter(recipient=member).count() == 1


def test_another_persons_notification_is_a_404_and_stays_unread(client, member, staff):
    tell(staff)
    theirs = Notification.objects.filter(recipient=staff).first()
    client.force_login(member)
    assert client.get(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_badge_counts_unread_and_opening_one_lowers_it(client, staff):
    tell(staff, 3)
    client.force_login(staff)
    assert badge(client.get(reverse("home")).content.decode()) == 3
    first = Notification.objects.filter(recipient=staff).first()
    response = client.get(reverse("notifications:open", args=[first.pk]))
    assert response.status_code == 302 and response["Location"] == "/team/"
    assert badge(client.get(reverse("home")).content.decode()) == 2


def test_mark_all_read(client, staff):
    tell(staff, 4)
    client.force_login(staff)
    assert client.get(reverse("notifications:mark_all_read")).status_code == 405
    client.post(reverse("notifications:mark_all_read"))
    assert badge(client.get(reverse("home")).content.decode()) == 0
    assert not Notification.objects.filter(recipient=staff, read_at__isnull=True).exists()


def test_an_external_link_is_not_followed(client, staff):
    tell(staff, url="https://evil.example/phish")
    client.force_login(staff)
    response = client.get(reverse("notifications:open", args=[Notification.objects.get(recipient=staff).pk]))
    assert response["Location"] == reverse("notifications:inbox")


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_inbox_runs_a_constant_number_of_queries(client, staff, member, leader, chief, category, language):
    """Notifications as the office gets them: about incidents in rooms of buildings, with confidential
    and outside reporters, of several kinds, read and unread, in the reader's language."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.support import realistic

    leader.language = language
    leader.save()
    places = realistic.places("Nhà A")
    incidents = realistic.stream(
        6, staff=[staff], member=member, leader=leader, chief=chief, category=category, places=places
    )
    client.force_login(leader)
    client.get(reverse("notifications:inbox"))
    counts = []
    for extra in (3, 60):
        realistic.inbox(leader, incidents * (extra // len(incidents) + 1))
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("notifications:inbox")).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
    # session, user, roles, unread badge, the page's count and its rows
    assert counts[1] <= 6


def test_the_inbox_is_paginated(client, staff):
    tell(staff, 25)
    client.force_login(staff)
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert page.count('data-testid="notification"') == 20
    second = client.get(reverse("notifications:inbox") + "?page=2").content.decode()
    assert second.count('data-testid="notification"') == 5
    assert client.get(reverse("notifications:inbox") + "?page=abc").status_code == 200


def test_preferences_are_saved_and_critical_kinds_stay_locked(client, staff):
    client.force_login(staff)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert 'value="team.duty_reminder:email"' in page
    response = client.post(reverse("notifications:preferences"), {"on": ["team.duty_reminder:in_app"]})
    assert response.status_code == 302
    from notifications.models import Preference

    assert Preference.objects.get(user=staff, kind="team.duty_reminder", channel="email").enabled is False
    assert Preference.objects.get(user=staff, kind="team.duty_reminder", channel="in_app").enabled is True
    # Junk in the form is ignored, not a 500.
    assert client.post(reverse("notifications:preferences"), {"on": ["nonsense", "x:y:z"]}).status_code == 302
