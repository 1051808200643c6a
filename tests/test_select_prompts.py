"""Selects say what to choose ("— Chọn loại vụ việc —", "— Tất cả —" in a filter), never Django's "---------"."""

import importlib
import importlib.util
import inspect
import pkgutil
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.urls import reverse

from core.forms import SelectPromptsMixin
from incidents.forms import IncidentForm, QueueFilter
from tests.support.incidents import report

pytestmark = pytest.mark.django_db


def app_form_modules():
    """Every forms module (or forms package's module) of the project's own apps; admin forms are Django's."""
    for app in apps.get_app_configs():
        if not Path(app.path).is_relative_to(settings.BASE_DIR) or ".venv" in Path(app.path).parts:
            continue
        spec = importlib.util.find_spec(f"{app.name}.forms")
        if spec is None:
            continue
        yield f"{app.name}.forms"
        for module in pkgutil.iter_modules(spec.submodule_search_locations or []):
            yield f"{app.name}.forms.{module.name}"


def app_form_classes():
    for name in app_form_modules():
        module = importlib.import_module(name)
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
    assert len(list(app_form_classes())) > 30  # the discovery finds the app's forms


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
