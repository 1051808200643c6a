"""Sending notifications: the one function every module calls, preferences, and reading."""

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.template import Context, loader
from django.utils import timezone, translation

from core import bulk
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


@dataclass(frozen=True)
class Send:
    """One message to several people, as one notify_many() call: the unit of notify_bulk()."""

    recipients: Sequence
    kind: str
    context: dict = field(default_factory=dict)
    url: str = ""
    dedupe_key: str = ""


def notify_bulk(sends: Sequence[Send]) -> list[list[Notification]]:
    """notify_many() for many messages at once, in a number of statements that does not grow with them.

    For sweeps that tell people about hundreds of things in one transaction (incidents/sla.py).
    The rules are notify()'s: inactive people are skipped, preferences apply unless the kind is
    critical, each person reads it in his language (rendered once per send and language for a
    kind that is not personal), and a `dedupe_key` already used for a person tells him nothing
    again. The statements: one for the preferences, one INSERT for the notifications with a key
    (ON CONFLICT DO NOTHING on the unique (recipient, dedupe_key) index, so two overlapping
    transactions cannot both tell someone), one for those without, one for the deliveries, and
    one publish of all of them after the caller's transaction commits.

    Returns, for each send in order, the notifications it created (empty: nobody was told).
    """
    specs = {send.kind: kinds.get(send.kind) for send in sends}
    people = {person.pk: person for send in sends for person in send.recipients if person.is_active}
    chosen = _preferences_of(people, [code for code, spec in specs.items() if not spec.critical])
    now = timezone.now()
    planned: list[tuple[int, Notification, set[str]]] = []
    for index, send in enumerate(sends):
        spec, renderings = specs[send.kind], {}
        for person in dict.fromkeys(send.recipients):
            if not person.is_active:
                continue
            channels = _channels(spec, chosen.get((person.pk, spec.code), {}))
            title, body = _render(spec, person, send.context, renderings)
            notification = Notification(
                recipient=person,
                kind=send.kind,
                title=title[:300],
                body=body,
                url=send.url,
                dedupe_key=send.dedupe_key,
                show_in_inbox=Channel.IN_APP in channels,
                created_at=now,
            )
            planned.append((index, notification, channels))
    _insert_notifications([item for _index, item, _channels in planned if not item.dedupe_key], once=False)
    _insert_notifications([item for _index, item, _channels in planned if item.dedupe_key], once=True)

    created: list[list[Notification]] = [[] for _send in sends]
    emailed = []
    for index, notification, channels in planned:
        if notification.pk is None:
            continue  # its dedupe_key was already used for this person
        created[index].append(notification)
        if Channel.EMAIL in channels and notification.recipient.email:
            emailed.append(notification.pk)
    outbox = _insert_deliveries(emailed, channel=Channel.EMAIL, dispatch_after=now + DISPATCH_GRACE)
    if outbox:
        transaction.on_commit(partial(delivery.dispatch_in_bulk, outbox))
    return created


def _preferences_of(people: dict, codes: list[str]) -> dict[tuple[int, str], dict[str, bool]]:
    """{(user id, kind): {channel: enabled}} for these people and kinds, in one query."""
    chosen: dict[tuple[int, str], dict[str, bool]] = {}
    if people and codes:
        rows = Preference.objects.filter(user__in=list(people), kind__in=codes)
        for user_id, kind, channel, enabled in rows.values_list("user_id", "kind", "channel", "enabled"):
            chosen.setdefault((user_id, kind), {})[channel] = enabled
    return chosen


def _insert_notifications(notifications: list[Notification], *, once: bool) -> None:
    """Insert the notifications and set the pk of each one inserted.

    `once`: they carry a dedupe_key and one already used for that person is skipped. The rows
    inserted come back identified by (recipient, dedupe_key), which the unique index makes unique;
    otherwise they all come back, in order.
    """
    if not notifications:
        return
    fields = bulk.writable_fields(Notification)
    rows = [bulk.values(notification, fields) for notification in notifications]
    inserted = bulk.insert(Notification, rows, returning=["id", "recipient", "dedupe_key"], ignore_conflicts=once)
    if once:
        by_key: dict[tuple[int, str], Notification] = {}
        for notification in notifications:
            by_key.setdefault((notification.recipient_id, notification.dedupe_key), notification)
        targets = [by_key[(recipient_id, dedupe_key)] for _pk, recipient_id, dedupe_key in inserted]
    else:
        targets = notifications
    for notification, (pk, _recipient_id, _dedupe_key) in zip(targets, inserted, strict=True):
        notification.pk = pk
        notification._state.adding, notification._state.db = False, connection.alias


def _insert_deliveries(notification_ids: list[int], **values) -> list[int]:
    """One Delivery per notification, all alike but for it; returns their ids."""
    if not notification_ids:
        return []
    fields = bulk.writable_fields(Delivery)
    template = bulk.values(Delivery(notification_id=0, **values), fields)
    position = [field.attname for field in fields].index("notification_id")
    rows = [[*template[:position], pk, *template[position + 1 :]] for pk in notification_ids]
    return [pk for (pk,) in bulk.insert(Delivery, rows, returning=["id"])]


def render_to_string(template_name: str, context: dict) -> str:
    """Render a notification template as plain text: nothing is HTML-escaped.

    The title and body are stored and mailed as plain text, so `"Tổ 1" & <b>` must stay as
    typed (Django's engine would write `&quot;Tổ 1&quot; &amp; &lt;b&gt;`); the HTML pages that
    show them (inbox, admin) escape them once, as they do any other text.
    """
    return loader.get_template(template_name).template.render(Context(context, autoescape=False))


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


def critical_channels(spec: kinds.Kind) -> set[str]:
    return {Channel.EMAIL} if spec.email_only else {Channel.IN_APP, Channel.EMAIL}


def enabled_channels(user, spec: kinds.Kind) -> set[str]:
    if spec.critical:
        return critical_channels(spec)
    chosen = dict(Preference.objects.filter(user=user, kind=spec.code).values_list("channel", "enabled"))
    return {channel for channel in Channel.values if chosen.get(channel, default_enabled(spec, channel))}


def _channels(spec: kinds.Kind, chosen: dict[str, bool]) -> set[str]:
    """enabled_channels() for a person whose stored choices for this kind are `chosen` ({channel: on})."""
    if spec.critical:
        return critical_channels(spec)
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
                    "enabled": channel in critical_channels(spec)
                    if spec.critical
                    else chosen.get((spec.code, channel), default_enabled(spec, channel)),
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
