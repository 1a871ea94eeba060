"""Finance objects for the isolation matrix (tests/test_isolation_matrix.py), all in 东安村.

One cooperative with open books is made per test (kept on the ``world`` namespace) and every
finance object hangs off it, with the matrix's marker text where a page would show it.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import fresh
from tests.factories import CooperativeFactory
from tests.finance.factories import MemberFactory, lines

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _books(world, marker: str):
    coop = getattr(world, "finance_coop", None)
    if coop is None:
        from finance.services.books import books_open

        coop = CooperativeFactory(name=f"{marker}账套合作社", village=world.v11)
        books_open(actor=fresh(world.acc_v11), cooperative=coop, year=2026)
        world.finance_coop = coop
    return coop


def make_factories(marker: str) -> dict:
    def books(world):
        from finance.models import CooperativeBooks

        return CooperativeBooks.objects.get(cooperative=_books(world, marker))

    def member(world):
        m = getattr(world, "finance_member", None)
        if m is None:
            m = MemberFactory(cooperative=_books(world, marker), name=f"{marker}社员")
            world.finance_member = m
        return m

    def account(world):
        from finance.models import Account
        from finance.services.books import account_create

        coop = _books(world, marker)
        return account_create(
            actor=fresh(world.acc_v11),
            parent=Account.objects.get(cooperative=coop, code="102"),
            code=f"102{Account.objects.filter(cooperative=coop, code__startswith='102').count():02d}",
            name=f"{marker}银行",
        )

    def project(world):
        from finance.models import Project
        from finance.services.books import project_create

        coop = _books(world, marker)
        n = Project.objects.filter(cooperative=coop).count()
        return project_create(actor=fresh(world.acc_v11), cooperative=coop, code=f"P{n}", name=f"{marker}项目")

    def fiscal_year(world):
        from finance.models import FiscalYear

        return FiscalYear.objects.get(cooperative=_books(world, marker), year=2026)

    def period(world):
        from finance.models import Period

        return Period.objects.get(cooperative=_books(world, marker), fiscal_year__year=2026, number=1)

    def voucher(world):
        from finance.services.vouchers import voucher_create

        coop = _books(world, marker)
        return voucher_create(
            actor=fresh(world.acc_v11),
            cooperative=coop,
            date=datetime.date(2026, 1, 15),
            summary=f"{marker}凭证",
            lines=lines(coop, ("101", "100.00", 0), ("501", 0, "100.00")),
        )

    def attachment(world):
        from finance.services.vouchers import attachment_add

        return attachment_add(
            actor=fresh(world.acc_v11),
            voucher=voucher(world),
            file=SimpleUploadedFile(f"{marker}.png", PNG, content_type="image/png"),
        )

    def contract(world):
        from finance.models import Contract
        from finance.services.contracts import contract_create

        coop = _books(world, marker)
        return contract_create(
            actor=fresh(world.acc_v11),
            cooperative=coop,
            instalments=[],
            number=f"HT-{Contract.objects.filter(cooperative=coop).count() + 1}",
            subject=f"{marker}合同",
            counterparty="某公司",
            amount=Decimal("5000.00"),
            start_date=datetime.date(2026, 1, 1),
            end_date=datetime.date(2026, 12, 31),
            file=SimpleUploadedFile(f"{marker}.pdf", b"%PDF-1.4 " + marker.encode(), content_type="application/pdf"),
        )

    def patronage(world):
        from finance.services.members import patronage_create

        return patronage_create(
            actor=fresh(world.acc_v11),
            member=member(world),
            date=datetime.date(2026, 3, 1),
            product=f"{marker}苹果",
            quantity=Decimal("100"),
            amount=Decimal("300.00"),
        )

    def collective_income(world):
        from finance.services.collective import collective_income_record

        return collective_income_record(
            actor=fresh(world.acc_v11),
            village=world.v11,
            cooperative=_books(world, marker),
            received_on=datetime.date(2026, 3, 1),
            amount=Decimal("1000.00"),
            note=f"{marker}分红",
        )

    def asset(world):
        from finance.models import FixedAsset
        from finance.services.assets import AssetInput, asset_register

        coop = _books(world, marker)
        return asset_register(
            actor=fresh(world.acc_v11),
            cooperative=coop,
            data=AssetInput(
                number=f"GD-{FixedAsset.objects.filter(cooperative=coop).count() + 1:03d}",
                name=f"{marker}冷库",
                kind="fixed",
                category="buildings",
                source="subsidy",
                acquired_on=datetime.date(2026, 1, 15),
                original_value=Decimal("120000.00"),
                useful_life_months=120,
            ),
        )

    return {
        "finance.cooperativebooks": books,
        "finance.fixedasset": asset,
        "members.member": member,
        "finance.account": account,
        "finance.project": project,
        "finance.fiscalyear": fiscal_year,
        "finance.period": period,
        "finance.voucher": voucher,
        "finance.voucherattachment": attachment,
        "finance.contract": contract,
        "finance.patronagetransaction": patronage,
        "finance.collectiveincome": collective_income,
    }
