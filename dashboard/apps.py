from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = _("Dashboard")

    def ready(self):
        from dashboard import access, digest  # noqa: F401  (register the authorization rule and the digest's kind)
