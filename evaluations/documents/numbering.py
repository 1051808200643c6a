"""Numbers of official documents: one yearly series per issuer and document type (Nghị định 30/2020 Điều 15).

"05/BC-VP" is number 5 of the series (year, "VP", "BC"). A series starts at 01 on 1 January and
numbers are never reused nor skipped, also when two people issue at the same moment: the number
is taken under a row lock inside the issuing transaction, so a failed issue rolls it back with
everything else and the next issue gets it. Same technique as incidents/numbering.py.

No Django import here on purpose: the package's layout modules stay free of Django (their test
checks every module of this folder), and `select_for_update()` itself refuses to run outside a
transaction, which is the guard this needs.
"""

from evaluations.models import DocumentCounter


def allocate(year: int, issuer: str, type_code: str) -> int:
    """Take the next number of the series (`year`, `issuer`, `type_code`).

    Must run inside the transaction that stores the issued document: the counter row stays
    locked until that transaction ends, so a concurrent issue of the same series waits and then
    reads the committed value. Outside a transaction Django raises TransactionManagementError.
    """
    # The first document of a series creates its counter; ON CONFLICT DO NOTHING lets two
    # first-of-the-year issues race without an IntegrityError that would break the transaction.
    DocumentCounter.objects.bulk_create(
        [DocumentCounter(year=year, issuer=issuer, type_code=type_code, last=0)], ignore_conflicts=True
    )
    counter = DocumentCounter.objects.select_for_update().get(year=year, issuer=issuer, type_code=type_code)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last
