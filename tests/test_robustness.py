"""Fuzzing every page that takes a year or a date with extreme values: a 404 or a message, never a 500."""

from datetime import date

import pytest
from django import forms
from django.contrib import admin
from django.contrib.admin.filters import DateFieldListFilter
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from campaigns import forms as campaign_forms
from campaigns.models import Campaign
from campaigns.services import COPY_OUT_OF_RANGE
from core.admin import DATE_FILTER_IGNORED
from core.dates import DATE_OUT_OF_RANGE, RANGE, YEAR_OUT_OF_RANGE
from evaluations.forms import commendations as commendation_forms
from evaluations.forms import cycle as cycle_forms
from evaluations.forms import documents as document_forms
from evaluations.forms import movement as movement_forms
from evaluations.forms import records as record_forms
from evaluations.models import DisciplineRecord, UnitRating
from incidents import forms as incident_forms
from team.models import DutyShift
from tests.conftest import log_in

EXTREME_YEARS = ["0", "1", "1999", "2101", "9999", "10000", str(2**31), "9" * 30]
EXTREME_DATES = [
    "0001-01-01",
    "1999-12-31",
    "2101-01-01",
    "9999-12-31",
    "10000-01-01",
    "0000-00-00",
    "2026-02-30",
    "01/01/0001",
    "31/12/9999",
    "-1-01-01",
    "99999999-01-01",
]
EXTREME_MOMENTS = [*EXTREME_DATES, "0001-01-01T00:00", "9999-12-31T23:59", "9999-12-31 23:59:59"]

# Every URL with a year in its path, with the rest of its arguments. A new one must be added here.
YEAR_URLS = {
    "campaigns:year_coverage": "/campaigns/coverage/{year}/",
    "campaigns:year_export": "/campaigns/coverage/{year}/export/xlsx/",
    "evaluations:detail": "/evaluations/{year}/",
    "evaluations:settings": "/evaluations/{year}/settings/",
    "evaluations:history": "/evaluations/{year}/history/",
    "evaluations:stage": "/evaluations/{year}/stages/registration/",
    "evaluations:meeting": "/evaluations/{year}/meeting/",
    "evaluations:sign_off": "/evaluations/{year}/sign-off/send/",
    "evaluations:outcome": "/evaluations/{year}/outcome/decision/",
    "evaluations:assessment": "/evaluations/{year}/criteria/1/",
    "evaluations:review": "/evaluations/{year}/criteria/1/review/",
    "evaluations:evidence_add": "/evaluations/{year}/evidence/add/",
    "evaluations:movement": "/evaluations/{year}/movement/",
    "evaluations:ratings": "/evaluations/{year}/ratings/",
    "evaluations:document": "/evaluations/{year}/documents/report/",
    "evaluations:preview": "/evaluations/{year}/documents/report/preview/",
    "evaluations:issue": "/evaluations/{year}/documents/report/issue/",
    "evaluations:dossier": "/evaluations/{year}/dossier/",
}

# Pages whose query string takes a year or a date: (URL name, parameter, values).
QUERY_PARAMETERS = [
    ("incidents:list", "since", EXTREME_DATES),
    ("incidents:list", "until", EXTREME_DATES),
    ("incidents:list", "after", [f"{moment}|1" for moment in EXTREME_MOMENTS] + ["2026-01-01T00:00:00|" + "9" * 30]),
    ("dashboard:dashboard", "since", EXTREME_DATES),
    ("dashboard:dashboard", "until", EXTREME_DATES),
    ("evaluations:discipline", "year", EXTREME_YEARS),
    ("evaluations:commendations", "year", EXTREME_YEARS),
]
EXPORTS = [
    ("incidents:export", {"kind": "csv"}, "since"),
    ("evaluations:commendations_export", {"kind": "csv"}, "year"),
]


def _patterns(resolver: URLResolver, namespace: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, f"{namespace}{entry.namespace}:" if entry.namespace else namespace)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}", entry


def test_every_url_with_a_year_is_fuzzed():
    with_year = {name for name, entry in _patterns(get_resolver()) if "year" in str(entry.pattern)}
    assert with_year == set(YEAR_URLS)


@pytest.fixture
def people(team, leader, admin_user, chief):
    return {"leader": leader, "chief": chief, "admin_user": admin_user}


@pytest.mark.parametrize("persona", ["leader", "chief", "admin_user"])
@pytest.mark.parametrize("name", sorted(YEAR_URLS))
def test_a_page_of_an_impossible_year_is_not_found(client, people, persona, name):
    client.force_login(people[persona])
    for year in EXTREME_YEARS:
        url = YEAR_URLS[name].format(year=year)
        for method in (client.get, client.post):
            response = method(url)
            # 404 for a year outside 2000-2100 (or 403/405 for who may not or how); never a server error.
            assert response.status_code in (302, 403, 404, 405), (url, response.status_code)


def test_the_coverage_of_a_year_in_range_still_shows(client, people):
    client.force_login(people["leader"])
    assert client.get(reverse("campaigns:year_coverage", args=[2026])).status_code == 200
    for year in ("0", "1999", "2101", "10000"):
        assert client.get(f"/campaigns/coverage/{year}/").status_code == 404


@pytest.mark.parametrize("persona", ["leader", "admin_user"])
@pytest.mark.parametrize(("name", "parameter", "values"), QUERY_PARAMETERS)
def test_extreme_dates_in_a_query_string_are_ignored_or_refused(client, people, persona, name, parameter, values):
    client.force_login(people[persona])
    for value in values:
        response = client.get(reverse(name), {parameter: value})
        assert response.status_code == 200, (name, parameter, value)


@pytest.mark.parametrize(("name", "kwargs", "parameter"), EXPORTS)
def test_exports_with_extreme_dates_answer(client, people, name, kwargs, parameter):
    client.force_login(people["leader"])
    for value in EXTREME_DATES + EXTREME_YEARS:
        response = client.get(reverse(name, kwargs=kwargs), {parameter: value})
        assert response.status_code in (200, 403), (name, value)


# --- Django admin ------------------------------------------------------------------------------


def ignored() -> str:
    """The message of a dropped date filter, in the language of the page (Vietnamese)."""
    with translation.override("vi"):
        return str(DATE_FILTER_IGNORED) % RANGE


def _date_fields(model_admin) -> list[str]:
    fields = [model_admin.date_hierarchy] if model_admin.date_hierarchy else []
    for entry in model_admin.list_filter:
        name = entry[0] if isinstance(entry, tuple | list) else entry
        if isinstance(name, str):
            field = model_admin.model._meta.get_field(name.split("__")[0])
            if field.get_internal_type() in ("DateField", "DateTimeField"):
                fields.append(name)
        elif isinstance(entry, tuple | list) and issubclass(entry[1], DateFieldListFilter):
            fields.append(entry[0])
    return sorted(set(fields))


ADMIN_DATES = sorted(
    (f"{model._meta.app_label}.{model._meta.model_name}", field)
    for model, model_admin in admin.site._registry.items()
    for field in _date_fields(model_admin)
)


def _admin_queries(field: str):
    for year in EXTREME_YEARS:
        yield {f"{field}__year": year}
    for year, month, day in [("9999", "12", "31"), ("9999", "12", None), ("1", "1", "1"), ("2026", "13", None)]:
        yield {f"{field}__year": year, f"{field}__month": month} | ({f"{field}__day": day} if day else {})
    for value in ("0001-01-01", "9999-12-31T23:59", "2026-02-30"):
        yield {f"{field}__gte": value}
        yield {f"{field}__lt": value}


def test_admin_pages_with_dates_are_fuzzed():
    # The date hierarchies and date filters of the team, incidents, campaigns, notifications and evaluations.
    names = {name for name, _field in ADMIN_DATES}
    assert {
        "team.dutyshift",
        "incidents.incident",
        "campaigns.campaign",
        "notifications.notification",
        "evaluations.disciplinerecord",
    } <= names


@pytest.mark.parametrize(("model", "field"), ADMIN_DATES)
def test_admin_lists_ignore_impossible_dates_with_a_message(client, admin_user, model, field):
    client.force_login(admin_user)
    url = reverse(f"admin:{model.replace('.', '_')}_changelist")
    for query in _admin_queries(field):
        response = client.get(url, query)
        assert response.status_code == 200, (url, query, response.status_code)
        # The list shows unfiltered, and says why.
        assert ignored() in response.content.decode(), (url, query)


def test_the_discipline_admin_filter_by_evaluation_year_answers(client, admin_user, staff):
    # The filter shows (and filters) once there is a record.
    DisciplineRecord.objects.create(person=staff, form=1, decided_on=date(2026, 3, 2), recorded_by=admin_user)
    client.force_login(admin_user)
    url = reverse("admin:evaluations_disciplinerecord_changelist")
    for year in EXTREME_YEARS:
        assert client.get(url, {"evaluation_year": year}).status_code == 200, year


def test_an_admin_date_filter_in_range_still_filters(client, admin_user, team, member):
    client.force_login(admin_user)
    url = reverse("admin:campaigns_campaign_changelist")
    Campaign.objects.create(
        title="Năm nay", theme="law", organiser=member, starts_on=date(2026, 3, 2), ends_on=date(2026, 3, 9)
    )
    Campaign.objects.create(
        title="Năm trước", theme="law", organiser=member, starts_on=date(2025, 3, 2), ends_on=date(2025, 3, 9)
    )
    page = client.get(url, {"starts_on__year": "2026"}).content.decode()
    assert "Năm nay" in page and "Năm trước" not in page and ignored() not in page
    page = client.get(url, {"starts_on__year": "99999"}).content.decode()
    assert "Năm nay" in page and "Năm trước" in page and ignored() in page


# --- Forms: every date a person types ----------------------------------------------------------

FORM_MODULES = [
    campaign_forms,
    incident_forms,
    cycle_forms,
    record_forms,
    commendation_forms,
    document_forms,
    movement_forms,
]
# Every form with a date or a date-time, and the keyword arguments it needs.
FORMS_WITH_DATES = {
    campaign_forms.CampaignForm: {},
    campaign_forms.SessionForm: {},
    incident_forms.IncidentForm: {},
    incident_forms.ExternalReportForm: {},
    incident_forms.QueueFilter: {},
    cycle_forms.SettingsForm: {},
    cycle_forms.StageForm: {},
    cycle_forms.MeetingForm: {},
    cycle_forms.EvidenceForm: {},
    cycle_forms.DossierForm: {},
    cycle_forms.DecisionForm: {},
    record_forms.UnitRatingForm: {},
    record_forms.DisciplineForm: {},
    commendation_forms.DecisionForm: {},
}
DATE_FIELDS = (forms.DateField, forms.DateTimeField)


def _has_dates(form_class) -> bool:
    return any(isinstance(field, DATE_FIELDS) for field in form_class.base_fields.values())


def test_every_form_with_a_date_is_checked():
    found = {
        value
        for module in FORM_MODULES
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, forms.BaseForm)
        and value.__module__ == module.__name__
        and _has_dates(value)
    }
    assert found == set(FORMS_WITH_DATES)


def out_of_range() -> str:
    with translation.override("vi"):
        return str(DATE_OUT_OF_RANGE) % RANGE


@pytest.mark.parametrize("form_class", list(FORMS_WITH_DATES), ids=lambda form_class: form_class.__qualname__)
def test_every_date_field_refuses_a_date_outside_2000_to_2100(db, form_class):
    kwargs = FORMS_WITH_DATES[form_class]
    names = [name for name, field in form_class.base_fields.items() if isinstance(field, DATE_FIELDS)]
    with translation.override("vi"):
        for typed in ("0001-01-01", "1999-12-31", "2101-01-01", "9999-12-31"):
            data = {
                name: typed + ("T08:00" if isinstance(form_class.base_fields[name], forms.DateTimeField) else "")
                for name in names
            }
            form = form_class(data, **kwargs)
            assert not form.is_valid()
            for name in names:
                assert out_of_range() in form.errors.get(name, []), (form_class, name, typed, form.errors)
        # The browser's picker offers the same range.
        form = form_class(**kwargs)
        for name in names:
            attrs = form.fields[name].widget.attrs
            assert attrs["min"].startswith("2000-01-01"), (name, attrs)
            assert attrs["max"] <= "2100-12-31T23:59", (name, attrs)


def test_a_date_in_range_is_still_accepted(db):
    form = incident_forms.QueueFilter({"since": "2026-01-01", "until": "2100-12-31"})
    assert form.is_valid(), form.errors


# --- Pages that take a date: a message, never a server error --------------------------------------


def test_a_campaign_dated_0001_to_9999_is_refused_with_a_message(client, team, leader):
    client.force_login(leader)
    response = client.post(
        reverse("campaigns:new"),
        {
            "title": "Gõ nhầm năm",
            "theme": "law",
            "starts_on": "0001-01-01",
            "ends_on": "9999-12-31",
            "organiser": leader.pk,
            "audience": "all",
        },
    )
    assert response.status_code == 200
    assert response.content.decode().count(out_of_range()) == 2
    assert not Campaign.objects.exists()


def test_copying_a_campaign_out_of_range_says_why(client, team, leader):
    # Saved before the dates were bounded (or through the shell): copying it must not break either.
    legacy = Campaign.objects.create(
        title="Cũ", theme="law", organiser=leader, starts_on=date(1, 1, 1), ends_on=date(9999, 12, 31)
    )
    spanning = Campaign.objects.create(
        title="Qua năm", theme="law", organiser=leader, starts_on=date(2026, 12, 20), ends_on=date(2027, 1, 10)
    )
    client.force_login(leader)
    for campaign, year in ((legacy, 2027), (spanning, 2100)):
        response = client.post(reverse("campaigns:action", args=[campaign.pk, "copy"]), {"year": year}, follow=True)
        assert response.status_code == 200
        with translation.override("vi"):
            assert str(COPY_OUT_OF_RANGE) % RANGE in response.content.decode()
    assert Campaign.objects.count() == 2
    for year in ("0", "99999"):  # the year itself is bounded by the form
        response = client.post(reverse("campaigns:action", args=[spanning.pk, "copy"]), {"year": year}, follow=True)
        assert response.status_code == 200 and Campaign.objects.count() == 2
        assert "Vui lòng nhập năm cần sao chép sang." in response.content.decode()


def test_a_duty_shift_past_midnight_on_31_12_9999_is_refused_in_admin(client, team, leader, admin_user):
    client.force_login(admin_user)
    for inline in (False, True):
        data = {"team": team.pk, "date": "31/12/9999", "start_time": "17:00", "end_time": "07:00", "member": leader.pk}
        if inline:  # the coming week's shifts on the team's page in admin
            url = reverse("admin:team_team_change", args=[team.pk])
            response = client.get(url)
            data = _inline_form_data(response, "duty_shifts", data)
        else:
            url = reverse("admin:team_dutyshift_add")
        response = client.post(url, data)
        assert response.status_code == 200, response.status_code
        assert out_of_range() in response.content.decode()
    assert not DutyShift.objects.exists()


def _inline_form_data(response, prefix: str, row: dict) -> dict:
    """The team's change form as the page sent it, with one new row in the `prefix` inline."""
    admin_form = response.context["adminform"].form
    data = {name: admin_form[name].value() for name in admin_form.fields}
    data = {name: ("" if value is None else value) for name, value in data.items() if not isinstance(value, list)}
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[f"{formset.formset.prefix}-{name}"] = management[name].value()
        for index, form in enumerate(formset.formset.initial_forms):
            for name in form.fields:
                value = form[name].value()
                data[f"{formset.formset.prefix}-{index}-{name}"] = "" if value is None else value
    data[f"{prefix}-TOTAL_FORMS"] = int(data[f"{prefix}-TOTAL_FORMS"]) + 1
    index = int(data[f"{prefix}-INITIAL_FORMS"])
    for name, value in row.items():
        if name != "team":
            data[f"{prefix}-{index}-{name}"] = value
    return data


def test_a_unit_rating_of_year_0_is_refused_in_admin(client, team, admin_user):
    client.force_login(admin_user)
    for year in ("0", "1999", "2101", "32767"):
        response = client.post(
            reverse("admin:evaluations_unitrating_add"), {"year": year, "team": team.pk, "rating": "good"}
        )
        assert response.status_code == 200
        with translation.override("vi"):
            assert str(YEAR_OUT_OF_RANGE) % RANGE in response.content.decode()
    assert not UnitRating.objects.exists()


# --- Permissions-Policy ---------------------------------------------------------------------------

OFF = ("camera", "microphone", "geolocation", "payment", "usb")


def test_every_response_turns_off_the_features_no_page_uses(client, team, leader, tmp_path, settings):
    anonymous = [client.get(reverse("login")), client.get("/no-such-page/"), client.get(reverse("home"))]
    static = client.get("/static/vendor/bootstrap/css/bootstrap.min.css")
    client.force_login(leader)
    logged_in = [client.get(reverse("campaigns:check_in")), client.get("/campaigns/coverage/0/")]
    logged_in.append(client.post(reverse("campaigns:check_in"), {"code": "000000"}))
    for response in [*anonymous, static, *logged_in]:
        policy = response.headers.get("Permissions-Policy", "")
        assert all(f"{feature}=()" in policy for feature in OFF), (response.status_code, policy)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_phone_check_in_page_may_not_use_the_camera_or_the_location(phone, live_server, staff):
    errors = []
    phone.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    log_in(phone, live_server.url, staff.username)
    phone.goto(f"{live_server.url}{reverse('campaigns:check_in')}")
    for feature in OFF:
        assert phone.evaluate(f"document.featurePolicy.allowsFeature('{feature}')") is False, feature
    assert phone.evaluate("document.featurePolicy.allowsFeature('fullscreen')") is True  # PDFs open full screen
    # Chromium names a feature it does not know in the console: every one in the header is known.
    assert [e for e in errors if "Permissions-Policy" in e or "Feature Policy" in e] == []
