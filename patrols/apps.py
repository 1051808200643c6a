from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PatrolsConfig(AppConfig):
    name = "patrols"
    verbose_name = _("Patrols")

    def ready(self):
        from patrols import access, notices  # noqa: F401  (register authorization rules and notification kinds)
