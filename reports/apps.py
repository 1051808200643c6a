from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Periodic reports")

    def ready(self):
        from reports import access, notices  # noqa: F401  (register the authorization rules and the notification kind)
