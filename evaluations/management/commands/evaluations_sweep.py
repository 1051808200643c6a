from django.core.management.base import BaseCommand

from evaluations.reminders import sweep


class Command(BaseCommand):
    help = "Remind the people responsible for the evaluation's stages 30, 7 and 1 days before each deadline."

    def handle(self, *args, **options):
        self.stdout.write(", ".join(f"{name}: {count}" for name, count in sweep().items()))
