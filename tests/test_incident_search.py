"""The queue's search box: the words a person types, in any order and without diacritics.

What was seen: "trom cap" found nothing while incidents of the category "Trộm cắp, mất tài sản"
existed, because the search matched one phrase against the description and a few fields.
"""

from importlib import import_module

import pytest
from django.apps import apps
from django.urls import reverse

from incidents.models import Category, Incident, Place
from tests.support.incidents import report


@pytest.fixture
def room(db):
    building = Place.objects.create(name="Nhà A", kind=Place.Kind.BUILDING)
    floor = Place.objects.create(name="Tầng 2", kind=Place.Kind.FLOOR, parent=building)
    return Place.objects.create(name="Phòng 201", kind=Place.Kind.ROOM, parent=floor)


@pytest.fixture
def fire(db):
    return Category.objects.get_or_create(code="fire-explosion", defaults={"name": "Cháy, nổ"})[0]


def found(client, user, words) -> list[str]:
    client.force_login(user)
    response = client.get(reverse("incidents:list"), {"q": words})
    assert response.status_code == 200
    return [incident.reference for incident in response.context["page"].items]


def test_trom_cap_finds_the_incidents_of_the_theft_category(client, member, staff, category, fire):
    # Neither description says "trộm cắp": only the category does.
    wallet = report(staff, category, description="Mất ví ở phòng họp")
    report(staff, fire, description="Khói ở kho lưu trữ")
    assert found(client, member, "trom cap") == [wallet.reference]
    assert found(client, member, "cap TROM") == [wallet.reference]  # any order, any case
    assert found(client, member, "trộm cắp, mất tài sản") == [wallet.reference]  # typed with diacritics too


def test_the_words_match_across_the_fields_and_all_must_match(client, member, staff, category, fire, room):
    theft = report(staff, category, place=room, place_detail="cạnh thang máy", people_involved="Hai thanh niên")
    smoke = report(staff, fire, place=room, description="Khói ở kho")
    assert found(client, member, "trom nha a") == [theft.reference]  # category + building
    assert set(found(client, member, "phong 201")) == {theft.reference, smoke.reference}
    assert found(client, member, "thang may chay") == []  # "chay" is the other incident's word
    assert found(client, member, "thanh nien tang 2") == [theft.reference]  # people involved + floor
    assert found(client, member, "kho no") == [smoke.reference]  # description + "Cháy, nổ"


def test_d_with_a_stroke_is_found_as_d(client, member, staff, category):
    incident = report(staff, category, description="Đỗ xe trước cổng Đông")
    assert found(client, member, "do xe cong dong") == [incident.reference]
    assert found(client, member, "ĐÔNG") == [incident.reference]


def test_the_reference_is_found_whole_or_by_its_number(client, member, staff, category):
    first, second = report(staff, category), report(staff, category)
    number = second.reference.rsplit("-", 1)[1]  # "VV-2026-0002" -> "0002"
    assert found(client, member, second.reference) == [second.reference]
    assert found(client, member, second.reference.lower()) == [second.reference]
    assert found(client, member, number) == [second.reference]
    assert first.reference not in found(client, member, number)


def test_renaming_a_category_or_a_building_finds_its_incidents_by_the_new_name(client, member, staff, category, room):
    incident = report(staff, category, place=room, description="Mất ví")
    category.name = "Mất cắp tài sản"
    category.save()
    building = room.parent.parent
    building.name = "Tòa điều hành"
    building.save()
    assert found(client, member, "mat cap toa dieu hanh") == [incident.reference]
    assert found(client, member, "trom") == []
    assert found(client, member, "nha") == []  # "Nhà A" is gone
    version = Incident.objects.get(pk=incident.pk).version
    assert version == incident.version  # a rename is not a change of the incident the team must reload


def test_changing_the_place_of_an_incident_updates_what_finds_it(staff, category, room):
    incident = report(staff, category, description="Mất ví")
    assert not Incident.objects.search("phong 201").exists()
    incident.place = room
    incident.save(update_fields=["place"])
    assert list(Incident.objects.search("phong 201")) == [incident]


def test_an_empty_or_punctuation_only_search_shows_the_whole_queue(client, member, staff, category):
    incident = report(staff, category)
    assert found(client, member, "   ") == [incident.reference]
    assert found(client, member, ", ; -") == [incident.reference]


def test_the_migration_rewrites_existing_incidents(client, member, staff, category, room):
    incident = report(staff, category, place=room, description="Mất ví")
    # A row as the old code wrote it: the description and the reference, no names.
    Incident.objects.filter(pk=incident.pk).update(search_text=f"{incident.reference.lower()} mat vi")
    assert found(client, member, "trom cap phong 201") == []
    import_module("incidents.migrations.0011_search_document").add_names(apps, None)
    assert found(client, member, "trom cap phong 201") == [incident.reference]


def test_the_search_box_says_what_it_searches(client, member):
    client.force_login(member)
    page = client.get(reverse("incidents:list")).content.decode()
    box = page.split('name="q"', 1)[1].split(">", 1)[0]
    assert 'type="search"' in page.split('name="q"', 1)[0].rsplit("<input", 1)[1] + box
    assert "thứ tự bất kỳ" in box and "không dấu" in box and "người liên quan" in box


def test_a_rename_writes_the_same_document_as_saving_the_incident(staff, category, room):
    floor, building = room.parent, room.parent.parent
    gate = Place.objects.create(name="Cổng chính", kind=Place.Kind.GATE)
    incidents = [report(staff, category, place=place) for place in (room, floor, building, gate, None)]
    category.name = "Mất tài sản"
    category.save()  # rewrites the documents in bulk, from the columns
    for incident in Incident.objects.filter(pk__in=[i.pk for i in incidents]).select_related("place__parent__parent"):
        written = incident.search_text
        incident.refresh_search_text()  # what saving it would write
        assert written == incident.search_text and "mat tai san" in written
