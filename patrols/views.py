from datetime import timedelta

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.access import can, get_visible_or_404, require_or_404
from evaluations.documents.layout import place_date_line
from patrols import scanning, selectors, services
from patrols.forms import CheckpointForm, RoundForm
from patrols.models import Checkpoint
from team.models import DutyShift, Office
from team.selectors import current_team


def round_list(request):
    """Recent and upcoming rounds: every round for the command, those of his own shifts for a member."""
    require_or_404(request.user, "patrols.view_rounds")
    now = timezone.now()
    page = selectors.rounds_page(request.user, now, request.GET.get("page"))
    context = {"page": page, "now": now, "may_manage": can(request.user, "patrols.manage")}
    return render(request, "patrols/round_list.html", context)


def round_detail(request, pk):
    require_or_404(request.user, "patrols.view_rounds")
    now = timezone.now()
    round_, stops = selectors.round_detail(request.user, pk, now)
    may_plan_more = round_.shift.ends_at > now and can(request.user, "patrols.manage")
    context = {"round": round_, "stops": stops, "may_plan_more": may_plan_more}
    return render(request, "patrols/round_detail.html", context)


def plan(request):
    """The command plans a round: a shift (or the one it came from, ?shift=), a window, the checkpoints."""
    require_or_404(request.user, "patrols.manage")
    now = timezone.now()
    form = RoundForm(request.POST or None, initial=_initial_window(request.GET.get("shift")), now=now)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {key: data[key] for key in ("shift", "starts_at", "ends_at")}
        fields.update(checkpoints=list(data["checkpoints"]), planned_by=request.user, now=now)
        try:
            if data["whole_week"]:
                rounds = services.plan_for_the_week(**fields)
            else:
                rounds = [services.plan_round(**fields)]
        except ValidationError as error:
            form.add_error(None, error)
        else:
            first = rounds[0]
            messages.success(
                request,
                ngettext(
                    "Planned the patrol round %(window)s on %(day)s through %(checkpoints)s checkpoints.",
                    "Planned %(count)s patrol rounds of %(checkpoints)s checkpoints, the first %(window)s on %(day)s.",
                    len(rounds),
                )
                % {
                    "count": len(rounds),
                    "checkpoints": len(data["checkpoints"]),
                    "window": first.window,
                    "day": f"{timezone.localtime(first.starts_at):%d/%m/%Y}",
                },
            )
            return redirect(first)
    return render(request, "patrols/plan.html", {"form": form, "has_checkpoints": Checkpoint.objects.active().exists()})


def _initial_window(shift_id) -> dict:
    # Opened from a shift: that shift, and a window of its first two hours, which the command adjusts.
    if not (shift_id or "").isdigit():
        return {}
    shift = DutyShift.objects.filter(pk=shift_id).first()
    if shift is None:
        return {}
    local = timezone.localtime
    ends_at = min(shift.starts_at + timedelta(hours=2), shift.ends_at)
    return {"shift": shift, "starts_at": local(shift.starts_at), "ends_at": local(ends_at)}


def checkpoints(request):
    """The checkpoints, and adding one from the place list."""
    require_or_404(request.user, "patrols.manage")
    form = CheckpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            checkpoint = services.add_checkpoint(**form.cleaned_data)
        except ValidationError as error:
            form.add_error("place", error)
        else:
            text = _("%(place)s is now a checkpoint. Print its QR code and post it there.")
            messages.success(request, text % {"place": checkpoint.place})
            return redirect("patrols:checkpoints")
    listed = Checkpoint.objects.in_order().order_by("-is_active", "place__order", "place__name", "pk")
    return render(request, "patrols/checkpoints.html", {"form": form, "checkpoints": listed})


@require_POST
def checkpoint_active(request, pk):
    require_or_404(request.user, "patrols.manage")
    checkpoint = get_object_or_404(Checkpoint.objects.in_order(), pk=pk)
    active = request.POST.get("active") == "1"
    removed = services.set_active(checkpoint=checkpoint, active=active)
    if active:
        text = _("%(place)s is a checkpoint again. Add it to the rounds that should visit it.")
    else:
        text = ngettext(
            "%(place)s is no longer a checkpoint; it was taken out of %(removed)s round not yet over.",
            "%(place)s is no longer a checkpoint; it was taken out of %(removed)s rounds not yet over.",
            removed,
        )
    messages.success(request, text % {"place": checkpoint.place, "removed": removed})
    return redirect("patrols:checkpoints")


def qr_sheet(request):
    """An A4 sheet of the active checkpoints' QR codes, each with its place, to print and post."""
    require_or_404(request.user, "patrols.manage")
    codes = [
        (checkpoint, _qr_svg(request.build_absolute_uri(checkpoint.get_scan_url())))
        for checkpoint in Checkpoint.objects.active().in_order()
    ]
    team = current_team()
    office = team.office if team else Office.objects.first()
    context = {
        "codes": codes,
        "office": office,
        "place_date": place_date_line(office.place_name if office else "", timezone.localdate()),
    }
    return render(request, "patrols/qr_sheet.html", context)


def _qr_svg(url: str) -> str:
    # Sized by the sheet's CSS (a viewBox, no fixed size); error level M survives a scuffed print.
    return segno.make(url, error="m").svg_inline(scale=4, omitsize=True)


def scan(request, token):
    """What the phone's camera opens. GET records nothing; the button (POST) records the visit."""
    require_or_404(request.user, "patrols.scan")
    checkpoint = get_visible_or_404(request.user, Checkpoint.objects.in_order(), token=token)
    if request.method == "POST":
        try:
            visit = scanning.record_visit(user=request.user, checkpoint=checkpoint)
        except ValidationError as refusal:
            messages.error(request, " ".join(refusal.messages))
            return redirect(checkpoint.get_scan_url())
        messages.success(request, visit.message())
        return redirect(reverse("duty:my_shift"))
    found = scanning.verdict(request.user, checkpoint, timezone.now())
    return render(request, "patrols/scan.html", {"checkpoint": checkpoint, "verdict": found})
