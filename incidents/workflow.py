"""Who may move an incident from which status to which: the one table the views and services share."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

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
        ),
        Transition(
            "resolve",
            _("Mark resolved"),
            (S.ACKNOWLEDGED, S.IN_PROGRESS, S.ESCALATED),
            S.RESOLVED,
            on_team,
            needs_reason=True,
        ),
        Transition("close", _("Close"), (S.RESOLVED,), S.CLOSED, in_command),
        Transition("reject", _("Reject"), (S.NEW, S.ACKNOWLEDGED), S.REJECTED, in_command, needs_reason=True),
        Transition(
            "reopen",
            _("Reopen"),
            (S.RESOLVED, S.CLOSED, S.REJECTED, S.DUPLICATE),
            S.IN_PROGRESS,
            in_command,
            needs_reason=True,
        ),
    )
}


def allowed_transitions(roles, status: str) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if status in t.sources and t.allowed(roles)]
