"""Demo books: every demo cooperative keeps 2026 in Lingban, taken over from its old books.

东安村's cooperative: opening balances on 1 January from the old books, where capital was one figure
of 500,000.00 and the land rights and collective assets contributed were never booked; the
takeover makes 股金 follow the share register member by member (the 388,400.00 more booked to
无形资产, with the reason) and quantifies the 20,000.00 reserve to the members by contribution.
Then a January of realistic vouchers (fruit sold, inputs bought, wages, a bank charge…), the small
payments approved by the chair, a 12,000.00 payment to the input supplier waiting in the township's
inbox (demo-township) and, beside it, the chair 赵德明's own 860.00 travel refund (small enough for
the chair, but he is its payee, so the township decides), an effective cold-store lease contract
and members' deliveries of apples. Every payment names its payee.

The other villages' cooperatives open their books with what their contributions brought in (cash
in the bank, land rights, the collective's assets) and 股金 per member as the register says. Every
one ties out. Idempotent: a cooperative whose books are open is left as it is.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from core.demo import DemoContext, upsert
from core.validators import id_check_character

DONGAN = "371323104201"
BEILING = "371323105201"
D = Decimal

# used only when the members app has not put members into the cooperative yet
FALLBACK_MEMBERS = [
    (1, "赵德明", "19680412", "M"),
    (2, "孙丽华", "19750903", "F"),
    (3, "周大山", "19720126", "M"),
    (4, "钱永福", "19650719", "M"),
]

OPENING = [
    ("101", "8000.00", 0),
    ("10201", "236000.00", 0),
    ("121", "45000.00", 0),
    ("151", "420000.00", 0),
    ("152", 0, "84000.00"),
    ("201", 0, "50000.00"),
    ("211", 0, "15000.00"),
    ("301", 0, "500000.00"),
    ("322", 0, "20000.00"),
    ("33202", 0, "40000.00"),
]

# day, summary, lines (code, debit, credit), attachments
JANUARY = [
    (5, "销售苹果（沂蒙果品批发市场）", [("10201", "38600.00", 0), ("501", 0, "38600.00")], 2),
    (8, "赊购复合肥、农药", [("121", "16800.00", 0), ("211", 0, "16800.00")], 1),
    (10, "提取备用金", [("101", "5000.00", 0), ("10201", 0, "5000.00")], 1),
    (15, "发放1月管理人员工资", [("523", "6500.00", 0), ("101", 0, "6500.00")], 1),
    (20, "银行手续费", [("524", "35.00", 0), ("10201", 0, "35.00")], 1),
    (22, "零售苹果收现", [("101", "2400.00", 0), ("501", 0, "2400.00")], 1),
    (25, "结转已售苹果成本", [("521", "12600.00", 0), ("121", 0, "12600.00")], 0),
]
PENDING = (28, "支付化肥款（沂水县农资公司）", [("211", "12000.00", 0), ("10201", 0, "12000.00")], 2)
# the chair's own travel refund: 860.00 is the chair's to approve, but 赵德明 is paid, so the township decides
TRAVEL = (27, "报销赵德明差旅费（参加县合作社培训）", [("523", "860.00", 0), ("101", 0, "860.00")], 3)
# who each payment pays: a named party (name, credit code or ID number, account) or, by name, a member
PAYEES = {
    "发放1月管理人员工资": {"name": "合作社管理人员（见1月工资发放表）"},
    "银行手续费": {"name": "沂水农商银行许家湖支行"},
    PENDING[1]: {"name": "沂水县农资公司", "account": "915012345678"},
    TRAVEL[1]: {"member": "赵德明"},
}
DELIVERIES = [
    (1, 6, "红富士苹果", "1200", "3600.00"),
    (3, 6, "红富士苹果", "860", "2580.00"),
    (4, 12, "嘎啦苹果", "540", "1350.00"),
]


def _members(ctx, coop):
    from members.models import Member

    members = list(Member.objects.filter(cooperative=coop).order_by("number"))
    if members:
        return members
    for number, name, birth, gender in FALLBACK_MEMBERS:
        first17 = f"{coop.region_code[:6]}{birth}{number * 2 + (1 if gender == 'M' else 0):03d}"
        upsert(
            Member,
            {"cooperative": coop, "number": number},
            {
                "region_code": coop.region_code,
                "name": name,
                "kind": "person",
                "id_number": first17 + id_check_character(first17),
                "gender": gender,
                "joined_on": datetime.date(2020, 3, 18),
            },
            ctx,
        )
    return list(Member.objects.filter(cooperative=coop).order_by("number"))


def _take_over(ctx: DemoContext, coop, actor) -> None:
    """Open a cooperative's books on 1 January 2026 from its register: the assets its contributions
    brought in and its capital, split per member by the takeover service."""
    from django.db.models import Sum

    from finance.models import FiscalYear
    from finance.selectors.roles import Roles
    from finance.services.books import OpeningRow, books_open, opening_balances_set
    from finance.services.share_books import KIND_ROLES
    from finance.services.takeover import capital_takeover
    from shares.models import Contribution

    books_open(actor=actor, cooperative=coop, year=2026)
    roles = Roles.of(coop)
    brought: dict = {}
    for kind, total in (
        Contribution.objects.filter(cooperative=coop, state="confirmed")
        .values_list("kind")
        .annotate(t=Sum("amount"))
        .values_list("kind", "t")
    ):
        account = roles.account(KIND_ROLES[kind])
        brought[account] = brought.get(account, D("0")) + total
    rows = [OpeningRow(account=account, debit=amount) for account, amount in brought.items()]
    rows.append(OpeningRow(account=roles.account("capital"), credit=sum(brought.values(), D("0"))))
    opening_balances_set(actor=actor, fiscal_year=FiscalYear.objects.get(cooperative=coop, year=2026), rows=rows)
    capital_takeover(actor=actor, cooperative=coop, offset_code="161", reason="按股份登记簿分户登记股金")
    ctx.note(f"took over the books of {coop}")


def seed(ctx: DemoContext) -> None:
    from finance.models import CooperativeBooks

    for code, coop in ctx.cooperatives.items():
        if code != DONGAN and not CooperativeBooks.objects.filter(cooperative=coop).exists():
            accountant = ctx.users["demo-accountant2"] if code == BEILING else ctx.users["demo-admin"]
            _take_over(ctx, coop, accountant)
    _seed_dongan(ctx)
    _seed_waiting_work(ctx)


# Work left waiting on the demo homes (their to-do lists), dated back from the day of the seed:
# (cooperative, accountant, day, summary, rows, what happens, days ago)
WAITING = [
    (DONGAN, "demo-accountant", 3, "报销2月份采购果袋差旅费", [("523", "380.00", 0), ("101", 0, "380.00")], "draft", 2),
    (
        DONGAN,
        "demo-accountant",
        6,
        "支付果袋款（沂水县纸制品厂）",
        [("121", "3200.00", 0), ("10201", 0, "3200.00")],
        "submit",
        3,
    ),
    (
        DONGAN,
        "demo-accountant",
        10,
        "预付分级包装设备定金",
        [("121", "15000.00", 0), ("10201", 0, "15000.00")],
        "return",
        5,
    ),
    (
        BEILING,
        "demo-accountant2",
        9,
        "支付烘干机维修费（沂水县农机站）",
        [("523", "18600.00", 0), ("102", 0, "18600.00")],
        "submit",
        9,
    ),
]
RETURN_REASON = "请附设备采购合同和三家比价材料后重新提交。"
WAITING_PAYEES = {
    "报销2月份采购果袋差旅费": "刘芳",
    "支付果袋款（沂水县纸制品厂）": "沂水县纸制品厂",
    "预付分级包装设备定金": "临沂市农机设备有限公司",
    "支付烘干机维修费（沂水县农机站）": "沂水县农机站",
}


def _seed_waiting_work(ctx: DemoContext) -> None:
    """demo-accountant: a draft voucher and a payment the township returned; demo-chair: a payment below
    the county's threshold; demo-township2: a payment of 北岭村 at or above it."""
    from django.utils import timezone

    from core.choices import ApprovalAction
    from core.models import ApprovalRequest, ApprovalStep
    from core.services.approvals import approval_return
    from finance.models import Account, CooperativeBooks, Voucher
    from finance.services.payees import PayeeInput
    from finance.services.vouchers import LineInput, voucher_create, voucher_submit

    for code, username, day, summary, rows, action, days_ago in WAITING:
        coop = ctx.cooperatives.get(code)
        if coop is None or not CooperativeBooks.objects.filter(cooperative=coop).exists():
            continue
        if Voucher.objects.filter(cooperative=coop, summary=summary).exists():
            continue  # idempotent
        accountant = ctx.users[username]
        accounts = {a.code: a for a in Account.objects.filter(cooperative=coop, code__in=[r[0] for r in rows])}
        voucher = voucher_create(
            actor=accountant,
            cooperative=coop,
            date=datetime.date(2026, 2, day),
            summary=summary,
            attachment_count=1,
            lines=[LineInput(account=accounts[c], debit=D(str(d)), credit=D(str(k))) for c, d, k in rows],
            payee=PayeeInput(name=WAITING_PAYEES[summary]),
        )
        when = timezone.now() - datetime.timedelta(days=days_ago)
        Voucher.objects.filter(pk=voucher.pk).update(created_at=when)
        if action == "draft":
            continue
        request = voucher_submit(actor=accountant, voucher=voucher)
        submitted = when - datetime.timedelta(days=1)
        ApprovalRequest.objects.filter(pk=request.pk).update(submitted_at=submitted)
        ApprovalStep.objects.filter(request_id=request.pk).update(created_at=submitted)
        if action == "return":
            township = ctx.users["demo-township"]
            approval_return(actor=township, request=ApprovalRequest.objects.get(pk=request.pk), comment=RETURN_REASON)
            ApprovalRequest.objects.filter(pk=request.pk).update(decided_at=when)
            ApprovalStep.objects.filter(request_id=request.pk, action=ApprovalAction.RETURN).update(created_at=when)
        ctx.note(f"{summary}: {action}")


def _seed_dongan(ctx: DemoContext) -> None:
    from core.models import ApprovalRequest
    from core.services.approvals import approval_approve
    from finance.models import Account, CooperativeBooks, FiscalYear
    from finance.services.books import OpeningRow, account_create, books_open, opening_balances_set, project_create
    from finance.services.contracts import InstalmentInput, contract_create, contract_file, contract_submit
    from finance.services.members import patronage_create
    from finance.services.payees import PayeeInput
    from finance.services.takeover import capital_takeover, reserve_takeover
    from finance.services.vouchers import LineInput, voucher_create, voucher_post, voucher_submit

    coop = ctx.cooperatives.get(DONGAN)
    if coop is None or CooperativeBooks.objects.filter(cooperative=coop).exists():
        return
    accountant, chair, township = (ctx.users[u] for u in ("demo-accountant", "demo-chair", "demo-township"))
    members = _members(ctx, coop)
    books_open(actor=accountant, cooperative=coop, year=2026)
    ctx.note(f"opened the books of {coop}")
    bank = Account.objects.get(cooperative=coop, code="102")
    account_create(actor=accountant, parent=bank, code="10201", name="沂水农商银行许家湖支行")
    project_create(actor=accountant, cooperative=coop, code="P01", name="红富士苹果园")
    accounts = {a.code: a for a in Account.objects.filter(cooperative=coop)}
    opening_balances_set(
        actor=accountant,
        fiscal_year=FiscalYear.objects.get(cooperative=coop, year=2026),
        rows=[OpeningRow(account=accounts[c], debit=D(str(d)), credit=D(str(k))) for c, d, k in OPENING],
    )
    # the takeover tie-out: the register says more capital than the old books, member by member
    capital_takeover(
        actor=accountant,
        cooperative=coop,
        offset_code="161",
        reason="土地经营权及集体资源资产入股时未入账，建账时按股份登记簿补记",
    )
    reserve_takeover(actor=accountant, cooperative=coop, reason="建账时按成员出资额量化原有公积金")
    ctx.note("tied the books of 东安村 out with its share register")

    by_name = {m.name: m for m in members}

    def paid_to(summary):
        given = dict(PAYEES.get(summary, {}))
        if "member" in given:
            given["member"] = by_name[given["member"]]
        return PayeeInput(**given) if given else None

    def enter(day, summary, rows, attachments):
        return voucher_create(
            actor=accountant,
            cooperative=coop,
            date=datetime.date(2026, 1, day),
            summary=summary,
            attachment_count=attachments,
            lines=[LineInput(account=accounts[c], debit=D(str(d)), credit=D(str(k))) for c, d, k in rows],
            payee=paid_to(summary),
        )

    for day, summary, rows, attachments in JANUARY:
        voucher = enter(day, summary, rows, attachments)
        if voucher.payment_amount > 0:  # a payment: the chair approves it, the approval posts it
            request = voucher_submit(actor=accountant, voucher=voucher)
            approval_approve(actor=chair, request=ApprovalRequest.objects.get(pk=request.pk), comment="同意")
        else:
            voucher_post(actor=accountant, voucher=voucher)
    voucher_submit(actor=accountant, voucher=enter(*PENDING))
    voucher_submit(actor=accountant, voucher=enter(*TRAVEL))
    ctx.note("entered January 2026; a 12,000.00 payment and the chair's own 860.00 refund wait for the township")

    by_number = {m.number: m for m in members}
    for number, day, product, quantity, amount in DELIVERIES:
        member = by_number.get(number) or members[0]
        patronage_create(
            actor=accountant,
            member=member,
            date=datetime.date(2026, 1, day),
            product=product,
            unit="公斤",
            quantity=D(quantity),
            amount=D(amount),
        )
    contract = contract_create(
        actor=accountant,
        cooperative=coop,
        number="DA-2026-001",
        subject="村集体冷库租赁（2026年度）",
        counterparty="东安村股份经济合作社",
        direction="payable",
        amount=D("24000.00"),
        signed_on=datetime.date(2026, 1, 3),
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 12, 31),
        instalments=[
            InstalmentInput(datetime.date(2026, 3, 31), D("12000.00")),
            InstalmentInput(datetime.date(2026, 9, 30), D("12000.00")),
        ],
    )
    request = contract_submit(actor=accountant, contract=contract)
    approval_approve(actor=township, request=ApprovalRequest.objects.get(pk=request.pk), comment="经审核，同意")
    contract_file(actor=township, contract=contract, filing_number="许家湖镇备2026-003")
    ctx.note("filed the cold-store lease contract")
