"""Who may move an incident from which status to which: the one table the views and services share."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from incidents.models import Status
from team.roles import Role

S = Status


def on_team(roles) -> bool:
    return Role.TEAM_MEMBER in roles


def in_command(roles) -> bool:
    return bool({Role.TEAM_LEADER, Role.DEPUTY_TEAM_LEADER} & roles)


@dataclass(frozen=True)
class Transition:
    name: str
    label: str | Promise
    sources: tuple[str, ...]
    target: str
    allowed: Callable[[frozenset], bool]
    needs_reason: bool = False
    # The label of the reason's field and of the button that confirms it, for actions that need one.
    reason_label: str | Promise = ""
    confirm_label: str | Promise = ""


TRANSITIONS = {
    t.name: t
    for t in (
        Transition("acknowledge", _("Acknowledge"), (S.NEW,), S.ACKNOWLEDGED, on_team),
        Transition("start", _("Start handling"), (S.NEW, S.ACKNOWLEDGED), S.IN_PROGRESS, on_team),
        Transition(
            "escalate",
            _("Escalate to the office leadership"),
            (S.NEW, S.ACKNOWLEDGED, S.IN_PROGRESS),
            S.ESCALATED,
            in_command,
            needs_reason=True,
            reason_label=_("Why it needs the office leadership"),
            confirm_label=_("Escalate"),
        ),
        Transition(
            "resolve",
            _("Mark resolved"),
            (S.ACKNOWLEDGED, S.IN_PROGRESS, S.ESCALATED),
            S.RESOLVED,
            on_team,
            needs_reason=True,
            reason_label=_("How it was resolved"),
            confirm_label=_("Confirm it is resolved"),
        ),
        # With a context: a bare "Close" is also Django admin's button, which must not read "Đóng vụ việc".
        Transition("close", pgettext_lazy("incident action", "Close"), (S.RESOLVED,), S.CLOSED, in_command),
        Transition(
            "reject",
            _("Reject"),
            (S.NEW, S.ACKNOWLEDGED),
            S.REJECTED,
            in_command,
            needs_reason=True,
            reason_label=_("Why it is not taken on"),
            confirm_label=_("Confirm the rejection"),
        ),
        Transition(
            "reopen",
            _("Reopen"),
            (S.RESOLVED, S.CLOSED, S.REJECTED, S.DUPLICATE),
            S.IN_PROGRESS,
            in_command,
            needs_reason=True,
            reason_label=_("Why it is reopened"),
            confirm_label=_("Reopen"),
        ),
    )
}


# Statuses in which the handling is over: reopen first to change what the incident is.
FINISHED = (S.CLOSED, S.REJECTED, S.DUPLICATE)


def allowed_transitions(roles, status: str) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if status in t.sources and t.allowed(roles)]


# What normally comes next, in this order; the first one allowed is offered as the primary action.
# Escalating, rejecting and reopening are exceptions to the normal course, never the obvious next step.
NEXT_STEPS = ("acknowledge", "start", "resolve", "close")


def next_step(transitions: list[Transition]) -> Transition | None:
    """The primary action among the transitions `allowed_transitions` offers."""
    offered = {t.name: t for t in transitions}
    return next((offered[name] for name in NEXT_STEPS if name in offered), None)
