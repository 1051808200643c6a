"""Lists that work on a phone: my reports and the queue as cards, quick tabs, the filter panel, the team's
contacts with tap-to-call links."""

import re
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from incidents import services
from incidents.models import Status
from tests.support.incidents import report

pytestmark = pytest.mark.django_db


def html_of(client, user, url, params=None) -> str:
    client.force_login(user)
    return client.get(url + ("?" + urlencode(params) if params else "")).content.decode()


def cards(page: str) -> str:
    start = page.index('data-testid="incident-cards"')
    return page[start : page.index("</ul>", start)]


def test_my_reports_are_cards_with_the_status_first(client, staff, member, category):
    incident = report(staff, category)
    services.transition(incident_id=incident.pk, name="acknowledge", actor=member, version=incident.version)
    page = html_of(client, staff, reverse("incidents:list"))
    card = cards(page)
    status = str(Status.ACKNOWLEDGED.label)
    assert card.index(status) < card.index(incident.reference) < card.index(str(category))
    assert re.search(r"Báo cáo lúc \d\d/\d\d/\d{4} \d\d:\d\d", card)


def test_staff_see_neither_quick_tabs_nor_filters(client, staff, category):
    report(staff, category)
    page = html_of(client, staff, reverse("incidents:list"))
    assert 'data-testid="quick-tabs"' not in page and 'data-testid="queue-filters"' not in page


def tab_links(page: str) -> dict:
    return dict(
        (name, href.replace("&amp;", "&"))
        for href, name in re.findall(r'href="\?([^"]*)" data-testid="tab-(\w+)"', page)
    )


def test_the_quick_tabs_set_the_filters(client, member, leader, staff, category):
    mine, theirs = report(staff, category), report(staff, category)
    services.assign(incident_id=mine.pk, actor=leader, version=mine.version, assignee=member)
    page = html_of(client, member, reverse("incidents:list"))
    links = tab_links(page)
    assert links == {
        "all": "",
        "new": "status=new",
        "mine": f"assignee={member.pk}&status=open",
        "overdue": "overdue=on",
        "escalated": "status=escalated",
    }
    assert ">Mới<" in page and ">Của tôi<" in page and ">Quá hạn<" in page and ">Đã chuyển cấp<" in page
    page = html_of(client, member, reverse("incidents:list") + "?" + links["mine"])
    assert mine.reference in page and theirs.reference not in page
    active = r'active" href="\?assignee=\d+&amp;status=open" data-testid="tab-mine"\s+aria-current="page"'
    assert re.search(active, page)


def test_the_leadership_has_no_mine_tab(client, chief, staff, category):
    report(staff, category)
    assert "mine" not in tab_links(html_of(client, chief, reverse("incidents:list")))


def panel_class(page: str) -> str:
    return re.search(r'<div class="([^"]*)" id="queue-filters">', page).group(1)


@pytest.mark.parametrize(
    ("params", "opened"),
    [
        ({}, False),
        ({"status": "new"}, False),  # a quick tab: the tabs say which
        ({"overdue": "on"}, False),
        ({"status": "new", "category": "1"}, True),  # more than the tab
        ({"q": "xe may"}, True),
        ({"sort": "severity"}, True),
        ({"sort": "newest"}, False),
    ],
)
def test_the_filter_panel_opens_on_a_phone_only_when_a_filter_beyond_a_tab_is_set(
    client, member, category, params, opened
):
    page = html_of(client, member, reverse("incidents:list"), params)
    assert ("show" in panel_class(page).split()) is opened
    assert ('aria-expanded="true"' in page) is opened


def test_the_team_page_gives_cards_with_tap_to_call_links(client, staff, member, leader):
    member.phone = "0912 345 678"
    member.save()
    page = html_of(client, staff, reverse("team:team"))
    start = page.index('data-testid="roster-cards"')
    roster = page[start : page.index("</ul>", start)]
    assert member.full_name in roster and leader.full_name in roster
    assert 'href="tel:0912345678"' in roster and "Gọi 0912 345 678" in roster
    assert "Tổ trưởng" in roster
