"""Reference numbers VV-<year>-<sequence> that never repeat, also when two people file at once."""

from django.db import transaction

from incidents.models import ReferenceCounter

PREFIX = "VV"


def next_reference(year: int) -> str:
    """Take the next number of `year`. Must run inside the filing transaction (it holds a row lock)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_reference() must run inside the transaction that saves the incident")
    # The first incident of a year creates the counter; ON CONFLICT DO NOTHING lets two
    # first-of-the-year filings race without an error.
    ReferenceCounter.objects.bulk_create([ReferenceCounter(year=year, last=0)], ignore_conflicts=True)
    counter = ReferenceCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{PREFIX}-{year}-{counter.last:04d}"
