"""`manage.py seed_demo`: the demo data of `make run`, safe to run again.

Each app seeds its own part in its `demo.py` (a `seed()` returning one line of summary); they run
in INSTALLED_APPS order, so team/ (the office and its people) comes before the apps that use them.

It creates an administrator whose password is printed in the README, so it refuses to run where DEBUG is off
(production) unless forced with --force-demo-in-production; `make run` sets DEBUG=1. The test settings allow
it (settings.DEMO_DATA_ALLOWED), for the tests and benchmarks that load the demo.
"""

from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import module_has_submodule

from team.demo import DEMO_LOGINS, DEMO_PASSWORD

REFUSED = (
    "seed_demo refused: DEBUG is off, so this looks like a production site, and the demo creates the "
    "administrator 'admin' with the password published in the README. Load the demo on a "
    "development machine (`make run`, or DEBUG=1), or add --force-demo-in-production if this site really is "
    "a demonstration."
)


class Command(BaseCommand):
    help = "Load the demo office, staff, team, duty, incidents, campaigns and evaluations (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force-demo-in-production",
            action="store_true",
            help="Load the demo even with DEBUG off. Its accounts' password is public: never on a real site.",
        )

    @transaction.atomic
    def handle(self, *args, **options):
        if not (settings.DEMO_DATA_ALLOWED or options["force_demo_in_production"]):
            raise CommandError(REFUSED)
        for config in apps.get_app_configs():
            if module_has_submodule(config.module, "demo"):
                summary = import_module(f"{config.name}.demo").seed()
                self.stdout.write(summary)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(f"Every demo account's password: {DEMO_PASSWORD}")
        for username, role in DEMO_LOGINS:
            self.stdout.write(f"  {username:<10} {role}")
        self.stdout.write(f"Links in mails lead to {settings.SITE_URL} (SITE_URL, else from WEB_PORT).")
