"""The books' checks for ``check_ledgers``: what the database triggers and the services guarantee,
recomputed from the rows, so that a bug, a restore or a hand edit that bent the books is reported.

1. every posted voucher balances (debits = credits, at least two lines, total as cached) and its
   lines are marked posted exactly when it is;
2. the posted vouchers of each month are numbered 1, 2, 3… without gap or repeat, up to the
   month's counter;
3. each fiscal year's trial balance balances: opening balances net to nil, posted debits = credits;
4. a closed month holds no draft or pending voucher;
5. a carried-forward year's opening balances equal the prior year's closing balances.
"""

from __future__ import annotations

from django.db.models import Count, F, Max, Min, Q, Sum

from core.ledger_checks import CheckResult
from finance.choices import PeriodStatus, VoucherStatus
from finance.models import Account, FiscalYear, OpeningBalance, Period, Voucher, VoucherLine
from finance.services.closing import closing_balances

POSTED = VoucherStatus.POSTED


def _mine(qs, cooperative_id: int | None, field: str = "cooperative_id"):
    # unscoped: a system check over every tenant's books
    return qs.filter(**{field: cooperative_id}) if cooperative_id else qs


def vouchers_balanced(cooperative_id: int | None) -> CheckResult:
    posted = _mine(Voucher.objects.filter(status=POSTED), cooperative_id)
    bad = (
        posted.annotate(d=Sum("lines__debit"), c=Sum("lines__credit"), n=Count("lines"))
        .filter(Q(n__lt=2) | ~Q(d=F("c")) | ~Q(total_debit=F("d")))
        .values("pk", "cooperative_id", "period__start_date", "number", "d", "c", "n", "total_debit")
    )
    drift = [
        f"voucher {v['pk']} (cooperative {v['cooperative_id']}, {v['period__start_date']:%Y-%m} 记-{v['number']:04d}): "
        f"debit {v['d']}, credit {v['c']}, {v['n']} line(s), cached total {v['total_debit']}"
        for v in bad
    ]
    flags = _mine(VoucherLine.objects.all(), cooperative_id).filter(
        Q(is_posted=True, voucher__status__in=[VoucherStatus.DRAFT, VoucherStatus.PENDING])
        | Q(is_posted=False, voucher__status=POSTED)
    )
    drift += [
        f"line {line['pk']} of voucher {line['voucher_id']}: marked {'posted' if line['is_posted'] else 'unposted'}, "
        f"the voucher is {line['voucher__status']}"
        for line in flags.values("pk", "voucher_id", "is_posted", "voucher__status")
    ]
    checked = posted.count()
    return CheckResult(checked, f"{checked} posted vouchers balance.", drift)


def voucher_numbers(cooperative_id: int | None) -> CheckResult:
    posted = Q(vouchers__status=POSTED)
    periods = (
        _mine(Period.objects.all(), cooperative_id)
        .annotate(
            posted=Count("vouchers", filter=posted),
            distinct=Count("vouchers__number", filter=posted, distinct=True),
            low=Min("vouchers__number", filter=posted),
            high=Max("vouchers__number", filter=posted),
        )
        .filter(
            ~Q(posted=F("last_voucher_number"))
            | ~Q(distinct=F("posted"))
            | (Q(posted__gt=0) & (~Q(low=1) | ~Q(high=F("posted"))))
        )
        .values("pk", "cooperative_id", "start_date", "posted", "distinct", "low", "high", "last_voucher_number")
    )
    drift = [
        f"period {p['pk']} (cooperative {p['cooperative_id']}, {p['start_date']:%Y-%m}): {p['posted']} posted "
        f"voucher(s), {p['distinct']} distinct number(s) from {p['low']} to {p['high']}, "
        f"counter at {p['last_voucher_number']}: numbers must run 1…{p['posted']} without gaps"
        for p in periods
    ]
    checked = _mine(Period.objects.all(), cooperative_id).count()
    return CheckResult(checked, f"voucher numbers of {checked} months run without gaps.", drift)


def trial_balances(cooperative_id: int | None) -> CheckResult:
    years = _mine(FiscalYear.objects.all(), cooperative_id)
    label = {
        fy["pk"]: f"{fy['year']} (cooperative {fy['cooperative_id']})"
        for fy in years.values("pk", "year", "cooperative_id")
    }
    drift = [
        f"fiscal year {label[row['fiscal_year_id']]}: opening balances net to {row['net']}, not 0.00"
        for row in _mine(OpeningBalance.objects.all(), cooperative_id)
        .values("fiscal_year_id")
        .annotate(net=Sum("amount"))
        .exclude(net=0)
        .order_by("fiscal_year_id")
    ]
    drift += [
        f"fiscal year {label[row['period__fiscal_year_id']]}: posted debits {row['d']} ≠ credits {row['c']}"
        for row in _mine(VoucherLine.objects.filter(is_posted=True), cooperative_id)
        .values("period__fiscal_year_id")
        .annotate(d=Sum("debit"), c=Sum("credit"))
        .exclude(d=F("c"))
        .order_by("period__fiscal_year_id")
    ]
    return CheckResult(len(label), f"trial balances of {len(label)} fiscal years balance.", drift)


def closed_months(cooperative_id: int | None) -> CheckResult:
    closed = _mine(Period.objects.filter(status=PeriodStatus.CLOSED), cooperative_id)
    drift = [
        f"voucher {v['pk']} (cooperative {v['cooperative_id']}) is {v['status']} in the closed month "
        f"{v['period__start_date']:%Y-%m}"
        for v in _mine(Voucher.objects.filter(period__status=PeriodStatus.CLOSED), cooperative_id)
        .exclude(status=POSTED)
        .values("pk", "cooperative_id", "status", "period__start_date")
    ]
    checked = closed.count()
    return CheckResult(checked, f"{checked} closed months hold only posted vouchers.", drift)


def carried_balances(cooperative_id: int | None) -> CheckResult:
    drift = []
    carried = _mine(FiscalYear.objects.filter(carried_from__isnull=False), cooperative_id).select_related(
        "carried_from"
    )
    for fy in carried:
        expected = closing_balances(fy.carried_from)
        actual = {
            (o.account_id, o.member_id, o.project_id): o.amount
            for o in OpeningBalance.objects.filter(fiscal_year=fy).only(
                "account_id", "member_id", "project_id", "amount"
            )
        }
        differing = sorted((k for k in set(expected) | set(actual) if expected.get(k) != actual.get(k)), key=str)
        codes = dict(Account.objects.filter(pk__in={k[0] for k in differing}).values_list("pk", "code"))
        drift += [
            f"fiscal year {fy.year} (cooperative {fy.cooperative_id}), account {codes.get(k[0], k[0])}"
            + (f" member {k[1]}" if k[1] else "")
            + (f" project {k[2]}" if k[2] else "")
            + f": opening {actual.get(k, '0.00')}, closing of {fy.carried_from.year} {expected.get(k, '0.00')}"
            for k in differing
        ]
    checked = len(carried)
    return CheckResult(checked, f"opening balances of {checked} carried-forward years equal the prior closing.", drift)


def tie_out_check(cooperative_id: int | None) -> CheckResult:
    """The share register, member accounts, payouts and books tie out (``finance.selectors.tieout``)."""
    from finance.selectors.tieout import tie_out

    results = tie_out([cooperative_id] if cooperative_id else None)
    drift = [
        f"cooperative {coop}: {d.describe()}" for coop, result in sorted(results.items()) for d in result.differences
    ]
    return CheckResult(len(results), f"the register and the books of {len(results)} cooperatives tie out.", drift)


def statements_check(cooperative_id: int | None) -> CheckResult:
    """Every year's statements agree: assets = liabilities + equity; 01表 = 02表 = 03表 on the
    undistributed surplus."""
    from cooperatives.models import Cooperative
    from finance.models import CooperativeBooks
    from finance.selectors.tieout import statements_agree

    coops = _mine(CooperativeBooks.objects.all(), cooperative_id).values_list("cooperative_id", flat=True)
    drift = []
    checked = 0
    for cooperative in Cooperative.objects.filter(pk__in=list(coops)).order_by("pk"):
        checked += 1
        drift += [f"cooperative {cooperative.pk}: {problem}" for problem in statements_agree(cooperative)]
    return CheckResult(checked, f"the statements of {checked} cooperatives agree.", drift)


CHECKS = {
    "finance.vouchers_balanced": vouchers_balanced,
    "finance.voucher_numbers": voucher_numbers,
    "finance.trial_balances": trial_balances,
    "finance.closed_months": closed_months,
    "finance.carried_balances": carried_balances,
    "finance.tie_out": tie_out_check,
    "finance.statements": statements_check,
}
