"""Authorization rules for notifications (registered in core.access)."""

from core.access import rule, scope
from notifications.models import Delivery, Notification
from team.roles import Role, roles_of


@scope(Notification)
def own_notifications(user, queryset):
    # Nobody reads another person's notifications, not even an administrator, in the site.
    return queryset.filter(recipient=user)


@rule("notifications.use_inbox")
def may_use_inbox(user, obj):
    return Role.STAFF in roles_of(user)


@rule("notifications.manage_deliveries")
def may_manage_deliveries(user, obj):
    return Role.ADMIN in roles_of(user)


@scope(Delivery)
def deliveries_for_admins(user, queryset):
    return queryset if Role.ADMIN in roles_of(user) else queryset.none()
