"""Celery configuration that holds with or without a broker."""

from config.celery import app as celery_app


def test_the_beat_schedule_is_defined_in_code_and_every_entry_expires():
    schedule = celery_app.conf.beat_schedule
    assert "clear-expired-sessions" in schedule
    for entry in schedule.values():
        assert entry["task"] in celery_app.tasks or entry["task"].startswith(("core.", "team.", "notifications."))
        assert entry["options"]["expires"] > 0


def test_celery_speaks_json_only():
    assert celery_app.conf.task_serializer == "json"
    assert celery_app.conf.accept_content == ["json"]
    assert celery_app.conf.enable_utc is True
    assert celery_app.conf.task_acks_late is True
