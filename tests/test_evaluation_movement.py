"""The movement score sheet (QĐ 510): the team scores line by line, the page adds up, warns and classifies."""

from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from evaluations.models import Evaluation, EvaluationEvent, Evidence, ItemScore, ScoreItem, ScoreSheet
from evaluations.services import movement
from evaluations.services.cycle import start_year
from tests.conftest import log_in
from tests.evaluation_support import ensure_tt124_data

PERSONAS = ["staff", "member", "deputy", "leader", "chief", "admin_user"]
SCORES = {"member", "deputy", "leader"}  # the team; the Chief and administrators read


@pytest.fixture
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def evaluation(team, leader, deputy, member, chief):
    return start_year(year=timezone.localdate().year, actor=leader)


@pytest.fixture
def sheet(evaluation):
    return ScoreSheet.objects.select_related("template").get(evaluation=evaluation)


def line(sheet, code) -> ScoreItem:
    return ScoreItem.objects.get(template=sheet.template, code=code)


def url(evaluation):
    return reverse("evaluations:movement", args=[evaluation.year])


def page_data(sheet, changes=None, *, seen=None):
    """What the page posts: every line's score and note with the value the person saw ("initial-…")."""
    changes = {line(sheet, code).pk: value for code, value in (changes or {}).items()}
    current = {row.item_id: row for row in ItemScore.objects.filter(sheet=sheet)}
    seen = {line(sheet, code).pk: value for code, value in (seen or {}).items()}
    data = {}
    for item_id, row in current.items():
        shown = seen.get(item_id, (row.self_score, row.note))
        score, note = changes.get(item_id, shown)
        data[f"score-{item_id}"] = "" if score is None else str(score)
        data[f"initial-score-{item_id}"] = "" if shown[0] is None else str(shown[0])
        data[f"note-{item_id}"] = note
        data[f"initial-note-{item_id}"] = shown[1]
    return data


def score_of(sheet, code):
    return ItemScore.objects.get(sheet=sheet, item__code=code).self_score


# --- the figures ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "code"),
    [
        ("100", "excellent"),
        ("90", "excellent"),
        ("89.99", "good"),
        ("70", "good"),
        ("69.5", "average"),
        ("50", "average"),
        ("49.75", "weak"),
        ("0", "weak"),
    ],
)
def test_the_class_follows_the_thresholds(total, code):
    assert movement.classification(Decimal(total))[0] == code


def test_the_thresholds_are_settings(english_text, settings):
    settings.MOVEMENT_EXCELLENT_FROM, settings.MOVEMENT_GOOD_FROM, settings.MOVEMENT_AVERAGE_FROM = 95, 80, 60
    assert movement.classification(Decimal(92))[0] == "good"
    assert movement.classification(Decimal(59))[0] == "weak"
    assert str(movement.classification(Decimal(95))[1]) == "Excellent"


def test_the_lines_of_qd_510_found_so_far_add_up_to_12_points(sheet):
    figures = movement.sheet_figures(sheet)
    assert [row.item.code for row in figures.rows] == ["1", "2", "3", "4", "4.a"]
    four = figures.rows[3]
    assert four.is_parent and four.max_points == 1 and four.self_score is None  # the sum of its sub-lines
    assert figures.maximum_defined == 12 and figures.template_total == 100
    assert not figures.complete and figures.provisional
    assert figures.total == 0 and figures.classification[0] == "weak"
    assert figures.unscored == 4


def test_a_parent_line_shows_the_sum_of_its_sub_lines(sheet, evaluation, member):
    four = line(sheet, "4")
    ScoreItem.objects.create(template=sheet.template, parent=four, code="4.b", text="Thực hiện đầy đủ", max_points=2)
    movement.save_scores(
        evaluation_id=evaluation.pk,
        actor=member,
        scores={line(sheet, "4.a").pk: (Decimal("1"), ""), line(sheet, "4.b").pk: (Decimal("1.5"), "")},
    )
    rows = {row.item.code: row for row in movement.sheet_figures(sheet).rows}
    assert rows["4"].max_points == 3 and rows["4"].self_score == Decimal("2.5")
    assert str(rows["4"].self_score) == "2.5"  # written without trailing zeros
    assert movement.sheet_figures(sheet).total == Decimal("2.5")


def test_once_the_lines_reach_100_points_and_all_are_scored_the_class_is_final(sheet, evaluation, member):
    ScoreItem.objects.create(template=sheet.template, code="5", text="Các nội dung còn lại", max_points=88, order=900)
    codes = {"1": "3", "2": "3", "3": "5", "4.a": "1", "5": "70"}
    movement.save_scores(
        evaluation_id=evaluation.pk,
        actor=member,
        scores={line(sheet, code).pk: (Decimal(value), "") for code, value in codes.items()},
    )
    figures = movement.sheet_figures(sheet)
    assert figures.complete and not figures.provisional
    assert figures.total == 82 and figures.classification[0] == "good"


# --- saving -----------------------------------------------------------------------------------


def test_the_team_saves_a_score_and_the_history_says_what_changed(english, sheet, evaluation, member):
    english.force_login(member)
    response = english.post(url(evaluation), page_data(sheet, {"2": ("3", "Đạt 95% cán bộ tham gia")}), follow=True)
    assert "Saved the score of line 2: 3 points." in response.content.decode()
    assert score_of(sheet, "2") == 3
    row = ItemScore.objects.get(sheet=sheet, item__code="2")
    assert row.note == "Đạt 95% cán bộ tham gia" and row.scored_by == member
    event = EvaluationEvent.objects.get(evaluation=evaluation, action=EvaluationEvent.Action.SCORES_UPDATED)
    assert event.actor == member and "Line 2: — → 3 points (note changed)" in event.detail
    page = response.content.decode()
    assert 'data-testid="movement-total">3<' in page


def test_several_lines_at_once_and_nothing_twice(english, sheet, evaluation, member):
    english.force_login(member)
    response = english.post(url(evaluation), page_data(sheet, {"1": ("2.5", ""), "3": ("4", "")}), follow=True)
    assert "Saved the scores of 2 lines: 1, 3." in response.content.decode()
    response = english.post(url(evaluation), page_data(sheet), follow=True)  # the same page again
    assert "Nothing was changed." in response.content.decode()
    assert EvaluationEvent.objects.filter(action=EvaluationEvent.Action.SCORES_UPDATED).count() == 1


def test_a_score_above_the_maximum_is_refused_naming_the_line(english, sheet, evaluation, member):
    english.force_login(member)
    response = english.post(url(evaluation), page_data(sheet, {"1": ("4", ""), "2": ("2", "")}))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Line 1: the score must be between 0 and 3 points." in page
    assert score_of(sheet, "1") is None and score_of(sheet, "2") is None  # nothing of that page is saved
    assert 'value="4"' in page  # what the person typed is still there to correct
    assert not EvaluationEvent.objects.filter(action=EvaluationEvent.Action.SCORES_UPDATED).exists()


@pytest.mark.parametrize("value", ["-1", "3.5", "0.001", "NaN", "Infinity"])
def test_the_service_refuses_out_of_range_scores_itself(english_text, sheet, evaluation, member, value):
    with pytest.raises(ValidationError) as error:
        movement.save_scores(
            evaluation_id=evaluation.pk, actor=member, scores={line(sheet, "1").pk: (Decimal(value), "")}
        )
    assert "Line 1" in " ".join(error.value.messages)
    assert score_of(sheet, "1") is None


def test_a_line_with_sub_lines_is_not_scored_itself(sheet, evaluation, member):
    with pytest.raises(ValidationError):
        movement.save_scores(evaluation_id=evaluation.pk, actor=member, scores={line(sheet, "4").pk: (Decimal(1), "")})


@pytest.mark.parametrize("value", ["abc", "1e400", "3,5"])
def test_bad_input_is_a_message_never_a_500(english, sheet, evaluation, member, value):
    english.force_login(member)
    response = english.post(url(evaluation), page_data(sheet, {"2": (value, "")}))
    assert response.status_code == 200
    assert "Line 2:" in response.content.decode()
    assert score_of(sheet, "2") is None


def test_only_the_lines_changed_on_the_page_are_saved(client, sheet, evaluation, member, deputy):
    # The member opened the page when line 1 had no score; meanwhile the deputy scored it.
    movement.save_scores(evaluation_id=evaluation.pk, actor=deputy, scores={line(sheet, "1").pk: (Decimal(2), "")})
    client.force_login(member)
    client.post(url(evaluation), page_data(sheet, {"2": ("3", "")}, seen={"1": (None, "")}))
    assert score_of(sheet, "1") == 2  # the deputy's score survives
    assert score_of(sheet, "2") == 3


def test_clearing_a_score(english, sheet, evaluation, member):
    movement.save_scores(evaluation_id=evaluation.pk, actor=member, scores={line(sheet, "3").pk: (Decimal(5), "")})
    english.force_login(member)
    response = english.post(url(evaluation), page_data(sheet, {"3": (None, "")}), follow=True)
    assert "Cleared the score of line 3." in response.content.decode()
    assert score_of(sheet, "3") is None


def test_lines_added_in_admin_get_a_row_when_saved(sheet, evaluation, member):
    five = ScoreItem.objects.create(template=sheet.template, code="5", text="Dòng mới", max_points=10, order=900)
    assert not ItemScore.objects.filter(sheet=sheet, item=five).exists()
    assert movement.sheet_figures(sheet).rows[-1].score is None  # shown, not scored yet
    movement.save_scores(evaluation_id=evaluation.pk, actor=member, scores={five.pk: (Decimal(7), "")})
    assert score_of(sheet, "5") == 7


# --- who may do what --------------------------------------------------------------------------


@pytest.fixture
def everyone(request, team, staff, member, deputy, leader, chief, admin_user):
    return {name: request.getfixturevalue(name) for name in PERSONAS}


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_sees_and_who_scores(client, everyone, persona, evaluation, sheet):
    client.force_login(everyone[persona])
    response = client.get(url(evaluation))
    if persona == "staff":
        assert response.status_code == 404  # not a hint that the evaluation exists
        assert client.post(url(evaluation), page_data(sheet, {"1": ("1", "")})).status_code == 404
        return
    assert response.status_code == 200
    page = response.content.decode()
    assert ('name="score-' in page) == (persona in SCORES)
    status = client.post(url(evaluation), page_data(sheet, {"1": ("1", "")})).status_code
    assert status == (302 if persona in SCORES else 403)
    assert (score_of(sheet, "1") == 1) == (persona in SCORES)


def test_scoring_goes_on_after_sign_off_and_stops_once_decided(client, evaluation, sheet, member):
    client.force_login(member)
    Evaluation.objects.filter(pk=evaluation.pk).update(status=Evaluation.Status.SIGNED_OFF)
    assert client.post(url(evaluation), page_data(sheet, {"1": ("1", "")})).status_code == 302
    assert score_of(sheet, "1") == 1
    Evaluation.objects.filter(pk=evaluation.pk).update(status=Evaluation.Status.DECIDED)
    assert 'name="score-' not in client.get(url(evaluation)).content.decode()
    assert client.post(url(evaluation), page_data(sheet, {"1": ("2", "")})).status_code == 403
    with pytest.raises(PermissionDenied):
        movement.save_scores(evaluation_id=evaluation.pk, actor=member, scores={line(sheet, "1").pk: (Decimal(2), "")})
    assert score_of(sheet, "1") == 1


def test_an_unknown_year_is_a_404(client, member, evaluation):
    client.force_login(member)
    assert client.get(reverse("evaluations:movement", args=[1999])).status_code == 404


def test_without_a_score_sheet_the_page_says_so(english, evaluation, member):
    ScoreSheet.objects.filter(evaluation=evaluation).delete()
    english.force_login(member)
    page = english.get(url(evaluation)).content.decode()
    assert 'data-testid="no-sheet"' in page
    response = english.post(url(evaluation), {"score-1": "1"}, follow=True)
    assert "has no movement score sheet" in response.content.decode()


# --- the page ---------------------------------------------------------------------------------


def test_the_page_warns_while_lines_are_missing_and_marks_the_class_provisional(english, evaluation, member):
    english.force_login(member)
    page = english.get(url(evaluation)).content.decode()
    assert (
        "The score lines entered so far add up to 12 of 100 points: an administrator must add the rest of QĐ 510 "
        "(or the province's version) in the administration." in page
    )
    assert 'data-testid="provisional"' in page
    assert ">Weak" in page


def test_each_line_lists_its_evidence_and_offers_an_upload_form(english, evaluation, sheet, member):
    row = ItemScore.objects.get(sheet=sheet, item__code="1")
    evidence = Evidence.objects.create(
        evaluation=evaluation, item_score=row, title="Kế hoạch 12/KH-VP", link="/campaigns/", added_by=member
    )
    english.force_login(member)
    page = english.get(url(evaluation)).content.decode()
    assert f'href="{reverse("evaluations:evidence", args=[evidence.pk])}">Kế hoạch 12/KH-VP</a>' in page
    action = reverse("evaluations:evidence_add", args=[evaluation.year])
    assert f'id="evidence-{row.pk}" method="post" enctype="multipart/form-data" action="{action}"' in page
    assert f'name="target" value="item:{row.pk}"' in page
    assert f'name="next" value="{url(evaluation)}"' in page


def test_the_page_runs_a_constant_number_of_queries(client, evaluation, sheet, member):
    client.force_login(member)

    def count():
        client.get(url(evaluation))
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url(evaluation)).status_code == 200
        return len(captured)

    few = count()
    for n in range(20):
        item = ScoreItem.objects.create(template=sheet.template, code=f"9.{n}", text="Dòng", max_points=1, order=900)
        score = ItemScore.objects.create(sheet=sheet, item=item, self_score=1, scored_by=member)
        Evidence.objects.create(evaluation=evaluation, item_score=score, title="Tài liệu", link="/", added_by=member)
    # session, user, roles, evaluation, sheet, lines, scores, evidence
    assert count() == few
    assert few <= 10, few


def test_the_thresholds_are_shown(english, evaluation, member):
    english.force_login(member)
    page = english.get(url(evaluation)).content.decode()
    assert f"Excellent from {django_settings.MOVEMENT_EXCELLENT_FROM}, Good from" in page


# --- in a browser -----------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_member_scores_on_his_phone_and_attaches_evidence(
    phone, live_server, settings, tmp_path, team, leader, deputy, member, chief
):
    settings.MEDIA_ROOT = tmp_path
    ensure_tt124_data()
    evaluation = start_year(year=timezone.localdate().year, actor=leader)
    log_in(phone, live_server.url, member.username)
    phone.goto(f"{live_server.url}{url(evaluation)}")
    expect(phone.locator("[data-testid=lines-missing]")).to_be_visible()
    phone.fill("[data-testid=line-1] input[type=number]", "3")
    phone.fill("[data-testid=line-2] input[type=number]", "2.5")
    phone.fill("[data-testid=line-2] textarea", "Đạt 95% cán bộ tham gia")
    phone.locator("[data-testid=score-form] > button[type=submit]").click()
    expect(phone.locator(".alert-success")).to_be_visible()
    expect(phone.locator("[data-testid=movement-total]")).to_have_text("5,5")  # Vietnamese decimal comma
    expect(phone.locator("[data-testid=provisional]")).to_be_visible()
    assert ItemScore.objects.get(item__code="2", sheet__evaluation=evaluation).self_score == Decimal("2.5")

    # Evidence for line 1, through the form under the line.
    phone.locator("[data-testid=line-1] details summary").click()
    phone.fill("[data-testid=line-1] input[name=title]", "Kế hoạch 12/KH-VP")
    phone.fill("[data-testid=line-1] input[name=link]", "/campaigns/")
    phone.locator("[data-testid=line-1] details button").click()
    expect(phone.locator(".alert-success")).to_be_visible()
    expect(phone.locator("[data-testid=evidence-1] a")).to_have_text("Kế hoạch 12/KH-VP")
    assert Evidence.objects.get().item_score.item.code == "1"
    # A score above the line's maximum is stopped by the browser before it is sent.
    phone.fill("[data-testid=line-3] input[type=number]", "9")
    phone.locator("[data-testid=score-form] > button[type=submit]").click()
    assert phone.locator("[data-testid=line-3] input[type=number]").evaluate("input => !input.validity.valid")
    assert ItemScore.objects.get(item__code="3", sheet__evaluation=evaluation).self_score is None
