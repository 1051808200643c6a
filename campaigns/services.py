"""Campaign operations: scheduling and invitations, attendance, check-in, acknowledgement, copying."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns import notices
from campaigns.audience import audience_users
from campaigns.models import AbsenceReason, Campaign, Material, MaterialOpen, Participant, Session

NOT_A_DRAFT = _("Only a draft campaign can be scheduled.")
NO_SESSION = _("Add at least one session or one material before scheduling.")
WRONG_CODE = _("This code is not valid now. Check the code shown in the room, or ask the organiser.")
NOT_INVITED = _("You are not in the audience of this campaign. Ask the organiser to add you.")
OPEN_MATERIALS_FIRST = _("Open every material before confirming that you have read it.")
SESSION_OUTSIDE_PERIOD = _("The session must take place within the campaign period.")
SESSION_ENDS_BEFORE_START = _("The session cannot end before it starts.")
CAMPAIGN_CLOSED = _("This campaign is closed.")


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


@transaction.atomic
def schedule(campaign: Campaign) -> int:
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status != Campaign.Status.DRAFT:
        raise ValidationError(NOT_A_DRAFT)
    if not campaign.sessions.exists() and not campaign.materials.exists():
        raise ValidationError(NO_SESSION)
    today = timezone.localdate()
    campaign.status = Campaign.Status.RUNNING if campaign.starts_on <= today else Campaign.Status.SCHEDULED
    campaign.save(update_fields=["status"])
    return sync_audience(campaign)


@transaction.atomic
def close(campaign: Campaign, status: str) -> None:
    Campaign.objects.filter(pk=campaign.pk).update(status=status)


def validate_session(session: Session) -> None:
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


@transaction.atomic
def check_in(*, user, code: str, now: datetime | None = None) -> Session:
    """A staff member types (or scans) the code shown during the session."""
    now = now or timezone.now()
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


@transaction.atomic
def copy_to_year(*, campaign: Campaign, year: int, actor) -> Campaign:
    """A recurring briefing: the same campaign, dates moved to `year`, as a new draft."""
    shift = date(year, 1, 1).toordinal() - date(campaign.starts_on.year, 1, 1).toordinal()

    def moved(day: date) -> date:
        return date.fromordinal(day.toordinal() + shift)

    copy = Campaign.objects.create(
        title=campaign.title,
        theme=campaign.theme,
        description=campaign.description,
        starts_on=moved(campaign.starts_on),
        ends_on=moved(campaign.ends_on),
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
        offset = moved(timezone.localdate(session.starts_at)) - timezone.localdate(session.starts_at)
        Session.objects.create(
            campaign=copy,
            kind=session.kind,
            place=session.place,
            presenter=session.presenter,
            starts_at=session.starts_at + offset,
            ends_at=session.ends_at + offset,
        )
    return copy
