from django.core.management.base import BaseCommand

from campaigns.reminders import sweep


class Command(BaseCommand):
    help = "Advance campaign statuses, invite late joiners, send session reminders, chase and summarise."

    def handle(self, *args, **options):
        self.stdout.write(", ".join(f"{name}: {count}" for name, count in sweep().items()))
