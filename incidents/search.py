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
    parts = [
        incident.reference,
        incident.category.name if incident.category_id else "",
        str(incident.place) if incident.place_id else "",  # "Nhà A › Tầng 2 › Phòng 201"
        incident.place_detail,
        incident.description,
        incident.people_involved,
    ]
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
    """Rewrite the documents of `incidents` (a queryset), a batch at a time; the number rewritten."""
    from incidents.models import Incident

    rows = incidents.select_related("category", "place__parent__parent").order_by("pk")
    batch, done = [], 0
    for incident in rows.iterator(chunk_size=BATCH):
        text = document(incident)
        if text != incident.search_text:
            incident.search_text = text
            batch.append(incident)
        if len(batch) == BATCH:
            done += Incident.objects.bulk_update(batch, ["search_text"])
            batch = []
    return done + Incident.objects.bulk_update(batch, ["search_text"])


def in_place(place_id: int) -> Q:
    """Incidents at a place or anywhere inside it (places nest three deep: building › floor › room)."""
    return Q(place_id=place_id) | Q(place__parent_id=place_id) | Q(place__parent__parent_id=place_id)
