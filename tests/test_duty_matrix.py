"""Roles × URLs for the duty logbook and handover: the shift's people, the command, and everyone else (404)."""

import pytest
from django.urls import reverse

PERSONAS = ["staff", "member", "deputy", "leader", "chief", "admin_user"]

# Every duty URL this file checks; test_url_matrix.py requires every site URL to be listed somewhere.
COVERED = {"duty:my_shift"}


@pytest.fixture
def everyone(request, team, staff, member, deputy, leader, chief, admin_user):
    return {name: request.getfixturevalue(name) for name in PERSONAS}


@pytest.mark.parametrize("persona", PERSONAS)
def test_my_shift_is_for_the_team(client, everyone, persona):
    client.force_login(everyone[persona])
    sees = persona in ("member", "deputy", "leader")  # staff, the leadership and the administrator: 404
    assert client.get(reverse("duty:my_shift")).status_code == (200 if sees else 404)
