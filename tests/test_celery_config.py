"""Celery configuration that holds with or without a broker."""

from config.celery import app as celery_app


def test_the_beat_schedule_is_defined_in_code_and_every_entry_expires():
    celery_app.loader.import_default_modules()  # what a worker does at start: autodiscover tasks
    schedule = celery_app.conf.beat_schedule
    assert {
        "clear-expired-sessions",
        "redispatch-pending-deliveries",
        "send-duty-reminders",
        "send-weekly-duty-summary",
        "sweep-incident-deadlines",
    } <= set(schedule)
    for name, entry in schedule.items():
        assert entry["task"] in celery_app.tasks, f"{name}: {entry['task']} is not a registered task"
        assert 0 < entry["options"]["expires"] <= 3600


def test_celery_speaks_json_only():
    assert celery_app.conf.task_serializer == "json"
    assert celery_app.conf.accept_content == ["json"]
    assert celery_app.conf.enable_utc is True
    assert celery_app.conf.task_acks_late is True
