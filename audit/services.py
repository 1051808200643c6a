"""Writing the audit log. Call `record()` where the event happens; it never breaks the action it records."""

import logging

from django.db import transaction
from simple_history.models import HistoricalRecords

from audit.models import AuditEntry

log = logging.getLogger(__name__)
Action = AuditEntry.Action


def current_request():
    """The request being served, where a signal gets none (admin changes): simple_history's middleware keeps it."""
    return getattr(HistoricalRecords.context, "request", None)


def client_address(request) -> str | None:
    if request is None:
        return None
    from core.clientip import client_ip

    return client_ip(request)


def record(
    action: str,
    *,
    request=None,
    actor=None,
    obj=None,
    detail: str = "",
    actor_name: str = "",
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
) -> None:
    """Append one entry. `actor` defaults to the request's user; `obj` gives the kind, id and name of the object.

    Written in its own savepoint: an audit failure is logged loudly but never turns a user's action into an error.
    """
    request = request or current_request()
    if actor is None and request is not None and getattr(request.user, "is_authenticated", False):
        actor = request.user
    known = getattr(actor, "pk", None) is not None
    conceals = False
    if obj is not None:
        object_type, object_id, object_repr = obj._meta.label_lower, str(obj.pk), str(obj)
        # Objects that can tell who reported something confidential say so (Incident, Attachment).
        conceals = known and bool(getattr(obj, "conceals_in_audit", lambda person: False)(actor))
    entry = AuditEntry(
        action=action,
        actor=actor if known else None,
        actor_name=(actor_name or (actor.get_full_name() if known else ""))[:150],
        object_type=object_type[:60],
        object_id=str(object_id)[:40],
        object_repr=object_repr[:300],
        detail=detail[:4000],
        ip_address=client_address(request),
        conceals_actor=conceals,
    )
    try:
        with transaction.atomic():
            entry.save()
    except Exception:  # the audit must not make the office's work fail; the log shows it
        log.exception("Could not write the audit entry %s", action)


def record_export(request, *, object_type: str, rows: int, what: str = "") -> None:
    """An export of a list: which list, with which filter, how many rows (the inspector's three questions)."""
    query = request.GET.urlencode() if request is not None else ""
    record(
        Action.EXPORT,
        request=request,
        object_type=object_type,
        detail=f"{what or object_type}; filter: {query or '—'}; rows: {rows}",
    )
