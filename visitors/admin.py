from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import AccessControlledAdminMixin, ReadOnlyAdminMixin
from visitors.models import StillInsideFlag, Visit


@admin.register(Visit)
class VisitAdmin(ReadOnlyAdminMixin, AccessControlledAdminMixin, admin.ModelAdmin):
    """The register, read-only: visits change at the gate. The identity number is never shown in full here."""

    access_action = "visitors.administer"
    list_display = ["visitor_name", "organisation", "expected_at", "checked_in_at", "checked_out_at", "host"]
    list_select_related = ["host"]
    list_filter = ["id_document_type"]
    date_hierarchy = "registered_at"
    search_fields = ["visitor_name", "organisation", "vehicle_plate"]
    # id_number is left out on purpose: admin pages show only its masked form.
    fields = [
        "visitor_name",
        "organisation",
        "phone",
        "purpose",
        "host",
        "host_detail",
        "expected_at",
        "registered_by",
        "registered_at",
        "checked_in_at",
        "checked_in_by",
        "id_document_type",
        "masked_number",
        "id_erased_at",
        "vehicle_plate",
        "badge_number",
        "note",
        "checked_out_at",
        "checked_out_by",
        "cancelled_at",
    ]
    readonly_fields = fields

    @admin.display(description=_("document number (masked)"))
    def masked_number(self, visit):
        return visit.masked_id_number or "—"


@admin.register(StillInsideFlag)
class StillInsideFlagAdmin(ReadOnlyAdminMixin, AccessControlledAdminMixin, admin.ModelAdmin):
    access_action = "visitors.administer"
    list_display = ["day", "flagged_at", "visitors"]
