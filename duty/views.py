"""The duty logbook's pages. Thin: the rules are in duty/access.py and duty/services.py."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import can, get_visible_or_404, require_or_404, visible
from core.files import protected_file
from core.uploads import inspect_upload, inspect_uploads
from duty import daily_log, handover_items, selectors, services
from duty.forms import CorrectionForm, DayForm, EntryForm, HandoverForm, KeyLoanForm, ReceiveForm
from duty.models import Handover, KeyLoan, LogEntry
from incidents.forms import IncidentForm
from patrols.panels import shift_panel as patrol_panel
from team.models import DutyShift
from visitors.panels import shift_panel as visitor_panel


def _shift(user, pk) -> DutyShift:
    shift = get_object_or_404(DutyShift.objects.select_related("member", "backup", "handover__next_shift"), pk=pk)
    require_or_404(user, "duty.view_log", shift)
    return shift


def _entry(user, pk) -> LogEntry:
    return get_visible_or_404(
        user, LogEntry.objects.select_related("shift__member", "shift__backup", "shift__handover"), pk=pk
    )


def my_shift(request):
    """ "Ca trực của tôi": the shift the member works now, its log, the gate and the round, and the handover."""
    require_or_404(request.user, "duty.my_shift")
    user, now = request.user, timezone.now()
    shift = (
        selectors.shift_of(user, now)
        or selectors.unhanded_shift_of(user, now)
        or selectors.shift_of(user, now + selectors.EARLY_START)  # he arrives before his shift to take over
    )
    context = {
        "now": now,
        "shift": shift,
        "next_shift": None if shift else selectors.next_shift_of(user, now),
        "to_receive": selectors.handovers_to_receive(user),
        "keys_out": KeyLoan.objects.filter(returned_at__isnull=True).count(),
        "visitors_panel": visitor_panel(user, shift, now),
        "patrols_panel": patrol_panel(user, shift, now),
    }
    if shift is not None:
        context.update(
            entries=list(LogEntry.objects.filter(shift=shift).with_details().in_order()),
            may_write=can(user, "duty.write", shift),
            may_report=can(user, "incidents.file_on_behalf"),
            entry_form=EntryForm(shift=shift),
        )
    return render(request, "duty/my_shift.html", context)


def shift_log(request, pk):
    """One shift's log: the entries, their corrections, and the handover."""
    shift = _shift(request.user, pk)
    entries = list(LogEntry.objects.filter(shift=shift).with_details().in_order())
    context = {
        "shift": shift,
        "entries": entries,
        "handover": getattr(shift, "handover", None),
        "may_write": can(request.user, "duty.write", shift),
        "may_correct": can(request.user, "duty.correct", shift),
        "may_hand_over": can(request.user, "duty.hand_over", shift),
        "may_report": can(request.user, "incidents.file_on_behalf"),
        "entry_form": EntryForm(shift=shift),
    }
    return render(request, "duty/shift_log.html", context)


def entry_add(request, pk):
    shift = _shift(request.user, pk)
    if not can(request.user, "duty.write", shift):
        messages.error(request, services.why_not_writable(shift))
        return redirect("duty:shift_log", pk=shift.pk)
    form = EntryForm(request.POST or None, request.FILES or None, shift=shift)
    if request.method == "POST" and form.is_valid():
        try:
            photo = inspect_upload(form.cleaned_data["photo"]) if form.cleaned_data["photo"] else None
        except ValidationError as error:
            form.add_error("photo", error)
        else:
            try:
                entry = services.write_entry(shift=shift, author=request.user, fields=form.entry_fields(), photo=photo)
            except PermissionDenied as refusal:
                messages.error(request, str(refusal))
                return redirect("duty:shift_log", pk=shift.pk)
            messages.success(request, _("Written in the log at %(time)s.") % {"time": _time(entry.occurred_at)})
            if request.POST.get("next") == "my_shift":
                return redirect("duty:my_shift")
            return redirect("duty:shift_log", pk=shift.pk)
    if form.errors and request.FILES:
        form.add_error("photo", _("The photo you chose was not sent; please choose it again."))
    return render(request, "duty/entry_form.html", {"form": form, "shift": shift})


def entry_edit(request, pk):
    entry = _entry(request.user, pk)
    if not can(request.user, "duty.write", entry.shift):
        messages.error(request, services.why_not_writable(entry.shift))
        return redirect("duty:shift_log", pk=entry.shift_id)
    if entry.author_id != request.user.pk:
        messages.error(request, _("Only the one who wrote an entry changes it; add another entry instead."))
        return redirect("duty:shift_log", pk=entry.shift_id)
    form = EntryForm(request.POST or None, instance=entry, shift=entry.shift)
    form.fields.pop("photo")
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_entry(entry=entry, author=request.user, fields=form.entry_fields())
        except PermissionDenied:
            messages.error(request, services.LOG_CLOSED)
        else:
            messages.success(request, _("The entry of %(time)s was changed.") % {"time": _time(entry.occurred_at)})
        return redirect("duty:shift_log", pk=entry.shift_id)
    return render(request, "duty/entry_form.html", {"form": form, "shift": entry.shift, "entry": entry})


@require_POST
def entry_correct(request, pk):
    entry = _entry(request.user, pk)
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write what the correction is."))
    else:
        try:
            services.correct_entry(entry=entry, author=request.user, text=form.cleaned_data["text"])
        except PermissionDenied:
            raise Http404 from None
        messages.success(
            request, _("A correction to the entry of %(time)s was added.") % {"time": _time(entry.occurred_at)}
        )
    return redirect("duty:shift_log", pk=entry.shift_id)


def entry_photo(request, pk):
    entry = _entry(request.user, pk)
    if not entry.photo:
        raise Http404
    name = f"{timezone.localtime(entry.occurred_at):%Y%m%d-%H%M}{entry.photo_extension}"
    return protected_file(entry.photo, filename=name, content_type=entry.photo_content_type, inline=True, obj=entry)


def entry_incident(request, pk):
    """File an incident from an entry: the incident form, filled in from the entry; one press files it."""
    entry = _entry(request.user, pk)
    require_or_404(request.user, "incidents.file_on_behalf")
    if entry.incident_id:
        return redirect(entry.incident)
    initial = {"description": entry.text, "place": entry.place_id}
    moment = timezone.localtime(entry.occurred_at).strftime("%Y-%m-%dT%H:%M")
    initial.update(occurred_at=moment, detected_at=moment)
    form = IncidentForm(request.POST or None, request.FILES or None, initial=initial, on_behalf_allowed=True)
    if request.method == "POST" and form.is_valid():
        try:
            uploads = inspect_uploads(form.cleaned_data["attachments"])
            incident = services.turn_into_incident(
                entry=entry, actor=request.user, fields=form.incident_fields(), uploads=uploads
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Incident %(reference)s was reported from the log entry of %(time)s. The team on duty has been told.")
                % {"reference": incident.reference, "time": _time(entry.occurred_at)},
            )
            return redirect(incident)
    if form.is_bound:
        form.mention_lost_files()
    return render(request, "duty/entry_incident.html", {"form": form, "entry": entry})


def handover(request, pk):
    shift = _shift(request.user, pk)
    if not can(request.user, "duty.hand_over", shift):
        messages.info(request, services.why_not_writable(shift))
        return redirect("duty:shift_log", pk=shift.pk)
    now = timezone.now()
    form = HandoverForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            done = services.hand_over(shift=shift, actor=request.user, now=now, **form.cleaned_data)
        except PermissionDenied as error:
            messages.error(request, str(error))
            return redirect("duty:shift_log", pk=shift.pk)
        if done.next_shift:
            text = _("The shift was handed over to %(people)s. It is confirmed when they accept it.") % {
                "people": ", ".join(person.get_full_name() for person in done.next_shift.people())
            }
        else:
            text = _("The shift was handed over. No next shift is on the roster: tell the team leader.")
        messages.success(request, text)
        return redirect("duty:my_shift")
    context = {
        "shift": shift,
        "form": form,
        "next_shift": selectors.next_shift_after(shift),
        "items": handover_items.grouped(handover_items.open_items(shift, now)),
    }
    return render(request, "duty/handover_form.html", context)


def receive(request, pk):
    handover = get_visible_or_404(
        request.user,
        Handover.objects.select_related("shift__member", "shift__backup", "next_shift", "handed_by", "received_by"),
        pk=pk,
    )
    form = ReceiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.receive(handover=handover, actor=request.user, remarks=form.cleaned_data["remarks"])
        except PermissionDenied as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("You took over the shift from %(person)s at %(time)s.")
                % {"person": handover.handed_by.get_full_name(), "time": _time(timezone.now())},
            )
            return redirect("duty:my_shift")
    context = {
        "handover": handover,
        "items": handover_items.grouped(handover.open_items),
        "form": form,
        "may_receive": can(request.user, "duty.receive", handover),
    }
    return render(request, "duty/receive.html", context)


def keys(request):
    require_or_404(request.user, "duty.keys")
    form = KeyLoanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        loan = services.lend_key(actor=request.user, **form.cleaned_data)
        messages.success(request, _("Key %(key)s was handed to %(holder)s.") % {"key": loan.key, "holder": loan.holder})
        return redirect("duty:keys")
    out = visible(request.user, KeyLoan.objects.filter(returned_at__isnull=True)).select_related("lent_by")
    back = visible(request.user, KeyLoan.objects.filter(returned_at__isnull=False)).select_related(
        "lent_by", "received_by"
    )
    context = {"form": form, "out": out.order_by("lent_at"), "back": back.order_by("-returned_at")[:20]}
    return render(request, "duty/keys.html", context)


@require_POST
def key_return(request, pk):
    loan = get_visible_or_404(request.user, KeyLoan.objects.all(), pk=pk)
    try:
        services.take_key_back(loan=loan, actor=request.user)
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Key %(key)s was returned.") % {"key": loan.key})
    return redirect("duty:keys")


def days(request):
    """The logbook by day for the command and the leadership: pick a day to read, print or export."""
    require_or_404(request.user, "duty.daily_log")
    form = DayForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return redirect("duty:day", day=form.cleaned_data["day"].isoformat())
    today = timezone.localdate()
    return render(request, "duty/days.html", {"form": form, "recent": daily_log.recent_days(today)})


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Http404 from None


def day(request, day):
    require_or_404(request.user, "duty.daily_log")
    log = daily_log.of(_day(day))
    return render(request, "duty/day.html", {"log": log})


def day_print(request, day):
    require_or_404(request.user, "duty.daily_log")
    log = daily_log.of(_day(day))
    return render(request, "duty/day_print.html", {"log": log, "sheet": daily_log.header(log.day)})


def day_xlsx(request, day):
    require_or_404(request.user, "duty.daily_log")
    return daily_log.xlsx_response(daily_log.of(_day(day)))


def _time(moment) -> str:
    return f"{timezone.localtime(moment):%H:%M %d/%m/%Y}"
