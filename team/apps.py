from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeamConfig(AppConfig):
    name = "team"
    verbose_name = _("Office and security team")

    def ready(self):
        from team import access  # noqa: F401  (registers the team's authorization rules)
