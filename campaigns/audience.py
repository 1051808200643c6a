"""Who a campaign is for, computed from today's data: late joiners fall in by themselves."""

from campaigns.models import Audience, Campaign
from team.models import User
from team.selectors import active_members


def audience_users(campaign: Campaign):
    active = User.objects.people()
    if campaign.audience == Audience.ALL_STAFF:
        return active
    if campaign.audience == Audience.DEPARTMENTS:
        return active.filter(department__in=campaign.departments.all())
    if campaign.audience == Audience.PEOPLE:
        return active.filter(pk__in=campaign.people.all())
    return active_members()
