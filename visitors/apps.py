from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitorsConfig(AppConfig):
    name = "visitors"
    verbose_name = _("Visitors at the gate")

    def ready(self):
        from visitors import access, notices  # noqa: F401  (register authorization rules and notification kinds)
