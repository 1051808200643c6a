"""pytest plugin for mutation_testing/tables.py: applies the table mutant named in $TABLE_MUTANT."""

import os


def pytest_sessionstart(session):
    name = os.environ.get("TABLE_MUTANT")
    if name:
        from mutation_testing import tables

        tables.apply(name)
