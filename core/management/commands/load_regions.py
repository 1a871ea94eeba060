"""Load or update the region tree from a CSV or xlsx file of division codes."""

from django.core.management.base import BaseCommand, CommandError

from core.exceptions import BusinessError
from core.services.regions import read_rows, regions_import


class Command(BaseCommand):
    help = "Load regions from a CSV/xlsx with columns code,name,households[,urban_rural_class] (or 区划代码,名称,户数)."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        try:
            result = regions_import(rows=read_rows(path))
        except BusinessError as exc:  # a bad row, or a refused file (core.spreadsheets)
            raise CommandError(exc.message) from exc
        self.stdout.write(self.style.SUCCESS(f"created {result['created']}, updated {result['updated']}"))
