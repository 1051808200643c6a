from django.core.management.base import BaseCommand

from audit import retention


class Command(BaseCommand):
    help = "Delete audit entries older than AUDIT_RETENTION_DAYS (the purge itself leaves an entry)."

    def handle(self, *args, **options):
        self.stdout.write(f"Purged {retention.purge()} audit entries.")
