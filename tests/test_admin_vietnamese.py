"""The administration pages speak Vietnamese throughout, with dates as dd/mm/yyyy: Django's own strings the
Vietnamese catalogue lacks, django-simple-history's history pages and django-axes' login records."""

import re
from datetime import date

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.urls import reverse

from team import services
from team.models import Decision, Membership

# Seen in English on these pages before (27/11/2026), plus the other strings of the same templates.
ENGLISH = [
    "Please correct the error",
    "Please correct the errors",
    "Skip to main content",
    "Toggle theme",
    "Model name",
    "Add link",
    "Change or view list link",
    "Show counts",
    "Error:",
    "Choose a date from the list below",
    "Object",
    "Date/time",
    "Comment",
    "Changed by",
    "Change reason",
    "Changes",
    "Changed",
    "Created",
    "None",
    "entries",
    "Revert",
    "Press the",
    "Historical",
    "Axes",
    "Access attempts",
    "Access logs",
    "Access failures",
    "Attempt Time",
    "IP Address",
    "User Agent",
    "Failed Logins",
    "Attempted Access",
    "Access Log for",
    "Failed access",
    "Attempt Remaining",
    "Status",
    "Form Data",
    "Meta Data",
    "Logout Time",
    "Welcome",
    "Bản ghi nhớ",  # Django's Vietnamese for "History", which means a memorandum
]
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
DD_MM_YYYY = re.compile(r"\b\d{2}/\d{2}/\d{4}\b")


def visible_text(response) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def english_in(text: str) -> list[str]:
    return [phrase for phrase in ENGLISH if re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text)]


@pytest.fixture
def login_records(db):
    row = {"username": "nam.dv", "ip_address": "10.0.0.7", "user_agent": "Firefox", "http_accept": "", "path_info": "/"}
    attempt = AccessAttempt.objects.create(**row, failures_since_start=3, get_data="", post_data="")
    log = AccessLog.objects.create(**row)
    failure = AccessFailureLog.objects.create(**row)
    return attempt, log, failure


@pytest.fixture
def changed_membership(client, admin_user, team, member):
    """A membership ended in admin, so its history has a creation and a change with dates."""
    membership = Membership.objects.get(user=member)
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:team_membership_change", args=[membership.pk]),
        {"team": team.pk, "user": member.pk, "role": "member", "start_date": "15/07/2023", "end_date": "31/12/2025"},
    )
    assert response.status_code == 302
    return membership


def admin_pages(membership, login_records, admin_user):
    attempt, log, failure = login_records
    return [
        reverse("admin:index"),
        reverse("admin:team_user_changelist"),
        reverse("admin:team_membership_changelist"),
        reverse("admin:team_membership_change", args=[membership.pk]),
        reverse("admin:team_membership_history", args=[membership.pk]),
        reverse("admin:team_membership_simple_history", args=[membership.pk, membership.history.earliest().pk]),
        reverse("admin:team_user_history", args=[admin_user.pk]),
        reverse("admin:app_list", args=["axes"]),
        reverse("admin:axes_accessattempt_changelist"),
        reverse("admin:axes_accessattempt_change", args=[attempt.pk]),
        reverse("admin:axes_accesslog_changelist"),
        reverse("admin:axes_accesslog_change", args=[log.pk]),
        reverse("admin:axes_accessfailurelog_changelist"),
        reverse("admin:axes_accessfailurelog_change", args=[failure.pk]),
    ]


def test_the_main_admin_pages_have_no_english_and_no_iso_dates(client, admin_user, changed_membership, login_records):
    for url in admin_pages(changed_membership, login_records, admin_user):
        response = client.get(url)
        assert response.status_code == 200, url
        text = visible_text(response)
        assert english_in(text) == [], url
        assert ISO_DATE.findall(text) == [], url


def test_a_change_form_with_an_error_says_so_in_vietnamese(client, admin_user, team):
    client.force_login(admin_user)
    response = client.post(reverse("admin:team_decision_add"), {"number": "", "signed_on": "31/02/2026"})
    text = visible_text(response)
    assert "Vui lòng sửa các lỗi dưới đây." in text
    assert english_in(text) == []
    assert "Thêm vào" not in text  # Django's "add to the decision" for "Add decision"


def test_the_history_shows_who_changed_what_with_dates_as_people_write_them(
    client, admin_user, changed_membership, login_records
):
    text = visible_text(client.get(reverse("admin:team_membership_history", args=[changed_membership.pk])))
    assert "Chọn một thời điểm trong danh sách" in text
    assert "Người thực hiện" in text and "Nội dung thay đổi" in text
    assert "Sửa đổi" in text and "Tạo mới" in text
    assert "Đến ngày: — → 31/12/2025" in text.replace("&nbsp;", " ").replace("&rarr;", "→").replace("  ", " ")
    assert DD_MM_YYYY.search(text)


def test_the_history_link_reads_lich_su(client, admin_user, changed_membership):
    text = visible_text(client.get(reverse("admin:team_membership_change", args=[changed_membership.pk])))
    assert "Lịch sử" in text


def test_the_greeting_uses_the_whole_name(client, admin_user):
    client.force_login(admin_user)
    text = visible_text(client.get(reverse("admin:index")))
    assert "Xin chào, Quản trị hệ thống" in text
    assert "thống ." not in text.replace("hệ thống .", "")


def test_login_records_read_in_vietnamese_with_local_dates(client, admin_user, login_records):
    attempt, _log, _failure = login_records
    client.force_login(admin_user)
    text = visible_text(client.get(reverse("admin:axes_accessattempt_change", args=[attempt.pk])))
    assert "Đăng nhập sai của nam.dv từ 10.0.0.7, lần cuối lúc" in text
    assert DD_MM_YYYY.search(text)


def test_the_history_names_related_rows_and_shows_an_empty_one_as_a_dash(client, admin_user, team, member):
    decision = Decision.objects.create(
        number="45/QĐ-VP", signed_on=date(2026, 12, 1), signer_name="Nguyễn Quốc Hùng", summary="Thôi nhiệm vụ"
    )
    membership = Membership.objects.get(user=member)
    services.end_membership(membership=membership, end_date=date(2026, 12, 2), decision=decision)
    client.force_login(admin_user)
    response = client.get(reverse("admin:team_membership_history", args=[membership.pk]))
    assert response.status_code == 200
    text = visible_text(response).replace("&nbsp;", " ").replace("&rarr;", "→")
    assert re.search(r"Quyết định thôi làm nhiệm vụ: — +→ +Quyết định số 45/QĐ-VP ngày 01/12/2026", text)
    assert re.search(r"Đến ngày: — +→ +02/12/2026", text)


def test_the_eighth_member_refusal_is_headed_in_vietnamese(client, admin_user, full_team, make_user):
    extra = make_user("Tống Trung Kiên")
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:team_membership_add"),
        {"team": full_team.pk, "user": extra.pk, "role": "member", "start_date": "01/09/2026"},
    )
    text = visible_text(response)
    assert "Vui lòng sửa các lỗi dưới đây." in text
    assert "Tổ đã có 7 thành viên" in text
    assert english_in(text) == []


def test_the_admin_javascript_speaks_vietnamese_too(client, admin_user):
    # The two-list pickers (groups, permissions) and the calendar build their text in the browser.
    client.force_login(admin_user)
    catalogue = client.get(reverse("admin:jsi18n")).content.decode()
    assert "Ch\\u1ecdn t\\u1ea5t c\\u1ea3 %s" in catalogue or "Chọn tất cả %s" in catalogue
    assert "Ch\\u1ee7 nh\\u1eadt" in catalogue or "Chủ nhật" in catalogue


def test_the_admin_close_button_is_not_the_incident_action(db):
    """Django admin's read-only pages have a "Close" button; the incident's "Đóng vụ việc" must not take its place."""
    from django.utils import translation

    word = "Close"  # a variable, not a literal: makemessages must not take the test's string into the catalog
    with translation.override("vi"):
        assert translation.gettext(word) == "Đóng"
        assert translation.pgettext("incident action", word) == "Đóng vụ việc"
