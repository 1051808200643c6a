"""Campaign operations: scheduling and invitations, attendance, check-in, acknowledgement, copying."""

from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns import notices, workflow
from campaigns.audience import audience_users
from campaigns.models import AbsenceReason, Campaign, Material, MaterialOpen, Participant, Session
from core import dates, ratelimit

NO_SESSION = _("Add at least one session or one material before scheduling.")
WRONG_CODE = _("This code is not valid now. Check the code shown in the room, or ask the organiser.")
NOT_INVITED = _("You are not in the audience of this campaign. Ask the organiser to add you.")
CHECK_IN_PAUSED = _(
    "Too many wrong codes were typed. Check-in is paused until %(time)s: try again then, "
    "or ask the organiser to mark your attendance."
)
OPEN_MATERIALS_FIRST = _("Open every material before confirming that you have read it.")
SESSION_OUTSIDE_PERIOD = _("The session must take place within the campaign period.")
SESSION_ENDS_BEFORE_START = _("The session cannot end before it starts.")
CAMPAIGN_CLOSED = _("This campaign is closed.")
COPY_OUT_OF_RANGE = _("Copied to that year, the campaign would leave %(earliest)s – %(latest)s. Choose another year.")

# A check-in code has 6 digits: without a limit it falls to a script in minutes, and a forged check-in counts
# toward the TT 124 criterion-1 figure. Wrong codes are limited per person, and per computer (several accounts
# used from one machine); a right code does not count.
CHECK_IN_PER_PERSON = ratelimit.Limit(
    "check-in-person", attempts=5, window=timedelta(minutes=10), cooloff=timedelta(minutes=15)
)
CHECK_IN_PER_CLIENT = ratelimit.Limit(
    "check-in-client", attempts=20, window=timedelta(minutes=10), cooloff=timedelta(minutes=15)
)


def sync_audience(campaign: Campaign, now: datetime | None = None) -> int:
    """Invite everyone in the audience who is not invited yet (late joiners too). Returns how many."""
    now = now or timezone.now()
    known = set(campaign.participants.values_list("user_id", flat=True))
    newcomers = [user for user in audience_users(campaign) if user.pk not in known]
    Participant.objects.bulk_create(
        [Participant(campaign=campaign, user=user, invited_at=now) for user in newcomers], ignore_conflicts=True
    )
    notices.tell(newcomers, notices.INVITED, campaign, key=f"campaign-invitation:{campaign.pk}")
    return len(newcomers)


def _locked(campaign: Campaign, transition: str) -> Campaign:
    """The campaign's row, locked, once campaigns.workflow allows `transition` from its current status."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    workflow.check(campaign, transition)
    return campaign


def _move(campaign: Campaign, transition: str) -> None:
    campaign.status = workflow.check(campaign, transition).target
    campaign.save(update_fields=["status"])


@transaction.atomic
def schedule(campaign: Campaign) -> int:
    """Schedule a draft and invite its audience; it starts at once if its first day has come. Returns how
    many people were invited."""
    campaign = _locked(campaign, "schedule")
    if not campaign.sessions.exists() and not campaign.materials.exists():
        raise ValidationError(NO_SESSION)
    _move(campaign, "schedule")
    if campaign.starts_on <= timezone.localdate():
        _move(campaign, "start")
    return sync_audience(campaign)


@transaction.atomic
def complete(campaign: Campaign) -> None:
    """End a running campaign before its last day (the sweep ends it the day after)."""
    _move(_locked(campaign, "complete"), "complete")


@transaction.atomic
def cancel(campaign: Campaign) -> None:
    _move(_locked(campaign, "cancel"), "cancel")


@transaction.atomic
def save(form) -> Campaign:
    """Save the campaign form: a new draft, or changes while the campaign may still change (workflow.EDITABLE).

    Checked on the locked row, since the sweep may have started the campaign after the form was opened; and the
    status saved is the row's, not the one read then.
    """
    if form.instance.pk:
        current = Campaign.objects.select_for_update().get(pk=form.instance.pk)
        workflow.check_editable(current)
        form.instance.status = current.status
    return form.save()


def validate_session(session: Session) -> None:
    workflow.check_open(session.campaign)
    errors = []
    if session.starts_at and session.ends_at and session.ends_at <= session.starts_at:
        errors.append(SESSION_ENDS_BEFORE_START)
    campaign = session.campaign
    if session.starts_at and not (campaign.starts_on <= timezone.localdate(session.starts_at) <= campaign.ends_on):
        errors.append(SESSION_OUTSIDE_PERIOD)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def mark_attendance(*, session: Session, actor, present: set[int], absent: dict[int, str]) -> None:
    """The organiser's tick list: `present` user ids attended `session`; `absent` maps ids to a reason."""
    now = timezone.now()
    participants = session.campaign.participants.select_for_update()
    for participant in participants:
        if participant.user_id in present and participant.attended_at is None:
            participant.attended_session, participant.attended_at = session, now
            participant.attendance_marked_by, participant.absence_reason = actor, ""
            participant.save(
                update_fields=["attended_session", "attended_at", "attendance_marked_by", "absence_reason"]
            )
        elif participant.user_id in absent and participant.attended_at is None:
            reason = absent[participant.user_id]
            participant.absence_reason = reason if reason in AbsenceReason.values else AbsenceReason.OTHER
            participant.save(update_fields=["absence_reason"])


def check_in(*, user, code: str, client: str | None = None, now: datetime | None = None) -> Session:
    """A staff member types (or scans) the code shown during the session, from the computer at `client`.

    Raises ValidationError for a wrong code, or while the wrong codes of the person or of the computer are
    cooling off: then even the right code is refused, or the pause would not stop a guess. Counting happens
    outside the check-in's transaction, so a wrong code stays counted when that transaction rolls back.
    """
    now = now or timezone.now()
    try:
        attempt = ratelimit.attempt([(CHECK_IN_PER_PERSON, user.pk), (CHECK_IN_PER_CLIENT, client)], now=now)
    except ratelimit.Limited as limited:
        # Shown rounded up to the minute: at the minute shown, the pause is over.
        until = timezone.localtime(limited.until + timedelta(seconds=59))
        raise ValidationError(CHECK_IN_PAUSED % {"time": f"{until:%H:%M}"}) from None
    try:
        session = _record_check_in(user=user, code=code, now=now)
    except PermissionDenied:
        attempt.forgive()  # the code was right; the person is just not invited
        raise
    attempt.forgive()
    return session


@transaction.atomic
def _record_check_in(*, user, code: str, now: datetime) -> Session:
    candidates = [
        s
        for s in Session.objects.filter(check_in_code=code.strip()).select_related("campaign")
        if s.check_in_open(now) and s.campaign.is_live
    ]
    if not candidates:
        raise ValidationError(WRONG_CODE)
    for session in candidates:
        participant = session.campaign.participants.select_for_update().filter(user=user).first()
        if participant is not None:
            if participant.attended_at is None:
                participant.attended_session, participant.attended_at = session, now
                participant.absence_reason = ""
                participant.save(update_fields=["attended_session", "attended_at", "absence_reason"])
            return session
    raise PermissionDenied(NOT_INVITED)


def open_material(participant: Participant, material: Material) -> None:
    MaterialOpen.objects.get_or_create(participant=participant, material=material)


@transaction.atomic
def acknowledge(*, participant: Participant) -> None:
    if not participant.campaign.is_live:
        raise ValidationError(CAMPAIGN_CLOSED)
    material_ids = set(participant.campaign.materials.values_list("pk", flat=True))
    opened = set(participant.opened.values_list("material_id", flat=True))
    if material_ids - opened:
        raise ValidationError(OPEN_MATERIALS_FIRST)
    if participant.acknowledged_at is None:
        participant.acknowledged_at = timezone.now()
        participant.save(update_fields=["acknowledged_at"])


def _same_day(day: date, year: int) -> date:
    """`day` in `year`: the same day and month, 29/02 becoming 28/02 in a common year."""
    if not dates.year_in_range(year):
        raise ValidationError(COPY_OUT_OF_RANGE, params=dates.RANGE)
    try:
        return day.replace(year=year)
    except ValueError:
        return day.replace(year=year, day=28)


@transaction.atomic
def copy_to_year(*, campaign: Campaign, year: int, actor) -> Campaign:
    """A recurring briefing: the same campaign as a new draft in `year`.

    Every date keeps its day and month (19/08 stays 19/08; 29/02 becomes 28/02), the later ones as many years on
    as the first; sessions keep their time of day and length. ValidationError when a date would leave
    core.dates' range.
    """
    years = year - campaign.starts_on.year
    copy = Campaign.objects.create(
        title=campaign.title,
        theme=campaign.theme,
        description=campaign.description,
        starts_on=_same_day(campaign.starts_on, year),
        ends_on=_same_day(campaign.ends_on, campaign.ends_on.year + years),
        organiser=actor,
        audience=campaign.audience,
        counts_for_tt124=campaign.counts_for_tt124,
        copied_from=campaign,
    )
    copy.departments.set(campaign.departments.all())
    copy.people.set(campaign.people.all())
    for material in campaign.materials.all():
        material.pk, material.campaign = None, copy  # the same stored file, a new row
        material.save()
    for session in campaign.sessions.all():
        local = timezone.localtime(session.starts_at)
        starts_at = timezone.make_aware(datetime.combine(_same_day(local.date(), local.year + years), local.time()))
        Session.objects.create(
            campaign=copy,
            kind=session.kind,
            place=session.place,
            presenter=session.presenter,
            starts_at=starts_at,
            ends_at=starts_at + (session.ends_at - session.starts_at),
        )
    return copy
