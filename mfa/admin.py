from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.admin import AccessControlledAdminMixin
from mfa import services
from mfa.models import SecondFactor

# django-otp's own pages show the secret key, a QR code of it and the recovery codes, in English. Administrators
# get the page below instead: who has a second factor, and a way to remove it, never the secrets.
for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.register(SecondFactor)
class SecondFactorAdmin(AccessControlledAdminMixin, admin.ModelAdmin):
    access_action = "mfa.reset_for_others"
    list_display = ["user", "is_set_up", "set_up_on", "last_used", "wrong_codes"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__full_name", "user__email"]
    fields = ["user", "is_set_up", "set_up_on", "last_used", "wrong_codes"]
    readonly_fields = fields
    ordering = ["user__name_sort_key"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("set up"), boolean=True, ordering="confirmed")
    def is_set_up(self, device):
        return device.confirmed

    @admin.display(description=_("created"), ordering="created_at")
    def set_up_on(self, device):
        return device.created_at

    @admin.display(description=_("last used"), ordering="last_used_at")
    def last_used(self, device):
        return device.last_used_at

    @admin.display(description=_("wrong codes in a row"))
    def wrong_codes(self, device):
        return device.throttling_failure_count

    def delete_model(self, request, obj):
        services.reset_by_administrator(user=obj.user, administrator=request.user)

    def delete_queryset(self, request, queryset):
        for device in queryset.select_related("user"):
            services.reset_by_administrator(user=device.user, administrator=request.user)
