from django.contrib import admin
from django.contrib.admin.utils import flatten
from django.db.models import BooleanField, Case, F, Q, Value, When
from django.utils.translation import gettext_lazy as _

from core.access import can
from core.admin import AccessControlledAdminMixin, ReadOnlyAdminMixin
from incidents.access import reporter_visible
from incidents.models import Category, EscalationLevel, ExternalReport, Incident, IncidentEvent, Place, SlaPolicy

# Fields that name a confidential reporter, or the person who typed the report in for him and could name him.
IDENTIFYING_FIELDS = ("filed_by", "reporter", "reporter_name")
CONFIDENTIAL = _("confidential")


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
    fields = ["at", "who", "action", "audience", "before", "after", "text"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # the timeline is append-only, and only the application appends

    def get_queryset(self, request):
        # As on the incident's page: an entry by the reporter or the filer would give away a
        # confidential reporter, so its actor is hidden from whoever may not see the reporter.
        # A NULL in these conditions (no reporter account) never counts as "may see".
        return (
            super()
            .get_queryset(request)
            .select_related("actor")
            .annotate(
                actor_hidden=Case(
                    When(reporter_visible(request.user, "incident__"), then=Value(False)),
                    When(Q(actor=F("incident__reporter")) | Q(actor=F("incident__filed_by")), then=Value(True)),
                    default=Value(False),
                    output_field=BooleanField(),
                )
            )
        )

    @admin.display(description=_("before"))
    def before(self, event):
        return event.old_label

    @admin.display(description=_("after"))
    def after(self, event):
        return event.new_label

    @admin.display(description=_("by"))
    def who(self, event):
        if event.actor_hidden:
            return CONFIDENTIAL
        return event.actor or _("TựQuản (automatic)")


class ExternalReportInline(admin.TabularInline):
    model = ExternalReport
    fields = ["agency", "agency_detail", "notified_at", "method", "case_reference", "notified_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Incident)
class IncidentAdmin(IncidentsAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only here: incidents change through their workflow, so that every change is on the timeline."""

    list_display = ["reference", "category", "severity", "status", "assignee", "created_at"]
    list_filter = ["status", "severity", "category"]
    list_select_related = ["category", "assignee"]
    search_fields = ["reference", "search_text"]  # switches the search box on; see get_search_results
    date_hierarchy = "created_at"
    inlines = [ExternalReportInline, TimelineInline]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or can(request.user, "incidents.see_reporter", obj):
            return fieldsets
        # An administrator is not among those who may see a confidential reporter (incidents.see_reporter):
        # the identifying fields make way for one "reporter: confidential". flatten(): fields grouped on one
        # line are split, so that none of them slips through inside a tuple.
        shown, placed = [], False
        for name, options in fieldsets:
            fields = []
            for field in flatten(options["fields"]):
                if field not in IDENTIFYING_FIELDS:
                    fields.append(field)
                elif not placed:
                    fields.append("reporter_hidden")
                    placed = True
            shown.append((name, {**options, "fields": fields}))
        return shown

    @admin.display(description=_("reporter"))
    def reporter_hidden(self, incident):
        return CONFIDENTIAL

    def get_search_results(self, request, queryset, search_term):
        # The queue's search, under the queue's rule: a visitor's name or phone finds a confidential
        # report only for those who may see its reporter.
        return queryset.search(search_term, reporter_visible=reporter_visible(request.user)), False


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
    list_display = ["severity", "acknowledge_within", "resolve_within", "clock"]
