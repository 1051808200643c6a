from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import AccessControlledAdminMixin
from notifications import delivery, kinds
from notifications.models import Delivery, Notification

HIDDEN = _("(confidential)")


def confidential_codes() -> list[str]:
    return [kind.code for kind in kinds.all_kinds() if kind.confidential]


def is_confidential(notification: Notification) -> bool:
    return notification.kind in confidential_codes()


class NotificationsAdminMixin(AccessControlledAdminMixin):
    access_action = "notifications.manage_deliveries"
    # How this admin reaches the notification's kind, for leaving confidential kinds out of searches.
    kind_path = "kind"

    def get_search_results(self, request, queryset, search_term):
        results, duplicates = super().get_search_results(request, queryset, search_term)
        if search_term:
            # A search by a person's name must not tell whose report it was.
            results = results.exclude(**{f"{self.kind_path}__in": confidential_codes()})
        return results, duplicates

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
    list_display = ["shown_title", "shown_recipient", "kind", "created_at", "read_at"]
    list_filter = ["kind", ("read_at", admin.EmptyFieldListFilter)]
    list_select_related = ["recipient"]
    search_fields = ["title", "recipient__full_name", "recipient__username"]
    date_hierarchy = "created_at"
    inlines = [DeliveryInline]
    fields = ["kind", "shown_recipient", "shown_title", "shown_body", "shown_url", "created_at", "read_at"]
    readonly_fields = fields

    @admin.display(description=_("title"))
    def shown_title(self, obj):
        return HIDDEN if is_confidential(obj) else obj.title

    @admin.display(description=_("recipient"))
    def shown_recipient(self, obj):
        return HIDDEN if is_confidential(obj) else obj.recipient

    @admin.display(description=_("text"))
    def shown_body(self, obj):
        return HIDDEN if is_confidential(obj) else obj.body

    @admin.display(description=_("link"))
    def shown_url(self, obj):
        return HIDDEN if is_confidential(obj) else obj.url


@admin.register(Delivery)
class DeliveryAdmin(NotificationsAdminMixin, admin.ModelAdmin):
    kind_path = "notification__kind"
    list_display = [
        "shown_notification",
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
        "shown_notification",
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

    fields = readonly_fields

    @admin.display(description=_("notification"))
    def shown_notification(self, obj):
        return HIDDEN if is_confidential(obj.notification) else obj.notification

    @admin.display(description=_("recipient"))
    def recipient(self, obj):
        return HIDDEN if is_confidential(obj.notification) else obj.notification.recipient

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
