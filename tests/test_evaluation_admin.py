"""Administration of evaluations: the province's criteria, the score lines, read-only records, corrections."""

from datetime import date

import pytest
from django.urls import reverse

from evaluations.models import (
    Assessment,
    Criterion,
    DisciplineRecord,
    DocumentCounter,
    Draft,
    Evaluation,
    IssuedDocument,
    ItemScore,
    ScoreTemplate,
    UnitRating,
)
from evaluations.services.cycle import start_year

MODELS = [
    "criteriaset",
    "criterion",
    "scoretemplate",
    "evaluation",
    "unitrating",
    "disciplinerecord",
    "documentcounter",
    "issueddocument",
]
READ_ONLY = {"evaluation", "documentcounter", "issueddocument"}


@pytest.fixture
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def years(team, leader, deputy, member, chief):
    """2025 signed off, 2026 being prepared (copied from 2025)."""
    signed = start_year(year=2025, actor=leader)
    current = start_year(year=2026, actor=leader)
    Evaluation.objects.filter(pk=signed.pk).update(status=Evaluation.Status.SIGNED_OFF)
    return signed, current


def provincial_criterion(criteria_set):
    return {
        "criteria_set": criteria_set.pk,
        "parent": "",
        "code": "T1",
        "tt124_item": "",
        "title": "Phòng, chống cháy nổ",
        "title_en": "Fire prevention",
        "text": "Không để xảy ra cháy, nổ gây thiệt hại nghiêm trọng.",
        "evidence": "",
        "is_provincial": "on",
        "order": "200",
        "is_active": "on",
    }


def test_a_provincial_criterion_joins_the_open_evaluation_only(english, admin_user, years):
    signed, current = years
    english.force_login(admin_user)
    response = english.post(
        reverse("admin:evaluations_criterion_add"), provincial_criterion(current.criteria_set), follow=True
    )
    assert response.status_code == 200
    assert "The criterion was added to 1 open evaluation." in response.content.decode()
    criterion = Criterion.objects.get(code="T1")
    assert Assessment.objects.filter(evaluation=current, criterion=criterion).exists()
    assert not Assessment.objects.filter(evaluation=signed, criterion=criterion).exists()  # signed off: unchanged


def test_a_provincial_criterion_added_on_the_criteria_set_page_joins_too(english, admin_user, years):
    signed, current = years
    criteria_set = current.criteria_set
    english.force_login(admin_user)
    change = reverse("admin:evaluations_criteriaset_change", args=[criteria_set.pk])
    page = english.get(change)
    assert page.status_code == 200
    existing = list(Criterion.objects.filter(criteria_set=criteria_set).order_by("order", "code"))
    data = {
        "code": criteria_set.code,
        "name": criteria_set.name,
        "legal_basis": criteria_set.legal_basis,
        "effective_from": criteria_set.effective_from.strftime("%d/%m/%Y"),
        "criteria-TOTAL_FORMS": str(len(existing) + 1),
        "criteria-INITIAL_FORMS": str(len(existing)),
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "1000",
    }
    for n, criterion in enumerate(existing):
        data.update(
            {
                f"criteria-{n}-id": str(criterion.pk),
                f"criteria-{n}-criteria_set": str(criteria_set.pk),
                f"criteria-{n}-code": criterion.code,
                f"criteria-{n}-parent": str(criterion.parent_id or ""),
                f"criteria-{n}-title": criterion.title,
                f"criteria-{n}-text": criterion.text,
                f"criteria-{n}-evidence": criterion.evidence,
                f"criteria-{n}-order": str(criterion.order),
                f"criteria-{n}-is_active": "on" if criterion.is_active else "",
            }
        )
    n = len(existing)
    data.update(
        {
            f"criteria-{n}-criteria_set": str(criteria_set.pk),
            f"criteria-{n}-code": "T2",
            f"criteria-{n}-title": "An toàn giao thông",
            f"criteria-{n}-text": "Không có cán bộ vi phạm nghiêm trọng về trật tự, an toàn giao thông.",
            f"criteria-{n}-is_provincial": "on",
            f"criteria-{n}-order": "210",
            f"criteria-{n}-is_active": "on",
        }
    )
    response = english.post(change, data, follow=True)
    assert response.status_code == 200
    assert "The criterion was added to 1 open evaluation." in response.content.decode()
    criterion = Criterion.objects.get(code="T2")
    assert Assessment.objects.filter(evaluation=current, criterion=criterion).exists()
    assert not Assessment.objects.filter(evaluation=signed, criterion=criterion).exists()


def test_a_national_criterion_added_in_admin_is_not_pushed(english, admin_user, years):
    _signed, current = years
    english.force_login(admin_user)
    data = provincial_criterion(current.criteria_set) | {"is_provincial": "", "code": "6"}
    english.post(reverse("admin:evaluations_criterion_add"), data)
    assert not Assessment.objects.filter(criterion__code="6").exists()


def test_new_score_lines_join_the_sheets_being_scored(english, admin_user, years):
    signed, current = years
    Evaluation.objects.filter(pk=signed.pk).update(status=Evaluation.Status.DECIDED)
    template = ScoreTemplate.objects.get(code="qd510-co-quan")
    items = list(template.items.order_by("order", "code"))
    data = {
        "code": template.code,
        "name": template.name,
        "total_points": str(template.total_points),
        "items-TOTAL_FORMS": str(len(items) + 1),
        "items-INITIAL_FORMS": str(len(items)),
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
    }
    for n, item in enumerate(items):
        data.update(
            {
                f"items-{n}-id": str(item.pk),
                f"items-{n}-template": str(template.pk),
                f"items-{n}-code": item.code,
                f"items-{n}-parent": str(item.parent_id or ""),
                f"items-{n}-text": item.text,
                f"items-{n}-max_points": str(item.max_points),
                f"items-{n}-order": str(item.order),
            }
        )
    n = len(items)
    four = next(item for item in items if item.code == "4")
    data.update(
        {
            f"items-{n}-template": str(template.pk),
            f"items-{n}-code": "4.b",
            f"items-{n}-parent": str(four.pk),
            f"items-{n}-text": "Tổ chức thực hiện đầy đủ quy chế hoặc kế hoạch phối hợp.",
            f"items-{n}-max_points": "2",
            f"items-{n}-order": "55",
        }
    )
    english.force_login(admin_user)
    response = english.post(reverse("admin:evaluations_scoretemplate_change", args=[template.pk]), data, follow=True)
    assert response.status_code == 200
    assert "1 new line was added to the score sheets being prepared." in response.content.decode()
    assert ItemScore.objects.filter(sheet__evaluation=current, item__code="4.b").exists()
    assert not ItemScore.objects.filter(sheet__evaluation=signed, item__code="4.b").exists()  # decided
    changelist = english.get(reverse("admin:evaluations_scoretemplate_changelist")).content.decode()
    assert '<td class="field-points_defined">14' in changelist  # 12 + 2: the lines defined so far


def test_evaluations_issued_documents_and_number_series_are_read_only(english, admin_user, years, chief):
    _signed, current = years
    draft = Draft.objects.create(kind="report", evaluation=current, summary="Báo cáo", body="…")
    issued = IssuedDocument.objects.create(
        draft=draft,
        version=1,
        number=5,
        number_text="05/BC-VP",
        issued_on=date(2026, 11, 5),
        summary="Báo cáo",
        body="…",
        file="documents/x.docx",
        issued_by=chief,
    )
    counter = DocumentCounter.objects.create(year=2026, issuer="VP", type_code="BC", last=5)
    english.force_login(admin_user)
    for name, pk in [("evaluation", current.pk), ("issueddocument", issued.pk), ("documentcounter", counter.pk)]:
        page = english.get(reverse(f"admin:evaluations_{name}_change", args=[pk]))
        assert page.status_code == 200
        assert 'name="_save"' not in page.content.decode(), name  # shown, not editable
        assert english.get(reverse(f"admin:evaluations_{name}_add")).status_code == 403
        assert english.post(reverse(f"admin:evaluations_{name}_delete", args=[pk]), {"post": "yes"}).status_code == 403
    assert (
        "x.docx"
        not in english.get(reverse("admin:evaluations_issueddocument_change", args=[issued.pk])).content.decode()
    )
    assert "05/BC-VP" in english.get(reverse("admin:evaluations_issueddocument_changelist")).content.decode()


def test_an_administrator_corrects_and_deletes_a_discipline_record(english, admin_user, chief, staff):
    record = DisciplineRecord.objects.create(person=staff, form=2, decided_on=date(2026, 3, 12), recorded_by=chief)
    english.force_login(admin_user)
    change = reverse("admin:evaluations_disciplinerecord_change", args=[record.pk])
    response = english.post(
        change,
        {"person": staff.pk, "form": "1", "decided_on": "12/03/2026", "decision_number": "12/QĐ-VP", "reason": ""},
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.form, record.decision_number, record.recorded_by) == (1, "12/QĐ-VP", chief)
    listing = english.get(reverse("admin:evaluations_disciplinerecord_changelist") + "?q=Hoa&evaluation_year=2026")
    assert "Phạm Thị Hoa" in listing.content.decode()
    other_year = english.get(reverse("admin:evaluations_disciplinerecord_changelist") + "?evaluation_year=2025")
    assert "Phạm Thị Hoa" not in other_year.content.decode()
    english.post(reverse("admin:evaluations_disciplinerecord_delete", args=[record.pk]), {"post": "yes"})
    assert not DisciplineRecord.objects.exists()


def test_an_administrator_adds_a_unit_rating_and_is_its_recorder(english, admin_user, departments):
    english.force_login(admin_user)
    response = english.post(
        reverse("admin:evaluations_unitrating_add"),
        {
            "year": "2026",
            "department": departments["TH"].pk,
            "rating": "good",
            "decision_number": "",
            "decision_date": "",
        },
    )
    assert response.status_code == 302
    assert UnitRating.objects.get().recorded_by == admin_user


@pytest.mark.parametrize("model", MODELS)
def test_the_changelists_open_for_an_administrator(client, admin_user, years, chief, staff, model):
    DisciplineRecord.objects.create(person=staff, form=2, decided_on=date(2026, 3, 12), recorded_by=chief)
    UnitRating.objects.create(year=2026, department=staff.department, rating="good", recorded_by=chief)
    client.force_login(admin_user)
    assert client.get(reverse(f"admin:evaluations_{model}_changelist")).status_code == 200
    add = client.get(reverse(f"admin:evaluations_{model}_add")).status_code
    assert add == (403 if model in READ_ONLY else 200)


@pytest.mark.parametrize("persona", ["staff", "member", "leader", "chief"])
def test_only_administrators_reach_them(client, request, persona, years):
    client.force_login(request.getfixturevalue(persona))
    for model in MODELS:
        response = client.get(reverse(f"admin:evaluations_{model}_changelist"))
        assert response.status_code == 302 and "/admin/login/" in response["Location"], model


def test_an_item_cannot_hang_under_a_criterion_of_another_set(english, admin_user, years):
    _signed, current = years
    other = current.criteria_set.__class__.objects.create(
        code="tinh-2027",
        name="Bộ tiêu chí của tỉnh",
        legal_basis="Quyết định của UBND tỉnh",
        effective_from=date(2027, 1, 1),
    )
    parent = Criterion.objects.get(criteria_set=current.criteria_set, code="3")
    english.force_login(admin_user)
    data = provincial_criterion(other) | {"parent": parent.pk, "code": "3.x"}
    response = english.post(reverse("admin:evaluations_criterion_add"), data)
    assert response.status_code == 200
    assert "An item belongs to a criterion of the same set." in response.content.decode()
    assert not Criterion.objects.filter(code="3.x").exists()
