import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers

_LOGIN_AT = "tuquan_login_at"
_SEEN_AT = "tuquan_seen_at"
# Refresh the "last seen" mark at most once a minute: writing the session on every
# request would turn every page view into a database write.
_SEEN_RESOLUTION = 60


class SessionTimeoutMiddleware:
    """End a session after SESSION_IDLE_TIMEOUT without a request, or SESSION_ABSOLUTE_TIMEOUT after login."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and self._expired(request):
            logout(request)
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)

    def _expired(self, request) -> bool:
        session = request.session
        now = time.time()
        login_at = session.setdefault(_LOGIN_AT, now)
        seen_at = session.get(_SEEN_AT, now)
        if now - login_at > settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds():
            return True
        if now - seen_at > settings.SESSION_IDLE_TIMEOUT.total_seconds():
            return True
        if now - seen_at >= _SEEN_RESOLUTION or _SEEN_AT not in session:
            session[_SEEN_AT] = now
        return False


class NoStoreForAuthenticatedMiddleware:
    """Pages shown to a logged-in user carry personal and security data: never cache them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            add_never_cache_headers(response)
        return response


class ChosenLanguageMiddleware:
    """Vietnamese unless the user picked another language with the switcher.

    Django's LocaleMiddleware would follow the browser's Accept-Language, and many office
    machines run an English browser; the office works in Vietnamese, so only an explicit
    choice changes the language: the switcher's cookie, else the language saved on the account
    (which notifications and emails use too).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen not in self.supported and request.user.is_authenticated:
            chosen = request.user.language  # the choice saved with the account, on a new browser
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ["Cookie"])
        response.headers.setdefault("Content-Language", language)
        return response
