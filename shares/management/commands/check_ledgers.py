"""Recompute every cached holding from the share ledger and report drift (exit status 1 on drift)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Sum

from core.money import ZERO
from shares.models import Holding, ShareEntry


class Command(BaseCommand):
    help = "Recompute holdings from the append-only share ledger; report any cached holding that drifted."

    def add_arguments(self, parser):
        parser.add_argument("--cooperative", type=int, help="Check one cooperative (id) only.")

    def handle(self, *args, **options):
        # unscoped: a system check over every tenant's ledger
        entries = ShareEntry.objects.all()
        holdings = Holding.objects.all()
        if options.get("cooperative"):
            entries = entries.filter(cooperative_id=options["cooperative"])
            holdings = holdings.filter(cooperative_id=options["cooperative"])
        expected: dict[tuple[int, str], Decimal] = defaultdict(lambda: ZERO)
        for row in entries.values("member_id", "share_class").annotate(total=Sum("amount")).order_by():
            expected[(row["member_id"], row["share_class"])] = row["total"]
        cached = {
            (h["member_id"], h["share_class"]): (h["pk"], h["cooperative_id"], h["amount"])
            for h in holdings.values("pk", "member_id", "share_class", "cooperative_id", "amount")
        }
        drift = []
        for key in sorted(set(expected) | set(cached)):
            want = expected.get(key, ZERO)
            pk, coop_id, have = cached.get(key, (None, None, None))
            if have is None:
                if want != 0:
                    drift.append(f"member {key[0]} {key[1]}: ledger {want}, no cached holding")
            elif have != want:
                drift.append(
                    f"holding {pk} (cooperative {coop_id}, member {key[0]} {key[1]}): cached {have}, ledger {want}"
                )
        checked = len(set(expected) | set(cached))
        if drift:
            for line in drift:
                self.stderr.write(line)
            raise CommandError(f"{len(drift)} of {checked} holdings drifted from the share ledger.", returncode=1)
        self.stdout.write(self.style.SUCCESS(f"{checked} holdings match the share ledger."))
