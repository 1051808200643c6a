from django.core.management.base import BaseCommand

from dashboard.digest import send_weekly_digest


class Command(BaseCommand):
    help = "Send this week's digest to the team leader and the office leadership (once per week; safe to run again)."

    def handle(self, *args, **options):
        self.stdout.write(f"Sent {send_weekly_digest()} weekly digests.")
