"""Writing the register of visitors. Each business action is one transaction.

A visit is locked (select_for_update) before a check-in or check-out: two guards tapping the same
visitor at once must not both check him in, nor record two times out.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from visitors import notices
from visitors.models import Visit, as_recorded

ALREADY_IN = _("%(visitor)s was already checked in at %(time)s.")
CANCELLED = _("The visit of %(visitor)s was cancelled: register the visitor as a new one.")
NOT_IN = _("%(visitor)s has not been checked in.")
ALREADY_OUT = _("%(visitor)s already left at %(time)s.")
NOT_PENDING = _("The visitor has arrived or the visit was cancelled: it can no longer be changed.")

VISITOR_FIELDS = ("visitor_name", "organisation", "phone", "purpose", "host", "host_detail")
REGISTRATION_FIELDS = (*VISITOR_FIELDS, "expected_at")
GATE_FIELDS = ("id_document_type", "id_number", "vehicle_plate", "badge_number", "note")


def _hhmm(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%H:%M}"


def _locked(visit: Visit) -> Visit:
    return Visit.objects.select_for_update().get(pk=visit.pk)


def _assign(visit: Visit, fields: dict, names) -> None:
    for name in names:
        if name in fields:
            setattr(visit, name, fields[name])


@transaction.atomic
def register(*, by, fields: dict) -> Visit:
    """A colleague's pre-registration of a visitor he expects."""
    visit = Visit(registered_by=by)
    _assign(visit, fields, REGISTRATION_FIELDS)
    visit.save()
    return visit


@transaction.atomic
def update_registration(*, visit: Visit, fields: dict) -> Visit:
    visit = _locked(visit)
    if not visit.is_pending:
        raise ValidationError(NOT_PENDING, code="not_pending")
    _assign(visit, fields, REGISTRATION_FIELDS)
    visit.save()
    return visit


@transaction.atomic
def cancel_registration(*, visit: Visit, now: datetime | None = None) -> Visit:
    visit = _locked(visit)
    if not visit.is_pending:
        raise ValidationError(NOT_PENDING, code="not_pending")
    visit.cancelled_at = now or timezone.now()
    visit.save(update_fields=["cancelled_at"])
    return visit


@transaction.atomic
def check_in(*, by, fields: dict, visit: Visit | None = None, now: datetime | None = None) -> Visit:
    """Record the visitor's arrival: from his pre-registration (`visit`) or typed at the gate.

    The host is told (visitors.arrived), unless the host is the one at the gate.
    """
    now = now or timezone.now()
    if visit is None:
        visit = Visit(registered_by=by, registered_at=now)
    else:
        visit = _locked(visit)
        if visit.checked_in_at is not None:
            raise ValidationError(
                ALREADY_IN,
                code="already_in",
                params={"visitor": visit.visitor_name, "time": _hhmm(visit.checked_in_at)},
            )
        if visit.cancelled_at is not None:
            raise ValidationError(CANCELLED, code="cancelled", params={"visitor": visit.visitor_name})
    _assign(visit, fields, (*VISITOR_FIELDS, *GATE_FIELDS))
    visit.id_number = as_recorded(visit.id_number)
    visit.checked_in_at, visit.checked_in_by = now, by
    visit.save()
    if visit.host_id and visit.host_id != by.pk:
        notices.visitor_arrived(visit)
    return visit


@transaction.atomic
def check_out(*, visit: Visit, by, now: datetime | None = None) -> Visit:
    visit = _locked(visit)
    if visit.checked_in_at is None:
        raise ValidationError(NOT_IN, code="not_in", params={"visitor": visit.visitor_name})
    if visit.checked_out_at is not None:
        raise ValidationError(
            ALREADY_OUT, code="already_out", params={"visitor": visit.visitor_name, "time": _hhmm(visit.checked_out_at)}
        )
    visit.checked_out_at, visit.checked_out_by = now or timezone.now(), by
    visit.save(update_fields=["checked_out_at", "checked_out_by"])
    return visit
