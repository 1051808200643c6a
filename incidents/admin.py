from django.contrib import admin

from core.admin import AccessControlledAdminMixin
from incidents.models import Category, EscalationLevel, ExternalReport, Incident, IncidentEvent, Place, SlaPolicy


class IncidentsAdminMixin(AccessControlledAdminMixin):
    access_action = "incidents.manage_catalog"


@admin.register(Category)
class CategoryAdmin(IncidentsAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "tt124_item", "first_contact", "order", "is_active"]
    list_editable = ["order", "is_active"]
    list_filter = ["is_active", "tt124_item"]
    search_fields = ["name", "code"]


@admin.register(Place)
class PlaceAdmin(IncidentsAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "kind", "order", "is_active"]
    list_filter = ["kind", "is_active"]
    list_select_related = ["parent"]
    search_fields = ["name"]


class TimelineInline(admin.TabularInline):
    model = IncidentEvent
    fields = ["at", "actor", "action", "audience", "old_value", "new_value", "text"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # the timeline is append-only, and only the application appends


class ExternalReportInline(admin.TabularInline):
    model = ExternalReport
    fields = ["agency", "agency_detail", "notified_at", "method", "case_reference", "notified_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Incident)
class IncidentAdmin(IncidentsAdminMixin, admin.ModelAdmin):
    """Read-only here: incidents change through their workflow, so that every change is on the timeline."""

    list_display = ["reference", "category", "severity", "status", "assignee", "created_at"]
    list_filter = ["status", "severity", "category"]
    list_select_related = ["category", "assignee"]
    search_fields = ["reference", "search_text"]
    date_hierarchy = "created_at"
    inlines = [ExternalReportInline, TimelineInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(EscalationLevel)
class EscalationLevelAdmin(IncidentsAdminMixin, admin.ModelAdmin):
    list_display = [
        "order",
        "position",
        "person_in_charge",
        "acting",
        "acting_from",
        "acting_until",
        "acknowledge_within",
    ]
    list_select_related = ["position", "person_in_charge", "acting"]
    autocomplete_fields = ["person_in_charge", "acting"]


@admin.register(SlaPolicy)
class SlaPolicyAdmin(IncidentsAdminMixin, admin.ModelAdmin):
    list_display = ["severity", "acknowledge_within", "resolve_within"]
