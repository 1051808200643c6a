"""The SLA sweep, set-based: a constant number of statements per batch, the same guarantees as one by one.

The guarantees: a reminder goes once (its deduplication key), nothing is lost while the broker is
down (the outbox rows stay pending for the sweep), and two sweeps running at once escalate an
incident once. notify_bulk() keeps notify()'s rules.
"""

import threading
from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from incidents import services, sla
from incidents.models import EscalationLevel, Incident, IncidentEvent, Severity, SlaPolicy, Status
from notifications import delivery
from notifications.models import Channel, Delivery, Notification, Preference
from notifications.services import Send, notify_bulk
from tests.conftest import requires_postgresql
from tests.support import realistic


@pytest.fixture
def chain(positions, make_user):
    """Level 1: the Deputy Chief in charge (30 min), level 2: the Chief of Office (60 min)."""
    deputy_chief = make_user("Đặng Thị Thu", position=positions["deputy_chief"], language="en")
    chief = make_user("Nguyễn Quốc Hùng", position=positions["chief"])
    EscalationLevel.objects.create(
        order=1, position=positions["deputy_chief"], person_in_charge=deputy_chief, acknowledge_within=30
    )
    EscalationLevel.objects.create(order=2, position=positions["chief"], acknowledge_within=60)
    return {"deputy_chief": deputy_chief, "chief": chief}


@pytest.fixture
def policies(db):
    for severity in Severity.values:
        SlaPolicy.objects.update_or_create(
            severity=severity,
            defaults={"acknowledge_within": 60, "resolve_within": 24 * 60, "clock": SlaPolicy.Clock.CALENDAR},
        )


@pytest.fixture
def due_soon(staff, member, leader, deputy, category, policies, chain):
    """Reports as they come: rooms in buildings, confidential and outside reporters, some assigned."""
    places = realistic.places("Nhà A")
    deputy.language = "en"  # the team leaders read two languages
    deputy.save()

    def make(count: int) -> list[Incident]:
        made = [
            realistic.file_incident(n, staff=[staff], member=member, category=category, places=places)
            for n in range(count)
        ]
        for incident in made[::2]:
            services.assign(incident_id=incident.pk, assignee=member, actor=leader, version=None)
        return made

    return make


def sweep_at(minutes: int, incidents: list[Incident]) -> int:
    """Sweep at `minutes` after the first incident was filed."""
    return sla.sweep(now=incidents[0].created_at + timedelta(minutes=minutes))


def statements_of(function) -> int:
    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured)


def test_a_batch_costs_the_same_statements_for_5_or_40_incidents(due_soon, chain, leader, deputy, member):
    few, many = due_soon(5), due_soon(40)
    Incident.objects.filter(pk__in=[i.pk for i in many]).update(sla_check_at=None)  # only `few` are due
    reminded = statements_of(lambda: sweep_at(31, few))  # 50 % reminders
    escalated = statements_of(lambda: sweep_at(61, few))  # acknowledge deadline: escalation to level 1
    climbed = statements_of(lambda: sweep_at(61 + 31, few))  # level 1 silent: up to level 2

    Incident.objects.filter(pk__in=[i.pk for i in few]).update(sla_check_at=None)
    for incident in many:
        sla.schedule(incident, incident.created_at)
        Incident.objects.filter(pk=incident.pk).update(sla_check_at=incident.sla_check_at)
    assert statements_of(lambda: sweep_at(31, many)) == reminded
    assert statements_of(lambda: sweep_at(61, many)) == escalated
    assert statements_of(lambda: sweep_at(61 + 31, many)) == climbed
    # Per sweep: the team leaders, the escalation chain, the targets of a level by position (level 2).
    # Per batch: savepoint, claim, preferences (none for a critical kind), the notifications with a
    # key (reminders) or without (escalations), their deliveries, the timeline, one UPDATE, release.
    assert (reminded, escalated, climbed) == (10, 9, 10)

    # ...and it did what the one-by-one sweep did, for each of the 40:
    for incident in many:
        incident.refresh_from_db()
        assert incident.status == Status.ESCALATED and incident.escalation_level == 2
        assert incident.events.filter(action=IncidentEvent.Action.REMINDER).count() == 1
        assert incident.events.filter(action=IncidentEvent.Action.ESCALATED, actor=None).count() == 2
        assert incident.version == (2 if incident.assignee_id else 1) + 2  # filed, assigned, two levels
    reminders = Notification.objects.filter(dedupe_key__in=[f"sla:{i.pk}:acknowledge-50" for i in many])
    assert set(reminders.filter(recipient=member).values_list("dedupe_key", flat=True)) == {
        f"sla:{incident.pk}:acknowledge-50" for incident in many if incident.assignee_id
    }
    assert reminders.filter(recipient=leader).count() == reminders.filter(recipient=deputy).count() == len(many)
    english = reminders.filter(recipient=deputy).first()
    assert english.title.startswith("Incident") and "still waits" in english.title
    escalated_notices = Notification.objects.filter(
        kind="incidents.escalated", url__in=[i.get_absolute_url() for i in many]
    )
    assert escalated_notices.filter(recipient=chain["chief"]).count() == len(many)
    to_deputy_chief = escalated_notices.filter(recipient=chain["deputy_chief"])
    assert to_deputy_chief.count() == len(many)
    assert to_deputy_chief.first().title.startswith("Escalated to you")  # she reads English
    assert Delivery.objects.filter(notification__in=to_deputy_chief, channel=Channel.EMAIL).count() == len(many)


def test_a_reminder_is_sent_once_even_when_its_incident_comes_due_again(due_soon, leader):
    incidents = due_soon(6)
    sweep_at(31, incidents)
    sent = Notification.objects.filter(kind="incidents.sla_reminder").count()
    assert sent >= 6
    # The clock is put back (a restore, a bug, a second beat): the keys are already used.
    Incident.objects.filter(pk__in=[i.pk for i in incidents]).update(sla_check_at=incidents[0].created_at)
    sweep_at(32, incidents)
    assert Notification.objects.filter(kind="incidents.sla_reminder").count() == sent
    for incident in incidents:
        assert incident.events.filter(action=IncidentEvent.Action.REMINDER).count() == 1  # told nobody: no entry


def test_everything_is_published_at_once_after_commit(due_soon, django_capture_on_commit_callbacks):
    incidents = due_soon(30)
    with mock.patch("notifications.delivery.dispatch_in_bulk") as publish:
        with django_capture_on_commit_callbacks(execute=True):
            with transaction.atomic():
                sweep_at(61, incidents)
                publish.assert_not_called()  # nothing leaves before the commit
    publish.assert_called_once()
    (ids,) = publish.call_args.args
    assert sorted(ids) == sorted(
        Delivery.objects.filter(notification__kind__in=["incidents.escalated", "incidents.sla_reminder"]).values_list(
            "pk", flat=True
        )
    )


def test_a_rolled_back_sweep_sends_nothing(due_soon, django_capture_on_commit_callbacks):
    incidents = due_soon(5)
    with django_capture_on_commit_callbacks() as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            sweep_at(61, incidents)
            raise RuntimeError("the database went away")
    assert callbacks == []
    assert not Notification.objects.filter(kind="incidents.escalated").exists()
    assert not Incident.objects.filter(status=Status.ESCALATED).exists()


def test_a_dead_broker_loses_nothing(due_soon, django_capture_on_commit_callbacks):
    incidents = due_soon(30)
    down = OSError("Connection refused")
    with (
        mock.patch("notifications.tasks.dispatch_deliveries.apply_async", side_effect=down) as bulk,
        mock.patch("notifications.tasks.deliver_notification.apply_async", side_effect=down),
        django_capture_on_commit_callbacks(execute=True),
        transaction.atomic(),
    ):
        sweep_at(61, incidents)  # no exception reaches the sweep
    assert bulk.call_count == 1  # one try, then the rows wait for the outbox sweep
    pending = Delivery.objects.filter(notification__kind="incidents.escalated", status=Delivery.Status.PENDING)
    assert pending.count() == 30
    assert all(item.dispatch_after > timezone.now() for item in pending)  # after the grace period
    # The broker is back: the outbox sweep publishes them, in chunks.
    with mock.patch("notifications.tasks.dispatch_deliveries.apply_async") as bulk:
        assert delivery.redispatch_due(now=timezone.now() + timedelta(minutes=3)) >= 30
    published = {pk for call in bulk.call_args_list for pk in call.args[0][0]}
    assert set(pending.values_list("pk", flat=True)) <= published


def test_many_deliveries_go_to_the_broker_in_chunks(member):
    with mock.patch("notifications.tasks.dispatch_deliveries.apply_async") as bulk:
        assert delivery.dispatch_in_bulk(list(range(1, 1201))) == 1200
    assert [len(call.args[0][0]) for call in bulk.call_args_list] == [500, 500, 200]
    with mock.patch("notifications.delivery.dispatch", return_value=3) as one_by_one:
        assert delivery.dispatch_in_bulk([1, 2, 3]) == 3  # a few: published directly
    one_by_one.assert_called_once_with([1, 2, 3])


@requires_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_overlapping_sweeps_escalate_each_incident_once(due_soon, chain, monkeypatch):
    incidents = due_soon(30)
    monkeypatch.setattr(sla, "SWEEP_BATCH", 4)  # many batches, so the two sweeps interleave
    handle = sla._handle

    def slow_handle(*args):
        handle(*args)
        threading.Event().wait(0.02)  # hold the batch's row locks a moment: the other sweep runs meanwhile

    monkeypatch.setattr(sla, "_handle", slow_handle)
    monkeypatch.setattr(delivery, "dispatch_in_bulk", lambda ids: len(ids))
    start = threading.Barrier(2)
    looked_at: list[int] = []

    def sweep():
        try:
            start.wait()
            looked_at.append(sweep_at(61, incidents))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(looked_at) != [0, 30]  # both sweeps worked...
    assert sum(looked_at) == 30  # ...on different incidents
    for incident in incidents:
        assert incident.events.filter(action=IncidentEvent.Action.ESCALATED).count() == 1
        incident.refresh_from_db()
        assert incident.status == Status.ESCALATED and incident.escalation_level == 1
        assert incident.version == (3 if incident.assignee_id else 2)  # filed, (assigned,) escalated once
    told = Notification.objects.filter(kind="incidents.escalated", recipient=chain["deputy_chief"])
    assert told.count() == 30


# --- notify_bulk() keeps notify()'s rules -------------------------------------------------------


def test_notify_bulk_follows_preferences_languages_and_keys(member, leader, staff, make_user, category):
    leader.language = "en"
    leader.save()
    retired = make_user("Người Đã Nghỉ", is_active=False)
    Preference.objects.create(user=member, kind="incidents.sla_reminder", channel=Channel.EMAIL, enabled=False)
    Preference.objects.create(user=staff, kind="incidents.sla_reminder", channel=Channel.IN_APP, enabled=False)
    Preference.objects.create(user=staff, kind="incidents.escalated", channel=Channel.EMAIL, enabled=False)
    incident = realistic.file_incident(1, staff=[staff], member=member, category=category, places=realistic.places())
    Notification.objects.all().delete()
    context = {"incident": incident, "what": "acknowledge-50", "reason": "Quá hạn"}
    sends = [
        Send([member, leader, staff, retired, member], "incidents.sla_reminder", context, "/x/", dedupe_key="k1"),
        Send([staff], "incidents.escalated", context, "/x/"),  # critical: preferences do not apply
        Send([leader], "incidents.sla_reminder", context, "/x/", dedupe_key="k1"),  # same key, same person
    ]
    told = notify_bulk(sends)
    assert [sorted(n.recipient.full_name for n in group) for group in told] == [
        sorted([member.full_name, leader.full_name, staff.full_name]),
        [staff.full_name],
        [],
    ]
    reminder = {n.recipient_id: n for n in told[0]}
    assert not reminder[member.pk].deliveries.exists()  # email switched off
    assert reminder[leader.pk].deliveries.filter(channel=Channel.EMAIL).exists()
    assert not reminder[staff.pk].show_in_inbox  # inbox switched off
    assert reminder[leader.pk].title.startswith("Incident") and not reminder[member.pk].title.startswith("Incident")
    assert told[1][0].show_in_inbox and told[1][0].deliveries.filter(channel=Channel.EMAIL).exists()
    # A second call with a used key tells nobody, the others get theirs.
    newcomer = make_user("Người Mới Đến")
    again = notify_bulk([Send([member, leader, newcomer], "incidents.sla_reminder", context, dedupe_key="k1")])
    assert [n.recipient for n in again[0]] == [newcomer]
    assert Notification.objects.filter(dedupe_key="k1").count() == 4


# --- a backlog is shared with helper sweeps ------------------------------------------------------


def test_a_sweep_that_finds_a_backlog_calls_for_help_once(due_soon, monkeypatch):
    incidents = due_soon(7)
    monkeypatch.setattr(sla, "SWEEP_BATCH", 3)
    calls = []
    assert sweep_at(61, incidents) == 7  # no helper asked for: the sweep does it all by itself
    Incident.objects.filter(pk__in=[i.pk for i in incidents]).update(
        status=Status.NEW, escalation_level=0, sla_check_at=incidents[0].created_at
    )
    assert sla.sweep(now=incidents[0].created_at + timedelta(minutes=61), on_backlog=lambda: calls.append(1)) == 7
    assert calls == [1]  # after the first full batch, once
    calls.clear()
    Incident.objects.update(sla_check_at=None)
    few = due_soon(2)
    assert sla.sweep(now=few[0].created_at + timedelta(minutes=61), on_backlog=lambda: calls.append(1)) == 2
    assert calls == []  # less than a batch: no help


def test_the_beat_task_starts_helpers_and_goes_on_alone_without_a_broker(monkeypatch):
    from incidents import tasks

    with mock.patch.object(tasks.help_sweep_incident_deadlines, "apply_async") as publish:
        assert tasks.call_for_help() == tasks.SWEEP_HELPERS
    assert publish.call_count == tasks.SWEEP_HELPERS
    down = OSError("Connection refused")
    with mock.patch.object(tasks.help_sweep_incident_deadlines, "apply_async", side_effect=down) as publish:
        assert tasks.call_for_help() == 0
    assert publish.call_count == 1  # one try, no waiting on a dead broker three times
    with mock.patch.object(tasks.sla, "sweep", return_value=0) as sweep:
        tasks.sweep_incident_deadlines()
    assert sweep.call_args.kwargs["on_backlog"] is tasks.call_for_help
