"""django-axes with two rules: its own per (username, address) lockout, and one per address across usernames.

axes can lock on several parameter sets, but they share one AXES_FAILURE_LIMIT, and a successful login resets
every set it matches: with "ip_address" as a set, one colleague (or the attacker's own account) logging in from
the address would wipe the count of a credential-stuffing run. So the per-address rule is added here, counted
over axes' own AccessAttempt rows, which a success resets only for its own (username, address) pair.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import Sum


class LoginLimitsHandler(AxesDatabaseHandler):
    def is_locked(self, request, credentials: dict | None = None) -> bool:
        return super().is_locked(request, credentials) or self.address_locked(request)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or request.axes_locked_out or self.is_whitelisted(request, credentials):
            return
        if self.address_locked(request):
            # The per-pair rule did not lock, this one does: show the lockout page for this address.
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes",
                request=request,
                username=get_client_username(request, credentials),
                ip_address=request.axes_ip_address,
            )

    def address_locked(self, request) -> bool:
        """LOGIN_FAILURES_PER_ADDRESS failures or more from the request's address within the cool-off."""
        if request.axes_ip_address is None:
            return False
        failures = AccessAttempt.objects.filter(
            ip_address=request.axes_ip_address, attempt_time__gte=get_cool_off_threshold(request)
        ).aggregate(total=Sum("failures_since_start"))["total"]
        locked = (failures or 0) >= settings.LOGIN_FAILURES_PER_ADDRESS
        if locked:
            request.login_address_locked = True  # the lockout page says why
        return locked
