"""People are listed the way Vietnamese offices list them: by given name, then family and middle names, in the
Vietnamese alphabet (Đ after D, not after V), tones deciding only between otherwise equal names."""

import pytest
from django.urls import reverse

from core.names import name_sort_key
from team.models import Membership, User
from tests.conftest import appoint


def in_office_order(names):
    return sorted(names, key=name_sort_key)


def test_given_name_first_then_family_then_middle():
    assert in_office_order(["Trần Văn Bình", "Nguyễn Thị An", "Lê Văn Bình", "Lê Anh Bình"]) == [
        "Nguyễn Thị An",
        "Lê Anh Bình",
        "Lê Văn Bình",
        "Trần Văn Bình",
    ]


def test_the_vietnamese_alphabet_not_code_points():
    # Code points put Đ after Y and Ư after Y; the alphabet puts them after D and U.
    given = ["Yến", "Đông", "Dũng", "Ân", "Ăn", "An", "Ưng", "Uyên", "Ơn", "Ôn", "On", "Ê", "E"]
    ordered = [name.split()[-1] for name in in_office_order([f"Lê Văn {g}" for g in given])]
    assert ordered == ["An", "Ăn", "Ân", "Dũng", "Đông", "E", "Ê", "On", "Ôn", "Ơn", "Uyên", "Ưng", "Yến"]


def test_tones_decide_only_between_the_same_letters():
    names = ["Lê Thị Ánh", "Lê Thị Ạnh", "Lê Thị Anh", "Lê Thị Ảnh", "Lê Thị Ãnh", "Lê Thị Ao", "Lê Thị Ành"]
    assert in_office_order(names) == [
        "Lê Thị Anh",
        "Lê Thị Ành",
        "Lê Thị Ảnh",
        "Lê Thị Ãnh",
        "Lê Thị Ánh",
        "Lê Thị Ạnh",
        "Lê Thị Ao",  # a different letter beats any tone
    ]


def test_the_same_name_written_composed_or_decomposed_sorts_the_same():
    import unicodedata

    assert name_sort_key(unicodedata.normalize("NFD", "Đặng Thị Thu")) == name_sort_key("Đặng Thị Thu")


PEOPLE = ["Vũ Thị Yến", "Đặng Thị Thu", "Nguyễn Văn An", "Trần Văn Đức", "Lê Văn Dũng", "Phạm Thị Ánh"]
OFFICE_ORDER = ["Nguyễn Văn An", "Phạm Thị Ánh", "Lê Văn Dũng", "Trần Văn Đức", "Đặng Thị Thu", "Vũ Thị Yến"]


@pytest.fixture
def people(make_user):
    return [make_user(name) for name in PEOPLE]


def test_the_database_orders_people_the_same_way(people):
    # The stored key: so ORDER BY gives office order on PostgreSQL and SQLite alike.
    names = list(User.objects.filter(pk__in=[p.pk for p in people]).values_list("full_name", flat=True))
    assert names == OFFICE_ORDER


def test_renaming_someone_moves_them(people):
    person = User.objects.get(full_name="Vũ Thị Yến")
    person.full_name = "Vũ Thị Ái"
    person.save(update_fields=["full_name"])
    first = User.objects.filter(pk__in=[p.pk for p in people]).first()
    assert first.full_name == "Vũ Thị Ái" and first.pk == person.pk


def test_the_team_page_lists_members_in_office_order(client, team, leader, people):
    for person in people:
        appoint(team, person)
    client.force_login(leader)
    page = client.get(reverse("team:team")).content.decode()
    positions = [page.index(name) for name in OFFICE_ORDER]
    assert positions == sorted(positions)
    assert page.index(leader.full_name) < positions[0]  # the leader still heads the roster


def test_the_admin_list_of_staff_is_in_office_order(client, admin_user, people):
    client.force_login(admin_user)
    page = client.get(reverse("admin:team_user_changelist")).content.decode()
    positions = [page.index(name) for name in OFFICE_ORDER]
    assert positions == sorted(positions)


def test_pickers_list_people_in_office_order(team, people):
    from incidents.forms import AssignForm

    for person in people:
        appoint(team, person)
    field = AssignForm().fields["assignee"]
    names = [user.full_name for user in field.queryset if user.full_name in PEOPLE]
    assert names == OFFICE_ORDER


def test_active_roster_orders_members_by_office_order(team, leader, people):
    from team.selectors import active_roster

    for person in people:
        appoint(team, person)
    members = [m.user.full_name for m in active_roster(team) if m.role == Membership.Role.MEMBER]
    assert members == OFFICE_ORDER
