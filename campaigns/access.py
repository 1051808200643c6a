"""Authorization for campaigns (registered in core.access)."""

from django.db.models import Q

from campaigns.models import Campaign, Material, Session
from core.access import rule, scope
from team.roles import Role, roles_of


def runs_campaigns(user) -> bool:
    return bool({Role.TEAM_MEMBER, Role.ADMIN} & roles_of(user))


def sees_every_campaign(user) -> bool:
    return runs_campaigns(user) or Role.LEADERSHIP in roles_of(user)


@scope(Campaign)
def campaigns_visible(user, queryset):
    # Staff see the campaigns they are invited to; anything else is a 404.
    if sees_every_campaign(user):
        return queryset
    return queryset.filter(Q(participants__user=user)).exclude(status=Campaign.Status.DRAFT).distinct()


@scope(Session)
def sessions_visible(user, queryset):
    return queryset.filter(campaign__in=campaigns_visible(user, Campaign.objects.all()))


@scope(Material)
def materials_visible(user, queryset):
    return queryset.filter(campaign__in=campaigns_visible(user, Campaign.objects.all()))


@rule("campaigns.manage")
def may_manage(user, obj):
    return runs_campaigns(user)


@rule("campaigns.view_coverage")
def may_view_coverage(user, obj):
    return sees_every_campaign(user)
