from django.contrib import admin

from campaigns.models import Campaign, Material, Participant, Session
from core.admin import AccessControlledAdminMixin


class CampaignsAdminMixin(AccessControlledAdminMixin):
    access_action = "campaigns.manage"


class SessionInline(admin.TabularInline):
    model = Session
    fields = ["kind", "starts_at", "ends_at", "place", "presenter", "check_in_code"]
    readonly_fields = ["check_in_code"]
    extra = 0


class MaterialInline(admin.TabularInline):
    model = Material
    fields = ["title", "link", "original_name", "order"]
    readonly_fields = ["original_name"]
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(CampaignsAdminMixin, admin.ModelAdmin):
    list_display = ["title", "theme", "starts_on", "ends_on", "status", "organiser", "counts_for_tt124"]
    list_filter = ["status", "theme", "counts_for_tt124"]
    list_select_related = ["organiser"]
    search_fields = ["title"]
    date_hierarchy = "starts_on"
    filter_horizontal = ["departments", "people"]
    inlines = [SessionInline, MaterialInline]


@admin.register(Participant)
class ParticipantAdmin(CampaignsAdminMixin, admin.ModelAdmin):
    list_display = ["user", "campaign", "invited_at", "attended_at", "absence_reason", "acknowledged_at"]
    list_filter = ["campaign", "absence_reason"]
    list_select_related = ["user", "campaign"]
    search_fields = ["user__full_name", "campaign__title"]

    def has_add_permission(self, request):
        return False  # participants come from the audience, not from typing
