from django.core.management.base import BaseCommand

from notifications.delivery import redispatch_due


class Command(BaseCommand):
    help = "Publish again the deliveries still pending after their grace period (beat runs this every minute)."

    def handle(self, *args, **options):
        self.stdout.write(f"Re-dispatched {redispatch_due()} pending deliveries.")
