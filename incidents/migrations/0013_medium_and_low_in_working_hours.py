"""Medium and low incidents count their service levels in working hours (the working calendar); critical and high
keep calendar hours. Incidents already filed keep the deadlines they were given.

The levels still at their defaults (0004) that were whole days become as many working days: "resolve within
3 days" reads "within 3 working days" in an office. A level an administrator changed keeps its minutes.
"""

from datetime import date, datetime

from django.conf import settings
from django.db import migrations

DAY = 24 * 60
# severity: the defaults of 0004 (acknowledge, resolve) in minutes
DEFAULTS = {2: (8 * 60, 3 * DAY), 1: (DAY, 7 * DAY)}


def _working_day_minutes() -> int:
    return sum(
        int((datetime.combine(date.min, end) - datetime.combine(date.min, start)).total_seconds() // 60)
        for start, end in settings.WORKING_HOURS
    )


def _in_working_time(minutes: int, working_day: int) -> int:
    return minutes // DAY * working_day if minutes % DAY == 0 else minutes


def to_working_hours(apps, schema_editor):
    SlaPolicy = apps.get_model("incidents", "SlaPolicy")
    working_day = _working_day_minutes()
    for policy in SlaPolicy.objects.filter(severity__in=DEFAULTS):
        if (policy.acknowledge_within, policy.resolve_within) == DEFAULTS[policy.severity]:
            policy.acknowledge_within = _in_working_time(policy.acknowledge_within, working_day)
            policy.resolve_within = _in_working_time(policy.resolve_within, working_day)
        policy.clock = "working"
        policy.save()


def to_calendar_hours(apps, schema_editor):
    SlaPolicy = apps.get_model("incidents", "SlaPolicy")
    working_day = _working_day_minutes()
    for policy in SlaPolicy.objects.filter(severity__in=DEFAULTS):
        converted = tuple(_in_working_time(minutes, working_day) for minutes in DEFAULTS[policy.severity])
        if (policy.acknowledge_within, policy.resolve_within) == converted:
            policy.acknowledge_within, policy.resolve_within = DEFAULTS[policy.severity]
        policy.clock = "calendar"
        policy.save()


class Migration(migrations.Migration):
    dependencies = [("incidents", "0012_service_level_clock")]
    operations = [migrations.RunPython(to_working_hours, to_calendar_hours)]
