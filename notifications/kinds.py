"""The kinds of notification. Each app registers its own (see team/notices.py).

A kind names the templates that render it (``templates/notifications/<code>/subject.txt`` and
``body.txt``), whether it is critical (then nobody can switch it off) and whether email is on
by default.
"""

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise


@dataclass(frozen=True)
class Kind:
    code: str
    label: str | Promise
    critical: bool = False
    email_by_default: bool = True
    # False when the templates do not use `recipient`: then one rendering per language serves
    # every recipient of a notify_many() call.
    personal: bool = True
    # True for a critical kind sent by email only, never shown in the inbox: a password reset link is
    # of no use to someone who cannot log in, and in the inbox it would let a stolen session set a new
    # password without knowing the old one.
    email_only: bool = False
    # True when a notification of this kind tells who someone is or carries a secret: the status of "your
    # report" names a possibly confidential reporter; a password-reset link is a key. Administration then
    # shows its kind, timing and delivery, never its recipient, text or link, and finds none by search.
    confidential: bool = False

    @property
    def subject_template(self) -> str:
        return f"notifications/{self.code}/subject.txt"

    @property
    def body_template(self) -> str:
        return f"notifications/{self.code}/body.txt"


_registry: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    if kind.code in _registry and _registry[kind.code] != kind:
        raise ImproperlyConfigured(f"Notification kind {kind.code!r} is registered twice.")
    _registry[kind.code] = kind
    return kind


def get(code: str) -> Kind:
    try:
        return _registry[code]
    except KeyError:
        raise ImproperlyConfigured(f"Unknown notification kind {code!r}.") from None


def all_kinds() -> list[Kind]:
    return sorted(_registry.values(), key=lambda kind: kind.code)
