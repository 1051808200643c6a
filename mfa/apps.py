from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MfaConfig(AppConfig):
    name = "mfa"
    verbose_name = _("Two-step verification")

    def ready(self):
        from mfa import access  # noqa: F401  (registers authorization rules)
