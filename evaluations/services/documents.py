"""Official documents of the dossier: editable drafts, previews, issuing with a number, signed copies.

A draft is generated from the records the first time someone opens it (`draft_for`) and then belongs
to the team: they edit it (`save_draft`) or refill it from today's records (`regenerate`). Issuing
(`issue`) takes the next number of the document's yearly series, renders the .docx with it and keeps
the file and the exact text as a new version; earlier versions stay, and so do their numbers. The
signed and sealed copy can be uploaded back once per version (`add_signed_copy`).

Each write is one transaction that locks the rows it depends on: the evaluation (or commendation)
first, then the draft, the same order as every other evaluation write, so two writers queue instead
of deadlocking.
"""

import re
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.access import can
from core.uploads import SafeUpload
from evaluations.documents import numbering, texts
from evaluations.documents.layout import render
from evaluations.models import Commendation, DocumentKind, Draft, Evaluation, EvaluationEvent, IssuedDocument
from evaluations.services.common import Conflict, record
from team.models import Position

E = Evaluation.Status
K = DocumentKind

SIGNED_OFF_STATUSES = (E.SIGNED_OFF, E.SUBMITTED, E.DECIDED)
AFTER_SIGN_OFF = (K.REPORT, K.MINUTES, K.SUBMISSION)
EVALUATION_KINDS = (K.PLEDGE, K.REPORT, K.MINUTES, K.SCORE_SHEET, K.SUBMISSION)  # the order they are made
SIGNED_COPY_TYPES = (".pdf", ".jpg", ".png", ".webp", ".docx")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DATES = re.compile(r"\d{2}/\d{2}/\d{4}")

MAY_NOT_SEE = _("You cannot see the documents of the evaluation.")
MAY_NOT_EDIT = _("Only members of the security team may edit document drafts.")
MAY_NOT_ISSUE = _("Only the team leader or the deputy team leader may issue documents and upload signed copies.")
SIGN_OFF_FIRST = _(
    "The %(document)s can only be issued once the Chief of Office has signed off the evaluation. "
    "The evaluation is now “%(status)s”."
)
SUBMISSION_NEEDS = _(
    "Issue the results report and the minutes first: the submission cites their numbers. Not issued yet: %(missing)s."
)
SUBMISSION_CITES = _(
    "The submission must cite the issued %(numbers)s. Regenerate the text, or correct the numbers in it, then issue."
)
NOT_APPROVED = _("This commendation was not approved: no proposal can be issued for it.")
SUMMARY_MISSING = _("Give the subject line.")
BODY_MISSING = _("The text cannot be empty.")
SIGNER_NOT_LEADERSHIP = _("The signer must be the Chief of Office or a Deputy Chief.")
STALE_DRAFT = _(
    "Someone else saved this draft while you were editing it. Here is their text: copy your changes into it and save "
    "again."
)
SIGNED_COPY_TWICE = _("A signed copy of %(document)s is already uploaded; it cannot be replaced.")
SIGNED_COPY_TYPE = _("Upload the signed copy as a PDF, a photo (JPEG, PNG, WebP) or a Word document (.docx).")


# --- drafts ---------------------------------------------------------------------------------


def _owner_filter(owner) -> dict:
    if isinstance(owner, Evaluation):
        return {"evaluation": owner}
    if isinstance(owner, Commendation):
        return {"commendation": owner}
    raise TypeError(f"documents belong to an evaluation or a commendation, not {owner!r}")


def _check_kind(owner, kind: str) -> None:
    allowed = EVALUATION_KINDS if isinstance(owner, Evaluation) else (K.COMMENDATION,)
    if kind not in allowed:
        raise ValueError(f"no {kind!r} document for {owner!r}")


def draft_for(owner, kind: str, actor) -> Draft:
    """The draft of `kind` for `owner` (an Evaluation, or a Commendation for its proposal).

    The first call generates it from the records as they are now and stores it; later calls return
    the stored text, edits included. Two first calls at once store one draft (the unique constraint
    decides, the loser reads the winner's row).
    """
    if not can(actor, "evaluations.view"):
        raise PermissionDenied(MAY_NOT_SEE)
    _check_kind(owner, kind)
    where = _owner_filter(owner)
    drafts = Draft.objects.select_related("signer__position", "updated_by")
    draft = drafts.filter(kind=kind, **where).first()
    if draft is not None:
        return draft
    generated = texts.generate(kind, owner)
    signer = None if kind == K.MINUTES else texts.default_signer()
    try:
        with transaction.atomic():
            draft = Draft.objects.create(
                kind=kind,
                summary=generated.summary[:300],
                addressees="\n".join(generated.addressees),
                body=generated.body,
                generated_body=generated.body,
                recipients="\n".join(generated.recipients),
                signer=signer,
                updated_by=actor,
                **where,
            )
    except IntegrityError:
        return drafts.get(kind=kind, **where)
    return draft


def _lock_owner(draft_id: int) -> Draft:
    """Lock the draft's evaluation or commendation, then the draft; returns the draft with both loaded."""
    owner = Draft.objects.values("evaluation_id", "commendation_id").get(pk=draft_id)
    evaluation = commendation = None
    if owner["evaluation_id"]:
        evaluation = (
            Evaluation.objects.select_for_update(of=("self",))
            .select_related("criteria_set")
            .get(pk=owner["evaluation_id"])
        )
    else:
        commendation = (
            Commendation.objects.select_for_update(of=("self",))
            .select_related("person", "evaluation")
            .get(pk=owner["commendation_id"])
        )
    draft = Draft.objects.select_for_update(of=("self",)).select_related("signer__position").get(pk=draft_id)
    # The owners locked above, not the ones a lazy access would read again.
    if evaluation is not None:
        draft.evaluation = evaluation
    else:
        draft.commendation = commendation
    return draft


def check_signer(signer) -> None:
    if signer is not None and not (
        signer.is_active and signer.position_id and signer.position.kind in Position.LEADERSHIP_KINDS
    ):
        raise ValidationError({"signer": SIGNER_NOT_LEADERSHIP})


@transaction.atomic
def save_draft(
    draft_id: int, actor, summary: str, addressees: str, body: str, recipients: str, signer, *, seen=None
) -> Draft:
    """Store the team's text. `seen`: the draft's `updated_at` when the person opened it; if someone saved
    in between, Conflict (nothing is overwritten)."""
    draft = _lock_owner(draft_id)
    if not can(actor, "evaluations.edit_draft", draft):
        raise PermissionDenied(MAY_NOT_EDIT)
    if seen is not None and draft.updated_at != seen:
        raise Conflict(STALE_DRAFT)
    errors = {}
    if not summary.strip():
        errors["summary"] = SUMMARY_MISSING
    if not body.strip():
        errors["body"] = BODY_MISSING
    if errors:
        raise ValidationError(errors)
    check_signer(signer)
    draft.summary = " ".join(summary.split())[:300]
    draft.addressees = _clean_lines(addressees)
    draft.body = body.replace("\r\n", "\n").strip()
    draft.recipients = _clean_lines(recipients)
    draft.signer = None if draft.kind == K.MINUTES else signer
    draft.updated_by = actor
    draft.save()
    return draft


def _clean_lines(text: str) -> str:
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


@transaction.atomic
def regenerate(draft_id: int, actor) -> Draft:
    """Refill the subject line, addressees, text and copies-to from today's records; the signer stays.

    Allowed at any time, also after sign-off: it only replaces the editable text (the page asks first).
    """
    draft = _lock_owner(draft_id)
    if not can(actor, "evaluations.edit_draft", draft):
        raise PermissionDenied(MAY_NOT_EDIT)
    generated = texts.generate(draft.kind, draft.evaluation if draft.evaluation_id else draft.commendation)
    draft.summary = generated.summary[:300]
    draft.addressees = "\n".join(generated.addressees)
    draft.body = draft.generated_body = generated.body
    draft.recipients = "\n".join(generated.recipients)
    draft.updated_by = actor
    draft.save()
    return draft


def is_outdated(draft: Draft) -> bool:
    """Whether today's records would give another text than the one this draft was generated from.

    The team edits drafts, so the body itself is not compared: what changed is the generated text,
    e.g. two more people briefed since the report was first drafted.
    """
    owner = draft.evaluation if draft.evaluation_id else draft.commendation
    fresh = texts.generate(draft.kind, owner).body
    # Dates are left out: while the window is open the report counts staff "as of today", and a new
    # day alone is no reason to redo a draft.
    return DATES.sub("", fresh) != DATES.sub("", draft.generated_body)


def preview_bytes(draft: Draft) -> bytes:
    """The draft as .docx, marked "DỰ THẢO", with room for the number and the date."""
    return render(texts.official_document(draft, is_draft=True))


# --- issuing --------------------------------------------------------------------------------


def _check_issuable(draft: Draft) -> None:
    if draft.evaluation_id:
        evaluation = draft.evaluation
        if draft.kind in AFTER_SIGN_OFF and evaluation.status not in SIGNED_OFF_STATUSES:
            raise ValidationError(
                SIGN_OFF_FIRST % {"document": draft.get_kind_display(), "status": evaluation.get_status_display()}
            )
        if draft.kind == K.SUBMISSION:
            _check_citations(draft)
    elif draft.commendation.status == Commendation.Status.REJECTED:
        raise ValidationError(NOT_APPROVED)


def why_not_issuable(draft: Draft) -> str:
    """Why `issue` would refuse `draft` now (besides permissions), or '' — for the page, without locks."""
    try:
        _check_issuable(draft)
    except ValidationError as error:
        return " ".join(error.messages)
    return ""


def _check_citations(draft: Draft) -> None:
    """The submission cites the latest issued report and minutes by number (TT 124 Điều 9.2.b dossier)."""
    cited = {}
    for kind in (K.REPORT, K.MINUTES):
        cited[kind] = (
            IssuedDocument.objects.filter(draft__evaluation_id=draft.evaluation_id, draft__kind=kind)
            .order_by("-issued_at", "-version")
            .first()
        )
    missing = [str(K(kind).label) for kind, issued in cited.items() if issued is None]
    if missing:
        raise ValidationError(SUBMISSION_NEEDS % {"missing": ", ".join(missing)})
    uncited = [issued.number_text for issued in cited.values() if issued.number_text not in draft.body]
    if uncited:
        raise ValidationError(SUBMISSION_CITES % {"numbers": ", ".join(uncited)})


@transaction.atomic
def issue(draft_id: int, actor, issued_on: date | None = None) -> IssuedDocument:
    """Issue the draft's current text as a new version and return it.

    1. Lock the evaluation (or commendation) and the draft; only the team leader or deputy may issue.
    2. Report, minutes and submission need the Chief's sign-off first; the submission also needs the
       report and the minutes issued, and must cite their numbers. A rejected commendation is refused.
    3. Take the next number of the series (year of `issued_on`, office, type), except for the score
       sheet, an unnumbered annex. The number is part of this transaction: if anything below fails it
       is rolled back with the rest, so the next issue gets it and no number is ever skipped.
    4. Render the .docx with the number and the date, store it with the text as version n + 1.
    5. Record "Issued 05/BC-VP" in the evaluation's history.
    """
    issued_on = issued_on or timezone.localdate()
    draft = _lock_owner(draft_id)
    if not can(actor, "evaluations.issue_document", draft):
        raise PermissionDenied(MAY_NOT_ISSUE)
    _check_issuable(draft)
    info = texts.office_info()
    number = number_text = None
    if draft.kind in texts.NUMBERED:
        number = numbering.allocate(issued_on.year, info.abbreviation, texts.TYPE_CODES[draft.kind])
        number_text = f"{number:02d}/{texts.common.symbol(draft.kind, info)}"
    data = render(texts.official_document(draft, info=info, number=number, issued_on=issued_on))
    version = (draft.issued.aggregate(last=Max("version"))["last"] or 0) + 1
    issued = IssuedDocument(
        draft=draft,
        version=version,
        number=number,
        number_text=number_text or "",
        issued_on=issued_on,
        summary=draft.summary,
        body=draft.body,
        issued_by=actor,
    )
    issued.file.save("document.docx", ContentFile(data), save=False)
    try:
        issued.save()
        _record_issue(draft, actor, issued)
    except BaseException:
        # The row and the number roll back with the transaction; the file on disk would not.
        issued.file.delete(save=False)
        raise
    return issued


def _record_issue(draft: Draft, actor, issued: IssuedDocument) -> None:
    evaluation = draft.evaluation if draft.evaluation_id else draft.commendation.evaluation
    if evaluation is None:
        return
    if issued.number_text:
        detail = _("Issued %(number)s") % {"number": issued.number_text}
    else:
        detail = _("Issued %(document)s, version %(version)s") % {
            "document": draft.get_kind_display(),
            "version": issued.version,
        }
    record(evaluation, actor, EvaluationEvent.Action.DOCUMENT_ISSUED, str(detail))


@transaction.atomic
def add_signed_copy(issued_id: int, actor, upload: SafeUpload) -> IssuedDocument:
    """Attach the signed and sealed copy (checked by core.uploads.inspect_upload) to one issued version, once."""
    issued = IssuedDocument.objects.select_for_update(of=("self",)).select_related("draft").get(pk=issued_id)
    draft = issued.draft
    if not can(actor, "evaluations.issue_document", draft):
        raise PermissionDenied(MAY_NOT_ISSUE)
    label = issued.number_text or f"{draft.get_kind_display()} v{issued.version}"
    if issued.signed_file:
        raise ValidationError(SIGNED_COPY_TWICE % {"document": label})
    if upload.extension not in SIGNED_COPY_TYPES:
        raise ValidationError(SIGNED_COPY_TYPE)
    issued.signed_original_name = upload.original_name[:200]
    issued.signed_extension = upload.extension
    issued.signed_content_type = upload.content_type
    issued.signed_uploaded_by = actor
    issued.signed_uploaded_at = timezone.now()
    issued.signed_file.save(upload.original_name, ContentFile(upload.data), save=False)
    try:
        issued.save()
        evaluation_id = draft.evaluation_id or Commendation.objects.values_list("evaluation_id", flat=True).get(
            pk=draft.commendation_id
        )
        if evaluation_id:
            evaluation = Evaluation.objects.get(pk=evaluation_id)
            record(evaluation, actor, EvaluationEvent.Action.SIGNED_COPY_ADDED, label)
    except BaseException:
        issued.signed_file.delete(save=False)
        raise
    return issued


# --- file names -----------------------------------------------------------------------------


def _ascii(symbol: str) -> str:
    return symbol.replace("Đ", "D").replace("đ", "d")


def draft_file_name(draft: Draft) -> str:
    """'BC-VP-2026-du-thao.docx' (a score sheet: 'bang-cham-diem-2026-du-thao.docx')."""
    year = draft.evaluation.year if draft.evaluation_id else draft.commendation.year
    symbol = texts.common.symbol(draft.kind, texts.office_info()) if draft.kind in texts.NUMBERED else ""
    stem = _ascii(symbol) if symbol else "bang-cham-diem"
    if draft.commendation_id:
        stem = f"{stem}-khen-thuong-{draft.commendation_id}"
    return f"{stem}-{year}-du-thao.docx"


def issued_file_name(issued: IssuedDocument) -> str:
    """'05-BC-VP.docx'; unnumbered: 'bang-cham-diem-2026-v2.docx'."""
    if issued.number_text:
        return _ascii(issued.number_text.replace("/", "-")) + ".docx"
    return f"bang-cham-diem-{issued.issued_on.year}-v{issued.version}.docx"


def signed_file_name(issued: IssuedDocument) -> str:
    stem = issued_file_name(issued).removesuffix(".docx")
    return f"{stem}-ban-ky{issued.signed_extension}"


# --- reads ----------------------------------------------------------------------------------


def documents_of(evaluation: Evaluation) -> list[dict]:
    """The year's documents for the side list: the evaluation's five in the order they are made, then the
    proposals of the year's commendations (not rejected). Each row: kind, label, nominee (commendations),
    url, draft (or None) and its issued versions, newest first. Three queries whatever the number of
    commendations and versions.
    """
    commendations = list(
        Commendation.objects.filter(year=evaluation.year)
        .exclude(status=Commendation.Status.REJECTED)
        .select_related("person")
        .order_by("proposed_at", "pk")
    )
    drafts = list(
        Draft.objects.filter(
            Q(evaluation=evaluation) | Q(commendation__in=[commendation.pk for commendation in commendations])
        )
    )
    versions: dict[int, list[IssuedDocument]] = {}
    for issued in IssuedDocument.objects.filter(draft__in=[draft.pk for draft in drafts]).order_by(
        "draft_id", "-version"
    ):
        versions.setdefault(issued.draft_id, []).append(issued)
    by_kind = {draft.kind: draft for draft in drafts if draft.evaluation_id}
    by_commendation = {draft.commendation_id: draft for draft in drafts if draft.commendation_id}
    rows = []
    for kind in EVALUATION_KINDS:
        draft = by_kind.get(kind)
        rows.append(
            {
                "kind": kind,
                "label": K(kind).label,
                "url": reverse("evaluations:document", args=[evaluation.year, kind]),
                "draft": draft,
                "issued": versions.get(draft.pk, []) if draft else [],
            }
        )
    for commendation in commendations:
        draft = by_commendation.get(commendation.pk)
        rows.append(
            {
                "kind": K.COMMENDATION,
                "label": K.COMMENDATION.label,
                "nominee": commendation.nominee,
                "commendation": commendation,
                "url": reverse("evaluations:commendation_document", args=[commendation.pk]),
                "draft": draft,
                "issued": versions.get(draft.pk, []) if draft else [],
            }
        )
    return rows
