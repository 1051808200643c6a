from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkCalendarConfig(AppConfig):
    name = "workcalendar"
    verbose_name = _("Working calendar")

    def ready(self):
        from workcalendar import access  # noqa: F401  (registers the authorization rule)
