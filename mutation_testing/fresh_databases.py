"""Remove the slot test databases of an earlier mutation run: a reused database keeps its old schema.

TEST_DATABASE_SLOTS=var/mutation python mutation_testing/fresh_databases.py
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")
    import django

    django.setup()
    from django.db import connection

    from tests.conftest import MAX_TEST_DATABASE_SLOTS, slot_database_name

    slots = os.environ["TEST_DATABASE_SLOTS"]
    for leftover in Path(slots).parent.glob(Path(slots).name + "-*"):
        leftover.unlink()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for slot in range(MAX_TEST_DATABASE_SLOTS):
                cursor.execute(f'DROP DATABASE IF EXISTS "{slot_database_name(slots, slot)}"')


if __name__ == "__main__":
    main()
