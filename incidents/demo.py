"""Demo data of incidents/: the places of the headquarters and the escalation chain."""

from incidents.models import EscalationLevel, Place
from team.demo import person
from team.models import Position


def seed() -> str:
    _places()
    _escalation_chain()
    return f"Incidents: {Place.objects.count()} places, {EscalationLevel.objects.count()} escalation levels."


def _places():
    building, _ = Place.objects.get_or_create(name="Nhà A (trụ sở chính)", defaults={"kind": Place.Kind.BUILDING})
    for name, kind in [("Cổng chính", Place.Kind.GATE), ("Cổng phụ", Place.Kind.GATE), ("Bãi xe", Place.Kind.AREA)]:
        Place.objects.get_or_create(name=name, defaults={"kind": kind})
    for floor in range(1, 5):
        Place.objects.get_or_create(name=f"Tầng {floor}", parent=building, defaults={"kind": Place.Kind.FLOOR})
    Place.objects.get_or_create(name="Phòng họp lớn", parent=building, defaults={"kind": Place.Kind.ROOM})


def _escalation_chain():
    EscalationLevel.objects.get_or_create(
        order=1,
        defaults={
            "position": Position.objects.get(name="Phó Chánh Văn phòng"),
            "person_in_charge": person("thu.dt"),
            "acknowledge_within": 30,
        },
    )
    EscalationLevel.objects.get_or_create(
        order=2, defaults={"position": Position.objects.get(name="Chánh Văn phòng"), "acknowledge_within": 60}
    )
