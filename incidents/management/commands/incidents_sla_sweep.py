from django.core.management.base import BaseCommand

from incidents.sla import sweep


class Command(BaseCommand):
    help = "Send deadline reminders and escalate incidents nobody acknowledged in time (beat runs it every minute)."

    def handle(self, *args, **options):
        self.stdout.write(f"Looked at {sweep()} incidents with a deadline due.")
