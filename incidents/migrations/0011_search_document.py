"""The search document gains the category, the place (with its floor and building) and the reference.

"trom cap" found nothing while incidents of the category "Trộm cắp, mất tài sản" existed: the
document held only the description and a few text fields. Existing rows are rewritten here with
the parts incidents.search.document now uses; the trigram index of 0007 covers the column as before.
"""

from django.db import migrations

from incidents.text import fold

BATCH = 1000


def _place(place) -> str:
    # Place.__str__ as at this migration: "Nhà A › Tầng 2 › Phòng 201".
    names = []
    while place is not None:
        names.insert(0, place.name)
        place = place.parent
    return " › ".join(names)


def _document(incident, *, with_names: bool) -> str:
    parts = [incident.reference]
    if with_names:
        parts += [incident.category.name, _place(incident.place) if incident.place_id else ""]
    parts += [incident.place_detail, incident.description, incident.people_involved]
    return fold(" ".join(part for part in parts if part))


def _rewrite(apps, *, with_names: bool) -> None:
    Incident = apps.get_model("incidents", "Incident")
    rows = Incident.objects.select_related("category", "place__parent__parent").order_by("pk")
    batch = []
    for incident in rows.iterator(chunk_size=BATCH):
        incident.search_text = _document(incident, with_names=with_names)
        batch.append(incident)
        if len(batch) == BATCH:
            Incident.objects.bulk_update(batch, ["search_text"])
            batch = []
    Incident.objects.bulk_update(batch, ["search_text"])


def add_names(apps, schema_editor):
    _rewrite(apps, with_names=True)


def remove_names(apps, schema_editor):
    _rewrite(apps, with_names=False)


def analyze(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # Fresh statistics for the rewritten column, so the planner keeps choosing the trigram index.
        schema_editor.execute("ANALYZE incidents_incident")


class Migration(migrations.Migration):
    dependencies = [("incidents", "0010_sla_due_index")]
    operations = [
        migrations.RunPython(add_names, remove_names),
        migrations.RunPython(analyze, migrations.RunPython.noop),
    ]
