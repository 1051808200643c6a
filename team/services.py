"""Write-side operations on the roster. Each is one transaction and validates like admin does."""

from datetime import date, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from team.models import Decision, DutyShift, Membership, Team, User
from team.models.membership import COMMAND_ROLES

ALREADY_HOLDS_MESSAGE = _("%(person)s is already the %(role)s.")
IN_ANOTHER_TEAM_MESSAGE = _("%(person)s holds a role in another team. End that membership first.")


@transaction.atomic
def appoint_member(
    *,
    team: Team,
    user: User,
    role: str,
    start_date: date,
    decision: Decision | None = None,
    previous: Membership | None = None,
) -> Membership:
    """Give `user` an active role in `team`. Raises ValidationError if the roster rules forbid it.

    `previous`: the role in this team that this one replaces (ended by the caller without a notice), so the
    person is told once, of the change.
    """
    membership = Membership(team=team, user=user, role=role, start_date=start_date, appointed_by=decision)
    membership.full_clean()  # takes the team row lock; held until this transaction commits
    # The label stays lazy: the notice is written in the recipient's language.
    membership.previous_role = Membership.Role(previous.role).label if previous else ""
    membership.save()
    return membership


@transaction.atomic
def end_membership(
    *, membership: Membership, end_date: date, decision: Decision | None = None, notify: bool = True
) -> Membership:
    membership.end_date = end_date
    membership.relieved_by = decision
    membership.full_clean()
    membership.save(update_fields=["end_date", "relieved_by"], notify=notify)
    return membership


def record_decision(*, number: str, signed_on: date, signer_name: str, signer_title: str, summary: str) -> Decision:
    """The decision with this number and date, recorded now if it is not yet (a number is unique per date)."""
    decision, _created = Decision.objects.get_or_create(
        number=number.strip(),
        signed_on=signed_on,
        defaults={"signer_name": signer_name, "signer_title": signer_title, "summary": summary},
    )
    return decision


@transaction.atomic
def appoint_to_command(
    *, team: Team, role: str, person: User, start_date: date, decision: Decision, previous_holder_stays: bool
) -> Membership:
    """A new team leader or deputy under one decision: the holder's role ends and the new one starts together.

    The person appointed leaves their own role in the team, if any (a deputy promoted to leader). The
    previous holder leaves the team, or stays as a member if `previous_holder_stays`. Everything is
    relieved and appointed by `decision` from `start_date`; the usual notices go out from Membership.save.
    """
    if role not in COMMAND_ROLES:
        raise ValueError(f"{role!r} is not a command role")
    Team.objects.select_for_update().filter(pk=team.pk).first()  # one roster change at a time
    role_label = Membership.Role(role).label
    current = Membership.objects.active().filter(team=team, role=role).select_related("user").first()
    if current is not None and current.user_id == person.pk:
        raise ValidationError(ALREADY_HOLDS_MESSAGE % {"person": person, "role": role_label})
    own = Membership.objects.active().filter(user=person).first()
    if own is not None and own.team_id != team.pk:
        raise ValidationError(IN_ANOTHER_TEAM_MESSAGE % {"person": person})
    # Whoever keeps a place in the team is told once, of the new role, rather than "ended" and then "added".
    stays = current is not None and previous_holder_stays
    if current is not None:
        end_membership(membership=current, end_date=start_date, decision=decision, notify=not stays)
    if own is not None:
        end_membership(membership=own, end_date=start_date, decision=decision, notify=False)
    appointed = appoint_member(
        team=team, user=person, role=role, start_date=start_date, decision=decision, previous=own
    )
    if stays:
        appoint_member(
            team=team,
            user=current.user,
            role=Membership.Role.MEMBER,
            start_date=start_date,
            decision=decision,
            previous=current,
        )
    return appointed


@transaction.atomic
def schedule_shift(
    *,
    team: Team,
    day: date,
    start: time,
    end: time,
    member: User,
    backup: User | None = None,
    note: str = "",
) -> DutyShift:
    shift = DutyShift(team=team, date=day, start_time=start, end_time=end, member=member, backup=backup, note=note)
    shift.full_clean()
    shift.save()
    return shift
