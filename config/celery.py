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

MINUTE = 60
HOUR = 60 * MINUTE

app.conf.beat_schedule = {
    # Every minute: publish again the notification deliveries still pending after their grace
    # period (broker down at commit time, or a task lost with its worker).
    "redispatch-pending-deliveries": {
        "task": "notifications.tasks.redispatch_pending_deliveries",
        "schedule": MINUTE,
        "options": {"expires": MINUTE},
    },
    # Every minute: incident deadline reminders and automatic escalation up the chain.
    "sweep-incident-deadlines": {
        "task": "incidents.tasks.sweep_incident_deadlines",
        "schedule": MINUTE,
        "options": {"expires": MINUTE},
    },
    # Every 15 minutes: campaign statuses, late joiners, session reminders, chasing, weekly summaries.
    "sweep-campaigns": {
        "task": "campaigns.tasks.sweep_campaigns",
        "schedule": 15 * MINUTE,
        "options": {"expires": 15 * MINUTE},
    },
    # Every minute: duty reminders a day and an hour before each shift (computed from the roster).
    "send-duty-reminders": {
        "task": "team.tasks.send_duty_reminders",
        "schedule": MINUTE,
        "options": {"expires": MINUTE},
    },
    # Every 5 minutes: shifts that ended without a confirmed handover, flagged once to the team leader.
    "flag-missing-handovers": {
        "task": "duty.tasks.flag_missing_handovers",
        "schedule": 5 * MINUTE,
        "options": {"expires": 5 * MINUTE},
    },
    # Mondays 07:00: the week's duty roster to the team leader.
    "send-weekly-duty-summary": {
        "task": "team.tasks.send_weekly_duty_summary",
        "schedule": crontab(day_of_week="mon", hour=7, minute=0),
        "options": {"expires": HOUR},
    },
    # Mondays 07:00: the weekly digest (incidents, duty gaps, campaigns behind) to the leadership.
    "send-weekly-digest": {
        "task": "dashboard.tasks.send_weekly_digest",
        "schedule": crontab(day_of_week="mon", hour=7, minute=0),
        "options": {"expires": HOUR},
    },
    # 07:05 every day: evaluation deadline reminders (30, 7 and 1 days before each stage, and once overdue).
    "sweep-evaluation-deadlines": {
        "task": "evaluations.tasks.sweep_evaluation_deadlines",
        "schedule": crontab(hour=7, minute=5),
        "options": {"expires": HOUR},
    },
    # 06:30 every day: on the office's first working day of a month, the draft of last month's report.
    "create-monthly-report-draft": {
        "task": "reports.tasks.create_monthly_draft",
        "schedule": crontab(hour=6, minute=30),
        "options": {"expires": HOUR},
    },
    # 03:10 every night: purge audit entries older than AUDIT_RETENTION_DAYS (the purge leaves an entry).
    "purge-old-audit-entries": {
        "task": "audit.tasks.purge_old_audit_entries",
        "schedule": crontab(hour=3, minute=10),
        "options": {"expires": HOUR},
    },
    # 02:15 every night: drop expired sessions so the session table does not grow forever.
    "clear-expired-sessions": {
        "task": "core.tasks.clear_expired_sessions",
        "schedule": crontab(hour=2, minute=15),
        "options": {"expires": HOUR},
    },
    # 03:20 every night: erase visitors' identity numbers older than VISITOR_ID_RETENTION_DAYS (keeps the visits).
    "erase-expired-visitor-id-numbers": {
        "task": "visitors.tasks.erase_expired_id_numbers",
        "schedule": crontab(hour=3, minute=20),
        "options": {"expires": HOUR},
    },
    # Every 15 minutes: once the working day (WORKING_HOURS) is over, flag visitors still inside to the member
    # on duty, once a day; the task itself decides whether the day is over, so WORKING_HOURS alone sets the time.
    "flag-visitors-still-inside": {
        "task": "visitors.tasks.flag_visitors_still_inside",
        "schedule": 15 * MINUTE,
        "options": {"expires": 15 * MINUTE},
    },
    # Every 5 minutes: patrol rounds whose window has ended get their missed checkpoints recorded, one line in
    # the shift's log and a notice to the command. A round is checked once, so a late tick costs only minutes.
    "check-ended-patrol-rounds": {
        "task": "patrols.tasks.check_ended_rounds",
        "schedule": 5 * MINUTE,
        "options": {"expires": 5 * MINUTE},
    },
}
