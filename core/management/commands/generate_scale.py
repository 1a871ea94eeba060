"""Fill an empty database with a synthetic city, county or tiny region (see ``core/scale.py``)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from core import rls
from core.scale import PREFECTURE, SCALE_PASSWORD, SCALES, ScaleContext, run


class Command(BaseCommand):
    help = "Generate synthetic regions, cooperatives, members, share ledgers and a year of books (bulk COPY)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="tiny")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--digest",
            action="store_true",
            help="Write nothing; print a SHA-256 of every row the run would write (same seed, same digest).",
        )
        parser.add_argument("--no-analyze", action="store_true", help="Skip ANALYZE of the tables each step loads.")

    def handle(self, *args, **options):
        scale = SCALES[options["scale"]]
        started = time.perf_counter()
        if options["digest"]:
            ctx = ScaleContext(scale, options["seed"], digest=True)
            run(ctx)
            self.stdout.write(ctx.digest)
            return

        from core.models import Region

        if Region.objects.filter(code=PREFECTURE[0]).exists():
            raise CommandError(
                f"Scale data already exists in this database ({PREFECTURE[1]} {PREFECTURE[0]}). "
                "generate_scale only fills an empty region: use a fresh database (make bench uses lingban_bench) "
                "or drop and re-create this one."
            )
        self.stdout.write(f"generating {scale.name} (seed {options['seed']}): {scale}")
        ctx = ScaleContext(
            scale, options["seed"], connection=connection, stdout=self.stdout, analyze=not options["no_analyze"]
        )
        with transaction.atomic():
            replica = self._enter_load_mode()
            run(ctx)
        elapsed = time.perf_counter() - started
        for label, n in ctx.counts.items():
            self.stdout.write(f"  {label}: {n:,} rows")
        self.stdout.write(
            self.style.SUCCESS(
                f"{scale.name} generated in {elapsed:.1f} s"
                + ("" if replica else " (triggers fired: not a superuser, history was written)")
            )
        )
        if ctx.data.get("logins"):
            self.stdout.write(f"logins (password {SCALE_PASSWORD}): {', '.join(ctx.data['logins'])}")

    def _enter_load_mode(self) -> bool:
        """Owner role and system scope, said explicitly; triggers off for the load when allowed."""
        with connection.cursor() as cur:
            cur.execute("RESET ROLE")
            cur.execute("SELECT set_config(%s, %s, true)", [rls.SCOPE_SETTING, rls.SYSTEM_SCOPE])
            cur.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            superuser = cur.fetchone()[0]
            if superuser:
                # synthetic rows: no history to keep, and the generator builds in what the guards check
                cur.execute("SET LOCAL session_replication_role = replica")
        return superuser
