"""Administration of the evaluations app: the legal data (criteria, score lines) and corrections.

Evaluations, issued documents and number series are read-only here: they change through the app,
so that every change is in the evaluation's history and no issued number is ever reused.
"""

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import AccessControlledAdminMixin, ReadOnlyAdminMixin
from core.dates import year_in_range
from evaluations import calendar
from evaluations.models import (
    CriteriaSet,
    Criterion,
    DisciplineRecord,
    DocumentCounter,
    Evaluation,
    IssuedDocument,
    ScoreItem,
    ScoreSheet,
    ScoreTemplate,
    UnitRating,
)
from evaluations.services.cycle import add_criterion_to_open_evaluations, add_missing_item_scores


class EvaluationsAdminMixin(AccessControlledAdminMixin):
    access_action = "evaluations.administer"


def _report_added(request, added: int) -> None:
    if added:
        messages.info(
            request,
            ngettext(
                "The criterion was added to %(count)d open evaluation.",
                "The criterion was added to %(count)d open evaluations.",
                added,
            )
            % {"count": added},
        )
    else:
        messages.info(
            request,
            _(
                "No evaluation being prepared uses this criteria set: "
                "evaluations already signed off keep their criteria."
            ),
        )


# --- criteria -------------------------------------------------------------------------------


SMALL_TEXT = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 60})}}


class CriterionInline(admin.TabularInline):
    model = Criterion
    fields = ["code", "parent", "title", "text", "evidence", "is_provincial", "order", "is_active"]
    formfield_overrides = SMALL_TEXT
    extra = 0
    show_change_link = True

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            set_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
            kwargs["queryset"] = (
                Criterion.objects.filter(criteria_set_id=set_id, parent=None) if set_id else (Criterion.objects.none())
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(CriteriaSet)
class CriteriaSetAdmin(EvaluationsAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "effective_from"]
    search_fields = ["name", "code"]
    inlines = [CriterionInline]

    def save_formset(self, request, form, formset, change):
        new = [f.instance for f in formset.forms if not f.instance.pk and f.has_changed()]
        super().save_formset(request, form, formset, change)
        for criterion in new:
            if isinstance(criterion, Criterion) and criterion.pk and criterion.is_provincial:
                _report_added(request, add_criterion_to_open_evaluations(criterion))


class CriterionForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = [
            "criteria_set",
            "parent",
            "code",
            "tt124_item",
            "title",
            "title_en",
            "text",
            "evidence",
            "is_provincial",
            "order",
            "is_active",
        ]

    def clean(self):
        data = super().clean()
        parent, criteria_set = data.get("parent"), data.get("criteria_set")
        if parent and criteria_set and parent.criteria_set_id != criteria_set.pk:
            self.add_error("parent", _("An item belongs to a criterion of the same set."))
        return data


@admin.register(Criterion)
class CriterionAdmin(EvaluationsAdminMixin, admin.ModelAdmin):
    form = CriterionForm
    list_display = ["code", "title", "criteria_set", "evidence", "is_provincial", "order", "is_active"]
    list_filter = ["criteria_set", "is_provincial", "is_active"]
    list_select_related = ["criteria_set"]
    search_fields = ["code", "title", "text"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            kwargs["queryset"] = Criterion.objects.filter(parent=None).select_related("criteria_set")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # TT 124 Điều 8.1: a province's own criterion also applies to the evaluations being prepared.
        if not change and obj.is_provincial:
            _report_added(request, add_criterion_to_open_evaluations(obj))


# --- the movement score sheet ----------------------------------------------------------------


class ScoreItemInline(admin.TabularInline):
    model = ScoreItem
    fk_name = "template"
    fields = ["code", "parent", "text", "max_points", "order"]
    formfield_overrides = SMALL_TEXT
    extra = 1

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            template_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
            kwargs["queryset"] = (
                ScoreItem.objects.filter(template_id=template_id) if template_id else ScoreItem.objects.none()
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(ScoreTemplate)
class ScoreTemplateAdmin(EvaluationsAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "total_points", "points_defined"]
    search_fields = ["name", "code"]
    inlines = [ScoreItemInline]

    def get_queryset(self, request):
        # Lines with sub-lines are scored on the sub-lines: only the lines without any count.
        return (
            super()
            .get_queryset(request)
            .annotate(defined=Sum("items__max_points", filter=Q(items__children__isnull=True)))
        )

    @admin.display(description=_("points of the lines defined"))
    def points_defined(self, obj):
        return obj.defined or 0

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        # New lines join the sheets still being scored, so that evidence can be attached to them at once.
        sheets = ScoreSheet.objects.filter(template=form.instance).exclude(evaluation__status=Evaluation.Status.DECIDED)
        added = sum(add_missing_item_scores(sheet) for sheet in sheets.select_related("template"))
        if added:
            messages.info(
                request,
                ngettext(
                    "%(count)d new line was added to the score sheets being prepared.",
                    "%(count)d new lines were added to the score sheets being prepared.",
                    added,
                )
                % {"count": added},
            )


# --- evaluations (read-only) -----------------------------------------------------------------


@admin.register(Evaluation)
class EvaluationAdmin(EvaluationsAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: an evaluation changes through the app, so that every change is in its history."""

    list_display = ["year", "status", "recognised", "decision_number", "decision_date", "criteria_set"]
    list_filter = ["status", "recognised"]
    list_select_related = ["criteria_set"]


# --- ratings and discipline ------------------------------------------------------------------


@admin.register(UnitRating)
class UnitRatingAdmin(EvaluationsAdminMixin, admin.ModelAdmin):
    list_display = ["year", "unit", "rating", "advanced_collective", "decision_number", "decision_date", "recorded_by"]
    list_filter = ["year", "rating", "advanced_collective"]
    list_select_related = ["team", "department", "recorded_by"]
    search_fields = ["department__name", "decision_number"]
    fields = ["year", "team", "department", "rating", "advanced_collective", "decision_number", "decision_date"]

    @admin.display(description=_("unit"))
    def unit(self, obj):
        return obj.team or obj.department

    def save_model(self, request, obj, form, change):
        obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


class EvaluationYearFilter(admin.SimpleListFilter):
    """The evaluation year whose window holds the decision (16/11 of the year before to 15/11)."""

    title = _("evaluation year")
    parameter_name = "evaluation_year"

    def lookups(self, request, model_admin):
        years = {calendar.evaluation_year_of(day) for day in DisciplineRecord.objects.dates("decided_on", "day")}
        return [(year, str(year)) for year in sorted(years, reverse=True)]

    def queryset(self, request, queryset):
        try:
            year = int(self.value()) if self.value() else None
        except ValueError:
            return queryset.none()
        if year is None:
            return queryset
        if not year_in_range(year):
            return queryset.none()  # ?evaluation_year=99999 has no window (its year 99998 does not exist)
        evaluation = Evaluation.objects.filter(year=year).first()
        start, end = (evaluation.window_start, evaluation.window_end) if evaluation else calendar.default_window(year)
        return queryset.filter(decided_on__range=(start, end))


@admin.register(DisciplineRecord)
class DisciplineRecordAdmin(EvaluationsAdminMixin, admin.ModelAdmin):
    """Where a record is corrected or deleted: the app only adds them."""

    list_display = ["person", "form", "decided_on", "decision_number", "social_evils", "recorded_by"]
    list_filter = ["form", EvaluationYearFilter, "social_evils"]
    list_select_related = ["person", "recorded_by"]
    search_fields = ["person__full_name", "person__username", "decision_number"]
    autocomplete_fields = ["person"]
    date_hierarchy = "decided_on"
    fields = ["person", "form", "decided_on", "decision_number", "reason", "social_evils", "recorded_by", "recorded_at"]
    readonly_fields = ["recorded_by", "recorded_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


# --- documents (read-only) -------------------------------------------------------------------


@admin.register(DocumentCounter)
class DocumentCounterAdmin(EvaluationsAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """The last number of each series: never set by hand, or a number could be given twice."""

    list_display = ["year", "issuer", "type_code", "last"]
    list_filter = ["year", "issuer"]


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(EvaluationsAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Issued versions never change. The files are downloaded in the app, which checks access."""

    list_display = ["__str__", "kind", "version", "issued_on", "issued_by", "signed_copy"]
    list_filter = ["draft__kind", "issued_on"]
    list_select_related = ["draft", "issued_by"]
    search_fields = ["number_text", "summary"]
    # No file fields: their links would point into MEDIA_ROOT, which is not served.
    fields = ["draft", "version", "number", "number_text", "issued_on", "summary", "body", "issued_by", "issued_at"]

    @admin.display(description=_("document"))
    def kind(self, obj):
        return obj.draft.get_kind_display()

    @admin.display(description=_("signed copy"), boolean=True)
    def signed_copy(self, obj):
        return bool(obj.signed_file)
