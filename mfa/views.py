"""Pages of the second factor: set-up, the code after log-in, and the person's own page ("Xác thực hai bước")."""

from base64 import b32encode
from urllib.parse import urlencode

import django_otp
import segno
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticDevice

from mfa import policy, selectors, services
from mfa.forms import AuthenticatorCodeForm, CodeForm

# The new recovery codes wait here for the one page view that shows them, then are gone from the session.
FRESH_CODES = "mfa_fresh_codes"
FEW_CODES_LEFT = 3


def status(request):
    user = request.user
    device = selectors.authenticator(user)
    return render(
        request,
        "mfa/status.html",
        {
            "device": device,
            "codes_left": selectors.recovery_codes_left(user) if device else 0,
            "required": policy.required(user),
            "enforced": policy.enforced(),
            "codes_form": CodeForm(prefix="codes"),
            "new_phone_form": CodeForm(prefix="phone"),
            "off_form": CodeForm(prefix="off"),
        },
    )


def setup(request):
    user = request.user
    next_url = _next_url(request)
    if selectors.has_authenticator(user):
        if not _is_verified(user):
            # Whoever knows only the password must not replace the owner's authenticator with their own.
            return redirect(_with_next("mfa:verify", next_url))
        messages.info(request, _("Two-step verification is already set up."))
        return redirect("mfa:status")
    form = AuthenticatorCodeForm(request.POST or None, autofocus=True)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = services.confirm_enrolment(user=user, code=form.cleaned_data["code"])
        except services.CodeRefused as refused:
            form.add_error("code", refused.message)
        else:
            _mark_verified(request, device)
            request.session[FRESH_CODES] = codes
            messages.success(request, _("Two-step verification is on."))
            return redirect(_with_next("mfa:codes", next_url))
    device = services.start_enrolment(user=user)
    return render(
        request,
        "mfa/setup.html",
        {
            "form": form,
            "next": next_url,
            "config_url": device.config_url,
            "qr_svg": segno.make(device.config_url, error="m").svg_inline(scale=4, omitsize=False),
            "secret_groups": _groups(b32encode(device.bin_key).decode(), 4),
        },
    )


def recovery_codes(request):
    """The new recovery codes, shown once: a reload or a later visit finds them gone."""
    fresh = request.session.pop(FRESH_CODES, None)
    if not fresh:
        messages.info(request, _("Recovery codes are shown only once. If you have lost them, generate new ones."))
        return redirect("mfa:status")
    return render(
        request,
        "mfa/recovery_codes.html",
        {"codes": [" ".join(_groups(code, 4)) for code in fresh], "next": _next_url(request)},
    )


def verify(request):
    user = request.user
    next_url = _next_url(request)
    if _is_verified(user):
        return redirect(next_url)
    if not selectors.has_authenticator(user):
        return redirect(_with_next("mfa:setup", next_url) if policy.required(user) else next_url)
    form = CodeForm(request.POST or None, autofocus=True)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.verify(user=user, code=form.cleaned_data["code"])
        except services.CodeRefused as refused:
            form.add_error("code", refused.message)
        else:
            _mark_verified(request, device)
            if isinstance(device, StaticDevice):
                _warn_about_recovery_codes(request, device.token_set.count())
            return redirect(next_url)
    return render(request, "mfa/verify.html", {"form": form, "next": next_url})


@require_POST
def regenerate_codes(request):
    form = CodeForm(request.POST, prefix="codes")
    done, codes = _with_code(request, form, services.regenerate_recovery_codes)
    if not done:
        return redirect("mfa:status")
    request.session[FRESH_CODES] = codes
    return redirect("mfa:codes")


@require_POST
def start_over(request):
    form = CodeForm(request.POST, prefix="phone")
    done, _result = _with_code(request, form, services.start_over)
    if not done:
        return redirect("mfa:status")
    request.session.pop(django_otp.DEVICE_ID_SESSION_KEY, None)
    messages.info(request, _("Your old authenticator and recovery codes no longer work. Set up the new phone now."))
    return redirect("mfa:setup")


@require_POST
def switch_off(request):
    form = CodeForm(request.POST, prefix="off")
    done, _result = _with_code(request, form, services.switch_off)
    if done:
        request.session.pop(django_otp.DEVICE_ID_SESSION_KEY, None)
        messages.success(request, _("Two-step verification is off."))
    return redirect("mfa:status")


# --- helpers ---------------------------------------------------------------------------------------


def _with_code(request, form, action) -> tuple[bool, object]:
    """Run `action(user=…, code=…)`: (True, its result), or (False, None) after saying why the code was refused."""
    if not form.is_valid():
        messages.error(request, form.errors["code"][0])
        return False, None
    try:
        return True, action(user=request.user, code=form.cleaned_data["code"])
    except services.CodeRefused as refused:
        messages.error(request, refused.message)
        return False, None


def _mark_verified(request, device) -> None:
    # A new session key as the session gains the second factor, as Django gives one at log-in.
    request.session.cycle_key()
    django_otp.login(request, device)


def _is_verified(user) -> bool:
    return bool(getattr(user, "is_verified", lambda: False)())


def _warn_about_recovery_codes(request, left: int) -> None:
    if left <= FEW_CODES_LEFT:
        messages.warning(
            request,
            _("You used a recovery code; %(count)d left. Generate new ones on the Two-step verification page.")
            % {"count": left},
        )
    else:
        messages.info(request, _("You used a recovery code; it no longer works. %(count)d left.") % {"count": left})


def _next_url(request) -> str:
    """Where to go once verified: the page asked for, on this site only."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def _groups(text: str, size: int) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)]
