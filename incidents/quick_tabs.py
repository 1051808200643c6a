"""The queue's quick tabs (Mới · Của tôi · Quá hạn · Đã chuyển cấp): links that set the queue's filters.

A tab is only a query string for QueueFilter, so the tabs cost no query and a tab's list is exactly
what the same filters give in the filter panel.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.utils.translation import pgettext_lazy

from incidents.forms import QueueFilter
from incidents.models import Status
from incidents.workflow import on_team
from team.roles import roles_of

# Fields that order or page the list rather than narrow it.
NOT_FILTERS = {"sort", "after"}


@dataclass(frozen=True)
class QuickTab:
    label: str
    params: dict
    testid: str

    @property
    def query(self) -> str:
        return urlencode(self.params)


def quick_tabs(user) -> list[QuickTab]:
    tabs = [
        QuickTab(pgettext_lazy("incident queue", "All"), {}, "all"),
        QuickTab(Status.NEW.label, {"status": Status.NEW.value}, "new"),
    ]
    if on_team(roles_of(user)):  # only the team is assigned incidents
        mine = {"assignee": str(user.pk), "status": "open"}
        tabs.append(QuickTab(pgettext_lazy("incident queue", "Mine"), mine, "mine"))
    tabs += [
        QuickTab(pgettext_lazy("incident queue", "Overdue"), {"overdue": "on"}, "overdue"),
        QuickTab(Status.ESCALATED.label, {"status": Status.ESCALATED.value}, "escalated"),
    ]
    return tabs


def chosen_filters(params) -> dict:
    """The filters of the query string that narrow the list, as the query string has them."""
    return {
        name: params.get(name)
        for name in QueueFilter.base_fields
        if name not in NOT_FILTERS and params.get(name) not in (None, "")
    }


def active_tab(tabs: list[QuickTab], params) -> QuickTab | None:
    chosen = chosen_filters(params)
    return next((tab for tab in tabs if tab.params == chosen), None)


def extra_filter_count(params, tab: QuickTab | None) -> int:
    """How many filters beyond the active tab's are set: on a phone the filter panel opens when any is."""
    chosen = chosen_filters(params)
    if params.get("sort") not in (None, "", "newest"):
        chosen["sort"] = params["sort"]
    return len(set(chosen.items()) - set((tab.params if tab else {}).items()))
