from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("Annual evaluations")

    def ready(self):
        from evaluations import access, notices  # noqa: F401  (register authorization rules and notification kinds)
