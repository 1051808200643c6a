"""Sending notifications: the one function every module calls, preferences, and reading."""

import logging
from collections.abc import Iterable
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from notifications import delivery, kinds
from notifications.models import Channel, Delivery, Notification, Preference

log = logging.getLogger(__name__)

# How long a pending delivery may wait for its Celery task before the sweep dispatches it
# again. Longer than a normal delivery takes; short enough that a broker outage costs minutes.
DISPATCH_GRACE = timedelta(minutes=2)


def notify(*, recipient, kind: str, context: dict | None = None, url: str = "", dedupe_key: str = "", _renderings=None):
    """Tell `recipient` something. Call it inside the business transaction it belongs to.

    Writes the Notification and one Delivery per enabled external channel in the caller's
    transaction; the Celery tasks are published only after that transaction commits, so a
    rollback sends nothing and a broker outage only delays (the sweep re-dispatches).

    Returns the Notification, or None when `dedupe_key` was already used for this recipient
    or the person is inactive.
    """
    spec = kinds.get(kind)
    if not recipient.is_active:
        return None
    channels = enabled_channels(recipient, spec)
    title, body = _render(spec, recipient, context or {}, _renderings)
    now = timezone.now()
    try:
        # A savepoint: a duplicate dedupe_key must not break the caller's transaction.
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                kind=kind,
                title=title[:300],
                body=body,
                url=url,
                dedupe_key=dedupe_key,
                show_in_inbox=Channel.IN_APP in channels,
                created_at=now,
            )
            outbox = [
                Delivery(notification=notification, channel=channel, dispatch_after=now + DISPATCH_GRACE)
                for channel in channels
                if channel == Channel.EMAIL and recipient.email
            ]
            Delivery.objects.bulk_create(outbox)
    except IntegrityError:
        if dedupe_key:
            return None
        raise
    if outbox:
        transaction.on_commit(partial(delivery.dispatch, [item.pk for item in outbox]))
    return notification


def notify_many(*, recipients: Iterable, kind: str, context=None, url: str = "", dedupe_key: str = "") -> list:
    renderings: dict = {}
    sent = [
        notify(recipient=person, kind=kind, context=context, url=url, dedupe_key=dedupe_key, _renderings=renderings)
        for person in dict.fromkeys(recipients)
    ]
    return [notification for notification in sent if notification is not None]


def _render(spec: kinds.Kind, recipient, context: dict, renderings: dict | None) -> tuple[str, str]:
    language = recipient.language or settings.LANGUAGE_CODE
    shared = renderings is not None and not spec.personal
    if shared and language in renderings:
        return renderings[language]
    with translation.override(language):
        full = {"recipient": recipient, "site_url": settings.SITE_URL, **context}
        title = " ".join(render_to_string(spec.subject_template, full).split())
        body = render_to_string(spec.body_template, full).strip()
    if shared:
        renderings[language] = (title, body)
    return title, body


# --- preferences ---------------------------------------------------------------------------


def default_enabled(spec: kinds.Kind, channel: str) -> bool:
    return channel == Channel.IN_APP or spec.email_by_default


def enabled_channels(user, spec: kinds.Kind) -> set[str]:
    if spec.critical:
        return {Channel.IN_APP, Channel.EMAIL}
    chosen = dict(Preference.objects.filter(user=user, kind=spec.code).values_list("channel", "enabled"))
    return {channel for channel in Channel.values if chosen.get(channel, default_enabled(spec, channel))}


def preference_table(user) -> list[dict]:
    """Every kind with, per channel, whether it is on and whether the user may change it."""
    chosen = {
        (kind, channel): on
        for kind, channel, on in user.notification_preferences.values_list("kind", "channel", "enabled")
    }
    return [
        {
            "kind": spec,
            "channels": [
                {
                    "channel": channel,
                    "enabled": spec.critical or chosen.get((spec.code, channel), default_enabled(spec, channel)),
                    "locked": spec.critical,
                }
                for channel in Channel.values
            ],
        }
        for spec in kinds.all_kinds()
    ]


@transaction.atomic
def save_preferences(user, enabled: set[tuple[str, str]]) -> None:
    """Store the user's choices: `enabled` holds the (kind, channel) pairs that are on."""
    for spec in kinds.all_kinds():
        if spec.critical:
            continue  # critical kinds cannot be switched off, whatever was posted
        for channel in Channel.values:
            Preference.objects.update_or_create(
                user=user, kind=spec.code, channel=channel, defaults={"enabled": (spec.code, channel) in enabled}
            )


# --- reading -------------------------------------------------------------------------------


def mark_read(notification: Notification) -> None:
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())


def mark_all_read(user) -> int:
    return Notification.objects.for_inbox(user).unread().update(read_at=timezone.now())


def unread_count(user) -> int:
    return Notification.objects.for_inbox(user).unread().count()
