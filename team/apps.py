from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeamConfig(AppConfig):
    name = "team"
    verbose_name = _("Office and security team")

    def ready(self):
        from team import access, notices  # noqa: F401  (register authorization rules and notification kinds)
