from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Awareness campaigns")

    def ready(self):
        from campaigns import access, notices  # noqa: F401  (register authorization rules and notification kinds)
