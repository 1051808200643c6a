from django.contrib import admin
from django.utils import dateformat
from django.utils.translation import gettext_lazy as _

from core.admin import AccessControlledAdminMixin
from workcalendar.models import DayOverride


@admin.register(DayOverride)
class DayOverrideAdmin(AccessControlledAdminMixin, admin.ModelAdmin):
    access_action = "workcalendar.manage"
    list_display = ["day", "weekday", "kind", "note"]
    list_filter = ["kind"]
    date_hierarchy = "day"
    search_fields = ["note"]

    @admin.display(description=_("weekday"))
    def weekday(self, obj):
        return dateformat.format(obj.day, "l")
