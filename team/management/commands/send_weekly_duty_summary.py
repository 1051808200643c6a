from django.core.management.base import BaseCommand

from team.notices import send_weekly_duty_summary


class Command(BaseCommand):
    help = "Send this week's duty summary to the team leader (once per week; safe to run again)."

    def handle(self, *args, **options):
        self.stdout.write(f"Sent {send_weekly_duty_summary()} weekly duty summaries.")
