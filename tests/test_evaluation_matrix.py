"""Roles × URLs for the annual evaluation, commendations and their documents: nobody sees or changes what is not
theirs, and what is not theirs is a 404 wherever an object's existence would leak."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from evaluations.models import (
    Commendation,
    DisciplineRecord,
    DocumentKind,
    Draft,
    Evaluation,
    Evidence,
    IssuedDocument,
)
from evaluations.services import cycle
from tests.evaluation_support import ensure_tt124_data

PERSONAS = ["staff", "member", "deputy", "leader", "chief", "admin_user"]
SEES = {"member", "deputy", "leader", "chief", "admin_user"}  # the team, the leadership, administrators
TEAM = {"member", "deputy", "leader"}
IN_COMMAND = {"deputy", "leader"}
LEADERSHIP = {"leader", "chief", "admin_user"}  # the leader is a Deputy Chief: office leadership
YEAR = 2026


@pytest.fixture
def world(db, settings, tmp_path, team, staff, member, deputy, leader, chief, admin_user):
    settings.MEDIA_ROOT = tmp_path
    ensure_tt124_data()
    evaluation = cycle.start_year(year=YEAR, actor=leader)
    assessment = evaluation.assessments.get(criterion__code="1")
    evidence = Evidence(evaluation=evaluation, assessment=assessment, title="Biên bản", added_by=member)
    evidence.original_name, evidence.extension, evidence.content_type = "bien-ban.pdf", ".pdf", "application/pdf"
    evidence.file.save("bien-ban.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    evidence.save()
    draft = Draft.objects.create(evaluation=evaluation, kind=DocumentKind.PLEDGE, summary="Đăng ký", body="x")
    issued = IssuedDocument(
        draft=draft,
        version=1,
        number=1,
        number_text="01/ĐK-VP",
        issued_on=timezone.localdate(),
        summary="x",
        body="x",
        issued_by=leader,
    )
    issued.file.save("dang-ky.docx", ContentFile(b"PK\x03\x04"), save=False)
    issued.save()
    commendation = Commendation.objects.create(
        year=YEAR,
        kind="ad_hoc",
        form="chief_certificate",
        person=staff,
        achievement="Phát hiện kẻ gian",
        proposed_by=member,
        proposed_at=timezone.now(),
    )
    DisciplineRecord.objects.create(person=member, form=1, decided_on=timezone.localdate(), recorded_by=chief)
    people = {name: value for name, value in locals().items() if name in PERSONAS}
    return {
        "people": people,
        "evaluation": evaluation,
        "assessment": assessment,
        "evidence": evidence,
        "issued": issued,
        "commendation": commendation,
    }


def pages(world):
    """URL → the personas who get 200; every other logged-in persona gets the status given."""
    a, e, c = world["assessment"], world["evidence"], world["commendation"]
    year_pages = [
        reverse("evaluations:detail", args=[YEAR]),
        reverse("evaluations:history", args=[YEAR]),
        reverse("evaluations:meeting", args=[YEAR]),
        reverse("evaluations:movement", args=[YEAR]),
        reverse("evaluations:ratings", args=[YEAR]),
        reverse("evaluations:stage", args=[YEAR, "registration"]),
        reverse("evaluations:assessment", args=[YEAR, a.pk]),
        reverse("evaluations:document", args=[YEAR, "report"]),
        reverse("evaluations:preview", args=[YEAR, "pledge"]),
        reverse("evaluations:dossier", args=[YEAR]),
        reverse("evaluations:evidence", args=[e.pk]),
        reverse("evaluations:issued", args=[world["issued"].pk]),
        reverse("evaluations:commendation", args=[c.pk]),
    ]
    table = [(url, SEES, 404) for url in year_pages]
    table += [
        (reverse("evaluations:index"), SEES, 403),
        (reverse("evaluations:settings", args=[YEAR]), IN_COMMAND, {"staff": 404, "other": 403}),
        (reverse("evaluations:discipline"), LEADERSHIP, 404),
        (reverse("evaluations:commendations"), set(PERSONAS), None),
        (reverse("evaluations:commendations_export", args=["csv"]), set(PERSONAS), None),
        (reverse("evaluations:propose"), TEAM, 403),
    ]
    return table


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_evaluation_page_answers_each_role_as_it_should(client, world, persona):
    client.force_login(world["people"][persona])
    for url, allowed, refused in pages(world):
        status = client.get(url).status_code
        if persona in allowed:
            expected = 200
        elif isinstance(refused, dict):
            expected = refused.get(persona, refused["other"])
        else:
            expected = refused
        assert status == expected, (persona, url, status)


def test_someone_outside_everything_gets_nothing(client, world, make_user):
    client.force_login(make_user())
    for url, _allowed, refused in pages(world):
        if refused is None:  # the register and its export: his own, i.e. nothing
            detail = reverse("evaluations:commendation", args=[world["commendation"].pk])
            body = client.get(url).content.decode("utf-8", "replace")
            assert detail not in body and world["people"]["staff"].full_name not in body
        else:
            assert client.get(url).status_code in (403, 404), url


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    for url, _allowed, _refused in pages(world):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url


def test_the_person_named_sees_his_commendation_once_approved(client, world):
    staff, commendation = world["people"]["staff"], world["commendation"]
    client.force_login(staff)
    url = reverse("evaluations:commendation", args=[commendation.pk])
    assert client.get(url).status_code == 404
    Commendation.objects.filter(pk=commendation.pk).update(status=Commendation.Status.APPROVED)
    assert client.get(url).status_code == 200
    assert url in client.get(reverse("evaluations:commendations")).content.decode()


POSTS = [
    ("evaluations:sign_off", lambda w: [YEAR, "send"], lambda w: {"version": 1}),
    ("evaluations:sign_off", lambda w: [YEAR, "sign"], lambda w: {"version": 1}),
    ("evaluations:sign_off", lambda w: [YEAR, "reopen"], lambda w: {"version": 1, "reason": "x"}),
    ("evaluations:outcome", lambda w: [YEAR, "dossier"], lambda w: {"submitted_on": "2026-11-10", "method": "post"}),
    ("evaluations:review", lambda w: [YEAR, w["assessment"].pk], lambda w: {}),
    (
        "evaluations:evidence_add",
        lambda w: [YEAR],
        lambda w: {"target": f"assessment:{w['assessment'].pk}", "number": "9/BC"},
    ),
    ("evaluations:evidence_remove", lambda w: [w["evidence"].pk], lambda w: {}),
    ("evaluations:commendation_action", lambda w: [w["commendation"].pk, "approve"], lambda w: {"version": 1}),
    ("evaluations:issue", lambda w: [YEAR, "pledge"], lambda w: {}),
]


def snapshot(world):
    evaluation = Evaluation.objects.get(pk=world["evaluation"].pk)
    return (
        evaluation.status,
        evaluation.version,
        Evidence.objects.count(),
        IssuedDocument.objects.count(),
        Commendation.objects.get(pk=world["commendation"].pk).status,
        world["assessment"].__class__.objects.get(pk=world["assessment"].pk).reviewed_by_id,
    )


@pytest.mark.parametrize("name,args,data", POSTS, ids=[f"{name}-{i}" for i, (name, _a, _d) in enumerate(POSTS)])
def test_staff_change_nothing_and_get_a_404(client, world, name, args, data):
    before = snapshot(world)
    client.force_login(world["people"]["staff"])
    assert client.post(reverse(name, args=args(world)), data(world)).status_code == 404
    assert client.get(reverse(name, args=args(world))).status_code in (404, 405)
    assert snapshot(world) == before


@pytest.mark.parametrize("name,args,data", POSTS, ids=[f"{name}-{i}" for i, (name, _a, _d) in enumerate(POSTS)])
def test_an_administrator_sees_but_does_not_run_the_cycle(client, world, name, args, data):
    before = snapshot(world)
    client.force_login(world["people"]["admin_user"])
    client.post(reverse(name, args=args(world)), data(world))
    assert snapshot(world) == before


@pytest.mark.parametrize("persona", ["staff", "member", "chief", "admin_user"])
def test_only_the_leader_and_deputy_start_a_year(client, world, persona):
    client.force_login(world["people"][persona])
    assert client.post(reverse("evaluations:start_year"), {"year": 2030}).status_code == 403
    assert not Evaluation.objects.filter(year=2030).exists()
