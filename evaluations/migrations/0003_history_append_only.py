"""An evaluation's history is append-only in the database too, like the incident timeline (ASVS 16.4.2).

On PostgreSQL a trigger refuses UPDATE and DELETE of history rows, whatever code or SQL tries it.
The reason given for a reopening lives there: nobody can quietly rewrite it.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION evaluations_history_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'evaluation history entries cannot be changed or deleted';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER evaluations_history_append_only
    BEFORE UPDATE OR DELETE ON evaluations_evaluationevent
    FOR EACH ROW EXECUTE FUNCTION evaluations_history_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS evaluations_history_append_only ON evaluations_evaluationevent;
DROP FUNCTION IF EXISTS evaluations_history_append_only();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0002_tt124_criteria_and_qd510_items")]
    operations = [migrations.RunPython(create, drop)]
