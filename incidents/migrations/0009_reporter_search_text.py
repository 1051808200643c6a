"""A visitor's or caller's name and phone leave `search_text` for a column of their own.

`search_text` held `reporter_name`, so anyone who sees the queue could search a name or a phone
and learn which incident a confidential reporter filed. The name now lives, folded, in
`reporter_search_text`, which the search matches only for incidents whose reporter the searcher
may see (incidents.access.reporter_visible). Existing rows are rewritten here; on PostgreSQL the
new column gets a trigram index like `search_text` (0007), so the search stays an index scan.
"""

from django.db import migrations, models

from incidents.text import fold

BATCH = 1000
CREATE_INDEX = (
    "CREATE INDEX IF NOT EXISTS incident_reporter_search_trgm "
    "ON incidents_incident USING gin (reporter_search_text gin_trgm_ops)"
)
DROP_INDEX = "DROP INDEX IF EXISTS incident_reporter_search_trgm"


def _texts(incident, *, with_reporter: bool) -> str:
    # The same parts as Incident.refresh_search_text, frozen here as they were at this migration.
    parts = [incident.reference, incident.place_detail, incident.description, incident.people_involved]
    if with_reporter:
        parts.append(incident.reporter_name)
    return fold(" ".join(part for part in parts if part))


def _rewrite(apps, *, forwards: bool) -> None:
    Incident = apps.get_model("incidents", "Incident")
    rows = (
        Incident.objects.exclude(reporter_name="")
        .only("reference", "place_detail", "description", "people_involved", "reporter_name")
        .order_by("pk")
    )
    batch = []
    for incident in rows.iterator(chunk_size=BATCH):
        incident.search_text = _texts(incident, with_reporter=not forwards)
        incident.reporter_search_text = fold(incident.reporter_name) if forwards else ""
        batch.append(incident)
        if len(batch) == BATCH:
            Incident.objects.bulk_update(batch, ["search_text", "reporter_search_text"])
            batch = []
    Incident.objects.bulk_update(batch, ["search_text", "reporter_search_text"])


def split_reporter(apps, schema_editor):
    _rewrite(apps, forwards=True)


def merge_reporter(apps, schema_editor):
    _rewrite(apps, forwards=False)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_INDEX)
        # Statistics for the new column now, not at autovacuum's next pass: without them the planner
        # may walk the whole table in date order for a word that matches nothing (70 ms instead of 5).
        schema_editor.execute("ANALYZE incidents_incident")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_INDEX)


class Migration(migrations.Migration):
    dependencies = [("incidents", "0008_tt124_window_index")]
    operations = [
        migrations.AddField(
            model_name="incident",
            name="reporter_search_text",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(split_reporter, merge_reporter),
        migrations.RunPython(create_index, drop_index),
    ]
