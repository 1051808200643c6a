"""Roles × URLs for the visitors app: who reaches which page, and 404 for everyone else."""

import pytest
from django.urls import reverse

from tests.support.visitors import expected, inside, put_on_duty
from visitors.models import Visit
from visitors.urls import urlpatterns

PERSONAS = ["staff", "member", "deputy", "leader", "chief", "admin_user", "on_duty"]
EVERYONE = set(PERSONAS)
TEAM = {"member", "deputy", "leader", "on_duty"}
KEEPERS = {"deputy", "leader", "on_duty"}  # the member on duty now and the command

# Every visitors URL this file checks; test_url_matrix.py requires every site URL to be listed somewhere.
COVERED = {
    "visitors:gate",
    "visitors:new_arrival",
    "visitors:export",
    "visitors:print",
    "visitors:mine",
    "visitors:register",
    "visitors:detail",
    "visitors:edit",
    "visitors:cancel",
    "visitors:check_in",
    "visitors:check_out",
}


@pytest.fixture
def everyone(request, team, staff, member, deputy, leader, chief, admin_user, make_user):
    from tests.conftest import appoint

    people = {name: request.getfixturevalue(name) for name in PERSONAS if name != "on_duty"}
    people["on_duty"] = make_user("Đinh Văn Trực")
    appoint(team, people["on_duty"])
    put_on_duty(team, people["on_duty"])
    return people


@pytest.fixture
def registration(everyone):
    """Registered by the staff member, who is also the host."""
    return expected(everyone["staff"], host=everyone["staff"])


def pages(registration):
    one = [registration.pk]
    return {
        "visitors:gate": (reverse("visitors:gate"), TEAM),
        "visitors:new_arrival": (reverse("visitors:new_arrival"), KEEPERS),
        "visitors:export": (reverse("visitors:export"), KEEPERS),
        "visitors:print": (reverse("visitors:print"), KEEPERS),
        "visitors:mine": (reverse("visitors:mine"), EVERYONE),
        "visitors:register": (reverse("visitors:register"), EVERYONE),
        "visitors:detail": (reverse("visitors:detail", args=one), TEAM | {"staff"}),
        "visitors:edit": (reverse("visitors:edit", args=one), {"staff"}),
        "visitors:check_in": (reverse("visitors:check_in", args=one), KEEPERS),
    }


def test_the_file_checks_every_visitors_url():
    names = {f"visitors:{pattern.name}" for pattern in urlpatterns}
    assert names == COVERED


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_page_answers_its_readers_and_is_a_404_for_everyone_else(client, everyone, registration, persona):
    client.force_login(everyone[persona])
    for name, (url, readers) in pages(registration).items():
        assert client.get(url).status_code == (200 if persona in readers else 404), name


def test_anonymous_visitors_are_sent_to_the_login_page(client, registration):
    urls = [url for url, _readers in pages(registration).values()]
    urls += [reverse("visitors:cancel", args=[registration.pk]), reverse("visitors:check_out", args=[registration.pk])]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url


def test_actions_take_only_posts(client, everyone, registration):
    client.force_login(everyone["staff"])
    assert client.get(reverse("visitors:cancel", args=[registration.pk])).status_code == 405
    client.force_login(everyone["leader"])
    assert client.get(reverse("visitors:check_out", args=[registration.pk])).status_code == 405


@pytest.mark.parametrize("persona", sorted(EVERYONE - {"staff"}))
def test_only_the_one_who_registered_changes_or_cancels_it(client, everyone, registration, persona):
    client.force_login(everyone[persona])
    edit = client.post(reverse("visitors:edit", args=[registration.pk]), {"visitor_name": "X", "purpose": "X"})
    cancel = client.post(reverse("visitors:cancel", args=[registration.pk]))
    assert (edit.status_code, cancel.status_code) == (404, 404)
    visit = Visit.objects.get(pk=registration.pk)
    assert (visit.visitor_name, visit.cancelled_at) == ("Nguyễn Văn An", None)


def test_the_one_who_registered_cancels_it(client, everyone, registration):
    client.force_login(everyone["staff"])
    assert client.post(reverse("visitors:cancel", args=[registration.pk])).status_code == 302
    assert Visit.objects.get(pk=registration.pk).cancelled_at is not None


@pytest.mark.parametrize("persona", sorted(EVERYONE - KEEPERS))
def test_who_does_not_keep_the_gate_checks_nobody_in_or_out(client, everyone, registration, persona):
    visitor_inside = inside(everyone["leader"])
    client.force_login(everyone[persona])
    check_in = client.post(
        reverse("visitors:check_in", args=[registration.pk]),
        {"visitor_name": "X", "purpose": "X", "id_document_type": "not_checked"},
    )
    new = client.post(
        reverse("visitors:new_arrival"), {"visitor_name": "X", "purpose": "X", "id_document_type": "not_checked"}
    )
    check_out = client.post(reverse("visitors:check_out", args=[visitor_inside.pk]))
    assert (check_in.status_code, new.status_code, check_out.status_code) == (404, 404, 404)
    assert Visit.objects.get(pk=registration.pk).checked_in_at is None
    assert Visit.objects.get(pk=visitor_inside.pk).checked_out_at is None
    assert Visit.objects.count() == 2


@pytest.mark.parametrize("persona", sorted(KEEPERS))
def test_the_keepers_of_the_gate_check_in_and_out(client, everyone, registration, persona):
    client.force_login(everyone[persona])
    response = client.post(
        reverse("visitors:check_in", args=[registration.pk]),
        {"visitor_name": "Nguyễn Văn An", "purpose": "Họp", "id_document_type": "not_checked"},
    )
    assert response.status_code == 302
    assert client.post(reverse("visitors:check_out", args=[registration.pk])).status_code == 302
    visit = Visit.objects.get(pk=registration.pk)
    assert visit.checked_in_by == visit.checked_out_by == everyone[persona]


def test_a_staff_member_never_opens_another_colleagues_visitor(client, everyone, registration, make_user):
    client.force_login(make_user("Cao Thị Mai"))
    assert client.get(reverse("visitors:detail", args=[registration.pk])).status_code == 404
    assert registration.visitor_name not in client.get(reverse("visitors:mine")).content.decode()
    # The host who did not register the visit sees it, and may not change it.
    host = make_user("Vương Văn Chủ")
    visit = expected(everyone["staff"], name="Khách của đ/c Chủ", host=host)
    client.force_login(host)
    assert client.get(reverse("visitors:detail", args=[visit.pk])).status_code == 200
    assert client.get(reverse("visitors:edit", args=[visit.pk])).status_code == 404
