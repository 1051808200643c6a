"""`manage.py seed_demo`: the demo data of `make run`, safe to run again.

Each app seeds its own part in its `demo.py` (a `seed()` returning one line of summary); they run
in INSTALLED_APPS order, so team/ (the office and its people) comes before the apps that use them.
"""

from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import module_has_submodule

from team.demo import DEMO_LOGINS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "Load the demo office, staff, team, duty, incidents, campaigns and evaluations (safe to run again)."

    @transaction.atomic
    def handle(self, *args, **options):
        for config in apps.get_app_configs():
            if module_has_submodule(config.module, "demo"):
                summary = import_module(f"{config.name}.demo").seed()
                self.stdout.write(summary)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(f"Every demo account's password: {DEMO_PASSWORD}")
        for username, role in DEMO_LOGINS:
            self.stdout.write(f"  {username:<10} {role}")
