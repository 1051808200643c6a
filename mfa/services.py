"""The second factor's writes: enrolment, verification, recovery codes, switching off. One transaction each.

A person's second factor is django-otp's TOTP device (the authenticator app) plus one static device holding
the recovery codes. A wrong code counts against django-otp's throttle (OTP_TOTP_THROTTLE_FACTOR,
OTP_STATIC_THROTTLE_FACTOR): after n wrong codes in a row the next is refused for factor × 2^(n-1) seconds,
so ten wrong codes cost about nine minutes. The throttle of both devices applies to both kinds of code, or
alternating between them would double an attacker's tries. Failures are committed before the error is
raised, otherwise the rollback would undo the count. Codes never reach the audit log or any other log.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEntry
from audit.services import record
from mfa import policy

RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "authenticator app"
RECOVERY_NAME = "recovery codes"

WRONG_CODE = _("That code is not right. Enter the code your authenticator app shows now.")
WRONG_CODE_OR_RECOVERY = _(
    "That code is not right. Enter the code your authenticator app shows now, or one of your unused recovery codes."
)
LOCKED = _("Too many wrong codes in a row. Wait until %(time)s, then enter the code your app shows at that moment.")
SETUP_EXPIRED = _("This set-up is no longer valid. Scan the new QR code below and enter the code it gives.")
NOT_SET_UP = _("You have not set up two-step verification.")
MUST_KEEP = _("Your role requires two-step verification: it cannot be switched off.")


class CodeRefused(Exception):
    """A code was not accepted; `message` says why, for the person who typed it."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def is_recovery_code(code: str) -> bool:
    """Authenticator codes are six digits; recovery codes are eight letters and digits (base32)."""
    return not (len(code) == 6 and code.isdigit())


def start_enrolment(*, user) -> TOTPDevice:
    """The unconfirmed authenticator the set-up page shows, created on the first visit.

    The same one is shown until it is confirmed, so reloading the page does not invalidate a QR code the
    person has already scanned.
    """
    with transaction.atomic():
        device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


def confirm_enrolment(*, user, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the authenticator with its first code; returns it and the new recovery codes (shown once)."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("pk").first()
        if device is None:
            refusal = str(SETUP_EXPIRED), "nothing to confirm"
        else:
            refusal = _check([device], device, code)
        if refusal is None:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            # An earlier authenticator (a replaced phone) and abandoned set-ups stop working now.
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            codes = _replace_recovery_codes(user)
            _audit(user, f"set up: authenticator app confirmed, {len(codes)} recovery codes generated")
        else:
            _audit(user, f"set-up: {refusal[1]}")
    if refusal is not None:
        raise CodeRefused(refusal[0])
    return device, codes


def verify(*, user, code: str) -> TOTPDevice | StaticDevice:
    """Check a code from the authenticator or a recovery code (which is used up); returns the device that
    accepted it, for `django_otp.login`."""
    with transaction.atomic():
        device, failure = _verify_locked(user, code)
        if failure is None:
            _audit(user, _success_detail(device))
    if failure is not None:
        raise CodeRefused(failure)
    return device


def regenerate_recovery_codes(*, user, code: str) -> list[str]:
    """New recovery codes for a current code; the old ones stop working."""
    with transaction.atomic():
        device, failure = _verify_locked(user, code)
        if failure is None:
            codes = _replace_recovery_codes(user)
            _audit(user, f"{len(codes)} new recovery codes generated; the old ones no longer work ({_kind(device)})")
    if failure is not None:
        raise CodeRefused(failure)
    return codes


def switch_off(*, user, code: str) -> None:
    """Remove the second factor of someone whose role does not require it, for a current code."""
    if policy.required(user):
        raise CodeRefused(MUST_KEEP)
    with transaction.atomic():
        device, failure = _verify_locked(user, code)
        if failure is None:
            _remove_devices(user)
            _audit(user, f"switched off ({_kind(device)})")
    if failure is not None:
        raise CodeRefused(failure)


def start_over(*, user, code: str) -> None:
    """Remove the authenticator and the recovery codes, for a current code, to set up a new phone."""
    with transaction.atomic():
        device, failure = _verify_locked(user, code)
        if failure is None:
            _remove_devices(user)
            _audit(user, f"removed to set up a new authenticator app ({_kind(device)})")
    if failure is not None:
        raise CodeRefused(failure)


def reset_by_administrator(*, user, administrator) -> None:
    """An administrator removes a colleague's second factor (a lost phone); the colleague enrols again."""
    with transaction.atomic():
        _remove_devices(user)
        record(
            AuditEntry.Action.SECOND_FACTOR,
            actor=administrator,
            obj=user,
            detail="reset by an administrator: the person must set up two-step verification again",
        )


# --- internals -----------------------------------------------------------------------------------


def _verify_locked(user, code: str):
    """Check `code` against the person's devices, locked for the transaction (two requests with the same
    code cannot both pass). Returns (device, None) or (None, the message for the person)."""
    totp = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).order_by("pk").first()
    if totp is None:
        return None, NOT_SET_UP
    static = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).order_by("pk").first()
    devices = [device for device in (totp, static) if device is not None]
    if not is_recovery_code(code):
        target = totp
    else:
        # No recovery codes left: the attempt still counts against the authenticator's throttle.
        target, code = (static, code) if static is not None else (totp, None)
    refusal = _check(devices, target, code, WRONG_CODE_OR_RECOVERY)
    if refusal is not None:
        message, detail = refusal
        _audit(user, detail)
        return None, message
    return target, None


def _check(devices, target, code: str | None, wrong=WRONG_CODE) -> tuple[str, str] | None:
    """None when `target` accepts `code`; otherwise (the message for the person, the audit detail)."""
    locked_until = _locked_until(devices)
    if locked_until is not None:
        return LOCKED % {"time": f"{timezone.localtime(locked_until):%H:%M:%S}"}, "refused: too many wrong codes"
    if code is None:
        target.throttle_increment()
    elif target.verify_token(code):  # counts its own failures
        return None
    return str(wrong), "wrong code"


def _locked_until(devices) -> datetime | None:
    until = None
    for device in devices:
        allowed, info = device.verify_is_allowed()
        if not allowed:
            until = max(until or info["locked_until"], info["locked_until"])
    return until


def _replace_recovery_codes(user) -> list[str]:
    # The device stays and only its codes change: a session verified with a recovery code stays verified.
    device = StaticDevice.objects.filter(user=user).order_by("pk").first()
    if device is None:
        device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    StaticDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    StaticToken.objects.filter(device=device).delete()
    codes: list[str] = []
    while len(codes) < RECOVERY_CODE_COUNT:
        token = StaticToken.random_token()
        if token not in codes and not token.isdigit():
            codes.append(token)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=token) for token in codes)
    return codes


def _remove_devices(user) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def _kind(device) -> str:
    return "recovery code" if isinstance(device, StaticDevice) else "authenticator app"


def _success_detail(device) -> str:
    if isinstance(device, StaticDevice):
        return f"verified with a recovery code ({device.token_set.count()} left)"
    return "verified with the authenticator app"


def _audit(user, detail: str) -> None:
    # The request (and so the address) comes from simple_history's middleware, as for admin changes.
    record(AuditEntry.Action.SECOND_FACTOR, actor=user, obj=user, detail=detail)
