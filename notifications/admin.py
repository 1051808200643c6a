from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import AccessControlledAdminMixin
from notifications import delivery
from notifications.models import Delivery, Notification


class NotificationsAdminMixin(AccessControlledAdminMixin):
    access_action = "notifications.manage_deliveries"

    def has_add_permission(self, request):
        return False  # notifications come from business actions, never typed in

    def has_change_permission(self, request, obj=None):
        return False


class DeliveryInline(admin.TabularInline):
    model = Delivery
    fields = ["channel", "status", "attempts", "sent_at", "last_error"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(NotificationsAdminMixin, admin.ModelAdmin):
    list_display = ["title", "recipient", "kind", "created_at", "read_at"]
    list_filter = ["kind", ("read_at", admin.EmptyFieldListFilter)]
    list_select_related = ["recipient"]
    search_fields = ["title", "recipient__full_name", "recipient__username"]
    date_hierarchy = "created_at"
    inlines = [DeliveryInline]


@admin.register(Delivery)
class DeliveryAdmin(NotificationsAdminMixin, admin.ModelAdmin):
    list_display = [
        "notification",
        "recipient",
        "channel",
        "status",
        "attempts",
        "created_at",
        "sent_at",
        "short_error",
    ]
    list_filter = ["status", "channel"]
    list_select_related = ["notification__recipient"]
    search_fields = ["notification__title", "notification__recipient__full_name", "last_error"]
    readonly_fields = [
        "notification",
        "channel",
        "status",
        "attempts",
        "created_at",
        "dispatch_after",
        "sent_at",
        "last_error",
    ]
    date_hierarchy = "created_at"
    actions = ["retry_deliveries"]

    @admin.display(description=_("recipient"))
    def recipient(self, obj):
        return obj.notification.recipient

    @admin.display(description=_("last error"))
    def short_error(self, obj):
        return obj.last_error.splitlines()[-1][:120] if obj.last_error else ""

    @admin.action(description=_("Retry the selected failed deliveries"))
    def retry_deliveries(self, request, queryset):
        count = delivery.retry(queryset)
        self.message_user(
            request,
            ngettext("%(count)d delivery was queued again.", "%(count)d deliveries were queued again.", count)
            % {"count": count},
            messages.SUCCESS,
        )
