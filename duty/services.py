"""Writing the duty logbook and handing a shift over. Each business action is one transaction."""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.access import can
from core.files import stored_atomically
from core.uploads import SafeUpload
from duty import handover_items, notices
from duty.models import Handover, KeyLoan, LogEntry, MissingHandoverFlag
from duty.selectors import next_shift_after
from notifications.services import notify
from team.models import DutyShift

LOG_CLOSED = gettext_lazy("This shift was handed over: its log is closed. Write a correction instead.")
NOT_YOUR_SHIFT = gettext_lazy(
    "Only the member on duty and the backup of this shift write in its log, once it has begun."
)


def why_not_writable(shift) -> str:
    return str(LOG_CLOSED if Handover.objects.filter(shift=shift).exists() else NOT_YOUR_SHIFT)


@transaction.atomic
def write_system_entry(*, shift, text: str, kind: str, place=None, to_hand_over: bool = False, occurred_at=None):
    """An entry TựQuản itself writes in a shift's log (no author): a missed checkpoint, visitors still inside.

    Written whether or not the shift was handed over: it records a fact, it corrects nothing.
    """
    return LogEntry.objects.create(
        shift=shift,
        kind=kind,
        text=text,
        place=place,
        to_hand_over=to_hand_over,
        occurred_at=occurred_at or timezone.now(),
    )


def _store_photo(entry: LogEntry, photo: SafeUpload | None, written: list[str]) -> None:
    if photo is None:
        return
    entry.photo_extension = photo.extension
    entry.photo_content_type = photo.content_type
    entry.photo.save(photo.original_name, ContentFile(photo.data), save=False)
    written.append(entry.photo.name)


def write_entry(*, shift: DutyShift, author, fields: dict, photo: SafeUpload | None = None) -> LogEntry:
    """A new entry by the member on duty or the backup, while the shift is open."""
    with stored_atomically() as written:
        DutyShift.objects.select_for_update().filter(pk=shift.pk).first()  # one at a time with the handover
        if not can(author, "duty.write", shift):
            raise PermissionDenied(why_not_writable(shift))
        entry = LogEntry(shift=shift, author=author, kind=LogEntry.Kind.NOTE, **fields)
        _store_photo(entry, photo, written)
        entry.full_clean()
        entry.save()
    return entry


@transaction.atomic
def edit_entry(*, entry: LogEntry, author, fields: dict) -> LogEntry:
    """Change an entry before the handover: only its author, only while the shift is open."""
    DutyShift.objects.select_for_update().filter(pk=entry.shift_id).first()
    if entry.author_id != author.pk or not can(author, "duty.write", entry.shift):
        raise PermissionDenied(LOG_CLOSED)
    for name, value in fields.items():
        setattr(entry, name, value)
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def correct_entry(*, entry: LogEntry, author, text: str) -> LogEntry:
    """After the handover nothing is rewritten: the correction is a new entry pointing at the old one."""
    if not can(author, "duty.correct", entry.shift):
        raise PermissionDenied
    correction = LogEntry(
        shift=entry.shift,
        author=author,
        kind=LogEntry.Kind.CORRECTION,
        corrects=entry,
        text=text,
        place=entry.place,
        occurred_at=timezone.now(),
    )
    correction.full_clean()
    correction.save()
    return correction


def turn_into_incident(*, entry: LogEntry, actor, fields: dict, uploads: list[SafeUpload] = ()):
    """File an incident from a log entry (its photo goes with it) and link the two both ways, in one transaction."""
    from incidents import services as incidents

    with transaction.atomic():
        entry = LogEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.incident_id is not None:
            raise ValidationError(_("This entry is already incident %(reference)s.") % {"reference": entry.incident})
        photo = _entry_photo_as_upload(entry)
        incident = incidents.file_incident(filed_by=actor, fields=fields, uploads=[*photo, *uploads])
        entry.incident = incident
        entry.save(update_fields=["incident"])
    return incident


def _entry_photo_as_upload(entry: LogEntry) -> list[SafeUpload]:
    if not entry.photo:
        return []
    with entry.photo.open("rb") as stored:
        data = stored.read()
    name = f"{_('duty-log')}-{timezone.localtime(entry.occurred_at):%Y%m%d-%H%M}{entry.photo_extension}"
    return [SafeUpload(name, entry.photo_content_type, entry.photo_extension, data, is_image=True)]


@transaction.atomic
def hand_over(*, shift: DutyShift, actor, premises: str, instructions: str, now: datetime | None = None) -> Handover:
    """Close the shift's log and hand it to the next shift, with what is still open, as it is now."""
    now = now or timezone.now()
    DutyShift.objects.select_for_update().filter(pk=shift.pk).first()
    if not can(actor, "duty.hand_over", shift):
        raise PermissionDenied(_("This shift was already handed over."))
    handover = Handover.objects.create(
        shift=shift,
        next_shift=next_shift_after(shift),
        handed_by=actor,
        handed_at=now,
        premises=premises,
        instructions=instructions,
        open_items=handover_items.open_items(shift, now),
    )
    if handover.next_shift is not None:
        url = reverse("duty:receive", args=[handover.pk])
        for person in handover.next_shift.people():
            notify(
                recipient=person,
                kind=notices.HANDOVER_WAITING.code,
                context={"handover": handover, "shift": shift},
                url=url,
                dedupe_key=f"handover-waiting:{handover.pk}:{person.pk}",
            )
    return handover


@transaction.atomic
def receive(*, handover: Handover, actor, remarks: str = "", now: datetime | None = None) -> Handover:
    handover = Handover.objects.select_for_update(of=("self",)).select_related("next_shift").get(pk=handover.pk)
    if not can(actor, "duty.receive", handover):
        raise PermissionDenied(_("This handover was already confirmed, or is not addressed to your shift."))
    handover.received_by = actor
    handover.received_at = now or timezone.now()
    handover.receiver_remarks = remarks
    handover.save(update_fields=["received_by", "received_at", "receiver_remarks"])
    return handover


def flag_missing_handovers(now: datetime | None = None) -> int:
    """Tell the team leader about each shift that ended more than the grace period ago without a confirmed
    handover. Each shift is flagged once, whatever happens later."""
    from incidents.notices import team_leaders

    now = now or timezone.now()
    grace = settings.DUTY_HANDOVER_GRACE
    overdue = (
        DutyShift.objects.filter(ends_at__lte=now - grace, ends_at__gt=now - grace - settings.DUTY_HANDOVER_LOOKBACK)
        .exclude(handover__received_at__isnull=False)
        .exclude(pk__in=MissingHandoverFlag.objects.values("shift_id"))
        .select_related("member", "backup", "handover", "handover__next_shift__member")
        .order_by("ends_at")
    )
    leaders = list(team_leaders())
    flagged = 0
    for shift in overdue:
        with transaction.atomic():
            if not MissingHandoverFlag.objects.get_or_create(shift=shift)[1]:
                continue  # flagged meanwhile by another run
            handover = getattr(shift, "handover", None)
            for leader in leaders:
                notify(
                    recipient=leader,
                    kind=notices.HANDOVER_MISSING.code,
                    context={"shift": shift, "handover": handover},
                    url=reverse("duty:shift_log", args=[shift.pk]),
                    dedupe_key=f"handover-missing:{shift.pk}:{leader.pk}",
                )
            flagged += 1
    return flagged


@transaction.atomic
def lend_key(*, actor, key: str, holder: str, now: datetime | None = None) -> KeyLoan:
    if not can(actor, "duty.keys"):
        raise PermissionDenied
    loan = KeyLoan(key=key, holder=holder, lent_by=actor, lent_at=now or timezone.now())
    loan.full_clean()
    loan.save()
    return loan


@transaction.atomic
def take_key_back(*, loan: KeyLoan, actor, now: datetime | None = None) -> KeyLoan:
    loan = KeyLoan.objects.select_for_update().get(pk=loan.pk)
    if not can(actor, "duty.keys") or loan.returned_at is not None:
        raise PermissionDenied(_("This key was already returned."))
    loan.returned_at = now or timezone.now()
    loan.received_by = actor
    loan.save(update_fields=["returned_at", "received_by"])
    return loan
