"""django-axes' admin pages in the office's language.

axes names its section "Axes" and describes its rows in English with ISO timestamps ("Attempted Access:
2026-11-27 18:09:02+00:00"), in titles and breadcrumbs the translation catalogue cannot reach; these
replace them at start-up.
"""

from django.apps import apps
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


def _when(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "d/m/Y H:i") if moment else "—"


def _attempt(row) -> str:
    return gettext("Failed logins of %(username)s from %(address)s, last at %(time)s") % {
        "username": row.username,
        "address": row.ip_address,
        "time": _when(row.attempt_time),
    }


def _failure(row) -> str:
    return gettext("Failed login of %(username)s from %(address)s at %(time)s") % {
        "username": row.username,
        "address": row.ip_address,
        "time": _when(row.attempt_time),
    }


def _log(row) -> str:
    return gettext("Login of %(username)s at %(time)s") % {"username": row.username, "time": _when(row.attempt_time)}


def describe_axes_records() -> None:
    from axes.admin import AccessAttemptAdmin
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    apps.get_app_config("axes").verbose_name = _("Login attempts")
    AccessAttempt.__str__ = _attempt
    AccessFailureLog.__str__ = _failure
    AccessLog.__str__ = _log
    AccessAttemptAdmin.status.short_description = _("Status")  # a column axes left to its method's name
