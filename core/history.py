"""django-simple-history's admin pages in the office's terms: values as people read them, not as Python prints them."""

from datetime import date, datetime

from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper


def readable(field: models.Field, value) -> str:
    """One changed value as people read it: "31/12/2025", "Tổ viên", the related row's name, "—" for nothing."""
    if isinstance(value, DeletedObject):
        # What the admin's diff gives for a foreign key that was empty (pk None) or whose row is gone.
        return "—" if value.pk is None else str(value.pk)
    if value is None or value == "":
        return "—"
    if isinstance(value, models.Model):
        return str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "d/m/Y H:i")
    if isinstance(value, date):
        return formats.date_format(value, "d/m/Y")
    if field.many_to_one or field.one_to_one:
        related = field.related_model._base_manager.filter(pk=value).first()
        return str(related) if related is not None else str(value)
    return str(value)


class ReadableHistoryContextHelper(HistoricalRecordContextHelper):
    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if field.many_to_many:
            return super().prepare_delta_change_value(change, value)
        return readable(field, value)


class ReadableHistoryAdminMixin:
    """For SimpleHistoryAdmin subclasses."""

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableHistoryContextHelper(self.model, historical_record)
