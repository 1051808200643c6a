from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import get_visible_or_404, require, visible
from notifications import services
from notifications.models import Notification

PAGE_SIZE = 20


def inbox(request):
    require(request.user, "notifications.use_inbox")
    mine = visible(request.user, Notification.objects.filter(show_in_inbox=True))
    page = Paginator(mine.order_by("-created_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page})


def open_notification(request, pk):
    """Mark the notification read and go to what it is about."""
    notification = get_visible_or_404(request.user, Notification.objects.all(), pk=pk)
    services.mark_read(notification)
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:inbox")


@require_POST
def mark_all_read(request):
    require(request.user, "notifications.use_inbox")
    count = services.mark_all_read(request.user)
    messages.success(request, _("%(count)d notifications marked as read.") % {"count": count})
    return redirect("notifications:inbox")


def preferences(request):
    require(request.user, "notifications.use_inbox")
    if request.method == "POST":
        chosen = {tuple(value.split(":", 1)) for value in request.POST.getlist("on") if ":" in value}
        services.save_preferences(request.user, chosen)
        messages.success(request, _("Your notification settings were saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"table": services.preference_table(request.user)})
