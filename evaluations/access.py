"""Authorization for evaluations, the movement score sheet, ratings, discipline records, commendations and
their documents (registered in core.access).

The team prepares, the team leader sends for sign-off, the Chief of Office (or the Deputy Chief acting for
him) signs off and decides commendations. Staff see nothing here except the commendations that name them.
Discipline records are personal data: only the office leadership and administrators see them.
"""

from core.access import rule, scope
from evaluations.models import Commendation, DisciplineRecord, Draft, Evaluation, Evidence, IssuedDocument
from evaluations.signing import signs_for_the_office
from team.roles import Role, roles_of

E = Evaluation.Status
C = Commendation.Status


def on_team(user) -> bool:
    return Role.TEAM_MEMBER in roles_of(user)


def leads_team(user) -> bool:
    return Role.TEAM_LEADER in roles_of(user)


def in_command(user) -> bool:
    return bool({Role.TEAM_LEADER, Role.DEPUTY_TEAM_LEADER} & roles_of(user))


def sees_evaluations(user) -> bool:
    return bool({Role.TEAM_MEMBER, Role.LEADERSHIP, Role.ADMIN} & roles_of(user))


def sees_discipline(user) -> bool:
    return bool({Role.LEADERSHIP, Role.ADMIN} & roles_of(user))


# --- what each person may see -------------------------------------------------------------


@scope(Evaluation)
def evaluations_visible(user, queryset):
    return queryset if sees_evaluations(user) else queryset.none()


@scope(Evidence)
def evidence_visible(user, queryset):
    return queryset if sees_evaluations(user) else queryset.none()


@scope(Commendation)
def commendations_visible(user, queryset):
    if sees_evaluations(user):
        return queryset
    # A staff member sees the commendations that name him once the Chief has approved them.
    return queryset.filter(person=user, status__in=(C.APPROVED, C.DECIDED))


@scope(Draft)
def drafts_visible(user, queryset):
    return queryset if sees_evaluations(user) else queryset.none()


@scope(IssuedDocument)
def issued_documents_visible(user, queryset):
    return queryset if sees_evaluations(user) else queryset.none()


@scope(DisciplineRecord)
def discipline_visible(user, queryset):
    return queryset if sees_discipline(user) else queryset.none()


# --- the annual evaluation ------------------------------------------------------------------


@rule("evaluations.view")
def may_view(user, obj):
    return sees_evaluations(user)


@rule("evaluations.start_year")
def may_start_year(user, obj):
    return in_command(user)


@rule("evaluations.prepare")
def may_prepare(user, evaluation):
    """Assess criteria, add evidence, fill in the meeting: the team, until the evaluation is signed off."""
    return on_team(user) and not evaluation.is_locked


@rule("evaluations.edit_settings")
def may_edit_settings(user, evaluation):
    return in_command(user) and not evaluation.is_locked


@rule("evaluations.plan")
def may_plan(user, evaluation):
    """Deadlines, responsible people and completion of the stages (also after sign-off: submission, decision)."""
    return in_command(user) and evaluation.status != E.DECIDED


@rule("evaluations.review")
def may_review(user, assessment):
    roles = roles_of(user)
    reviewer = bool({Role.TEAM_LEADER, Role.DEPUTY_TEAM_LEADER, Role.LEADERSHIP} & roles)
    return (
        reviewer
        and bool(assessment.result)
        and assessment.assessed_by_id != user.pk
        and not assessment.evaluation.is_locked
    )


@rule("evaluations.send_for_sign_off")
def may_send_for_sign_off(user, evaluation):
    return leads_team(user) and evaluation.status == E.PREPARING


@rule("evaluations.sign_off")
def may_sign_off(user, evaluation):
    return signs_for_the_office(user) and evaluation.status == E.AWAITING_SIGN_OFF


@rule("evaluations.reopen")
def may_reopen(user, evaluation):
    return signs_for_the_office(user) and evaluation.status in (E.SIGNED_OFF, E.SUBMITTED)


@rule("evaluations.record_outcome")
def may_record_outcome(user, evaluation):
    """Record that the dossier went out and what the recognising body decided."""
    return in_command(user) and evaluation.status in (E.SIGNED_OFF, E.SUBMITTED, E.DECIDED)


@rule("evaluations.score_movement")
def may_score_movement(user, evaluation):
    return on_team(user) and evaluation.status != E.DECIDED


@rule("evaluations.rate_units")
def may_rate_units(user, evaluation):
    """The year's ratings feed criteria 4 and 5: they stay open until that year's evaluation is signed off."""
    rater = on_team(user) or Role.LEADERSHIP in roles_of(user)
    return rater and not (evaluation is not None and evaluation.is_locked)


@rule("evaluations.see_discipline")
def may_see_discipline(user, obj):
    return sees_discipline(user)


@rule("evaluations.record_discipline")
def may_record_discipline(user, obj):
    return sees_discipline(user)


# --- documents ------------------------------------------------------------------------------


@rule("evaluations.edit_draft")
def may_edit_draft(user, draft):
    return on_team(user)


@rule("evaluations.issue_document")
def may_issue_document(user, draft):
    return in_command(user)


# --- commendations --------------------------------------------------------------------------


@rule("evaluations.view_register")
def may_view_register(user, obj):
    return sees_evaluations(user)


@rule("evaluations.propose_commendation")
def may_propose(user, obj):
    return on_team(user)


@rule("evaluations.review_commendation")
def may_review_commendation(user, commendation):
    return leads_team(user) and commendation.status == C.PROPOSED and commendation.proposed_by_id != user.pk


@rule("evaluations.decide_commendation")
def may_decide_commendation(user, commendation):
    return signs_for_the_office(user) and commendation.status in (C.PROPOSED, C.REVIEWED)


@rule("evaluations.record_commendation_decision")
def may_record_commendation_decision(user, commendation):
    return (in_command(user) or signs_for_the_office(user)) and commendation.status == C.APPROVED


# --- administration (added by the cycle-extras helper) --------------------------------------


@rule("evaluations.administer")
def may_administer(user, obj):
    """Django admin of the app: criteria, score lines, corrections and deletions of ratings and discipline."""
    return Role.ADMIN in roles_of(user)
