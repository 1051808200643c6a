"""Helpers shared by the evaluation tests: the data the migrations load (also after a flush)."""

from importlib import import_module

from django.apps import apps

from evaluations.models import CriteriaSet

_criteria = import_module("evaluations.migrations.0002_tt124_criteria_and_qd510_items")
_categories = import_module("incidents.migrations.0002_default_categories")
_service_levels = import_module("incidents.migrations.0004_default_service_levels")


def ensure_tt124_data() -> None:
    """Transactional tests flush the rows the data migration made; load them again when missing."""
    if not CriteriaSet.objects.filter(code="tt124-2021").exists():
        _criteria.load(apps, None)


def ensure_migrated_data() -> None:
    """Everything the data migrations load (criteria, score lines, incident categories, service levels):
    what `seed_demo` expects to find after another transactional test flushed the database."""
    ensure_tt124_data()
    _categories.add_categories(apps, None)
    _service_levels.add_levels(apps, None)
