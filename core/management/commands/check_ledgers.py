"""Recompute what the ledgers imply and report any drift (exit status 1 on drift).

The checks come from the apps (``core.ledger_checks``): cached share holdings against the share
ledger; posted vouchers balanced, numbered without gaps, trial balances, closed months, carried
opening balances.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from core.ledger_checks import run_all


class Command(BaseCommand):
    help = "Check every ledger (share holdings, vouchers, trial balances, carry-forward); report any drift."

    def add_arguments(self, parser):
        parser.add_argument("--cooperative", type=int, help="Check one cooperative (id) only.")

    def handle(self, *args, **options):
        results = run_all(options.get("cooperative"))
        drifted = 0
        for name, result in results.items():
            if result.drift:
                drifted += len(result.drift)
                self.stderr.write(f"[{name}] {len(result.drift)} problem(s):")
                for line in result.drift:
                    self.stderr.write(f"  {line}")
            else:
                self.stdout.write(self.style.SUCCESS(f"[{name}] {result.summary}"))
        if drifted:
            failing = ", ".join(name for name, r in results.items() if r.drift)
            raise CommandError(f"{drifted} problem(s) found by: {failing}.", returncode=1)
