"""``python manage.py backup [path]``: a compressed pg_dump of the database."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from core.backup import backup


class Command(BaseCommand):
    help = "Dump the database with pg_dump (custom format) to the given path or var/backups/."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?")

    def handle(self, *args, path=None, **options):
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        target = Path(path) if path else Path(settings.BASE_DIR) / "var" / "backups" / f"lingban-{stamp}.dump"
        backup(target)
        self.stdout.write(self.style.SUCCESS(f"backup written to {target} ({target.stat().st_size:,} bytes)"))
