"""Build (or bring up to date) the demo county and print its logins."""

from django.core.management.base import BaseCommand

from core import demo


class Command(BaseCommand):
    help = "Create the demo county, its villages and one login per role (idempotent)."

    def handle(self, *args, **options):
        ctx = demo.run(stdout=self.stdout)
        if ctx.changes:
            self.stdout.write(f"{len(ctx.changes)} change(s) made.")
        else:
            self.stdout.write("Demo data already up to date; nothing changed.")
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password: {demo.DEMO_PASSWORD}):"))
        for username, full_name, role, region_code in demo.DEMO_USERS:
            region = ctx.regions.get(region_code)
            self.stdout.write(
                f"  {username:<18} {full_name:<6} {role.label} · {region.name if region else region_code}"
            )
