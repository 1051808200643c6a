"""Default service levels per severity (domain.md 4.3); an administrator adjusts them in admin."""

from django.db import migrations

# severity: (acknowledge within, resolve within), in minutes
LEVELS = {4: (15, 4 * 60), 3: (60, 24 * 60), 2: (8 * 60, 3 * 24 * 60), 1: (24 * 60, 7 * 24 * 60)}


def add_levels(apps, schema_editor):
    SlaPolicy = apps.get_model("incidents", "SlaPolicy")
    for severity, (acknowledge, resolve) in LEVELS.items():
        SlaPolicy.objects.get_or_create(
            severity=severity, defaults={"acknowledge_within": acknowledge, "resolve_within": resolve}
        )


class Migration(migrations.Migration):
    dependencies = [("incidents", "0003_sla_and_escalation")]
    operations = [migrations.RunPython(add_levels, migrations.RunPython.noop)]
