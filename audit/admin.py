from django.contrib import admin
from django.db.models import Value
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import AuditEntry
from audit.services import Action, record
from core.admin import AccessControlledAdminMixin, ReadOnlyAdminMixin
from core.files import download
from core.spreadsheets import XLSX, xlsx_bytes
from incidents.access import sees_every_reporter
from team.roles import roles_of

HIDDEN = gettext_lazy("(confidential reporter)")


def sees_reporters(request) -> bool:
    return sees_every_reporter(roles_of(request.user))


@admin.register(AuditEntry)
class AuditEntryAdmin(AccessControlledAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: searched by person, object and date, and exported; never edited or deleted here."""

    access_action = "audit.view"
    list_display = ["at", "shown_actor", "action", "object_repr", "ip_address"]
    list_filter = ["action", "at"]
    search_fields = ["actor_name", "object_repr", "object_id", "object_type", "detail", "ip_address"]
    date_hierarchy = "at"
    list_select_related = ["actor"]
    actions = ["export_xlsx"]
    fields = [
        "at",
        "shown_actor",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "detail",
        "ip_address",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        # Carried on each row: a ModelAdmin is shared by every request, so it cannot hold the viewer's rights.
        return super().get_queryset(request).annotate(viewer_sees_reporters=Value(sees_reporters(request)))

    def get_search_results(self, request, queryset, search_term):
        results, duplicates = super().get_search_results(request, queryset, search_term)
        if search_term and not sees_reporters(request):
            # A search by a person's name must not find the entries that name him as a confidential reporter.
            results = results.exclude(conceals_actor=True)
        return results, duplicates

    @admin.display(description=gettext_lazy("who"))
    def shown_actor(self, obj):
        if obj.conceals_actor and not getattr(obj, "viewer_sees_reporters", False):
            return HIDDEN
        return obj.actor_name or "—"

    @admin.action(description=gettext_lazy("Export the selected entries to Excel"))
    def export_xlsx(self, request, queryset):
        header = [
            _("When"),
            _("Who"),
            _("What"),
            _("Kind of object"),
            _("Object id"),
            _("Object"),
            _("Detail"),
            _("Address"),
        ]
        rows = (
            [
                e.at,
                e.actor_name,
                str(e.get_action_display()),
                e.object_type,
                e.object_id,
                e.object_repr,
                e.detail,
                e.ip_address or "",
            ]
            for e in queryset.order_by("at", "id").iterator(chunk_size=2000)
        )
        data = xlsx_bytes(_("Audit log"), [header, *rows])
        record(Action.EXPORT, request=request, object_type="audit.auditentry", detail=f"{queryset.count()} entries")
        return download(data, filename=f"nhat-ky-kiem-tra-{timezone.localdate():%Y%m%d}.xlsx", content_type=XLSX)
