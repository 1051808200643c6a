"""The Celery application: one app, configured from Django settings (CELERY_* names).

The beat schedule lives here, in code, so there is exactly one place that says what runs
when. Each periodic task is idempotent and expires before its next run, so a missed or
duplicated beat tick is harmless.
"""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("tuquan")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

HOUR = 60 * 60

app.conf.beat_schedule = {
    # 02:15 every night: drop expired sessions so the session table does not grow forever.
    "clear-expired-sessions": {
        "task": "core.tasks.clear_expired_sessions",
        "schedule": crontab(hour=2, minute=15),
        "options": {"expires": HOUR},
    },
}
