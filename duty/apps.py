from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutyConfig(AppConfig):
    name = "duty"
    verbose_name = _("Duty logbook and handover")

    def ready(self):
        from duty import access, notices  # noqa: F401  (register authorization rules and notification kinds)
