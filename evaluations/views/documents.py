"""The dossier's documents: edit a draft, download it, issue it with a number, download issued versions and their
signed copies. The evaluation's five documents live under its year; a commendation has its proposal."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.models import AuditEntry
from audit.services import record as record_audit
from core.access import can, get_visible_or_404
from core.files import download, protected_file
from core.uploads import inspect_upload
from evaluations.documents.texts import TYPE_NAMES
from evaluations.dossier import dossier_zip
from evaluations.forms.documents import DraftForm, RegenerateForm, SignedCopyForm
from evaluations.models import Commendation, DocumentKind, Draft, IssuedDocument
from evaluations.selectors import evaluation_for
from evaluations.services import documents as services
from evaluations.services.common import Conflict


def _messages_of(error) -> str:
    return " ".join(getattr(error, "messages", None) or [str(error)])


def _draft_url(draft: Draft) -> str:
    if draft.evaluation_id:
        return reverse("evaluations:document", args=[draft.evaluation.year, draft.kind])
    return reverse("evaluations:commendation_document", args=[draft.commendation_id])


def _docx(data: bytes, filename: str) -> HttpResponse:
    return download(data, filename=filename, content_type=services.DOCX)


# --- the evaluation's documents ---------------------------------------------------------------


def _evaluation_draft(request, year, kind) -> Draft:
    evaluation = evaluation_for(request.user, year)
    draft = services.draft_for(evaluation, kind, request.user)
    draft.evaluation = evaluation
    return draft


@require_http_methods(["GET", "POST"])
def draft(request, year, kind):
    draft = _evaluation_draft(request, year, kind)
    response, forms = _edit(request, draft)
    if response is not None:
        return response
    context = _editor_context(request, draft, forms)
    context.update(
        evaluation=draft.evaluation,
        tab="documents",
        documents=services.documents_of(draft.evaluation),
    )
    return render(request, "evaluations/documents/draft.html", context)


@require_GET
def preview(request, year, kind):
    draft = _evaluation_draft(request, year, kind)
    return _docx(services.preview_bytes(draft), services.draft_file_name(draft))


@require_POST
def issue(request, year, kind):
    return _issue(request, _evaluation_draft(request, year, kind))


# --- a commendation's proposal ----------------------------------------------------------------


def _commendation_draft(request, pk) -> Draft:
    # Staff see the commendations that name them, but never the office's paperwork about them.
    if not can(request.user, "evaluations.view"):
        raise Http404
    commendation = get_visible_or_404(
        request.user, Commendation.objects.select_related("person__position", "person__department"), pk=pk
    )
    draft = services.draft_for(commendation, DocumentKind.COMMENDATION, request.user)
    draft.commendation = commendation
    return draft


@require_http_methods(["GET", "POST"])
def commendation_draft(request, pk):
    draft = _commendation_draft(request, pk)
    response, forms = _edit(request, draft)
    if response is not None:
        return response
    context = _editor_context(request, draft, forms)
    context["commendation"] = draft.commendation
    return render(request, "evaluations/documents/commendation_draft.html", context)


@require_GET
def commendation_preview(request, pk):
    draft = _commendation_draft(request, pk)
    return _docx(services.preview_bytes(draft), services.draft_file_name(draft))


@require_POST
def commendation_issue(request, pk):
    return _issue(request, _commendation_draft(request, pk))


# --- shared by both -----------------------------------------------------------------------------


def _edit(request, draft: Draft) -> tuple[HttpResponse | None, dict]:
    """POST: save the text, or regenerate it after confirmation. A redirect on success; otherwise no
    response and the bound forms to show again with their errors."""
    if request.method != "POST":
        return None, {}
    if "regenerate" in request.POST:
        form = RegenerateForm(request.POST)
        if form.is_valid():
            services.regenerate(draft.pk, request.user)
            messages.success(request, _("Regenerated the text from today’s data. Check it before issuing."))
            return redirect(_draft_url(draft)), {}
        return None, {"regenerate_form": form}
    form = DraftForm.for_draft(draft, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.save_draft(
                draft.pk,
                request.user,
                data["summary"],
                data["addressees"],
                data["body"],
                data["recipients"],
                data.get("signer"),
                seen=data["seen"],
            )
        except Conflict as error:
            messages.error(request, _messages_of(error))
            fresh = Draft.objects.select_related("signer__position").get(pk=draft.pk)
            return None, {"form": DraftForm.for_draft(fresh)}
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, _("Saved the draft of the %(document)s.") % {"document": draft.get_kind_display()}
            )
            return redirect(_draft_url(draft)), {}
    return None, {"form": form}


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _editor_context(request, draft: Draft, forms: dict) -> dict:
    user = request.user
    issued = list(draft.issued.select_related("issued_by", "signed_uploaded_by").order_by("-version"))
    return {
        "draft": draft,
        "type_name": TYPE_NAMES[draft.kind],
        "form": forms.get("form") or DraftForm.for_draft(draft),
        "regenerate_form": forms.get("regenerate_form") or RegenerateForm(),
        "signed_form": SignedCopyForm(),
        "issued": issued,
        "may_edit": can(user, "evaluations.edit_draft", draft),
        "may_issue": can(user, "evaluations.issue_document", draft),
        "blocked": services.why_not_issuable(draft),
        "outdated": can(user, "evaluations.edit_draft", draft) and services.is_outdated(draft),
        "numbered": draft.kind != DocumentKind.SCORE_SHEET,
        "form_url": _draft_url(draft),
        "preview_url": _owner_url(draft, "preview", "commendation_preview"),
        "issue_url": _owner_url(draft, "issue", "commendation_issue"),
    }


def _owner_url(draft: Draft, evaluation_name: str, commendation_name: str) -> str:
    if draft.evaluation_id:
        return reverse(f"evaluations:{evaluation_name}", args=[draft.evaluation.year, draft.kind])
    return reverse(f"evaluations:{commendation_name}", args=[draft.commendation_id])


def _issue(request, draft: Draft):
    try:
        issued = services.issue(draft.pk, request.user)
    except ValidationError as error:
        messages.error(request, _messages_of(error))
    else:
        if issued.number_text:
            text = _("Issued the %(document)s as number %(number)s, version %(version)s.")
        else:
            text = _("Issued the %(document)s, version %(version)s (an annex has no number).")
        messages.success(
            request,
            text % {"document": draft.get_kind_display(), "number": issued.number_text, "version": issued.version},
        )
    return redirect(_draft_url(draft))


# --- issued versions ----------------------------------------------------------------------------


def _issued(request, pk) -> IssuedDocument:
    return get_visible_or_404(
        request.user,
        IssuedDocument.objects.select_related("draft__evaluation", "draft__commendation"),
        pk=pk,
    )


@require_GET
def issued_file(request, pk):
    issued = _issued(request, pk)
    return protected_file(
        issued.file, filename=services.issued_file_name(issued), content_type=services.DOCX, inline=False, obj=issued
    )


@require_http_methods(["GET", "POST"])
def signed_copy(request, pk):
    """GET: download the signed copy; POST: upload it (once per version)."""
    issued = _issued(request, pk)
    if request.method == "GET":
        if not issued.signed_file:
            raise Http404
        return protected_file(
            issued.signed_file,
            filename=services.signed_file_name(issued),
            content_type=issued.signed_content_type,
            inline=False,
            obj=issued,
        )
    form = SignedCopyForm(request.POST, request.FILES)
    label = issued.number_text or f"{issued.draft.get_kind_display()} v{issued.version}"
    if not form.is_valid():
        messages.error(request, _("Choose the file of the signed copy."))
        return redirect(_draft_url(issued.draft))
    try:
        upload = inspect_upload(form.cleaned_data["file"])
        services.add_signed_copy(issued.pk, request.user, upload)
    except ValidationError as error:
        messages.error(request, _messages_of(error))
    else:
        messages.success(request, _("Uploaded the signed copy of %(document)s.") % {"document": label})
    return redirect(_draft_url(issued.draft))


@require_GET
def dossier(request, year):
    """The whole dossier of the year as one .zip (evaluations.dossier), for whoever may see the evaluation."""
    evaluation = evaluation_for(request.user, year)
    data, _missing = dossier_zip(evaluation)
    record_audit(AuditEntry.Action.EXPORT, request=request, obj=evaluation, detail="dossier .zip")
    return download(data, filename=f"ho-so-an-toan-antt-{evaluation.year}.zip", content_type="application/zip")
