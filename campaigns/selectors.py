"""Reads of campaigns for the home page: what a person still has to attend or read."""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from campaigns.models import Campaign, Participant, Session

LIVE = (Campaign.Status.SCHEDULED, Campaign.Status.RUNNING)


@dataclass
class Invitation:
    """A live campaign that has not reached the person yet (campaigns.coverage.REACHED), and its next session."""

    campaign: Campaign
    next_session: Session | None
    check_in_open: bool


def invitations_of(user, now: datetime | None = None) -> list[Invitation]:
    """The live campaigns still waiting for `user`: neither attended nor acknowledged. Two queries."""
    now = now or timezone.now()
    waiting = Participant.objects.filter(
        user=user, campaign__status__in=LIVE, campaign__ends_on__gte=timezone.localdate(now)
    ).missing()
    campaigns = [
        entry.campaign for entry in waiting.select_related("campaign").order_by("campaign__ends_on", "campaign_id")
    ]
    next_session = {}
    sessions = Session.objects.filter(
        campaign__in=waiting.values("campaign_id"), kind=Session.Kind.IN_PERSON, ends_at__gt=now
    ).order_by("starts_at", "pk")
    for session in sessions:
        next_session.setdefault(session.campaign_id, session)
    return [
        Invitation(
            campaign,
            next_session.get(campaign.pk),
            bool(next_session.get(campaign.pk) and next_session[campaign.pk].check_in_open(now)),
        )
        for campaign in campaigns
    ]
