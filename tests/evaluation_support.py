"""Helpers shared by the evaluation tests: the TT 124 criteria (also after a flush) and a year to work on."""

from importlib import import_module

from django.apps import apps

from evaluations.models import CriteriaSet

_data_migration = import_module("evaluations.migrations.0002_tt124_criteria_and_qd510_items")


def ensure_tt124_data() -> None:
    """Transactional tests flush the rows the data migration made; load them again when missing."""
    if not CriteriaSet.objects.filter(code="tt124-2021").exists():
        _data_migration.load(apps, None)
