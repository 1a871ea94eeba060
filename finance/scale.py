"""Scale step: open books, a year of posted vouchers and the member transactions behind them.

Per cooperative: its chart's accounts, fiscal year ``ctx.year`` with twelve open months, its
opening balances (the share register of the year before taken over: 股金 per owner against the
bank, land rights and collective assets the contributions brought in), and as many
posted two-line vouchers as it has members — half of them purchases of members' produce
(Dr 128 受托代销商品 / Cr 114 成员往来 on the member's sub-ledger, each with its member transaction),
a quarter sales (Dr 102 / Cr 501), a quarter expenses (Dr 521 or 523 / Cr 102). ``city`` therefore
writes 3.0 million vouchers and 6.0 million lines.

The rules the triggers guard are built in: every voucher balances to the fen, numbers run 1, 2, 3…
per month in date order without gaps, and each month's ``last_voucher_number`` is its count.
Each cooperative's result (income, expenses) and its members' purchases stay in
``ctx.data["finance.year"]`` for the distribution plans.
"""

from __future__ import annotations

import calendar
import datetime
from array import array

from core.scale import ScaleContext, money, register_step
from finance.models import (
    Account,
    CooperativeBooks,
    FiscalYear,
    OpeningBalance,
    PatronageTransaction,
    Period,
    Voucher,
    VoucherLine,
)

PRODUCE = [("苹果", 250, 600), ("玉米", 200, 320), ("花生", 600, 900), ("樱桃", 1500, 3000), ("小麦", 220, 300)]


def _chart_rows():
    """The farmer-cooperative chart, one tuple per account:
    (code, name, category, balance side, cash, members, optional, leaf, parent code, pinyin)."""
    from finance.charts import ensure_chart_templates, parent_code
    from finance.models import ChartTemplate
    from finance.services.books import pinyin_initials

    chart = ChartTemplate.objects.filter(kinds__contains=["farmer"]).first()
    if chart is None:
        ensure_chart_templates()
        chart = ChartTemplate.objects.get(kinds__contains=["farmer"])
    templates = list(chart.accounts.order_by("order"))
    codes = {t.code for t in templates}
    rows = [
        (
            t.code,
            t.name,
            t.category,
            t.balance_side,
            t.is_cash,
            t.tracks_members,
            t.is_optional,
            not any(c != t.code and c.startswith(t.code) for c in codes),
            parent_code(t.code),
            pinyin_initials(t.name),
        )
        for t in templates
    ]
    return chart, rows


@register_step("finance.books", after=("members.members", "shares.ledger"))
def finance_step(ctx: ScaleContext) -> None:
    from finance.charts import account_level
    from finance.choices import TradeDirection, VoucherKind, VoucherStatus

    rng = ctx.rng("finance")
    villages = ctx.plan.villages
    year = ctx.year
    chart, chart_rows = _chart_rows()
    index = {row[0]: i for i, row in enumerate(chart_rows)}
    n_coops = len(villages)
    n_vouchers = sum(v.persons + 1 for v in villages)
    first = {
        "books": ctx.reserve_ids(CooperativeBooks, n_coops),
        "account": ctx.reserve_ids(Account, n_coops * len(chart_rows)),
        "year": ctx.reserve_ids(FiscalYear, n_coops),
        "period": ctx.reserve_ids(Period, n_coops * 12),
        "voucher": ctx.reserve_ids(Voucher, n_vouchers),
        "line": ctx.reserve_ids(VoucherLine, 2 * n_vouchers),
        "patronage": ctx.reserve_ids(PatronageTransaction, sum((v.persons + 1) // 2 for v in villages)),
    }
    structures, brought = ctx.data.get("shares.structure"), ctx.data.get("shares.brought_in")
    opening_id = ctx.reserve_ids(OpeningBalance, sum(v.persons + 4 for v in villages)) if structures else 0
    months = [
        (m, datetime.date(year, m, 1), datetime.date(year, m, calendar.monthrange(year, m)[1])) for m in range(1, 13)
    ]
    days = (datetime.date(year, 12, 31) - datetime.date(year, 1, 1)).days + 1
    voucher_id, line_id, patronage_id = first["voucher"], first["line"], first["patronage"]
    out: dict[str, list] = {
        k: [] for k in ("books", "accounts", "years", "openings", "periods", "vouchers", "lines", "patronage")
    }
    # the year's result and each member's purchases in fen and kilos (member index), for the plans
    ctx.data["finance.year"] = results = {}

    for i, v in enumerate(villages):
        coop, code, m0 = v.ids["cooperative"], v.code, v.ids["member_first"]
        a0 = first["account"] + i * len(chart_rows)
        account = {c: a0 + j for c, j in index.items()}
        year_id = first["year"] + i
        p0 = first["period"] + i * 12
        out["books"].append((first["books"] + i, code, coop, chart.pk))
        for j, (acode, name, category, side, cash, members, optional, leaf, parent, pinyin) in enumerate(chart_rows):
            out["accounts"].append(
                (
                    a0 + j,
                    code,
                    coop,
                    acode,
                    name,
                    account[parent] if parent else None,
                    account_level(acode),
                    category,
                    side,
                    cash,
                    members,
                    True,
                    optional,
                    leaf,
                    pinyin,
                )
            )
        out["years"].append((year_id, code, coop, year))
        if structures:
            # the takeover: the register of 2024 becomes the first year's opening balances — 股金 per
            # owner (the collective owns the shares its secretary holds for it), and what the
            # contributions brought in: cash in the bank, land rights, the collective's assets
            own, on_behalf, collective = structures[v.index]
            rows = [
                ("102", None, brought[v.index]["cash"]),
                ("161", None, brought[v.index]["land"]),
                ("151", None, brought[v.index]["collective_assets"]),
                ("301", m0, -(collective + on_behalf)),
            ]
            rows += [("301", m0 + k, -own[k]) for k in range(1, v.persons + 1)]
            for acode, member_id, yuan in rows:
                if yuan:
                    out["openings"].append(
                        (opening_id, code, coop, year_id, account[acode], member_id, money(yuan * 100))
                    )
                opening_id += 1

        # the year's business, in date order: (day of year, kind, cents, member index)
        n = v.persons + 1
        purchases, sales = n // 2, n // 4
        business = []
        for k in range(n):
            day = rng.randrange(days)
            if k < purchases:
                business.append((day, "purchase", 0, 1 + rng.randrange(v.persons)))
            elif k < purchases + sales:
                business.append((day, "sale", rng.randint(50_000, 5_000_000), None))
            else:
                business.append((day, "expense", rng.randint(10_000, 900_000), None))
        business.sort(key=lambda b: b[0])
        counters = [0] * 12
        income = expenses = 0
        bought, kilos_bought = array("q", bytes(8 * n)), array("q", bytes(8 * n))
        for day, kind, cents, member in business:
            date = datetime.date(year, 1, 1) + datetime.timedelta(days=day)
            month = date.month - 1
            counters[month] += 1
            period_id = p0 + month
            posted_at = datetime.datetime.combine(date, datetime.time(17), tzinfo=datetime.UTC)
            member_id = None
            if kind == "purchase":
                product, low, high = rng.choice(PRODUCE)
                kilos = rng.randint(100, 2_000)
                cents = kilos * rng.randint(low, high)
                member_id = m0 + member
                summary = f"收购社员{product}"
                debit, credit, paid = "128", "114", 0
                out["patronage"].append(
                    (
                        patronage_id,
                        code,
                        coop,
                        member_id,
                        date,
                        TradeDirection.PURCHASE,
                        product,
                        "公斤",
                        kilos,
                        money(cents),
                        voucher_id,
                    )
                )
                patronage_id += 1
                bought[member] += cents
                kilos_bought[member] += kilos
            elif kind == "sale":
                summary, debit, credit, paid = "销售农产品收入", "102", "501", 0
                income += cents
            else:
                expenses += cents
                expense = "521" if rng.random() < 0.7 else "523"
                summary = "支付经营支出" if expense == "521" else "支付管理费用"
                debit, credit, paid = expense, "102", cents
            amount = money(cents)
            out["vouchers"].append(
                (
                    voucher_id,
                    code,
                    coop,
                    period_id,
                    date,
                    counters[month],
                    VoucherKind.MANUAL,
                    VoucherStatus.POSTED,
                    summary,
                    1,
                    amount,
                    money(paid),
                    posted_at,
                )
            )
            zero = money(0)
            out["lines"].append(
                (line_id, code, voucher_id, coop, period_id, 1, account[debit], summary, amount, zero, None, True)
            )
            out["lines"].append(
                (
                    line_id + 1,
                    code,
                    voucher_id,
                    coop,
                    period_id,
                    2,
                    account[credit],
                    summary,
                    zero,
                    amount,
                    member_id,
                    True,
                )
            )
            line_id += 2
            voucher_id += 1
        results[v.index] = (income, expenses, bought, kilos_bought)
        for m, start, end in months:
            out["periods"].append((p0 + m - 1, code, coop, year_id, m, start, end, counters[m - 1]))
        if len(out["lines"]) >= ctx.BATCH:
            _write(ctx, out)
    _write(ctx, out)


def _write(ctx: ScaleContext, out: dict[str, list]) -> None:

    base = ["id", "region_code", "cooperative_id"]
    ctx.copy(CooperativeBooks, [*base, "chart_id"], out["books"])
    ctx.copy(
        Account,
        [
            *base,
            "code",
            "name",
            "parent_id",
            "level",
            "category",
            "balance_side",
            "is_cash",
            "tracks_members",
            "is_standard",
            "is_optional",
            "is_leaf",
            "pinyin",
        ],
        out["accounts"],
    )
    ctx.copy(FiscalYear, [*base, "year"], out["years"])
    ctx.copy(OpeningBalance, [*base, "fiscal_year_id", "account_id", "member_id", "amount"], out["openings"])
    ctx.copy(
        Period,
        [*base, "fiscal_year_id", "number", "start_date", "end_date", "last_voucher_number"],
        out["periods"],
    )
    ctx.copy(
        Voucher,
        [
            *base,
            "period_id",
            "date",
            "number",
            "kind",
            "status",
            "summary",
            "attachment_count",
            "total_debit",
            "payment_amount",
            "posted_at",
        ],
        out["vouchers"],
    )
    ctx.copy(
        VoucherLine,
        [
            "id",
            "region_code",
            "voucher_id",
            "cooperative_id",
            "period_id",
            "line_no",
            "account_id",
            "summary",
            "debit",
            "credit",
            "member_id",
            "is_posted",
        ],
        out["lines"],
    )
    ctx.copy(
        PatronageTransaction,
        [*base, "member_id", "date", "direction", "product", "unit", "quantity", "amount", "voucher_id"],
        out["patronage"],
    )
    for rows in out.values():
        rows.clear()
