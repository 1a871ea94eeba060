"""Demo cooperatives: one branch-led cooperative per demo village."""

from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from cooperatives.choices import (
    BusinessType,
    Classification,
    CooperativeKind,
    CooperativeStatus,
    Industry,
    OperatingMode,
)
from core.demo import DemoContext, upsert
from core.validators import org_code_check_character, uscc_check_character

# village code → name, chair, industry, business type, capital, classification, modes
COOPERATIVES = {
    "371323104201": (
        "沂水县东安村富民果品种植专业合作社",
        "赵德明",
        Industry.FRUIT,
        BusinessType.PRODUCTION,
        "860000.00",
        Classification.LEADING,
        [OperatingMode.SELF_RUN, OperatingMode.UNIFIED_PURCHASE],
    ),
    "371323104202": (
        "沂水县西岭村众兴土地股份专业合作社",
        "孙家和",
        Industry.CROPS,
        BusinessType.LAND_SHARE,
        "420000.00",
        Classification.IMPROVING,
        [OperatingMode.TRUSTEESHIP],
    ),
    "371323104203": (
        "沂水县南坪村惠农劳务服务专业合作社",
        "钱永胜",
        Industry.LABOUR,
        BusinessType.SERVICE,
        "150000.00",
        Classification.TRANSFORMING,
        [OperatingMode.SERVICES],
    ),
    "371323105201": (
        "沂水县北岭村金穗粮食种植专业合作社",
        "周立新",
        Industry.CROPS,
        BusinessType.PRODUCTION,
        "560000.00",
        Classification.IMPROVING,
        [OperatingMode.ORDER, OperatingMode.SELF_RUN],
    ),
    "371323105202": (
        "沂水县石泉村山里红乡村旅游专业合作社",
        "吴春来",
        Industry.TOURISM,
        BusinessType.PRODUCTION,
        "380000.00",
        Classification.LEADING,
        [OperatingMode.COOPERATIVE],
    ),
    "371323105203": (
        "沂水县杏山村兴旺生猪养殖专业合作社",
        "郑宝山",
        Industry.LIVESTOCK,
        BusinessType.PRODUCTION,
        "240000.00",
        Classification.REBUILDING,
        [OperatingMode.CONTRACTED],
    ),
}


def demo_uscc(village_code: str) -> str:
    """A well-formed code: 9 (market regulation) 3 (farmer cooperative) + county + organisation code."""
    body = f"MA{village_code[-6:]}"
    first17 = "93" + village_code[:6] + body + org_code_check_character(body)
    return first17 + uscc_check_character(first17)


def seed(ctx: DemoContext) -> None:
    from cooperatives.models import Cooperative

    for code, (name, chair, industry, btype, capital, classification, modes) in COOPERATIVES.items():
        village = ctx.regions[code]
        coop = upsert(
            Cooperative,
            {"village": village, "name": name},
            {
                "region_code": village.padded_code,
                "kind": CooperativeKind.FARMER,
                "uscc": demo_uscc(code),
                "legal_representative": chair,
                "chair_name": chair,
                "chair_is_branch_secretary": True,
                "registered_capital": Decimal(capital),
                "business_scope": "组织成员开展农产品生产、收购、加工、销售，提供技术培训和信息服务。",
                "main_industry": industry,
                "business_type": btype,
                "operating_modes": [str(m) for m in modes],
                "founding_date": date(2020, 3, 18),
                "status": CooperativeStatus.OPERATING,
                "classification": classification,
                "address": f"山东省临沂市沂水县{village.parent.name}{village.name}",
            },
            ctx,
        )
        ctx.cooperatives[code] = coop
    seed_governance(ctx)


# -- board, supervisory board and cross-serving ------------------------------------------------------------

TERM_DATES = (date(2023, 3, 18), date(2023, 3, 18), date(2028, 3, 17))  # elected, start, end
# village code → [(body, name, position, party role, committee role)]; 东安村 in full, the others in brief
BOARD = {
    "371323104201": [
        ("board", "赵德明", "chair", "secretary", "director"),
        ("board", "赵德明", "manager", "secretary", "director"),
        ("board", "钱秀兰", "vice_chair", "committee_member", ""),
        ("board", "李长青", "director", "", "member"),
        ("board", "王振华", "director", "", ""),
        ("board", "刘芳", "finance", "", ""),
        ("supervisory", "孙丽华", "supervisory_chair", "committee_member", ""),
        ("supervisory", "王桂英", "supervisor", "", "member"),
        ("supervisory", "周大山", "supervisor", "", ""),
    ],
}
OTHER_SUPERVISORS = {
    "371323104202": "孙秀梅",
    "371323104203": "钱宏伟",
    "371323105201": "周桂芳",
    "371323105202": "吴建军",
    "371323105203": "郑玉兰",
}


def seed_board(ctx: DemoContext) -> None:
    from cooperatives.models import BoardMember, BoardTerm

    elected, start, end = TERM_DATES
    for code, coop in ctx.cooperatives.items():
        rows = BOARD.get(code) or [
            ("board", coop.chair_name, "chair", "secretary", "director"),
            ("supervisory", OTHER_SUPERVISORS[code], "executive_supervisor", "committee_member", ""),
        ]
        terms = {}
        for body in ("board", "supervisory"):
            terms[body] = upsert(
                BoardTerm,
                {"cooperative": coop, "body": body, "number": 1},
                {"region_code": coop.region_code, "elected_on": elected, "start_date": start, "end_date": end},
                ctx,
            )
        for body, name, position, party_role, committee_role in rows:
            upsert(
                BoardMember,
                {"term": terms[body], "name": name, "position": position},
                {
                    "cooperative": coop,
                    "region_code": coop.region_code,
                    "party_role": party_role,
                    "committee_role": committee_role,
                },
                ctx,
            )


# -- charters ----------------------------------------------------------------------------------------------

# township → its reviewing official; villages without a demo accountant are drafted by demo-admin;
# demo-county files every charter
TOWNSHIP_OFFICIALS = {"371323104": "demo-township", "371323105": "demo-township2"}
VILLAGE_ACCOUNTANTS = {"371323104201": "demo-accountant", "371323105201": "demo-accountant2"}
# members in total, present, for, against, abstain at the assembly that adopted version 1
VOTES = {
    "371323104201": (126, 112, 109, 2, 1),
    "371323104202": (88, 70, 66, 3, 1),
    "371323104203": (45, 36, 34, 1, 1),
    "371323105201": (152, 131, 127, 2, 2),
    "371323105202": (64, 50, 47, 2, 1),
    "371323105203": (37, 30, 28, 1, 1),
}


def charter_sections(coop, *, collective_stake: str = "20%") -> dict:
    """Model-charter wording adapted to one demo cooperative (seed 002 §5's six items and the party clause)."""
    return {
        "organisation": (
            "本社设成员大会，由全体成员组成，是本社的最高权力机构。本社设理事会，理事长由村党支部书记通过合法程序担任，"
            "理事会成员由成员大会选举产生；设监事会（或执行监事），对理事会和经理的工作进行监督。"
            "理事长、理事、经理和财务会计人员不得兼任监事。理事会、监事会每届任期五年，可连选连任。"
            "村“两委”成员与理事会、监事会成员双向进入、交叉任职。"
        ),
        "share_structure": (
            f"村股份经济合作社代表村集体入股，集体股占股比例不低于{collective_stake}；党支部成员合计占股不低于1%；"
            "单个成员占股比例不超过20%。成员以现金、土地经营权、林权等出资，非货币出资经评估作价并经全体成员确认。"
        ),
        "operating_mechanism": (
            "本社实行自主经营、民主管理。重大事项实行“四议两公开”：党支部提议、“两委”商议、党员大会审议、成员大会决议，"
            "决议公开、实施结果公开。财务由村报账员按《农民专业合作社会计制度》记账，每季度公开财务收支。"
        ),
        "surplus_distribution": (
            "年度盈余弥补亏损后，按“217”模式分配：20%留作发展和风险基金，10%奖励管理人员，70%按股份比例分配给全体股东。"
            "分配方案经成员大会批准后实施。"
        ),
        "party_building": (
            "本社坚持中国共产党的领导，村党支部领办本社，党支部书记担任理事长。本社党的工作融入生产经营，"
            "党员示范带头，建立党组织与群众的经济联结纽带。"
        ),
        "collective_veto": True,
        "collective_veto_matters": "本社合并、分立、解散，对外担保，处置集体入股资产。",
        "other_provisions": (
            "成员入社自愿、退社自由，地位平等。成员退社须在会计年度终了的三个月前提出书面申请。"
            "本章程的修改须经镇审核后，由成员大会表决通过，报县委组织部、县农业农村局备案。"
        ),
    }


def _run_first_charter(ctx: DemoContext, code: str, coop) -> None:
    from cooperatives.choices import CharterReviewItem
    from cooperatives.models import Charter
    from cooperatives.services import charters as services

    township = ctx.users[TOWNSHIP_OFFICIALS[code[:9]]]
    village = ctx.users.get(VILLAGE_ACCOUNTANTS.get(code, ""), ctx.users["demo-admin"])
    county = ctx.users["demo-county"]
    charter = services.charter_create(actor=village, cooperative=coop, **charter_sections(coop))
    services.charter_submit(actor=village, charter=charter)
    services.charter_review(
        actor=township,
        charter=charter,
        items={item: {"result": "pass", "comment": ""} for item in CharterReviewItem.values},
        comment="逐项审核通过。",
    )
    total, present, votes_for, against, abstain = VOTES[code]
    today = timezone.localdate()
    services.charter_record_vote(
        actor=village,
        charter=charter,
        vote_date=today,
        members_total=total,
        members_present=present,
        votes_for=votes_for,
        votes_against=against,
        votes_abstain=abstain,
    )
    services.charter_file(actor=county, charter=charter, filed_on=today, filing_number=f"沂组备〔2020〕{code[-3:]}号")
    # the demo county adopted these charters when the cooperatives were founded
    tz = timezone.get_current_timezone()
    Charter.objects.filter(pk=charter.pk).update(
        submitted_at=datetime(2020, 3, 2, 9, 30, tzinfo=tz),
        township_approved_at=datetime(2020, 3, 10, 15, 0, tzinfo=tz),
        vote_date=date(2020, 3, 18),
        adopted_at=datetime(2020, 3, 18, 17, 0, tzinfo=tz),
        filed_on=date(2020, 4, 10),
    )
    ctx.note(f"charter v1 effective for {coop}")


def seed_charters(ctx: DemoContext) -> None:
    """Every demo cooperative has an effective charter; 东安村's version 2 waits in demo-township's inbox."""
    from cooperatives.models import Charter
    from cooperatives.services import charters as services

    for code, coop in ctx.cooperatives.items():
        if Charter.objects.filter(cooperative=coop).exists():
            continue  # idempotent: a cooperative with any version is left as it is
        _run_first_charter(ctx, code, coop)
        if code == "371323104201":
            village = ctx.users["demo-accountant"]
            effective = Charter.objects.get(cooperative=coop, version=1)
            draft = services.charter_amend(
                actor=village,
                charter=effective,
                amendment_note="增加乡村旅游和农产品电子商务业务；明确每季度结束后15日内公开财务收支。",
            )
            services.charter_update(
                actor=village,
                charter=draft,
                business_scope=coop.business_scope + "开展乡村采摘旅游和农产品电子商务销售。",
                operating_mechanism=draft.operating_mechanism.replace(
                    "每季度公开财务收支", "每季度结束后15日内逐笔公开财务收支"
                ),
            )
            services.charter_submit(actor=village, charter=draft, comment="章程修正案，请审核。")
            ctx.note(f"charter v2 submitted for {coop}")


def seed_governance(ctx: DemoContext) -> None:
    seed_board(ctx)
    seed_charters(ctx)
