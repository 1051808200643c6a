"""What is left to do before a draft campaign can be scheduled: shown instead of its (empty) coverage."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from campaigns.audience import audience_users
from campaigns.models import Campaign


@dataclass(frozen=True)
class Step:
    label: str | Promise
    done: bool
    detail: str
    url: str = ""


def next_steps(campaign: Campaign, *, materials: int, sessions: int) -> list[Step]:
    """The steps of preparing `campaign`, in order. Scheduling needs a material or a session (or both)."""
    invited = audience_users(campaign).count()
    return [
        Step(
            gettext_lazy("Add the materials people must read"),
            done=materials > 0,
            detail=ngettext("%(count)d material added.", "%(count)d materials added.", materials) % {"count": materials}
            if materials
            else _("None yet: attach a file or give a link."),
            url="#add-material",
        ),
        Step(
            gettext_lazy("Add a briefing session"),
            done=sessions > 0,
            detail=ngettext("%(count)d session planned.", "%(count)d sessions planned.", sessions) % {"count": sessions}
            if sessions
            else _("Optional when the materials are enough: people then confirm they have read them."),
            url="#add-session",
        ),
        Step(
            gettext_lazy("Choose the audience"),
            done=invited > 0,
            detail=ngettext(
                "%(audience)s: %(count)d person will be invited.",
                "%(audience)s: %(count)d people will be invited.",
                invited,
            )
            % {"audience": campaign.get_audience_display(), "count": invited},
            url=reverse("campaigns:edit", args=[campaign.pk]),
        ),
        Step(
            gettext_lazy("Schedule and invite"),
            done=False,
            detail=_("The audience is invited and told at once; the campaign starts on its first day."),
        ),
    ]
