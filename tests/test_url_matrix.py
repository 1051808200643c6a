"""Roles × URLs: everyone sees what is theirs and nothing else."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.converters import IntConverter, SlugConverter, StringConverter

from team.models import DutyShift, Membership
from tests import test_duty_matrix as duty_matrix
from tests import test_patrols_matrix as patrols_matrix
from tests import test_visitors_matrix as visitors_matrix

PERSONAS = ["staff", "member", "deputy", "leader", "chief", "admin_user"]
ADMIN_MODELS = [
    "office",
    "department",
    "position",
    "user",
    "decision",
    "team",
    "membership",
    "dutyshift",
    "operatingregulation",
]

# URL name -> who gets 200 (everyone else logged in gets the given status)
SITE_PAGES = [
    "home",
    "team:team",
    "password_change",
    "notifications:inbox",
    "notifications:preferences",
    "incidents:list",
    "incidents:new",
    "mfa:status",
]


@pytest.fixture
def everyone(request, team, staff, member, deputy, leader, chief, admin_user):
    return {name: request.getfixturevalue(name) for name in PERSONAS}


@pytest.mark.parametrize("name", SITE_PAGES)
def test_anonymous_visitors_are_sent_to_the_login_page(client, db, name):
    url = reverse(name)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", ["login", "password_reset", "healthz"])
def test_public_pages_need_no_login(client, db, name):
    assert client.get(reverse(name)).status_code in (200, 503)  # healthz is 503 if the broker is down


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", SITE_PAGES)
def test_every_logged_in_role_sees_the_site_pages(client, everyone, persona, name):
    client.force_login(everyone[persona])
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_dashboard_is_for_the_command_the_leadership_and_administrators(client, everyone, persona):
    client.force_login(everyone[persona])
    sees = persona in ("deputy", "leader", "chief", "admin_user")  # staff and members: 404, as if it did not exist
    assert client.get(reverse("dashboard:dashboard")).status_code == (200 if sees else 404)
    client.logout()
    response = client.get(reverse("dashboard:dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", PERSONAS)
def test_periodic_reports_are_read_by_the_command_the_leadership_and_administrators(client, everyone, persona):
    client.force_login(everyone[persona])
    reads = persona in ("deputy", "leader", "chief", "admin_user")  # staff and members: 404
    writes = persona in ("deputy", "leader")  # only the team's command creates and issues them
    assert client.get(reverse("reports:list")).status_code == (200 if reads else 404)
    assert client.get(reverse("reports:new")).status_code == (200 if writes else 404)


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "admin_user"])
@pytest.mark.parametrize("model", ADMIN_MODELS)
def test_only_administrators_reach_the_admin(client, everyone, persona, model):
    client.force_login(everyone[persona])
    response = client.get(reverse(f"admin:team_{model}_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize("model", ADMIN_MODELS)
def test_administrators_reach_every_roster_page(client, everyone, model):
    client.force_login(everyone["admin_user"])
    assert client.get(reverse(f"admin:team_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:team_{model}_add")).status_code == 200


def test_non_admins_cannot_change_roster_objects_by_posting(client, everyone, team):
    membership = Membership.objects.get(user=everyone["member"])
    client.force_login(everyone["leader"])
    response = client.post(
        reverse("admin:team_membership_change", args=[membership.pk]),
        {"team": team.pk, "user": membership.user_id, "role": "deputy", "start_date": "15/07/2023", "end_date": ""},
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Membership.Role.MEMBER


def test_an_unknown_object_is_a_404_for_the_admin(client, everyone):
    client.force_login(everyone["admin_user"])
    missing = (DutyShift.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000
    response = client.get(reverse("admin:team_dutyshift_change", args=[missing]), follow=False)
    assert response.status_code in (302, 404)  # Django admin redirects to the list with a message


def _site_url_names(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from _site_url_names(entry, namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{prefix}{entry.name}", entry.pattern.converters


# A value of each kind an id-bearing route takes, to build its URL as a link on a page would.
SAMPLE_VALUE = {IntConverter: 1, SlugConverter: "report", StringConverter: "x"}


def _reversed_with_ids(name, converters):
    kwargs = {key: SAMPLE_VALUE[type(converter)] for key, converter in converters.items()}
    return reverse(name, kwargs=kwargs)


def test_the_matrix_covers_every_site_url():
    """A new page must be added to this matrix (or to the public list) to pass."""
    covered = set(SITE_PAGES) | {"login", "password_reset", "healthz"}
    # Flow pages reached through a form, checked in test_auth_pages.py
    covered |= {"logout", "password_change_done", "password_reset_done", "password_reset_complete", "set_language"}
    covered |= {"notifications:mark_all_read"}  # POST-only, test_inbox.py
    # The second factor's flow pages, test_mfa.py
    covered |= {"mfa:setup", "mfa:verify", "mfa:codes", "mfa:regenerate_codes", "mfa:start_over", "mfa:switch_off"}
    covered |= {"incidents:export"}  # test_incident_exports.py
    covered |= {"dashboard:dashboard"}  # below: the command, the leadership and administrators only
    covered |= {"reports:list", "reports:new"}  # below: readers and writers of the periodic reports
    covered |= {"reports:detail", "reports:issue", "reports:docx", "reports:xlsx"}  # test_reports.py, with a report
    covered |= {"campaigns:list", "campaigns:new", "campaigns:check_in", "campaigns:action", "campaigns:export"}
    # test_evaluation_matrix.py: every evaluation, commendation and document URL × every role
    covered |= {
        "evaluations:index",
        "evaluations:start_year",
        "evaluations:sign_off",
        "evaluations:outcome",
        "evaluations:discipline",
        "evaluations:document",
        "evaluations:preview",
        "evaluations:issue",
        "evaluations:commendations",
        "evaluations:commendations_export",
        "evaluations:propose",
        "evaluations:commendation_action",
    }
    # Pages with ids. Checked here with real objects: the owner or the team, everyone else (404), anonymous.
    covered |= {"notifications:open", "incidents:detail", "incidents:print", "incidents:attachment", *INCIDENT_ACTIONS}
    covered |= {"incidents:reject"}  # test_incident_triage.py
    covered |= {"password_reset_confirm"}  # test_auth_pages.py, from the link in the e-mail
    # test_campaign_pages.py: invited, uninvited (404), managers
    covered |= {"campaigns:detail", "campaigns:edit", "campaigns:session_add", "campaigns:material_add"}
    covered |= {"campaigns:acknowledge", "campaigns:session", "campaigns:session_sheet", "campaigns:material"}
    covered |= {"campaigns:year_coverage", "campaigns:year_export"}
    # test_evaluation_matrix.py (and the document pages in test_evaluation_documents_pages.py)
    covered |= {
        "evaluations:detail",
        "evaluations:settings",
        "evaluations:history",
        "evaluations:stage",
        "evaluations:meeting",
        "evaluations:assessment",
        "evaluations:review",
        "evaluations:evidence_add",
        "evaluations:evidence",
        "evaluations:evidence_remove",
        "evaluations:movement",
        "evaluations:ratings",
        "evaluations:dossier",
        "evaluations:issued",
        "evaluations:signed_copy",
        "evaluations:commendation",
        "evaluations:commendation_document",
        "evaluations:commendation_preview",
        "evaluations:commendation_issue",
    }
    # The duty shift's pages: each app's own matrix file lists and checks them.
    covered |= duty_matrix.COVERED | visitors_matrix.COVERED | patrols_matrix.COVERED
    routes = dict(_site_url_names())
    assert set(routes) <= covered, set(routes) - covered
    for name, converters in routes.items():
        if converters:  # an id-bearing route is listed under the name its real URLs resolve to
            url = _reversed_with_ids(name, converters)
            match = resolve(url)
            assert f"{match.namespace}:{match.url_name}".lstrip(":") == name, url


# --- object routes: the owner, everyone else (404) and anonymous (login) -------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_notification_opens_only_for_its_recipient(client, everyone, persona):
    from notifications.models import Notification

    owner = everyone["member"]
    notification = Notification.objects.filter(recipient=owner).first()  # "you were added to the team"
    url = reverse("notifications:open", args=[notification.pk])
    client.force_login(everyone[persona])
    expected = 302 if everyone[persona] == owner else 404
    assert client.get(url).status_code == expected


def test_anonymous_visitors_cannot_open_a_notification(client, everyone):
    from notifications.models import Notification

    notification = Notification.objects.first()
    response = client.get(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", PERSONAS)
def test_an_incident_and_its_file_open_for_the_reporter_and_the_team_only(
    client, everyone, persona, make_user, settings, tmp_path, category
):
    from datetime import timedelta

    from django.utils import timezone

    from core.uploads import SafeUpload
    from incidents import services

    settings.MEDIA_ROOT = tmp_path
    reporter = make_user()  # a staff member other than the `staff` persona, who must get a 404
    now = timezone.now()
    incident = services.file_incident(
        filed_by=reporter,
        fields={
            "category": category,
            "occurred_at": now - timedelta(hours=1),
            "detected_at": now,
            "description": "x",
            "proposed_severity": 2,
        },
        uploads=[SafeUpload("a.pdf", "application/pdf", ".pdf", b"%PDF-1.4\n", False)],
    )
    urls = [
        incident.get_absolute_url(),
        reverse("incidents:print", args=[incident.pk]),
        reverse("incidents:attachment", args=[incident.attachments.get().pk]),
    ]
    sees = persona in ("member", "deputy", "leader", "chief", "admin_user")  # the team, leadership, administrators
    for user, expected in [(everyone[persona], 200 if sees else 404), (reporter, 200), (make_user(), 404)]:
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == expected, (user, url)
    client.logout()
    for url in urls:
        assert client.get(url).status_code == 302


INCIDENT_ACTIONS = [
    "incidents:transition",
    "incidents:assign",
    "incidents:note",
    "incidents:info",
    "incidents:acknowledge_escalation",
    "incidents:external_report",
    "incidents:tt124",
    "incidents:duplicate",
    "incidents:regrade",
]


@pytest.mark.parametrize("name", INCIDENT_ACTIONS)
def test_incident_actions_are_post_only_and_404_for_outsiders(client, everyone, make_user, name, category):
    from datetime import timedelta

    from django.utils import timezone

    from incidents import services

    now = timezone.now()
    incident = services.file_incident(
        filed_by=everyone["staff"],
        fields={
            "category": category,
            "occurred_at": now - timedelta(hours=1),
            "detected_at": now,
            "description": "x",
            "proposed_severity": 2,
        },
    )
    url = reverse(name, args=[incident.pk])
    client.force_login(everyone["member"])
    assert client.get(url).status_code == 405
    client.force_login(make_user())
    assert client.post(url, {"action": "acknowledge", "version": 1, "text": "x"}).status_code == 404


OTHER_ADMIN_PAGES = [
    "admin:incidents_category_changelist",
    "admin:incidents_place_changelist",
    "admin:incidents_escalationlevel_changelist",
    "admin:incidents_slapolicy_changelist",
    "admin:incidents_incident_changelist",
    "admin:notifications_notification_changelist",
    "admin:notifications_delivery_changelist",
]


@pytest.mark.parametrize("name", OTHER_ADMIN_PAGES)
def test_incident_and_notification_admin_is_for_administrators_only(client, everyone, name):
    for persona in PERSONAS:
        client.force_login(everyone[persona])
        response = client.get(reverse(name))
        if persona == "admin_user":
            assert response.status_code == 200
        else:
            assert response.status_code == 302 and "/admin/login/" in response["Location"]
