import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.models import AuditEntry
from audit.services import record
from campaigns import coverage, exports, services, workflow
from campaigns.forms import ABSENCE_CHOICES, CampaignForm, CheckInForm, CopyForm, MaterialForm, SessionForm
from campaigns.models import Campaign, Material, Session
from campaigns.next_steps import next_steps
from core.access import can, get_visible_or_404, require, visible
from core.clientip import client_ip
from core.dates import year_or_404
from core.files import download, protected_file
from core.spreadsheets import XLSX
from core.uploads import inspect_upload
from evaluations.documents.layout import place_date_line
from team.models import Office
from team.selectors import current_team


def campaign_list(request):
    campaigns = visible(request.user, Campaign.objects.select_related("organiser"))
    mine = {entry.campaign_id: entry for entry in request.user.campaign_entries.all()}
    rows = [(campaign, mine.get(campaign.pk)) for campaign in campaigns[:200]]
    return render(
        request,
        "campaigns/campaign_list.html",
        {"rows": rows, "manage": can(request.user, "campaigns.manage"), "year": timezone.localdate().year},
    )


def campaign_form(request, pk=None):
    require(request.user, "campaigns.manage")
    campaign = get_visible_or_404(request.user, Campaign.objects.all(), pk=pk) if pk else None
    if campaign is not None and (refusal := _refusal(request, campaign, workflow.check_editable)):
        return refusal
    form = CampaignForm(
        request.POST or None, instance=campaign, initial=None if campaign else {"organiser": request.user}
    )
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.save(form)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Campaign saved."))
        return redirect(campaign)
    return render(request, "campaigns/campaign_form.html", {"form": form, "campaign": campaign})


def campaign_detail(request, pk):
    campaign = get_visible_or_404(request.user, Campaign.objects.select_related("organiser"), pk=pk)
    manage = can(request.user, "campaigns.manage")
    participant = campaign.participants.filter(user=request.user).prefetch_related("opened").first()
    materials = list(campaign.materials.all())
    sessions = list(campaign.sessions.select_related("presenter"))
    opened = {o.material_id for o in participant.opened.all()} if participant else set()
    context = {
        "campaign": campaign,
        "manage": manage,
        "participant": participant,
        "sessions": sessions,
        "materials": [(material, material.pk in opened) for material in materials],
    }
    if manage and campaign.status == Campaign.Status.DRAFT:
        # Nobody is invited before scheduling: "0,0% · 0/0" would say nothing, what is left to do does.
        context["steps"] = next_steps(campaign, materials=len(materials), sessions=len(sessions))
    elif manage:
        context.update(
            figures=coverage.campaign_figures(campaign),
            departments=coverage.by_department(campaign),
            missing=coverage.missing_people(campaign)[:200],
        )
    if manage:
        context.update(
            session_form=SessionForm(),
            material_form=MaterialForm(),
            copy_form=CopyForm(initial={"year": campaign.starts_on.year + 1}),
            actions=workflow.buttons(campaign),
            editable=workflow.is_editable(campaign),
            open=workflow.is_open(campaign),
        )
    return render(request, "campaigns/campaign_detail.html", context)


def _refusal(request, campaign: Campaign, check):
    """None when `check` (a campaigns.workflow check) passes; else back to the campaign's page, saying why."""
    try:
        check(campaign)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(campaign)
    return None


def _managed(request, pk) -> Campaign:
    require(request.user, "campaigns.manage")
    return get_visible_or_404(request.user, Campaign.objects.all(), pk=pk)


@require_POST
def campaign_action(request, pk, action):
    campaign = _managed(request, pk)
    try:
        if action == "schedule":
            invited = services.schedule(campaign)
            messages.success(request, _("Scheduled: %(count)d people invited.") % {"count": invited})
        elif action == "complete":
            services.complete(campaign)
            messages.success(request, _("The campaign is completed."))
        elif action == "cancel":
            services.cancel(campaign)
            messages.success(request, _("The campaign is cancelled."))
        else:
            form = CopyForm(request.POST)
            if not form.is_valid():
                raise ValidationError([_("Give the year to copy to."), *form.errors.get("year", [])])
            copy = services.copy_to_year(campaign=campaign, year=form.cleaned_data["year"], actor=request.user)
            messages.success(request, _("Copied as a new draft."))
            return redirect(copy)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(campaign)


@require_POST
def session_add(request, pk):
    campaign = _managed(request, pk)
    form = SessionForm(request.POST)
    if form.is_valid():
        session = form.save(commit=False)
        session.campaign = campaign
        try:
            services.validate_session(session)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            session.save()
            messages.success(request, _("Session added."))
    else:
        errors = [str(error) for errors in form.errors.values() for error in errors]
        messages.error(request, " ".join([_("The session was not filled in correctly."), *errors]))
    return redirect(campaign)


@require_POST
def material_add(request, pk):
    campaign = _managed(request, pk)
    if refusal := _refusal(request, campaign, workflow.check_open):
        return refusal
    form = MaterialForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(campaign)
    material = Material(campaign=campaign, title=form.cleaned_data["title"], link=form.cleaned_data["link"] or "")
    if form.cleaned_data["file"]:
        try:
            upload = inspect_upload(form.cleaned_data["file"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(campaign)
        material.original_name, material.extension = upload.original_name, upload.extension
        material.content_type = upload.content_type
        material.file.save(upload.original_name, ContentFile(upload.data), save=False)
    material.save()
    messages.success(request, _("Material added."))
    return redirect(campaign)


def material_open(request, pk):
    """Open a material; for a participant this is the proof of having opened it."""
    material = get_visible_or_404(request.user, Material.objects.select_related("campaign"), pk=pk)
    participant = material.campaign.participants.filter(user=request.user).first()
    if participant:
        services.open_material(participant, material)
    if not material.file:
        return redirect(material.link)
    return protected_file(
        material.file,
        filename=material.original_name,
        content_type=material.content_type,
        inline=material.content_type.startswith(("image/", "application/pdf")),
        obj=material,
    )


@require_POST
def acknowledge(request, pk):
    campaign = get_visible_or_404(request.user, Campaign.objects.all(), pk=pk)
    participant = campaign.participants.filter(user=request.user).first()
    if participant is None:
        raise PermissionDenied
    try:
        services.acknowledge(participant=participant)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Thank you: your acknowledgement is recorded."))
    return redirect(campaign)


def session_detail(request, pk):
    require(request.user, "campaigns.manage")
    session = get_visible_or_404(request.user, Session.objects.select_related("campaign", "presenter"), pk=pk)
    participants = session.campaign.participants.people().select_related("user", "user__department", "attended_session")
    if request.method == "POST":
        present = {int(v) for v in request.POST.getlist("present") if v.isdigit()}
        absent = {
            int(key[7:]): value
            for key, value in request.POST.items()
            if key.startswith("absent-") and key[7:].isdigit() and value
        }
        services.mark_attendance(session=session, actor=request.user, present=present, absent=absent)
        messages.success(request, _("Attendance saved."))
        return redirect("campaigns:session", pk=session.pk)
    check_in_url = request.build_absolute_uri(reverse("campaigns:check_in") + f"?code={session.check_in_code}")
    qr_svg = segno.make(check_in_url, error="m").svg_inline(scale=6)
    return render(
        request,
        "campaigns/session_detail.html",
        {
            "session": session,
            "participants": participants.order_by("user__department__name", "user__name_sort_key"),
            "absence_choices": ABSENCE_CHOICES,
            "qr_svg": qr_svg,
            "check_in_url": check_in_url,
            "open_now": session.check_in_open(),
        },
    )


def session_sheet(request, pk):
    """The printable attendance sheet (Nghị định 30/2020 frame), with a signature column and block."""
    require(request.user, "campaigns.manage")
    session = get_visible_or_404(
        request.user, Session.objects.select_related("campaign__organiser", "presenter"), pk=pk
    )
    participants = list(
        session.campaign.participants.people()
        .select_related("user", "user__department", "user__position")
        .order_by("user__department__name", "user__name_sort_key")
    )
    team = current_team()
    office = team.office if team else Office.objects.first()
    return render(
        request,
        "campaigns/session_sheet.html",
        {
            "session": session,
            "participants": participants,
            "office": office,
            "place_date": place_date_line(office.place_name if office else "", timezone.localdate(session.starts_at)),
        },
    )


def check_in(request):
    form = CheckInForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    if request.method == "POST" and form.is_valid():
        try:
            session = services.check_in(user=request.user, code=form.cleaned_data["code"], client=client_ip(request))
        except (ValidationError, PermissionDenied) as error:
            form.add_error("code", getattr(error, "messages", None) or str(error))
        else:
            messages.success(request, _("You are checked in. Thank you for attending."))
            return redirect(session.campaign)
    return render(request, "campaigns/check_in.html", {"form": form})


def export(request, pk, kind):
    require(request.user, "campaigns.view_coverage")
    campaign = get_visible_or_404(request.user, Campaign.objects.all(), pk=pk)
    body, content_type = (
        (exports.as_xlsx(campaign), XLSX) if kind == "xlsx" else (exports.as_csv(campaign), "text/csv; charset=utf-8")
    )
    record(
        AuditEntry.Action.EXPORT,
        request=request,
        obj=campaign,
        detail=f"participants ({kind}); rows: {campaign.participants.people().count()}",
    )
    return download(body, filename=f"chien-dich-{campaign.pk}.{kind}", content_type=content_type)


def year_export(request, year, kind):
    require(request.user, "campaigns.view_coverage")
    year = year_or_404(year)
    people = list(coverage.year_people(year))
    body, content_type = (
        (exports.year_as_xlsx(people, year), XLSX)
        if kind == "xlsx"
        else (exports.year_as_csv(people), "text/csv; charset=utf-8")
    )
    record(
        AuditEntry.Action.EXPORT,
        request=request,
        object_type="campaigns.year",
        detail=f"briefing {year} ({kind}); rows: {len(people)}",
    )
    return download(body, filename=f"pho-bien-{year}.{kind}", content_type=content_type)


def year_coverage(request, year):
    require(request.user, "campaigns.view_coverage")
    year = year_or_404(year)
    return render(
        request,
        "campaigns/year_coverage.html",
        {
            "figures": coverage.year_figures(year),
            "departments": coverage.year_by_department(year),
            "missing": coverage.year_missing(year)[:500],
            # The campaigns year_figures counts: a cancelled one briefs nobody.
            "campaigns": visible(
                request.user,
                Campaign.objects.filter(starts_on__year=year, counts_for_tt124=True).exclude(
                    status=Campaign.Status.CANCELLED
                ),
            ),
        },
    )
