"""The timeline is append-only in the database too, not only in the model (ASVS 16.4.2).

On PostgreSQL a trigger refuses UPDATE and DELETE of timeline rows, whatever code or SQL
tries it. (TRUNCATE, which only the test suite and a restore use, is not affected.)
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION incidents_timeline_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'incident timeline entries cannot be changed or deleted';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER incidents_timeline_append_only
    BEFORE UPDATE OR DELETE ON incidents_incidentevent
    FOR EACH ROW EXECUTE FUNCTION incidents_timeline_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS incidents_timeline_append_only ON incidents_incidentevent;
DROP FUNCTION IF EXISTS incidents_timeline_append_only();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("incidents", "0005_external_reports")]
    operations = [migrations.RunPython(create, drop)]
