"""Audit entries for log-ins, log-outs, failed log-ins and every change made in Django admin."""

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver

from audit.services import Action, record

ADMIN_VERBS = {ADDITION: "added", CHANGE: "changed", DELETION: "deleted"}


@receiver(user_logged_in)
def logged_in(sender, request, user, **kwargs):
    record(Action.LOGIN, request=request, actor=user)


@receiver(user_logged_out)
def logged_out(sender, request, user, **kwargs):
    if user is not None:
        record(Action.LOGOUT, request=request, actor=user)


@receiver(user_login_failed)
def login_failed(sender, credentials, request=None, **kwargs):
    # The username typed, which may be nobody's; never the password.
    username = str(credentials.get("username", ""))[:150]
    record(Action.LOGIN_FAILED, request=request, actor_name=username, detail=username)


@receiver(post_save, sender=LogEntry)
def admin_change(sender, instance, created, **kwargs):
    """Django admin writes a LogEntry for every addition, change and deletion: each becomes an audit entry."""
    if not created:
        return
    content_type = instance.content_type
    record(
        Action.ADMIN_CHANGE,
        actor=instance.user,
        object_type=f"{content_type.app_label}.{content_type.model}" if content_type else "",
        object_id=instance.object_id or "",
        object_repr=instance.object_repr,
        detail=f"{ADMIN_VERBS.get(instance.action_flag, '?')}: {instance.get_change_message()}",
    )
