from datetime import timedelta

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms.models import BaseInlineFormSet
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin import AccessControlledAdminMixin
from core.history import ReadableHistoryAdminMixin
from team import selectors, services
from team.forms import AppointCommandForm
from team.models import Decision, Department, DutyShift, Membership, Office, OperatingRegulation, Position, Team, User
from team.models.membership import active_roster_errors
from team.sessions import end_sessions_of

APPOINT_TITLE = _("Appoint a new team leader or deputy")
APPOINTED_MESSAGE = _("%(person)s is now %(role)s, by %(decision)s.")
PREVIOUS_ENDED_MESSAGE = _("%(person)s's role as %(role)s ended on %(day)s.")
CHOOSE_ONE_TEAM_MESSAGE = _("Choose exactly one team.")


class AccessControlledAdmin(AccessControlledAdminMixin, ReadableHistoryAdminMixin, SimpleHistoryAdmin):
    access_action = "team.manage_roster"


class CommandWarningsMixin:
    """The team's admin pages say when it has no leader or deputy: ending the leader's membership, or a
    promotion that leaves the deputy's seat empty, is seen at once. On GET only, so a page reached by a
    redirect after saving warns once."""

    def _warn_about_command(self, request):
        if request.method == "GET":
            for warning in selectors.command_warnings(list(Team.objects.all())):
                messages.warning(request, warning)

    def changelist_view(self, request, extra_context=None):
        self._warn_about_command(request)
        return super().changelist_view(request, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        self._warn_about_command(request)
        return super().changeform_view(request, object_id, form_url, extra_context)


@admin.register(Office)
class OfficeAdmin(AccessControlledAdmin):
    list_display = ["name", "abbreviation", "managing_body", "place_name"]
    search_fields = ["name", "managing_body"]


@admin.register(Department)
class DepartmentAdmin(AccessControlledAdmin):
    list_display = ["name", "abbreviation", "office", "order", "staff_count"]
    list_editable = ["order"]
    list_filter = ["office"]
    search_fields = ["name", "abbreviation"]

    @admin.display(description=_("staff"))
    def staff_count(self, obj):
        return obj.staff.filter(is_active=True).count()


@admin.register(Position)
class PositionAdmin(AccessControlledAdmin):
    list_display = ["name", "kind", "order"]
    list_filter = ["kind"]
    search_fields = ["name"]


class StaffCreationForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "full_name", "email")


class StaffChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User


@admin.register(User)
class UserAdmin(AccessControlledAdmin, DjangoUserAdmin):
    form = StaffChangeForm
    add_form = StaffCreationForm
    list_display = ["name", "username", "department", "position", "phone", "email", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff", "department", "position"]
    list_select_related = ["department", "position"]
    search_fields = ["full_name", "username", "email", "phone"]
    ordering = ["name_sort_key"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Personal details"), {"fields": ["full_name", "department", "position", "phone", "email", "language"]}),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    actions = ["end_all_sessions"]

    @admin.display(description=_("full name"), ordering="name_sort_key")
    def name(self, obj):
        return obj.full_name

    @admin.action(description=_("End all sessions of the selected people (log them out everywhere)"))
    def end_all_sessions(self, request, queryset):
        ended = end_sessions_of(queryset.values_list("pk", flat=True))
        self.message_user(request, _("%(count)d sessions ended.") % {"count": ended})

    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    *("username", "full_name", "email", "department", "position", "phone"),
                    *("password1", "password2"),
                ],
            },
        )
    ]


@admin.register(Decision)
class DecisionAdmin(AccessControlledAdmin):
    list_display = ["number", "signed_on", "signer_name", "summary"]
    search_fields = ["number", "summary", "signer_name"]
    date_hierarchy = "signed_on"


class MembershipInlineFormSet(BaseInlineFormSet):
    """Checks the roster as a whole: each row alone only sees what is already saved."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        active_rows = [
            (form.cleaned_data["user"].pk, form.cleaned_data["role"])
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.cleaned_data.get("end_date") is None
        ]
        errors = active_roster_errors(active_rows)
        if errors:
            raise ValidationError(errors)


class MembershipInline(admin.TabularInline):
    model = Membership
    formset = MembershipInlineFormSet
    fields = ["user", "role", "start_date", "end_date", "appointed_by", "relieved_by"]
    autocomplete_fields = ["user", "appointed_by", "relieved_by"]
    extra = 0
    # Ended memberships are the team's history: end them, do not delete them.
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "appointed_by", "relieved_by")


class OperatingRegulationInline(admin.StackedInline):
    model = OperatingRegulation
    fields = ["version", "title", "decision", "effective_from", "content"]
    autocomplete_fields = ["decision"]
    extra = 0


class UpcomingDutyShiftInline(admin.TabularInline):
    """The coming week only: the full duty roster has its own page with a date filter."""

    model = DutyShift
    verbose_name_plural = _("duty shifts in the coming week")
    fields = ["date", "start_time", "end_time", "member", "backup", "note"]
    autocomplete_fields = ["member", "backup"]
    extra = 0

    def get_queryset(self, request):
        today = timezone.localdate()
        coming_week = (today, today + timedelta(days=6))
        return super().get_queryset(request).filter(date__range=coming_week).select_related("member", "backup")


@admin.register(Team)
class TeamAdmin(CommandWarningsMixin, AccessControlledAdmin):
    list_display = ["name", "abbreviation", "office", "start_date", "active_member_count"]
    search_fields = ["name"]
    autocomplete_fields = ["establishment_decision"]
    inlines = [MembershipInline, OperatingRegulationInline, UpcomingDutyShiftInline]
    actions = ["appoint_command"]

    @admin.display(description=_("active members"))
    def active_member_count(self, obj):
        return obj.memberships.active().count()

    def get_urls(self):
        appoint = self.admin_site.admin_view(self.appoint_view)
        return [path("<path:object_id>/appoint/", appoint, name="team_team_appoint"), *super().get_urls()]

    @admin.action(description=APPOINT_TITLE)
    def appoint_command(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, CHOOSE_ONE_TEAM_MESSAGE, messages.ERROR)
            return None
        return redirect("admin:team_team_appoint", queryset.get().pk)

    def appoint_view(self, request, object_id):
        """One step instead of four: end the holder's role and appoint the new one under one decision."""
        team = self.get_object(request, unquote(object_id))
        if team is None:
            raise Http404
        if not self.has_change_permission(request, team):
            raise PermissionDenied
        form = AppointCommandForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                message = self._appoint(team, form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(request, message, messages.SUCCESS)
                return redirect("admin:team_team_change", team.pk)
        self._warn_about_command(request)
        holders = selectors.active_roster(team).filter(role__in=[Membership.Role.LEADER, Membership.Role.DEPUTY])
        context = {
            **self.admin_site.each_context(request),
            "title": APPOINT_TITLE,
            "subtitle": str(team),
            "opts": self.model._meta,
            "original": team,
            "form": form,
            "holders": holders,
            "media": self.media + form.media,
            "change_url": reverse("admin:team_team_change", args=[team.pk]),
        }
        return TemplateResponse(request, "admin/team/team/appoint.html", context)

    @staticmethod
    def _appoint(team, data) -> str:
        role = Membership.Role(data["role"])
        with transaction.atomic():
            previous = Membership.objects.active().filter(team=team, role=role).select_related("user").first()
            decision = services.record_decision(
                number=data["decision_number"],
                signed_on=data["signed_on"],
                signer_name=data["signer_name"],
                signer_title=data["signer_title"],
                summary=gettext("Appointment of %(person)s as %(role)s")
                % {"person": data["person"], "role": role.label},
            )
            services.appoint_to_command(
                team=team,
                role=role,
                person=data["person"],
                start_date=data["start_date"],
                decision=decision,
                previous_holder_stays=data["previous_holder_stays"],
            )
        message = APPOINTED_MESSAGE % {"person": data["person"], "role": role.label, "decision": decision}
        if previous is not None:
            day = formats.date_format(data["start_date"], "d/m/Y")
            message += " " + PREVIOUS_ENDED_MESSAGE % {"person": previous.user, "role": role.label, "day": day}
        return message


class ActiveFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("active", _("Active")), ("ended", _("Ended"))]

    def queryset(self, request, queryset):
        if self.value() == "active":
            return queryset.active()
        if self.value() == "ended":
            return queryset.filter(end_date__isnull=False)
        return queryset


@admin.register(Membership)
class MembershipAdmin(CommandWarningsMixin, AccessControlledAdmin):
    list_display = ["user", "role", "team", "start_date", "end_date", "appointed_by", "relieved_by"]
    list_filter = [ActiveFilter, "role", "team"]
    list_select_related = ["user", "team", "appointed_by", "relieved_by"]
    search_fields = ["user__full_name", "user__username"]
    autocomplete_fields = ["user", "appointed_by", "relieved_by"]
    date_hierarchy = "start_date"

    def has_delete_permission(self, request, obj=None):
        return False  # history: a membership is ended, never deleted


@admin.register(DutyShift)
class DutyShiftAdmin(CommandWarningsMixin, AccessControlledAdmin):
    access_action = "team.manage_duty"
    list_display = ["date", "start_time", "end_time", "member", "backup", "team", "note"]
    list_filter = ["team", "member"]
    list_select_related = ["member", "backup", "team"]
    search_fields = ["member__full_name", "backup__full_name", "note"]
    autocomplete_fields = ["member", "backup"]
    date_hierarchy = "date"
    ordering = ["-date", "start_time"]


@admin.register(OperatingRegulation)
class OperatingRegulationAdmin(AccessControlledAdmin):
    list_display = ["title", "version", "team", "effective_from", "decision"]
    list_filter = ["team"]
    search_fields = ["title", "content"]
    autocomplete_fields = ["decision"]
