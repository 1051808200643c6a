from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PatrolsConfig(AppConfig):
    name = "patrols"
    verbose_name = _("Patrols")

    def ready(self):
        from patrols import access, notices, signals  # noqa: F401  (rules, notification kinds, places out of use)
