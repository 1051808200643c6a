"""The queue's search: every word, in any order and without diacritics, against one folded document.

Each incident carries `search_text`: its reference, category, place (with the floor and building it
is in), place detail, description and the people involved, folded (incidents.text.fold) into one
lower-case, unaccented string. A search is then one query, every word an AND-ed `LIKE '%word%'`
over that column, which PostgreSQL answers from the trigram index of migration 0007.

The document copies names from other tables, so it is rewritten whenever one of them changes: by
Incident.save() when the incident's own fields change, and by `refresh()` when a category or a
place is renamed or moved (Category.save, Place.save).
"""

import re

from django.db.models import Q

from core import bulk
from incidents.text import fold

BATCH = 1000
# The columns of an incident its document is made of: a save that touches none of them keeps it.
SOURCE_FIELDS = frozenset({"reference", "category", "place", "place_detail", "description", "people_involved"})
REPORTER_FIELDS = frozenset({"reporter_name"})


def words(text: str) -> list[str]:
    """The folded words of what was typed; punctuation separates words ("trộm cắp,mất" is three)."""
    return re.findall(r"\w+", fold(text))


def document(incident) -> str:
    """What everyone who sees the incident may find it by. Never who reported it (see `matching`)."""
    place = str(incident.place) if incident.place_id else ""  # "Nhà A › Tầng 2 › Phòng 201"
    category = incident.category.name if incident.category_id else ""
    texts = (incident.place_detail, incident.description, incident.people_involved)
    return _document(incident.reference, category, place, *texts)


def _document(*parts: str) -> str:
    return fold(" ".join(part for part in parts if part))


def matching(text: str, *, reporter_visible: Q | None = None) -> Q | None:
    """The condition for incidents matching every word of `text`; None when nothing was typed.

    A visitor's or caller's name and phone (`reporter_search_text`) count only for the incidents
    matched by `reporter_visible` (incidents.access.reporter_visible for the searcher), and
    nowhere without it: a search must not tell anyone who may not see a confidential reporter
    which incident he reported.
    """
    condition = None
    for word in words(text):
        found = Q(search_text__contains=word)
        if reporter_visible is not None:
            found |= Q(reporter_search_text__contains=word) & reporter_visible
        condition = found if condition is None else condition & found
    return condition


def refresh(incidents) -> int:
    """Rewrite the documents of `incidents` (a queryset) that changed, a batch at a time; how many were.

    Reads plain columns, not model instances: a renamed building may hold tens of thousands of
    incidents, and building each instance with its category and places took two thirds of the time.
    """
    from incidents.models import Incident

    rows = incidents.order_by("pk").values_list(
        "pk",
        "search_text",
        "reference",
        "category__name",
        "place__parent__parent__name",
        "place__parent__name",
        "place__name",
        "place_detail",
        "description",
        "people_involved",
    )
    batch, done = [], 0
    for pk, old, reference, category, building, floor, place, *texts in rows.iterator(chunk_size=BATCH):
        # The place as Place.__str__ prints it, outermost first.
        text = _document(reference, category, " › ".join(name for name in (building, floor, place) if name), *texts)
        if text != old:
            batch.append(Incident(pk=pk, search_text=text))
        if len(batch) == BATCH:
            bulk.update(Incident, batch, ["search_text"])
            done, batch = done + len(batch), []
    bulk.update(Incident, batch, ["search_text"])
    return done + len(batch)


def in_place(place_id: int) -> Q:
    """Incidents at a place or anywhere inside it (places nest three deep: building › floor › room)."""
    return Q(place_id=place_id) | Q(place__parent_id=place_id) | Q(place__parent__parent_id=place_id)
