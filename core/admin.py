from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models.constants import LOOKUP_SEP
from django.utils.translation import gettext_lazy as _

from core.access import can
from core.dates import FIRST_YEAR, LAST_YEAR, RANGE, bound_date_field, date_in_range, validate_year

DATE_FILTER_IGNORED = _("Ignored a date filter that is not a date between %(earliest)s and %(latest)s.")
# The parts of a date a filter may ask for (`?created_at__year=2026`), and their possible values.
DATE_PARTS = {
    "year": (FIRST_YEAR, LAST_YEAR),
    "iso_year": (FIRST_YEAR, LAST_YEAR),
    "quarter": (1, 4),
    "month": (1, 12),
    "week": (1, 53),
    "day": (1, 31),
    "week_day": (1, 7),
    "iso_week_day": (1, 7),
    "hour": (0, 23),
    "minute": (0, 59),
    "second": (0, 59),
}


def _date_field_and_lookups(model, key: str) -> tuple[models.DateField, list[str]] | None:
    """For a filter such as `campaign__starts_on__year__gte`: the date field and what follows it."""
    opts, parts = model._meta, key.split(LOOKUP_SEP)
    for index, part in enumerate(parts):
        try:
            field = opts.get_field(part)
        except FieldDoesNotExist:
            return None
        if field.is_relation and field.related_model is not None:
            opts = field.related_model._meta
            continue
        # DateTimeField is a DateField.
        return (field, parts[index + 1 :]) if isinstance(field, models.DateField) else None
    return None


def _usable(field: models.DateField, lookups: list[str], value: str) -> bool:
    part = next((lookup for lookup in lookups if lookup in DATE_PARTS), None)
    try:
        if part:
            low, high = DATE_PARTS[part]
            return low <= int(value) <= high
        if lookups[-1:] == ["isnull"]:
            return True
        values = value.split(",") if lookups[-1:] in (["in"], ["range"]) else [value]
        return all(parsed is None or date_in_range(parsed) for parsed in map(field.to_python, values))
    except (ValueError, ValidationError):
        return False


class BoundedDatesChangeList(ChangeList):
    """An admin list whose date filters (date hierarchy, date list filters, or typed in the address) lie in
    core.dates' range. Django computes the next year of `?created_at__year=9999` and the UTC instant of
    `?created_at__gte=0001-01-01`, and both overflowed into a server error; an unusable filter is now
    dropped with a message, and the list shows unfiltered."""

    def get_filters(self, request):
        unusable = []
        for key, values in self.get_filters_params().items():
            found = _date_field_and_lookups(self.model, key)
            if found and not all(_usable(*found, value) for value in values):
                unusable.append(key)
        for key in unusable:
            # Also from params: the date hierarchy's template tag reads them.
            self.params.pop(key, None)
            self.filter_params.pop(key, None)
        if unusable:
            messages.warning(request, str(DATE_FILTER_IGNORED) % RANGE)
        return super().get_filters(request)


class BoundedDatesAdminMixin:
    """Admin pages: date filters and date fields in core.dates' range."""

    def get_changelist(self, request, **kwargs):
        return BoundedDatesChangeList

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and db_field.name == "year" and isinstance(db_field, models.IntegerField):
            formfield.validators.append(validate_year)  # a unit rating's, a commendation's year
            formfield.widget.attrs.update(min=FIRST_YEAR, max=LAST_YEAR)
        return bound_date_field(formfield)


def bound_other_admin_pages(site: admin.AdminSite = admin.site) -> None:
    """Give the admin pages of the libraries (django-axes' access logs, django-otp's devices) the same bounds.

    Called by CoreConfig.ready(): django.contrib.admin, first in INSTALLED_APPS, has loaded every admin module
    by then.
    """
    for model, model_admin in list(site._registry.items()):
        if not isinstance(model_admin, BoundedDatesAdminMixin):
            bounded = type(type(model_admin).__name__, (BoundedDatesAdminMixin, type(model_admin)), {})
            site.unregister(model)
            site.register(model, bounded)


class AccessControlledAdminMixin(BoundedDatesAdminMixin):
    """Django admin pages also ask core.access (`access_action`), on top of Django's model permissions.

    The same rule then guards a page in the site and its twin in admin. Every admin page of the project
    starts from this mixin, so it also keeps their dates in range (BoundedDatesAdminMixin).
    """

    access_action: str

    def _allowed(self, request, obj=None) -> bool:
        return can(request.user, self.access_action, obj)

    def has_module_permission(self, request):
        return self._allowed(request) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, obj) and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return self._allowed(request) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, obj) and super().has_delete_permission(request, obj)


class ReadOnlyAdminMixin:
    """For records that change only through the app (incidents, evaluations) or never (logs): viewed, never edited."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
