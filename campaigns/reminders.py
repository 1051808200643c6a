"""The campaign sweep: statuses by date, late joiners, session reminders, chasing, weekly summaries.

Run every 15 minutes by beat (and `manage.py campaigns_sweep`). Everything is recomputed from the
data and every notice carries a deduplication key, so running it twice sends nothing twice and a
moved session gets a reminder for its new time.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from campaigns import coverage, notices, workflow
from campaigns.models import Campaign, Session
from campaigns.services import sync_audience

LIVE = (Campaign.Status.SCHEDULED, Campaign.Status.RUNNING)


def sweep(now: datetime | None = None) -> dict:
    now = now or timezone.now()
    today = timezone.localdate(now)
    done = {"started": 0, "completed": 0, "invited": 0, "session_reminders": 0, "chased": 0, "summaries": 0}
    with transaction.atomic():
        # In this order: a campaign whose whole period passed while the sweep did not run starts, then ends.
        done["started"] = _by_date("start", starts_on__lte=today)
        done["completed"] = _by_date("complete", ends_on__lt=today)
    for campaign in Campaign.objects.filter(status__in=LIVE).select_related("organiser"):
        with transaction.atomic():
            done["invited"] += sync_audience(campaign, now)
            done["session_reminders"] += _session_reminders(campaign, now)
            done["chased"] += _chase(campaign, today)
            done["summaries"] += _weekly_summary(campaign, today)
    return done


def _by_date(transition: str, **due) -> int:
    """The sweep's transitions (campaigns.workflow), in one UPDATE of every due campaign it allows."""
    spec = workflow.TRANSITIONS[transition]
    return Campaign.objects.filter(status__in=spec.sources, **due).update(status=spec.target)


def _session_reminders(campaign: Campaign, now: datetime) -> int:
    sessions = Session.objects.filter(campaign=campaign, starts_at__gt=now, starts_at__lte=now + timedelta(days=1))
    if not sessions:
        return 0
    missing = [participant.user for participant in campaign.participants.people().missing().select_related("user")]
    sent = 0
    for session in sessions:
        key = f"campaign-session:{session.pk}:{session.starts_at:%Y%m%dT%H%M}"
        sent += len(notices.tell(missing, notices.SESSION_REMINDER, campaign, key=key, session=session))
    return sent


def _chase(campaign: Campaign, today) -> int:
    if campaign.status != Campaign.Status.RUNNING or today < campaign.starts_on:
        return 0
    every = max(1, settings.CAMPAIGN_CHASE_EVERY_DAYS)
    round_number = (today - campaign.starts_on).days // every
    if round_number == 0:
        return 0  # the invitation is still fresh
    missing = [participant.user for participant in campaign.participants.people().missing().select_related("user")]
    return len(notices.tell(missing, notices.CHASE, campaign, key=f"campaign-chase:{campaign.pk}:{round_number}"))


def _weekly_summary(campaign: Campaign, today) -> int:
    year, week, _day = today.isocalendar()
    figures = coverage.campaign_figures(campaign)
    told = notices.tell(
        [campaign.organiser],
        notices.WEEKLY_SUMMARY,
        campaign,
        key=f"campaign-summary:{campaign.pk}:{year}-W{week:02d}",
        figures=figures,
    )
    return len(told)
