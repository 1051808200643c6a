"""Selects say what to choose ("— Chọn loại vụ việc —", "— Tất cả —" in a filter), never Django's "---------"."""

import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.urls import reverse

from core.forms import SelectPromptsMixin
from incidents.forms import IncidentForm, QueueFilter
from tests.support.incidents import report

pytestmark = pytest.mark.django_db

FORM_MODULES = ["incidents.forms", "campaigns.forms", "mfa.forms", "team.forms", "notifications.forms"]
FORM_PACKAGES = ["evaluations.forms"]


def app_form_classes():
    names = list(FORM_MODULES)
    for package in FORM_PACKAGES:
        path = importlib.import_module(package).__path__
        names += [f"{package}.{module.name}" for module in pkgutil.iter_modules(path)]
    for name in names:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError:
            continue
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                yield cls


def has_single_select(form_class) -> bool:
    return any(
        isinstance(field.widget, forms.Select)
        and not isinstance(field.widget, forms.SelectMultiple | forms.NullBooleanSelect)
        for field in form_class.base_fields.values()
    )


def test_every_form_with_a_select_prompts():
    """A new form with a select must take SelectPromptsMixin, or its empty choice reads "---------"."""
    missing = [
        f"{cls.__module__}.{cls.__qualname__}"
        for cls in app_form_classes()
        if has_single_select(cls) and not issubclass(cls, SelectPromptsMixin)
    ]
    assert missing == []


def first_option(html: str, name: str) -> str:
    start = html.index(f'name="{name}"')
    option = html.index("<option", start)
    return html[html.index(">", option) + 1 : html.index("</option>", option)]


def test_the_report_form_asks_to_choose_a_category_and_a_place(client, staff, category):
    client.force_login(staff)
    page = client.get(reverse("incidents:new")).content.decode()
    assert first_option(page, "category") == "— Chọn loại vụ việc —"
    assert first_option(page, "place") == "— Chọn địa điểm —"
    assert "---------" not in page


def test_the_queue_filters_offer_all(client, member, category):
    client.force_login(member)
    page = client.get(reverse("incidents:list")).content.decode()
    for name in ("status", "category", "severity", "assignee", "place"):
        assert first_option(page, name) == "— Tất cả —", name
    assert "---------" not in page


def test_the_prompt_follows_the_language_and_a_later_change_of_choices(english_text, category):
    form = IncidentForm()
    assert '<option value="" selected>— Choose category —</option>' in str(form["category"])
    queue = QueueFilter()
    assert queue.fields["status"].choices[1][0] == "open"  # set in __init__, after the prompts
    assert '<option value="" selected>— All —</option>' in str(queue["status"])


def test_a_chosen_value_stays_chosen(client, staff, member, category):
    incident = report(staff, category)
    client.force_login(member)
    page = client.get(reverse("incidents:list"), {"category": category.pk}).content.decode()
    assert f'<option value="{category.pk}" selected>' in page
    assert incident.reference in page
