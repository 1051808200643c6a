"""Commendations: a team member proposes, the team leader reviews, the Chief of Office (or the Deputy Chief
acting for him) approves or not, and the decision number and date grant it.

Each public function is one transaction: it locks the commendation row, checks the version the person saw,
asks core.access, changes the row and tells the next people in the chain (notifications in the same
transaction, once per step through the dedupe key).
"""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from core.access import can, visible
from evaluations import notices
from evaluations.models import Commendation, Evaluation
from evaluations.services.common import Conflict
from incidents.models import Incident
from team.models import Membership, Office, Position, User

C = Commendation.Status

STALE = _(
    "Someone else changed this commendation while you were looking at it. Here is what it looks like now: "
    "check it and try again."
)
MAY_NOT_PROPOSE = _("Only members of the security team may propose a commendation.")
MAY_NOT_REVIEW = _("Only the team leader reviews proposals of commendations.")
OWN_PROPOSAL = _("You proposed this commendation yourself, so you cannot review it: the Chief of Office decides it.")
MAY_NOT_DECIDE = _("Only the Chief of Office, or the Deputy Chief acting for him, approves commendations.")
MAY_NOT_RECORD = _("Only the team leader, the deputy team leader or the Chief of Office records the decision.")
PAST_THAT_STEP = _("This commendation is now “%(status)s”: that step is not possible any more.")
NOMINEE_MISSING = _("Name the person or the collective to commend.")
NOMINEE_TWICE = _("Name either a person or a collective, not both.")
NOMINEE_INACTIVE = _("This person no longer works at the office.")
ACHIEVEMENT_MISSING = _("Describe the achievement.")
WRONG_EVALUATION = _("Choose the evaluation of %(year)s, the year of the commendation.")
NOT_YOURS_TO_LINK = _("You can only link incidents and campaigns that you can see.")
REASON_MISSING = _("Please say why the commendation is not approved.")
NUMBER_MISSING = _("Give the number of the decision.")
DATE_MISSING = _("Give the date of the decision.")
DATE_IN_FUTURE = _("The decision cannot be dated in the future.")
DATE_BEFORE_PROPOSAL = _("The decision cannot be dated before the proposal (%(date)s).")

# Which statuses each step starts from (core.access says who; this says "not any more" in the refusal).
_STEP_SOURCES = {
    "evaluations.review_commendation": (C.PROPOSED,),
    "evaluations.decide_commendation": (C.PROPOSED, C.REVIEWED),
    "evaluations.record_commendation_decision": (C.APPROVED,),
}


# --- who is told -------------------------------------------------------------------------------


def team_leaders() -> list:
    return list(
        User.objects.filter(
            is_active=True, pk__in=Membership.objects.active().filter(role=Membership.Role.LEADER).values("user_id")
        )
    )


def deciders(day: date | None = None) -> list:
    """The Chief of Office, and the Deputy Chief acting for him on `day` (today) when there is one."""
    people = list(User.objects.filter(is_active=True, position__kind=Position.Kind.CHIEF))
    office = Office.objects.select_related("acting_chief").exclude(acting_chief=None).first()
    acting = office.acting_chief_on(day or timezone.localdate()) if office else None
    return [*people, acting] if acting else people


def _tell(recipients: Iterable, kind, commendation: Commendation, step: str, *, actor, always=None) -> list:
    # The person acting knows what he did (except `always`: the person named hears of his own award);
    # everyone else hears once per commendation and step.
    return notices.tell(
        [person for person in recipients if person is not None and (person.pk != actor.pk or person == always)],
        kind,
        url=commendation.get_absolute_url(),
        key=f"commendation-{commendation.pk}-{step}",
        commendation=commendation,
    )


# --- proposing -----------------------------------------------------------------------------------


def check_nominee(person, collective: str) -> None:
    """Exactly one of a person or a collective (the database has the same check as a constraint)."""
    if person and collective.strip():
        raise ValidationError({"collective": NOMINEE_TWICE})
    if not person and not collective.strip():
        raise ValidationError({"person": NOMINEE_MISSING})
    if person and not person.is_active:
        raise ValidationError({"person": NOMINEE_INACTIVE})


def _ids(items: Iterable) -> set[int]:
    return {item.pk if hasattr(item, "pk") else int(item) for item in items}


@transaction.atomic
def propose(*, actor, fields: dict, incidents: Iterable = (), campaigns: Iterable = ()) -> Commendation:
    """Record a proposal and tell the team leader (the Chief, when the leader proposes).

    `fields`: kind, form, person or collective, achievement, and optionally year (default: this year) and
    evaluation (the Evaluation of that year). `incidents` and `campaigns` (objects or ids) must be ones the
    proposer can see; anything else is refused rather than silently dropped.
    """
    if not can(actor, "evaluations.propose_commendation"):
        raise PermissionDenied(MAY_NOT_PROPOSE)
    person, collective = fields.get("person"), (fields.get("collective") or "").strip()
    check_nominee(person, collective)
    achievement = (fields.get("achievement") or "").strip()
    if not achievement:
        raise ValidationError({"achievement": ACHIEVEMENT_MISSING})
    year = fields.get("year") or timezone.localdate().year
    evaluation = fields.get("evaluation")
    if evaluation is not None and (not isinstance(evaluation, Evaluation) or evaluation.year != year):
        raise ValidationError({"evaluation": WRONG_EVALUATION % {"year": year}})
    incident_ids, campaign_ids = _ids(incidents), _ids(campaigns)
    if visible(actor, Incident.objects.filter(pk__in=incident_ids)).count() != len(incident_ids) or (
        visible(actor, Campaign.objects.filter(pk__in=campaign_ids)).count() != len(campaign_ids)
    ):
        raise PermissionDenied(NOT_YOURS_TO_LINK)

    commendation = Commendation(
        year=year,
        kind=fields["kind"],
        form=fields["form"],
        person=person,
        collective="" if person else collective,
        achievement=achievement,
        evaluation=evaluation,
        proposed_by=actor,
        proposed_at=timezone.now(),
    )
    commendation.full_clean()  # kind and form among the choices, lengths, the one-nominee constraint
    commendation.save()
    commendation.incidents.set(incident_ids)
    commendation.campaigns.set(campaign_ids)
    leaders = team_leaders()
    # The leader does not review his own proposal (core.access), so it goes straight to the Chief.
    waiting_for = leaders if actor not in leaders else [*leaders, *deciders()]
    _tell(waiting_for, notices.COMMENDATION_PROPOSED, commendation, "proposed", actor=actor)
    return commendation


# --- the steps after it ----------------------------------------------------------------------------


def _locked_for(actor, action: str, commendation_id: int, version: int | None) -> Commendation:
    """Lock the row, check the version the person saw, then ask core.access on what is committed now."""
    commendation = Commendation.objects.select_for_update(of=("self",)).select_related("person").get(pk=commendation_id)
    if version is not None and commendation.version != version:
        raise Conflict(STALE)
    if not can(actor, action, commendation):
        raise PermissionDenied(_refusal(actor, action, commendation))
    return commendation


def _refusal(actor, action: str, commendation: Commendation) -> str:
    if commendation.status not in _STEP_SOURCES[action]:
        return str(PAST_THAT_STEP % {"status": commendation.get_status_display()})
    if action == "evaluations.review_commendation":
        return str(OWN_PROPOSAL if commendation.proposed_by_id == actor.pk else MAY_NOT_REVIEW)
    if action == "evaluations.decide_commendation":
        return str(MAY_NOT_DECIDE)
    return str(MAY_NOT_RECORD)


def _save(commendation: Commendation, *fields: str) -> None:
    commendation.version += 1
    commendation.save(update_fields=[*fields, "version"])


@transaction.atomic
def review(*, commendation_id: int, actor, version: int | None, note: str = "") -> Commendation:
    """The team leader's review (with his opinion); the Chief, and whoever acts for him, is told."""
    commendation = _locked_for(actor, "evaluations.review_commendation", commendation_id, version)
    commendation.status = C.REVIEWED
    commendation.reviewed_by, commendation.reviewed_at = actor, timezone.now()
    commendation.review_note = note.strip()
    _save(commendation, "status", "reviewed_by", "reviewed_at", "review_note")
    _tell(deciders(), notices.COMMENDATION_REVIEWED, commendation, "reviewed", actor=actor)
    return commendation


def _decide(commendation_id: int, actor, version: int | None, note: str, status: str) -> Commendation:
    commendation = _locked_for(actor, "evaluations.decide_commendation", commendation_id, version)
    commendation.status = status
    commendation.decided_by, commendation.decided_at = actor, timezone.now()
    commendation.decision_note = note.strip()
    _save(commendation, "status", "decided_by", "decided_at", "decision_note")
    _tell(
        [commendation.proposed_by, *team_leaders()],
        notices.COMMENDATION_DECIDED,
        commendation,
        "decided",
        actor=actor,
    )
    return commendation


@transaction.atomic
def approve(*, commendation_id: int, actor, version: int | None, note: str = "") -> Commendation:
    """The Chief's (or the acting Deputy Chief's) approval; the proposer and the team leader are told."""
    return _decide(commendation_id, actor, version, note, C.APPROVED)


@transaction.atomic
def reject(*, commendation_id: int, actor, version: int | None, note: str) -> Commendation:
    """Not approved, with the reason (required); the proposer and the team leader are told."""
    if not note.strip():
        raise ValidationError({"note": REASON_MISSING})
    return _decide(commendation_id, actor, version, note, C.REJECTED)


def check_decision(commendation: Commendation, number: str, day: date | None) -> None:
    errors = {}
    if not number.strip():
        errors["number"] = NUMBER_MISSING
    proposed_on = timezone.localdate(commendation.proposed_at)
    if day is None:
        errors["date"] = DATE_MISSING
    elif day > timezone.localdate():
        errors["date"] = DATE_IN_FUTURE
    elif day < proposed_on:
        errors["date"] = DATE_BEFORE_PROPOSAL % {"date": formats.date_format(proposed_on, "d/m/Y")}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def record_decision(*, commendation_id: int, actor, version: int | None, number: str, date: date) -> Commendation:
    """The decision that grants it: number and date. The person named, the proposer and the leader are told."""
    commendation = _locked_for(actor, "evaluations.record_commendation_decision", commendation_id, version)
    check_decision(commendation, number, date)
    commendation.status = C.DECIDED
    commendation.decision_number, commendation.decision_date = number.strip(), date
    _save(commendation, "status", "decision_number", "decision_date")
    _tell(
        [commendation.person, commendation.proposed_by, *team_leaders()],
        notices.COMMENDATION_GRANTED,
        commendation,
        "granted",
        actor=actor,
        always=commendation.person,
    )
    return commendation
