"""Deadline reminders of the annual evaluation: 30, 7 and 1 days before, once overdue, each once."""

from datetime import date, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from config.celery import app as celery_app
from evaluations import reminders
from evaluations.models import Evaluation, Stage
from evaluations.services.cycle import start_year
from evaluations.tasks import sweep_evaluation_deadlines
from notifications.models import Notification
from team.models import Membership

YEAR = 2030
DUE = date(YEAR, 3, 31)  # the registration stage (Quarter I) by the default calendar


@pytest.fixture
def evaluation(team, leader, deputy, member, chief):
    return start_year(year=YEAR, actor=leader)


@pytest.fixture
def stage(evaluation, member):
    stage = Stage.objects.get(evaluation=evaluation, kind=Stage.Kind.REGISTRATION)
    stage.responsible = member
    stage.save()
    return stage


def at(day: date, hour=7, minute=5) -> datetime:
    """A moment of the office's day (Asia/Ho_Chi_Minh), as beat would run it."""
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


def days_before(days: int, due: date = DUE) -> datetime:
    return at(due - timedelta(days=days))


def sent():
    return Notification.objects.filter(kind="evaluations.deadline")


def keys(person=None) -> list[str]:
    rows = sent().filter(recipient=person) if person else sent()
    return sorted({key.rsplit(":", 1)[1] for key in rows.values_list("dedupe_key", flat=True)})


def test_each_checkpoint_is_sent_once(stage, member, leader):
    for days in (31, 30, 29, 20, 7, 6, 2, 1, 0, -1, -2, -30):
        reminders.sweep(now=days_before(days))
    assert keys(member) == ["1", "30", "7", "overdue"]
    assert keys(leader) == ["1", "30", "7", "overdue"]
    assert sent().filter(recipient=member).count() == 4
    assert sent().filter(dedupe_key=f"evaluation-deadline:{stage.pk}:{DUE:%Y%m%d}:30").count() == 2


def test_nothing_before_thirty_days(stage):
    assert reminders.sweep(now=days_before(31)) == {"due": 0, "reminders": 0}
    assert not sent().exists()


def test_running_twice_sends_nothing_twice(stage):
    first = reminders.sweep(now=days_before(7))
    again = reminders.sweep(now=days_before(7, DUE) + timedelta(hours=3))  # a duplicated beat tick
    assert first == {"due": 1, "reminders": 2}
    assert again == {"due": 1, "reminders": 0}
    assert sent().count() == 2


def test_a_late_sweep_sends_only_the_latest_checkpoint(stage, member):
    reminders.sweep(now=days_before(5))  # the worker was down until five days before
    assert keys(member) == ["7"]
    Notification.objects.all().delete()
    reminders.sweep(now=days_before(-3))  # first run after the deadline
    assert keys(member) == ["overdue"]


def test_a_moved_deadline_is_reminded_anew(stage, member):
    reminders.sweep(now=days_before(7))
    assert keys(member) == ["7"]
    stage.due_on = DUE + timedelta(days=14)
    stage.save()
    reminders.sweep(now=days_before(6))  # 20 days before the new deadline
    assert sent().filter(recipient=member).count() == 2
    new_key = sent().filter(recipient=member).latest("pk").dedupe_key
    assert new_key == f"evaluation-deadline:{stage.pk}:{stage.due_on:%Y%m%d}:30"


def test_completed_stages_and_decided_evaluations_are_silent(stage, evaluation):
    stage.completed_on = DUE - timedelta(days=10)
    stage.save()
    reminders.sweep(now=days_before(-1))
    assert not sent().exists()
    stage.completed_on = None
    stage.save()
    Evaluation.objects.filter(pk=evaluation.pk).update(status=Evaluation.Status.DECIDED)
    reminders.sweep(now=days_before(-1))
    assert not sent().exists()
    Evaluation.objects.filter(pk=evaluation.pk).update(status=Evaluation.Status.SIGNED_OFF)
    reminders.sweep(now=days_before(-1))  # signed off but not decided: the stages still matter
    assert sent().exists()


def test_the_responsible_and_the_team_leader_are_told_once_each(stage, member, leader, deputy, chief):
    reminders.sweep(now=days_before(30))
    assert set(sent().values_list("recipient", flat=True)) == {member.pk, leader.pk}
    Notification.objects.all().delete()
    stage.responsible = leader  # the leader is responsible himself: one reminder, not two
    stage.save()
    reminders.sweep(now=days_before(7))
    assert list(sent().values_list("recipient", flat=True)) == [leader.pk]


def test_a_stage_without_responsible_reaches_the_leader_and_a_former_leader_nobody(stage, leader, deputy):
    stage.responsible = None
    stage.save()
    reminders.sweep(now=days_before(30))
    assert list(sent().values_list("recipient", flat=True)) == [leader.pk]
    Membership.objects.filter(user=leader).update(end_date=timezone.localdate())
    reminders.sweep(now=days_before(7))
    assert sent().count() == 1  # nobody left to tell


def test_the_reminder_links_to_the_evaluation_and_says_what_is_due(stage, member, evaluation):
    member.language = "en"
    member.save()
    reminders.sweep(now=days_before(7))
    notice = sent().get(recipient=member)
    assert notice.url == evaluation.get_absolute_url()
    assert "Registration (Quarter I)" in notice.title and "due in 7 days" in notice.title
    assert "31/03/2030" in notice.body
    reminders.sweep(now=days_before(-2))
    overdue = sent().filter(recipient=member).latest("pk")
    assert overdue.title.startswith("Overdue:") and "It is overdue" in overdue.body


def test_the_sweep_reads_only_open_stages_due_within_thirty_days(team, leader, deputy, member, chief):
    for year in (YEAR, YEAR + 1, YEAR + 2):
        start_year(year=year, actor=leader)
    quiet = at(date(YEAR, 1, 10))  # no deadline within 30 days
    with CaptureQueriesContext(connection) as captured:
        assert reminders.sweep(now=quiet) == {"due": 0, "reminders": 0}
    assert len(captured) == 1  # the open, due stages: none; no other query
    sql = captured[0]["sql"]
    assert '"completed_on" IS NULL' in sql and '"due_on" <=' in sql
    assert Stage.objects.filter(completed_on__isnull=True).count() == 18


def test_the_sweep_runs_as_a_command_and_as_a_celery_task(stage, monkeypatch):
    monkeypatch.setattr(reminders.timezone, "now", lambda: days_before(7))
    out = StringIO()
    call_command("evaluations_sweep", stdout=out)
    assert out.getvalue().strip() == "due: 1, reminders: 2"
    assert sweep_evaluation_deadlines() == {"due": 1, "reminders": 0}  # already told


def test_the_beat_runs_the_sweep_every_morning():
    celery_app.loader.import_default_modules()
    entry = celery_app.conf.beat_schedule["sweep-evaluation-deadlines"]
    assert entry["task"] == "evaluations.tasks.sweep_evaluation_deadlines"
    assert entry["task"] in celery_app.tasks
    assert entry["schedule"].hour == {7} and entry["schedule"].minute == {5}
    assert 0 < entry["options"]["expires"] <= 3600
    assert str(celery_app.conf.timezone) == "Asia/Ho_Chi_Minh"  # 07:05 in the office, not UTC
