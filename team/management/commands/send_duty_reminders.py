from django.core.management.base import BaseCommand

from team.notices import send_duty_reminders


class Command(BaseCommand):
    help = "Send the duty reminders that are due (a day and an hour before each shift). Safe to run often."

    def handle(self, *args, **options):
        self.stdout.write(f"Sent {send_duty_reminders()} duty reminders.")
