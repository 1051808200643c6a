from collections.abc import Iterator
from contextlib import contextmanager

from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header

from audit.models import AuditEntry
from audit.services import record


def protected_file(stored, *, filename: str, content_type: str, inline: bool, obj=None) -> FileResponse:
    """Serve an uploaded file that the caller has already fetched through core.access.

    The type is the one sniffed at upload, never guessed by the browser (nosniff), and the
    sandbox CSP keeps a file that slipped through from running script in our origin. Every
    download is in the audit log: who took which file of which record, from where.
    """
    record(AuditEntry.Action.DOWNLOAD, obj=obj, detail=filename)
    response = FileResponse(stored.open("rb"), as_attachment=not inline, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


def download(data: bytes | str, *, filename: str, content_type: str) -> HttpResponse:
    """What the app made (an export, a document, a dossier) for the browser to save as `filename`."""
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@contextmanager
def stored_atomically() -> Iterator[list[str]]:
    """One transaction for an action that stores uploaded files, which are not part of the transaction.

    Yields the list the action records each stored file's name in, the moment the file exists; if the
    transaction fails, those files are deleted again, so a failed action leaves neither a row nor an orphan file.
    """
    written: list[str] = []
    try:
        with transaction.atomic():
            yield written
    except Exception:
        for name in written:
            default_storage.delete(name)
        raise
