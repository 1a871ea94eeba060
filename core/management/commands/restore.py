"""``python manage.py restore path``: replace the database with a backup, then verify the ledgers."""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from core import rls
from core.backup import restore


class Command(BaseCommand):
    help = "Restore a pg_dump backup into the database (replacing its contents), re-grant, and check ledgers."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, path, yes, **options):
        if not yes and input("This replaces every row of the database. Type 'yes' to go on: ").strip() != "yes":
            raise CommandError("restore cancelled")
        restore(path)
        rls.install()
        self.stdout.write(self.style.SUCCESS(f"restored {path}"))
        from django.core.management import get_commands

        if "check_ledgers" in get_commands():
            call_command("check_ledgers")
