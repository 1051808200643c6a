from django.contrib import admin

from core.admin import AccessControlledAdminMixin, ReadOnlyAdminMixin
from patrols.models import Checkpoint, Round, RoundStop


class PatrolsAdminMixin(AccessControlledAdminMixin):
    access_action = "patrols.administer"


@admin.register(Checkpoint)
class CheckpointAdmin(PatrolsAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "instruction", "is_active"]
    list_filter = ["is_active"]
    list_select_related = ["place", "place__parent", "place__parent__parent"]
    search_fields = ["place__name", "instruction"]
    autocomplete_fields = ["place"]


class StopInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = RoundStop
    fields = ["position", "checkpoint", "visited_at", "visited_by", "missed"]
    readonly_fields = fields
    extra = 0


@admin.register(Round)
class RoundAdmin(ReadOnlyAdminMixin, PatrolsAdminMixin, admin.ModelAdmin):
    """Rounds are planned and walked in the app; here they are only read (what was recorded stays as it was)."""

    list_display = ["__str__", "shift", "planned_by", "missed_count", "checked_at"]
    list_select_related = ["shift", "shift__member", "planned_by"]
    date_hierarchy = "starts_at"
    inlines = [StopInline]
