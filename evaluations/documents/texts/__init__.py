"""The generated Vietnamese texts of the dossier, one module per document, and what turns a draft into a layout.

`generate(kind, owner)` fills the editable parts of a document (subject line, addressees, body with its
"Căn cứ" lines first, copies to) from the evaluation's (or the commendation's) data as it is now.
`official_document(...)` assembles the `layout.OfficialDocument` from a draft's text, its number and
date, and the signature of its signer. Always Vietnamese: these are official documents, not UI.
"""

from datetime import date

from evaluations.documents.layout import OfficialDocument, Signature
from evaluations.models import DocumentKind, Meeting
from team.models import Position

from . import common
from .commendation import commendation
from .common import TYPE_CODES, TYPE_NAMES, Texts, issuer_name, office_info
from .minutes import minutes
from .pledge import pledge
from .report import report
from .score_sheet import score_sheet
from .submission import submission

GENERATORS = {
    DocumentKind.PLEDGE: pledge,
    DocumentKind.REPORT: report,
    DocumentKind.SUBMISSION: submission,
    DocumentKind.MINUTES: minutes,
    DocumentKind.SCORE_SHEET: score_sheet,
    DocumentKind.COMMENDATION: commendation,
}
NUMBERED = frozenset(TYPE_CODES)
SIGNED_BY_THE_MEETING = frozenset({DocumentKind.MINUTES})
BASIS_PREFIX = "Căn cứ "


def generate(kind: str, owner) -> Texts:
    """The texts of `kind` for `owner` (an Evaluation, or a Commendation for the commendation proposal)."""
    return GENERATORS[kind](owner)


def default_signer():
    return common.chief()


def split_bases(body: str) -> tuple[list[str], str]:
    """The leading "Căn cứ …" lines of a body (printed in italics under the title) and the rest of it."""
    lines = body.splitlines()
    bases = []
    while lines and (lines[0].strip().startswith(BASIS_PREFIX) or not lines[0].strip()):
        line = lines.pop(0).strip()
        if line:
            bases.append(line)
    return bases, "\n".join(lines)


def signature(user) -> Signature | None:
    """The signature block of `user`: "KT. CHÁNH VĂN PHÒNG / PHÓ CHÁNH VĂN PHÒNG" for a Deputy Chief,
    "CHÁNH VĂN PHÒNG" for the Chief; anyone else signs with his position alone."""
    if user is None:
        return None
    position = user.position if user.position_id else None
    if position is not None and position.kind == Position.Kind.DEPUTY_CHIEF:
        chief = Position.objects.filter(kind=Position.Kind.CHIEF).order_by("order", "pk").first()
        chief_title = chief.name if chief else common.CHIEF_TITLE
        return Signature(authority=f"KT. {chief_title}", title=position.name, name=user.full_name)
    if position is not None:
        return Signature(title=position.name, name=user.full_name)
    return Signature(title=common.CHIEF_TITLE, name=user.full_name)


def signatures_of(draft) -> list[Signature]:
    if draft.kind in SIGNED_BY_THE_MEETING:
        # Mẫu 1.9: the secretary on the left, the chair on the right.
        meeting = Meeting.objects.filter(evaluation_id=draft.evaluation_id).select_related("chair", "secretary").first()
        secretary = meeting.secretary.full_name if meeting and meeting.secretary else ""
        chair = meeting.chair.full_name if meeting and meeting.chair else ""
        return [Signature(title="Thư ký", name=secretary), Signature(title="Chủ tọa", name=chair)]
    block = signature(draft.signer)
    return [block] if block else []


def official_document(
    draft, *, info=None, number: int | None = None, issued_on: date | None = None, is_draft: bool = False
) -> OfficialDocument:
    """The layout of `draft`'s current text; `number` and `issued_on` are None on a draft preview."""
    info = info or office_info()
    bases, body = split_bases(draft.body)
    year = draft.evaluation.year if draft.evaluation_id else draft.commendation.year
    return OfficialDocument(
        managing_body=info.office.managing_body if info.office else "",
        issuer=issuer_name(info.office),
        type_name=TYPE_NAMES[draft.kind],
        summary=draft.summary,
        symbol=common.symbol(draft.kind, info),
        number=number,
        place=info.office.place_name if info.office else "",
        issued_on=issued_on,
        year=year,
        addressees=lines(draft.addressees),
        bases=bases,
        body=body,
        signatures=signatures_of(draft),
        recipients=lines(draft.recipients),
        minutes=draft.kind == DocumentKind.MINUTES,
        draft=is_draft,
        numbered=draft.kind in NUMBERED,
    )


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


__all__ = [
    "GENERATORS",
    "NUMBERED",
    "TYPE_CODES",
    "TYPE_NAMES",
    "Texts",
    "default_signer",
    "generate",
    "official_document",
    "signature",
    "split_bases",
]
