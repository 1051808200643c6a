"""The main pages pass axe-core with no serious or critical violation, on a desk and on a phone.

axe-core is vendored under tests/vendor/axe-core (version and licence there). The site's
Content-Security-Policy forbids injected scripts, rightly; only this test's browser context
bypasses it to add axe, the site itself never serves the script.
"""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from campaigns.models import Campaign
from duty import services as duty_services
from incidents import services as incident_services
from tests.conftest import CHROMIUM, log_in
from tests.support.duty import shift_now
from tests.support.incidents import report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}
DEVICES = {
    "desk": {"viewport": {"width": 1366, "height": 900}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [violation for violation in result["violations"] if violation["impact"] in BLOCKING]


def described(where: str, violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{where}: [{violation['impact']}] {violation['id']}: {violation['help']}")
        for node in violation["nodes"][:8]:
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    {' '.join(node['target'])}  {summary[:200]}")
        if len(violation["nodes"]) > 8:
            lines.append(f"    … and {len(violation['nodes']) - 8} more")
    return "\n".join(lines)


@pytest.fixture
def office_in_use(staff, leader, member, full_team, category):
    """An incident assigned and talked about, a running campaign, a notification in the inbox."""
    incident = report(staff, category, place_detail="Phòng họp tầng 3")
    incident_services.add_note(incident_id=incident.pk, actor=member, text="Đã tiếp nhận", to_reporter=True)
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        title="Phổ biến nội quy bảo vệ cơ quan",
        theme="internal_rules",
        starts_on=today,
        ends_on=today + timedelta(days=20),
        organiser=member,
        counts_for_tt124=True,
    )
    shift = shift_now(full_team, member)
    duty_services.write_entry(shift=shift, author=member, fields={"text": "Tuần tra tầng 2", "to_hand_over": True})
    return {"incident": incident, "campaign": campaign, "shift": shift}


def main_pages(office_in_use, staff, leader, member):
    """(who, path) in the order a browser visits them; None is a visitor who has not logged in."""
    incident, campaign = office_in_use["incident"], office_in_use["campaign"]
    return [
        (None, "/accounts/login/"),
        (staff, "/"),
        (staff, "/incidents/"),  # my reports
        (staff, "/incidents/new/"),
        (staff, incident.get_absolute_url()),
        (staff, "/team/"),
        (staff, "/notifications/"),
        (member, "/"),  # what needs him: assigned incidents, his next shift
        (member, "/duty/"),  # his shift: the entry form, the log, the gate and the round
        (member, f"/duty/shifts/{office_in_use['shift'].pk}/handover/"),
        (member, "/duty/keys/"),
        (member, "/campaigns/"),
        (member, campaign.get_absolute_url()),
        (leader, "/"),  # the queue's counts, escalations, coverage, the evaluation
        (leader, "/incidents/"),  # the queue
        (leader, incident.get_absolute_url()),
        (leader, f"/incidents/{incident.pk}/print/"),  # the report sheet, before printing
        (leader, "/evaluations/"),
        (leader, "/dashboard/"),  # charts, their tables and the filters
        (leader, "/duty/days/"),
        (leader, f"/duty/days/{timezone.localdate(office_in_use['shift'].starts_at).isoformat()}/"),
        (leader, "/dashboard/?since=31/02/2026&until=01/01/2026"),  # with the filters' error messages
    ]


@pytest.mark.parametrize("device", DEVICES)
def test_the_main_pages_have_no_serious_accessibility_violation(
    browser, plain_http, office_in_use, staff, leader, member, device
):
    assert Path(CHROMIUM).exists() and AXE.exists()
    context = browser.new_context(bypass_csp=True, locale="vi-VN", **DEVICES[device])
    page = context.new_page()
    page.set_default_timeout(15_000)
    found, current = [], "nobody"
    try:
        for who, path in main_pages(office_in_use, staff, leader, member):
            if who is not None and who.username != current:
                log_in(page, plain_http.url, who.username)
                current = who.username
            response = page.goto(f"{plain_http.url}{path}")
            assert response.status == 200, path
            violations = axe_violations(page)
            if violations:
                found.append(described(f"{device} {path} as {who or 'visitor'}", violations))
    finally:
        context.close()
    report_text = "\n".join(found)
    print(report_text)
    assert not found, f"axe-core found serious or critical violations:\n{report_text}"
