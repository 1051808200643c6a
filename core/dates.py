"""The dates TựQuản accepts: every date, moment or year a person types, in a form, in admin or in an address.

Nothing the office records lies outside 2000–2100. Keeping every date inside keeps date arithmetic away from the
limits of Python and of the databases (years 1 and 9999): a copy to a later year, a duty shift past midnight, an
evaluation window that starts in November of the year before, a conversion to UTC. A typo such as 01/01/0001 or
31/12/9999 used to be saved and then break pages with a server error.
"""

from datetime import date, datetime

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _

FIRST_YEAR = 2000
LAST_YEAR = 2100
EARLIEST = date(FIRST_YEAR, 1, 1)
LATEST = date(LAST_YEAR, 12, 31)

DATE_OUT_OF_RANGE = _("Enter a date between %(earliest)s and %(latest)s.")
YEAR_OUT_OF_RANGE = _("Enter a year between %(first)s and %(last)s.")
RANGE = {"earliest": f"{EARLIEST:%d/%m/%Y}", "latest": f"{LATEST:%d/%m/%Y}", "first": FIRST_YEAR, "last": LAST_YEAR}

# What the browser's pickers offer (they travel as ISO, see core.widgets).
_PICKER_BOUNDS = {
    "date": (EARLIEST.isoformat(), LATEST.isoformat()),
    "datetime-local": (f"{EARLIEST.isoformat()}T00:00", f"{LATEST.isoformat()}T23:59"),
}


def year_in_range(year) -> bool:
    return isinstance(year, int) and FIRST_YEAR <= year <= LAST_YEAR


def date_in_range(value: date | datetime) -> bool:
    # The year as typed: converting 31/12/9999 23:00 to another time zone would itself overflow.
    return FIRST_YEAR <= value.year <= LAST_YEAR


def validate_date(value: date | datetime | None) -> None:
    """Validator of every date and date-time field (forms and models)."""
    if value is not None and not date_in_range(value):
        raise ValidationError(DATE_OUT_OF_RANGE, code="date_out_of_range", params=RANGE)


def validate_year(value: int | None) -> None:
    """Validator of every year field."""
    if value is not None and not year_in_range(value):
        raise ValidationError(YEAR_OUT_OF_RANGE, code="year_out_of_range", params=RANGE)


def year_or_404(year) -> int:
    """A year taken from an address: the year, or 404 when there can be no such page."""
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise Http404 from None
    if not year_in_range(year):
        raise Http404
    return year


DATE_FIELDS = (forms.DateField, forms.DateTimeField, forms.SplitDateTimeField)


def bound_date_field(field: forms.Field | None) -> forms.Field | None:
    """Make a form field accept only dates in the range, and its picker offer only those. Other fields pass."""
    if not isinstance(field, DATE_FIELDS):
        return field
    if validate_date not in field.validators:
        field.validators.append(validate_date)
    bounds = _PICKER_BOUNDS.get(getattr(field.widget, "input_type", None))
    if bounds:
        # setdefault: a form that already limits the picker (no future decision date, say) keeps its limit.
        field.widget.attrs.setdefault("min", bounds[0])
        field.widget.attrs.setdefault("max", bounds[1])
    return field


class BoundedDatesMixin:
    """For forms: every date and date-time field of the form goes through bound_date_field()."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            bound_date_field(field)
