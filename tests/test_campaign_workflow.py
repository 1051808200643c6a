"""Campaign statuses follow one table (campaigns/workflow.py): the buttons, the services and the sweep; and a
copy to another year keeps the day and the month."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from campaigns import reminders, services, workflow
from campaigns.forms import CampaignForm
from campaigns.models import Campaign, Material, Session

VN = ZoneInfo("Asia/Ho_Chi_Minh")
S = Campaign.Status


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=VN)


@pytest.fixture
def today():
    return timezone.localdate()


def make_campaign(organiser, starts_on, ends_on, status=S.DRAFT, title="Phổ biến nội quy") -> Campaign:
    campaign = Campaign.objects.create(
        title=title, theme="internal_rules", organiser=organiser, starts_on=starts_on, ends_on=ends_on, status=status
    )
    Material.objects.create(campaign=campaign, title="Nội quy", link="https://example.test/noi-quy")
    return campaign


@pytest.fixture
def in_each_status(team, member, today):
    return {
        status: make_campaign(member, today, today + timedelta(days=10), status=status, title=str(status))
        for status in S.values
    }


def vi(message, **params) -> str:
    with translation.override("vi"):
        return str(message) % params if params else str(message)


# --- The page offers only what the table allows ------------------------------------------------

BUTTONS = {
    S.DRAFT: {"schedule", "cancel"},
    S.SCHEDULED: {"cancel"},
    S.RUNNING: {"complete", "cancel"},
    S.COMPLETED: set(),
    S.CANCELLED: set(),
}


@pytest.mark.parametrize("status", S.values)
def test_the_page_shows_only_the_allowed_actions(client, in_each_status, member, status):
    client.force_login(member)
    page = client.get(in_each_status[status].get_absolute_url()).content.decode()
    shown = {name for name in ("schedule", "complete", "cancel") if f'data-testid="{name}"' in page}
    assert shown == BUTTONS[status]
    assert ('data-testid="edit"' in page) == (status in (S.DRAFT, S.SCHEDULED))
    # Sessions and materials can be added until the campaign is over.
    assert ('data-testid="session-form"' in page) == (status in (S.DRAFT, S.SCHEDULED, S.RUNNING))
    assert ('data-testid="material-form"' in page) == (status in (S.DRAFT, S.SCHEDULED, S.RUNNING))


# --- The services refuse what the table does not allow -------------------------------------------

REFUSED = [
    (S.DRAFT, "complete"),  # never scheduled
    (S.SCHEDULED, "complete"),  # never ran
    (S.COMPLETED, "cancel"),
    (S.CANCELLED, "complete"),
    (S.COMPLETED, "schedule"),
    (S.CANCELLED, "schedule"),
    (S.RUNNING, "schedule"),
]


@pytest.mark.parametrize(("status", "action"), REFUSED)
def test_a_forbidden_action_is_refused_with_a_message(client, in_each_status, member, status, action):
    campaign = in_each_status[status]
    client.force_login(member)
    response = client.post(reverse("campaigns:action", args=[campaign.pk, action]), follow=True)
    assert response.status_code == 200
    label = workflow.TRANSITIONS[action].label
    expected = vi(workflow.NOT_ALLOWED, action=vi(label), status=vi(campaign.get_status_display()))
    assert expected in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.status == status


@pytest.mark.parametrize(
    ("status", "action", "after"),
    [
        (S.DRAFT, "schedule", S.RUNNING),  # its first day is today
        (S.DRAFT, "cancel", S.CANCELLED),
        (S.SCHEDULED, "cancel", S.CANCELLED),
        (S.RUNNING, "complete", S.COMPLETED),
        (S.RUNNING, "cancel", S.CANCELLED),
    ],
)
def test_an_allowed_action_moves_the_campaign(client, in_each_status, member, status, action, after):
    campaign = in_each_status[status]
    client.force_login(member)
    client.post(reverse("campaigns:action", args=[campaign.pk, action]))
    campaign.refresh_from_db()
    assert campaign.status == after


def test_completed_and_cancelled_do_not_flip(in_each_status):
    with pytest.raises(ValidationError):
        services.cancel(in_each_status[S.COMPLETED])
    with pytest.raises(ValidationError):
        services.complete(in_each_status[S.CANCELLED])
    assert Campaign.objects.get(pk=in_each_status[S.COMPLETED].pk).status == S.COMPLETED
    assert Campaign.objects.get(pk=in_each_status[S.CANCELLED].pk).status == S.CANCELLED


# --- Editing ---------------------------------------------------------------------------------------


def form_data(campaign: Campaign, **changes) -> dict:
    data = {
        "title": campaign.title,
        "theme": campaign.theme,
        "description": campaign.description,
        "starts_on": campaign.starts_on.isoformat(),
        "ends_on": campaign.ends_on.isoformat(),
        "organiser": campaign.organiser_id,
        "audience": campaign.audience,
    }
    if campaign.counts_for_tt124:
        data["counts_for_tt124"] = "on"
    return data | changes


@pytest.mark.parametrize("status", [S.RUNNING, S.COMPLETED, S.CANCELLED])
def test_a_running_or_finished_campaign_cannot_be_edited(client, in_each_status, member, status):
    campaign = in_each_status[status]
    client.force_login(member)
    edit = reverse("campaigns:edit", args=[campaign.pk])
    message = vi(workflow.NOT_EDITABLE, status=vi(campaign.get_status_display()))
    response = client.get(edit, follow=True)
    assert response.redirect_chain[-1][0] == campaign.get_absolute_url()
    assert message in response.content.decode()
    response = client.post(edit, form_data(campaign, title="Đổi tên", counts_for_tt124="on"), follow=True)
    assert message in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.title == str(status) and not campaign.counts_for_tt124


@pytest.mark.parametrize("status", [S.DRAFT, S.SCHEDULED])
def test_a_draft_or_scheduled_campaign_can_be_edited(client, in_each_status, member, status):
    campaign = in_each_status[status]
    client.force_login(member)
    client.post(reverse("campaigns:edit", args=[campaign.pk]), form_data(campaign, title="Đổi tên"))
    campaign.refresh_from_db()
    assert campaign.title == "Đổi tên" and campaign.status == status


def test_an_edit_opened_before_the_campaign_started_is_refused(in_each_status):
    campaign = in_each_status[S.SCHEDULED]
    form = CampaignForm(form_data(campaign, title="Đổi tên"), instance=Campaign.objects.get(pk=campaign.pk))
    assert form.is_valid()
    Campaign.objects.filter(pk=campaign.pk).update(status=S.RUNNING)  # the sweep, meanwhile
    with pytest.raises(ValidationError):
        services.save(form)
    campaign.refresh_from_db()
    assert campaign.title == str(S.SCHEDULED) and campaign.status == S.RUNNING


@pytest.mark.parametrize("status", [S.COMPLETED, S.CANCELLED])
def test_nothing_is_added_to_a_finished_campaign(client, in_each_status, member, status, today):
    campaign = in_each_status[status]
    client.force_login(member)
    response = client.post(
        reverse("campaigns:session_add", args=[campaign.pk]),
        {"kind": "in_person", "starts_at": f"{today}T08:00", "ends_at": f"{today}T09:00"},
        follow=True,
    )
    assert vi(workflow.CLOSED) in response.content.decode()
    response = client.post(
        reverse("campaigns:material_add", args=[campaign.pk]),
        {"title": "Thêm", "link": "https://example.test/them"},
        follow=True,
    )
    assert vi(workflow.CLOSED) in response.content.decode()
    assert campaign.sessions.count() == 0 and campaign.materials.count() == 1


def test_a_make_up_session_can_be_added_while_running(client, in_each_status, member, today):
    campaign = in_each_status[S.RUNNING]
    tomorrow = today + timedelta(days=1)
    client.force_login(member)
    client.post(
        reverse("campaigns:session_add", args=[campaign.pk]),
        {"kind": "in_person", "starts_at": f"{tomorrow}T08:00", "ends_at": f"{tomorrow}T09:30"},
    )
    assert campaign.sessions.count() == 1


# --- The sweep goes through the same table -----------------------------------------------------------


def test_the_sweep_starts_and_ends_by_date_and_leaves_drafts_and_cancelled_alone(team, member, today):
    past = (today - timedelta(days=20), today - timedelta(days=10))
    scheduled_long_ago = make_campaign(member, *past, status=S.SCHEDULED)  # beat was down all that time
    forgotten_draft = make_campaign(member, *past, status=S.DRAFT)
    cancelled = make_campaign(member, *past, status=S.CANCELLED)
    starting = make_campaign(member, today, today + timedelta(days=5), status=S.SCHEDULED)
    done = reminders.sweep(now=at(today, 8))
    assert done["started"] == 2 and done["completed"] == 1
    statuses = {c.pk: c.status for c in Campaign.objects.all()}
    assert statuses[scheduled_long_ago.pk] == S.COMPLETED
    assert statuses[forgotten_draft.pk] == S.DRAFT
    assert statuses[cancelled.pk] == S.CANCELLED
    assert statuses[starting.pk] == S.RUNNING


# --- Copying to another year keeps the day and the month -------------------------------------------


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "year", "expected"),
    [
        # The festival day of the movement, 19/08, from a leap year to the next (a day later by ordinals).
        (date(2028, 8, 19), date(2028, 8, 19), 2029, (date(2029, 8, 19), date(2029, 8, 19))),
        (date(2027, 8, 19), date(2027, 8, 30), 2028, (date(2028, 8, 19), date(2028, 8, 30))),
        (date(2028, 2, 29), date(2028, 3, 5), 2029, (date(2029, 2, 28), date(2029, 3, 5))),
        (date(2027, 12, 20), date(2028, 1, 10), 2031, (date(2031, 12, 20), date(2032, 1, 10))),
        (date(2028, 8, 19), date(2028, 8, 25), 2026, (date(2026, 8, 19), date(2026, 8, 25))),
    ],
)
def test_a_copy_keeps_day_and_month(team, member, leader, starts_on, ends_on, year, expected):
    campaign = make_campaign(member, starts_on, ends_on, status=S.COMPLETED)
    Session.objects.create(
        campaign=campaign, starts_at=at(starts_on, 8, 30), ends_at=at(starts_on, 10, 45), place="Hội trường"
    )
    Session.objects.create(campaign=campaign, starts_at=at(ends_on, 14), ends_at=at(ends_on, 16))
    copy = services.copy_to_year(campaign=campaign, year=year, actor=leader)
    assert (copy.starts_on, copy.ends_on) == expected
    first, last = copy.sessions.order_by("starts_at")
    assert (timezone.localtime(first.starts_at), timezone.localtime(first.ends_at)) == (
        at(expected[0], 8, 30),
        at(expected[0], 10, 45),
    )
    assert (timezone.localtime(last.starts_at), timezone.localtime(last.ends_at)) == (
        at(expected[1], 14),
        at(expected[1], 16),
    )
    assert copy.status == S.DRAFT


def test_the_copy_page_shows_the_same_day_next_year(client, team, member):
    campaign = make_campaign(member, date(2028, 8, 19), date(2028, 8, 19), status=S.COMPLETED)
    client.force_login(member)
    response = client.post(reverse("campaigns:action", args=[campaign.pk, "copy"]), {"year": 2029}, follow=True)
    assert "19/08/2029" in response.content.decode()
