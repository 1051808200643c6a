"""Vietnamese first, English on request, dates as dd/mm/yyyy, and nothing left untranslated."""

import re
from datetime import date
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import formats, translation

LOCALE = Path(settings.BASE_DIR) / "locale"


def test_the_ui_is_vietnamese_even_for_an_english_browser(client, db):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    page = response.content.decode()
    assert '<html lang="vi">' in page
    assert "Đăng nhập" in page
    assert response["Content-Language"] == "vi"


def test_the_language_switcher_turns_english_on_and_off(client, staff):
    client.force_login(staff)
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("team:team")})
    assert response.status_code == 302
    page = client.get(reverse("team:team")).content.decode()
    assert '<html lang="en">' in page and "Log out" in page
    client.post(reverse("set_language"), {"language": "vi", "next": "/"})
    assert "Đăng xuất" in client.get(reverse("home")).content.decode()


def test_the_switcher_works_on_the_login_page_before_login(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert "Log in to TựQuản" in client.get(reverse("login")).content.decode()


def test_dates_are_dd_mm_yyyy_in_both_languages():
    for language in ("vi", "en"):
        with translation.override(language):
            assert formats.date_format(date(2023, 7, 15), "DATE_FORMAT") == "15/07/2023"
            assert formats.get_format("DATE_INPUT_FORMATS")[0] == "%d/%m/%Y"


def test_time_zone_and_language_defaults():
    assert settings.LANGUAGE_CODE == "vi"
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert settings.USE_TZ is True


def test_every_message_has_a_vietnamese_translation():
    po = (LOCALE / "vi" / "LC_MESSAGES" / "django.po").read_text()
    entries = po.split("\n\n")[1:]  # skip the header
    untranslated = []
    for entry in entries:
        if entry.lstrip().startswith("#~"):
            continue  # obsolete
        if "#, fuzzy" in entry:
            untranslated.append(entry)
        msgstrs = re.findall(r'msgstr(?:\[\d\])? ((?:".*"\n?)+)', entry + "\n")
        if not msgstrs or any(re.sub(r'"\s*"', "", m).strip() in ('""', "") for m in msgstrs):
            untranslated.append(entry)
    assert untranslated == []


def test_the_compiled_catalogue_is_committed_and_current():
    po = LOCALE / "vi" / "LC_MESSAGES" / "django.po"
    mo = LOCALE / "vi" / "LC_MESSAGES" / "django.mo"
    assert mo.exists(), "run `make messages` and commit the .mo file"
    assert mo.stat().st_size > 1000
    with translation.override("vi"):
        assert translation.gettext("Team leader") == "Tổ trưởng"
    assert po.exists()


def test_every_screen_calls_the_reader_dong_chi():
    """The office's form of address (README, "How notifications address people") holds on screens too."""
    po = (LOCALE / "vi" / "LC_MESSAGES" / "django.po").read_text()
    translations = re.findall(r'^msgstr(?:\[\d\])? "(.*)"$|^"(.*)"$', po, re.MULTILINE)
    said = [text for pair in translations for text in pair if re.search(r"\bbạn\b", text, re.IGNORECASE)]
    assert said == []
