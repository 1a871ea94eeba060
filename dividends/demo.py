"""Demo distribution: two cooperatives distribute their 2025 surplus, each under the rules of its kind.

东安村's farmer cooperative: its books start in Lingban on 1 January 2026, with 40,000.00 of
undistributed surplus carried in from 2025, so the 2025 plan takes that entered figure under the
charter's policy (沂水县's default for farmer cooperatives: "217" inside the cooperative law). Nobody
traded with the cooperative in 2025, so the law has nothing to refund by transactions and the plan
says so. It goes through the chair's check, 四议两公开 up to the assembly resolution and the
township's filing, and is carried out in February 2026. demo-member (周大山) then reads their
statement; the collective shares 赵德明 holds for the collective pay the collective.

石泉村's joint-stock economic cooperative (股份经济合作社, the village collective economic
organisation) keeps its books on the village collective chart from 2025: its members' shares
subscribed in January are booked as they are confirmed, a year of tourism income is closed month
by month, and its 2025 plan under "217" as the county wrote it (the cooperative law does not bind a
collective economic organisation) is carried out into December 2025 before the year closes.
Idempotent: a cooperative that has a 2025 plan is left as it is.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from core.demo import DemoContext, upsert

DONGAN = "371323104201"
SHIQUAN = "371323105202"
JOINT_STOCK_NAME = "沂水县石泉村股份经济合作社"
JOINT_STOCK_KEY = f"{SHIQUAN}/joint-stock"
YEAR = 2025
SURPLUS = Decimal("40000.00")
EXECUTED_ON = datetime.date(2026, 2, 10)


def seed(ctx: DemoContext) -> None:
    _seed_dongan(ctx)
    _seed_joint_stock(ctx)
    _seed_plan_to_check(ctx)


ESTIMATE_YEAR = 2026
ESTIMATE = Decimal("86000.00")


def _seed_plan_to_check(ctx: DemoContext) -> None:
    """demo-accountant drafted 东安村's 2026 plan from the surplus expected at year end and handed it to
    demo-chair four days ago: it waits for his check (and for the supervisory board's opinion)."""
    from django.utils import timezone

    from dividends.models import DistributionPlan
    from dividends.services.plans import plan_create, plan_input, plan_submit
    from finance.models import CooperativeBooks

    coop = ctx.cooperatives.get(DONGAN)
    if coop is None or not CooperativeBooks.objects.filter(cooperative=coop).exists():
        return
    if DistributionPlan.objects.filter(cooperative=coop, year=ESTIMATE_YEAR).exists():
        return
    accountant = ctx.users["demo-accountant"]
    plan = plan_create(
        actor=accountant,
        data=plan_input(cooperative=coop, year=ESTIMATE_YEAR, surplus=ESTIMATE),
        note="按1—11月账面数预计全年盈余，供理事长审核和监事会提出意见；年终结账后按实际数重算。",
    )
    plan_submit(actor=accountant, plan=plan)
    DistributionPlan.objects.filter(pk=plan.pk).update(updated_at=timezone.now() - datetime.timedelta(days=4))
    ctx.note(f"{plan} of {coop} waits for the chair's check")


def _assembly(party, actor, matter, day, *, due: int, present: int) -> None:
    """四议两公开 steps 1–5 of a plan: proposed, discussed, reviewed (recorded by ``party``, for the
    branch), adopted and published (recorded by ``actor``): whoever records a party step does not
    record the assembly's vote."""
    from cooperatives.services.major_matters import major_matter_record_step

    major_matter_record_step(actor=party, matter=matter, step=1, held_on=day, minutes="村党支部提议年度盈余分配方案")
    for step, expected, attended, minutes in (
        (2, 7, 7, "两委会议商议，同意提交党员大会"),
        (3, 21, 19, "党员大会审议通过"),
        (4, due, present, "成员大会表决通过年度盈余分配方案"),
    ):
        major_matter_record_step(
            actor=actor if step == 4 else party,
            matter=matter,
            step=step,
            held_on=day,
            minutes=minutes,
            expected_attendance=expected,
            present=attended,
            votes_for=attended - 1 if step == 4 else attended,
            votes_against=1 if step == 4 else 0,
            votes_abstain=0,
        )
    major_matter_record_step(actor=actor, matter=matter, step=5, held_on=day, outcome="村务公开栏张贴公示七天")


def _village_chair(ctx: DemoContext, village, name: str):
    """The login of a village's chair (branch secretary) who records the party steps of its plans; not
    a demo login (no password), only the second person 四议两公开 asks for."""
    from core.choices import Role
    from core.models import RoleAssignment, User

    user = upsert(User, {"username": f"chair-{village.code}"}, {"full_name": name, "is_active": True}, ctx)
    if user.has_usable_password():
        user.set_unusable_password()
        user.save(update_fields=["password"])
    upsert(RoleAssignment, {"user": user, "role": Role.COOP_CHAIR, "region": village}, {"is_active": True}, ctx)
    return user


def _seed_dongan(ctx: DemoContext) -> None:
    from core.models import ApprovalRequest
    from core.services.approvals import approval_approve
    from dividends.models import DistributionPlan
    from dividends.policies import ensure_policies
    from dividends.services.execution import plan_execute
    from dividends.services.plans import plan_check, plan_create, plan_file, plan_input, plan_submit
    from finance.models import CooperativeBooks

    ensure_policies()
    coop = ctx.cooperatives.get(DONGAN)
    if coop is None or not CooperativeBooks.objects.filter(cooperative=coop).exists():
        return
    if DistributionPlan.objects.filter(cooperative=coop, year=YEAR).exists():
        return
    accountant, chair, township = (ctx.users[u] for u in ("demo-accountant", "demo-chair", "demo-township"))
    plan = plan_create(
        actor=accountant,
        data=plan_input(cooperative=coop, year=YEAR, surplus=SURPLUS),
        note="2025年账务在启用本系统前记账，年度盈余按2026年初未分配盈余录入。",
    )
    plan_submit(actor=accountant, plan=plan)
    plan = plan_check(actor=chair, plan=plan)
    _assembly(chair, accountant, plan.major_matter, datetime.date(2026, 1, 28), due=45, present=41)
    plan_file(actor=accountant, plan=plan, comment="成员大会已通过，请予备案")
    approval_approve(
        actor=township,
        request=ApprovalRequest.objects.get(kind="distribution_plan", subject_id=plan.pk, state="submitted"),
        comment="准予备案",
    )
    plan.refresh_from_db()
    plan_execute(actor=accountant, plan=plan, on=EXECUTED_ON)
    ctx.note(f"carried out {plan} of {coop}")


def _seed_joint_stock(ctx: DemoContext) -> None:
    """石泉村股份经济合作社: members, books of 2025 on the village collective chart, its 2025 plan."""
    import datetime as dt

    from cooperatives.choices import CooperativeKind, CooperativeStatus
    from cooperatives.models import Cooperative
    from cooperatives.services.registry import cooperative_create
    from core.models import ApprovalRequest
    from core.services.approvals import approval_approve
    from dividends.services.execution import plan_execute
    from dividends.services.plans import plan_check, plan_create, plan_file, plan_input, plan_submit
    from finance.models import Account, FiscalYear
    from finance.services.books import books_open
    from finance.services.closing import fiscal_year_close, period_close
    from finance.services.vouchers import LineInput, voucher_create, voucher_post
    from members.models import Member
    from members.services import member_create
    from shares.services import contribution_create, contributions_confirm

    village = ctx.regions.get(SHIQUAN)
    farmer = ctx.cooperatives.get(SHIQUAN)
    if village is None or farmer is None:
        return
    admin, township = ctx.users["demo-admin"], ctx.users["demo-township2"]
    coop = Cooperative.objects.filter(village=village, kind=CooperativeKind.JOINT_STOCK).first()
    if coop is not None:
        ctx.cooperatives[JOINT_STOCK_KEY] = coop
        return
    collective = Member.objects.get(cooperative=farmer, kind="collective")
    coop = cooperative_create(
        actor=admin,
        village=village,
        name=JOINT_STOCK_NAME,
        kind=CooperativeKind.JOINT_STOCK,
        uscc=collective.uscc,  # the village collective: the member of the farmer cooperative is this organisation
        legal_representative=farmer.chair_name,
        chair_name=farmer.chair_name,
        chair_is_branch_secretary=True,
        registered_capital=Decimal("60000.00"),
        business_scope="经营管理村集体资产，发展乡村旅游，为成员提供生产生活服务。",
        founding_date=dt.date(2019, 12, 20),
        status=CooperativeStatus.OPERATING,
        address=farmer.address,
    )
    ctx.cooperatives[JOINT_STOCK_KEY] = coop
    # the villagers of the farmer cooperative are the collective's members, each with 6,000.00 of shares
    books_open(actor=admin, cooperative=coop, year=YEAR)
    drafts = []
    for person in Member.objects.filter(cooperative=farmer, kind="person").order_by("number"):
        member = member_create(
            actor=admin,
            cooperative=coop,
            kind="person",
            name=person.name,
            id_number=person.id_number,
            household=person.household,
            village=village,
            phone=person.phone,
            address=person.address,
            is_party_member=person.is_party_member,
            is_branch_member=person.is_branch_member,
            is_village_cadre=person.is_village_cadre,
            is_poverty_registered=person.is_poverty_registered,
            is_farmer=person.is_farmer,
            joined_on=dt.date(2019, 12, 20),
        )
        drafts.append(
            contribution_create(
                actor=admin,
                member=member,
                kind="cash",
                amount=Decimal("6000.00"),
                contributed_on=dt.date(YEAR, 1, 6),
                description="成员入股资金",
            )
        )
    contributions_confirm(actor=admin, cooperative=coop, contributions=drafts)  # each booked Dr 102 / Cr 301
    accounts = {a.code: a for a in Account.objects.filter(cooperative=coop)}
    # 2025: tourism income 120,000.00; operating costs 40,000.00 and management 10,000.00 owed at year end
    for day, summary, rows in (
        (dt.date(YEAR, 5, 5), "乡村旅游门票及采摘收入", [("102", "86000.00", 0), ("501", 0, "86000.00")]),
        (dt.date(YEAR, 10, 8), "国庆旅游接待收入", [("102", "34000.00", 0), ("501", 0, "34000.00")]),
        (dt.date(YEAR, 12, 20), "应付景区保洁及维护费", [("511", "40000.00", 0), ("211", 0, "40000.00")]),
        (dt.date(YEAR, 12, 25), "计提管理人员工资", [("513", "10000.00", 0), ("212", 0, "10000.00")]),
    ):
        voucher = voucher_create(
            actor=admin,
            cooperative=coop,
            date=day,
            summary=summary,
            lines=[LineInput(account=accounts[c], debit=D(d), credit=D(k)) for c, d, k in rows],
        )
        voucher_post(actor=admin, voucher=voucher)
    fiscal_year = FiscalYear.objects.get(cooperative=coop, year=YEAR)
    for period in fiscal_year.periods.order_by("number"):
        period_close(actor=admin, period=period)
    # 217 as written (the law does not bind a 股份经济合作社): 70,000.00 → fund 14,000.00, managers'
    # reward 7,000.00 (an expense of 2025), 49,000.00 to the members by shares
    plan = plan_create(actor=admin, data=plan_input(cooperative=coop, year=YEAR), note="2025年度收益分配")
    plan_submit(actor=admin, plan=plan)
    plan = plan_check(actor=admin, plan=plan)
    chair = _village_chair(ctx, village, farmer.chair_name)
    _assembly(chair, admin, plan.major_matter, dt.date(2026, 1, 18), due=9, present=8)
    plan_file(actor=admin, plan=plan, comment="成员大会已通过，请予备案")
    approval_approve(
        actor=township,
        request=ApprovalRequest.objects.get(kind="distribution_plan", subject_id=plan.pk, state="submitted"),
        comment="准予备案",
    )
    plan.refresh_from_db()
    plan_execute(actor=admin, plan=plan, on=dt.date(2026, 1, 25))  # booked into December 2025
    fiscal_year_close(actor=admin, fiscal_year=fiscal_year)
    ctx.note(f"carried out {plan} of {coop} and closed its 2025 books")


def D(value) -> Decimal:
    return Decimal(str(value))
