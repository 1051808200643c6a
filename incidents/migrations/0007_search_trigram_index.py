"""On PostgreSQL, a trigram index makes the queue's search fast for rare words too.

`search_text LIKE '%…%'` stops early when matches are common, but a rare word otherwise reads
the whole table (about 50 ms at 100,000 incidents). pg_trgm is a "trusted" extension since
PostgreSQL 13, so the database owner may create it.
"""

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS incident_search_trgm ON incidents_incident USING gin (search_text gin_trgm_ops)",
]
DROP = ["DROP INDEX IF EXISTS incident_search_trgm"]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("incidents", "0006_timeline_append_only")]
    operations = [migrations.RunPython(run(CREATE), run(DROP))]
