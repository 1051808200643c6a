from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from mfa import policy, selectors

# Reachable before the second factor: its own pages, leaving, the language switcher and monitoring.
EXEMPT_VIEWS = frozenset({"mfa:setup", "mfa:verify", "logout", "admin:logout", "set_language", "healthz"})


class SecondFactorMiddleware:
    """Send a logged-in person who has not given a second code in this session to verification (when they have
    set up an authenticator) or to the set-up (when their role requires one and they have none yet).

    Placed after django-otp's OTPMiddleware, which tells whether the session is verified, and after the session
    timeout, which ends the session and with it the verification; the admin site is covered like every page.
    People who set up an authenticator of their own accord are asked for a code as well.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not policy.enforced():
            return None  # development and the demo (MFA_ENFORCED=0): not one query more
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if request.resolver_match.view_name in EXEMPT_VIEWS or request.path.startswith(settings.STATIC_URL):
            return None
        if selectors.has_authenticator(user):
            target = "mfa:verify"
        elif policy.required(user):
            target = "mfa:setup"
        else:
            return None
        # Only a page can be gone back to; a form posted now must be sent again after the code.
        query = {"next": request.get_full_path()} if request.method in ("GET", "HEAD") else {}
        return redirect(f"{reverse(target)}?{urlencode(query)}" if query else reverse(target))
