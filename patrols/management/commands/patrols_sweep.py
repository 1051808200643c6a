from django.core.management.base import BaseCommand

from patrols.sweep import check_ended_rounds


class Command(BaseCommand):
    help = "Check the patrol rounds whose window has ended: record missed checkpoints, once. Safe to run often."

    def handle(self, *args, **options):
        self.stdout.write(f"Checked {check_ended_rounds()} patrol rounds.")
