from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language as django_set_language

from campaigns import coverage
from campaigns.selectors import invitations_of
from core import health
from evaluations.selectors import year_progress
from incidents import selectors as incidents
from incidents.workflow import in_command, on_team
from team.roles import Role, roles_of
from team.selectors import shifts_covering, upcoming_shifts_of


def home(request):
    """What waits for the person: everyone's own reports and briefings, a member's assigned incidents,
    the command's and the leadership's picture of the queue, the briefing year and the evaluation."""
    user, now = request.user, timezone.now()
    roles = roles_of(user)
    context = {
        "now": now,
        "on_duty_now": shifts_covering(now),
        "my_reports": incidents.my_open_reports(user),
        "invitations": invitations_of(user, now),
    }
    if on_team(roles):
        context["waiting"] = incidents.waiting_for_member(user, now)
        context["next_shift"] = next(iter(upcoming_shifts_of(user, now, limit=1)), None)
    if in_command(roles) or Role.LEADERSHIP in roles:
        context["figures"] = incidents.queue_figures(user, now)
        context["escalations"] = incidents.escalations_waiting_for(user, now)
        context["coverage"] = coverage.year_figures(timezone.localdate(now).year)
        context["evaluation"] = year_progress(user, timezone.localdate(now))
    return render(request, "home.html", context)


@login_not_required
@never_cache
@require_GET
def healthz(request):
    checks = {"database": health.database_ok(), "broker": health.broker_ok()}
    healthy = all(checks.values())
    body = {"status": "ok" if healthy else "unavailable"}
    body.update({name: "ok" if ok else "unavailable" for name, ok in checks.items()})
    return JsonResponse(body, status=200 if healthy else 503)


@login_not_required
@require_POST
def set_language(request):
    """The language switcher. Works before login (on the login page) and remembers the choice
    on the account, so notifications reach the person in the language they read."""
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        get_user_model().objects.filter(pk=request.user.pk).update(language=language)
    return response
