import json

from django.core.management.base import BaseCommand

from notifications.delivery import queue_state


class Command(BaseCommand):
    help = "Print the state of the notification queue: pending, failed, sent, age of the oldest pending."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="machine-readable output")

    def handle(self, *args, **options):
        state = queue_state()
        if options["json"]:
            self.stdout.write(json.dumps(state))
            return
        age = state["oldest_pending_age_seconds"]
        self.stdout.write(f"pending: {state['pending']}")
        self.stdout.write(f"failed:  {state['failed']}")
        self.stdout.write(f"sent:    {state['sent']}")
        self.stdout.write(f"oldest pending: {'-' if age is None else f'{age} s'}")
