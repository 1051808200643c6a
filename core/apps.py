from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self):
        from core.admin import bound_other_admin_pages
        from core.axes_admin import describe_axes_records

        bound_other_admin_pages()
        describe_axes_records()
