"""Demo cooperatives: one branch-led cooperative per demo village, and their governance records."""

from datetime import UTC, date, datetime, timedelta
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
    seed_board_and_charters(ctx)
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
            "年度盈余先弥补亏损，再按“217”模式在《农民专业合作社法》框架内分配：20%提取公积金，按出资额量化到成员；"
            "10%作为管理人员奖励，在当年列支；可分配盈余的60%以上按成员与本社的交易量（额）返还，"
            "其余按成员出资额和公积金份额分配。成员退社的，参与退社当年的盈余分配，并退还出资额和公积金份额。"
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
    _seed_charter_to_file(ctx)


XILING = "371323104202"


def _seed_charter_to_file(ctx: DemoContext) -> None:
    """西岭村's amendment: approved by the township and adopted by the member assembly ten days ago, it
    waits for demo-county's filing (备案)."""
    from cooperatives.choices import CharterReviewItem, CharterState
    from cooperatives.models import Charter
    from cooperatives.services import charters as services

    coop = ctx.cooperatives.get(XILING)
    if coop is None or Charter.objects.filter(cooperative=coop, version__gt=1).exists():
        return
    effective = Charter.objects.filter(cooperative=coop, state=CharterState.EFFECTIVE).first()
    if effective is None:
        return
    village, township = ctx.users["demo-admin"], ctx.users["demo-township"]
    draft = services.charter_amend(
        actor=village, charter=effective, amendment_note="增加土地托管服务；明确入股土地保底收益每亩每年800元。"
    )
    services.charter_update(
        actor=village, charter=draft, business_scope=coop.business_scope + "开展土地托管和农业生产社会化服务。"
    )
    services.charter_submit(actor=village, charter=draft, comment="章程修正案，请审核。")
    services.charter_review(
        actor=township,
        charter=draft,
        items={item: {"result": "pass", "comment": ""} for item in CharterReviewItem.values},
        comment="逐项审核通过。",
    )
    services.charter_record_vote(
        actor=village,
        charter=draft,
        vote_date=timezone.localdate(),
        members_total=88,
        members_present=71,
        votes_for=68,
        votes_against=2,
        votes_abstain=1,
    )
    # the steps as they were taken: submitted three weeks ago, approved, voted ten days ago
    now = timezone.now()
    Charter.objects.filter(pk=draft.pk).update(
        submitted_at=now - timedelta(days=21),
        township_approved_at=now - timedelta(days=15),
        vote_date=timezone.localdate() - timedelta(days=10),
        adopted_at=now - timedelta(days=10),
    )
    ctx.note(f"charter v2 of {coop} waits for the county's filing")


def seed_board_and_charters(ctx: DemoContext) -> None:
    seed_board(ctx)
    seed_charters(ctx)


# -- governance: federation, classification and awards, major matters, projects, archive -----------

FEDERATION_NAME = "沂水县许家湖镇党委领导果蔬产业联合社"
XUJIAHU_VILLAGES = ["371323104201", "371323104202", "371323104203"]
DONGAN = "371323104201"

# the minutes of 四议两公开, step by step: (date, minutes/outcome, votes)
COMPLETE_MATTER = [
    (date(2024, 3, 1), "村党支部委员会提议新建300吨苹果冷库，提交两委会商议。", None),
    (date(2024, 3, 4), "两委联席会议商议，形成建设意见。", (7, 7, 6, 0, 1)),
    (date(2024, 3, 8), "党员大会审议通过建设方案。", (32, 27, 25, 1, 1)),
    (date(2024, 3, 12), "成员代表大会表决通过。", (156, 131, 120, 6, 5)),
    (date(2024, 3, 13), "决议在村务公开栏和微信群公示7日。", None),
    (date(2024, 10, 30), "冷库建成投用，实施结果在村务公开栏公示。", None),
]
HALFWAY_MATTER = [
    (date(2025, 1, 6), "村党支部提议流转西坡土地120亩发展矮砧苹果。", None),
    (date(2025, 1, 9), "两委联席会议商议，同意提交党员大会审议。", (7, 6, 6, 0, 0)),
]
EXPERTS = [
    ("王立国", "果树栽培", "沂水县农业农村局", "高级农艺师", "13905390101"),
    ("陈晓梅", "农村财务", "沂水县财政局", "会计师", "13905390102"),
    ("刘振华", "农产品市场", "临沂市农业科学院", "副研究员", "13905390103"),
    ("张明", "合作社经营", "沂水县农村经营管理站", "站长", "13905390104"),
]
# a minimal one-page PDF, so the demo archive has a file to download
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _seed_federation(ctx: DemoContext):
    from cooperatives.models import Cooperative, FederationMembership

    township = ctx.regions["371323104"]
    federation = upsert(
        Cooperative,
        {"village": township, "name": FEDERATION_NAME},
        {
            "region_code": township.padded_code,
            "kind": CooperativeKind.TOWNSHIP_FEDERATION,
            "legal_representative": "李秀英",
            "chair_name": "赵德明",
            "chair_is_branch_secretary": True,
            "registered_capital": Decimal("600000.00"),
            "business_scope": "统一组织成员社果蔬生产、冷链仓储、品牌营销和农资统购。",
            "main_industry": Industry.FRUIT,
            "founding_date": date(2023, 5, 20),
            "status": CooperativeStatus.OPERATING,
            "address": "山东省临沂市沂水县许家湖镇人民政府",
        },
        ctx,
    )
    for code, contribution in zip(XUJIAHU_VILLAGES, ("300000.00", "200000.00", "100000.00"), strict=True):
        member = ctx.cooperatives[code]
        upsert(
            FederationMembership,
            {"federation": federation, "member": member},
            {
                "region_code": federation.region_code,
                "member_region_code": member.region_code,
                "joined_on": date(2023, 5, 20),
                "contribution": Decimal(contribution),
            },
            ctx,
        )
    return federation


def _seed_recognition(ctx: DemoContext) -> None:
    from cooperatives.models import ClassificationChange, DemonstrationAward, ProductCertification
    from cooperatives.services.classification import certification_award_amount, demonstration_award_amount

    county_official = ctx.users["demo-county"]
    for code, values in COOPERATIVES.items():
        coop = ctx.cooperatives[code]
        upsert(
            ClassificationChange,
            {"cooperative": coop, "classification": values[5]},
            {
                "region_code": coop.region_code,
                "previous": "",
                "changed_on": date(2022, 6, 30),
                "reason": "2022年全县合作社分类评定",
                "changed_by": county_official,
            },
            ctx,
        )
    dongan = ctx.cooperatives[DONGAN]
    amount, basis = demonstration_award_amount(dongan.region_code, "municipal")
    upsert(
        DemonstrationAward,
        {"cooperative": dongan, "level": "municipal"},
        {
            "region_code": dongan.region_code,
            "year": 2023,
            "document_number": "临农字〔2023〕18号",
            "recorded_by": county_official,
        },
        ctx,
        create_only={"award_amount": amount, "award_basis": basis},
    )
    amount, basis = certification_award_amount(dongan.region_code, "green_food")
    upsert(
        ProductCertification,
        {"kind": "green_food", "certificate_number": "LB-13-2306120583A"},
        {
            "cooperative": dongan,
            "region_code": dongan.region_code,
            "product": "东安红富士苹果",
            "certified_on": date(2023, 6, 12),
            "recorded_by": county_official,
        },
        ctx,
        create_only={"award_amount": amount, "award_basis": basis},
    )


def _seed_matter(ctx: DemoContext, *, title, category, amount, steps) -> None:
    from cooperatives.choices import MatterStatus
    from cooperatives.models import MajorMatter, MajorMatterStep

    dongan = ctx.cooperatives[DONGAN]
    accountant = ctx.users["demo-accountant"]
    # the party organisation's steps (1–3) recorded by the branch secretary who chairs the
    # cooperative, the assembly's resolution and the publications by the accountant: whoever
    # records a party step does not record the vote (cooperatives.services.major_matters)
    chair = ctx.users["demo-chair"]
    done = len(steps)
    matter = upsert(
        MajorMatter,
        {"cooperative": dongan, "title": title},
        {
            "region_code": dongan.region_code,
            "category": category,
            "amount": amount,
            "status": MatterStatus.COMPLETED if done == 6 else MatterStatus.IN_PROGRESS,
            "current_step": done,
            "created_by": accountant,
        },
        ctx,
    )
    for number, (day, text, votes) in enumerate(steps, start=1):
        recorder = chair if number <= 3 else accountant
        values = {"region_code": dongan.region_code, "held_on": day, "recorded_by": recorder}
        if number >= 5:
            values["outcome"] = text
        else:
            values["minutes"] = text
        if votes:
            expected, present, for_, against, abstain = votes
            values |= {
                "expected_attendance": expected,
                "present": present,
                "votes_for": for_,
                "votes_against": against,
                "votes_abstain": abstain,
                "passed": True,
            }
        upsert(MajorMatterStep, {"matter": matter, "step": number}, values, ctx)


def _seed_projects(ctx: DemoContext) -> None:
    from django.contrib.contenttypes.models import ContentType

    from cooperatives.choices import ProposalStatus
    from cooperatives.models import Expert, ExpertReview, ProjectProposal
    from cooperatives.services.projects import APPROVAL_KIND
    from core.choices import ApprovalAction, ApprovalState, RegionLevel, Role
    from core.models import ApprovalRequest, ApprovalStep

    county = ctx.regions["371323"]
    experts = []
    for name, field, organisation, title, phone in EXPERTS:
        experts.append(
            upsert(
                Expert,
                {"region": county, "name": name, "phone": phone},
                {
                    "region_code": county.padded_code,
                    "pool_prefix": county.prefix,
                    "field": field,
                    "organisation": organisation,
                    "title": title,
                    "is_active": True,
                },
                ctx,
            )
        )
    dongan = ctx.cooperatives[DONGAN]
    accountant = ctx.users["demo-accountant"]
    township_official = ctx.users["demo-township"]
    proposal = upsert(
        ProjectProposal,
        {"cooperative": dongan, "title": "东安村苹果分级包装车间建设项目"},
        {
            "region_code": dongan.region_code,
            "main_business": "苹果分级、包装和电商销售",
            "scale": "建设分级包装车间600平方米，购置分级线一条",
            "total_investment": Decimal("680000.00"),
            "own_funds": Decimal("280000.00"),
            "fiscal_funds": Decimal("300000.00"),
            "debt_amount": Decimal("100000.00"),
            "other_funds": Decimal("0.00"),
            "financing_note": "借款10万元为县农商行“强村贷”，期限三年。",
            "expected_annual_return": Decimal("120000.00"),
            "market_study": "本村及周边年产苹果约4000吨，分级后精品果售价提高0.8元/斤；已与两家电商平台洽谈供货。",
            "risks": "市场价格波动：订单销售为主；设备故障：厂家三年保修。",
            "status": ProposalStatus.SUBMITTED,
            "created_by": accountant,
        },
        ctx,
    )
    ctype = ContentType.objects.get_for_model(ProjectProposal)
    request = upsert(
        ApprovalRequest,
        {"kind": APPROVAL_KIND, "subject_type": ctype, "subject_id": proposal.pk},
        {
            "title": f"项目：{proposal.title}",
            "region_code": proposal.region_code,
            "state": ApprovalState.SUBMITTED,
            "stages": [{"role": Role.TOWNSHIP_OFFICIAL, "level": RegionLevel.TOWNSHIP}],
            "stage_index": 0,
            "decider_role": Role.TOWNSHIP_OFFICIAL,
            "decider_prefix": proposal.region_code[:9],
            "amount": proposal.total_investment,
            "requested_by": accountant,
            "submitted_at": datetime(2025, 3, 3, 9, 30, tzinfo=UTC),
        },
        ctx,
    )
    for action, from_state, to_state in (
        (ApprovalAction.CREATE, "", ApprovalState.DRAFT),
        (ApprovalAction.SUBMIT, ApprovalState.DRAFT, ApprovalState.SUBMITTED),
    ):
        upsert(
            ApprovalStep,
            {"request": request, "action": action},
            {
                "from_state": from_state,
                "to_state": to_state,
                "actor": accountant,
                "actor_role": Role.VILLAGE_ACCOUNTANT,
            },
            ctx,
        )
    if proposal.approval_id != request.pk:
        proposal.approval = request
        proposal.save(update_fields=["approval"])
    # three experts convened; two reviews recorded, the third still to come
    recorded = {
        experts[0].pk: (4, 4, 4, 5, "approve", "技术路线成熟，建议实施。"),
        experts[2].pk: (4, 3, 4, 4, "revise", "市场可行，建议落实电商订单后再扩大规模。"),
    }
    for expert in experts[:3]:
        values = {"region_code": proposal.region_code, "assigned_by": township_official}
        if expert.pk in recorded:
            feasibility, risk, ret, market, recommendation, opinion = recorded[expert.pk]
            values |= {
                "feasibility": feasibility,
                "risk": risk,
                "expected_return": ret,
                "market": market,
                "recommendation": recommendation,
                "opinion": opinion,
                "reviewed_on": date(2025, 3, 10),
                "recorded_by": township_official,
            }
        upsert(ExpertReview, {"proposal": proposal, "expert": expert}, values, ctx)


def _seed_archive(ctx: DemoContext) -> None:
    from django.core.files.base import ContentFile

    from cooperatives.models import ArchivedDocument, SealUse

    dongan = ctx.cooperatives[DONGAN]
    lookup = {"cooperative": dongan, "doc_type": "charter", "number": "DA-ZC-2020-01"}
    values = {
        "region_code": dongan.region_code,
        "title": "沂水县东安村富民果品种植专业合作社章程",
        "doc_date": date(2020, 3, 10),
        "keeper": "李秀英",
        "location": "许家湖镇党建办档案柜A-03",
        "file_name": "东安村合作社章程.pdf",
        "file_size": len(DEMO_PDF),
        "archived_by": ctx.users["demo-township"],
    }
    document = ArchivedDocument.objects.filter(**lookup).first()
    if document is None:
        document = ArchivedDocument(**lookup, **values)
        document.file.save("dongan-charter.pdf", ContentFile(DEMO_PDF), save=False)
        document.save()
        ctx.note(f"created archiveddocument {document}")
    accountant = ctx.users["demo-accountant"]
    upsert(
        SealUse,
        {"cooperative": dongan, "used_on": date(2025, 3, 5), "purpose": "签订苹果购销合同"},
        {
            "region_code": dongan.region_code,
            "document_title": "2025年苹果购销合同（与沂水县果品公司）",
            "copies": 2,
            "handler": accountant,
            "handler_confirmed_at": datetime(2025, 3, 5, 10, 0, tzinfo=UTC),
            "recorded_by": accountant,
        },
        ctx,
    )


def seed_governance(ctx: DemoContext) -> None:
    """A township-led federation of 许家湖镇's three cooperatives; classification history, a
    municipal title and a green-food certificate for 东安村; one complete and one halfway major
    matter; the county's expert pool; a proposal in 许家湖镇's inbox; a charter in the archive and a
    seal use waiting for the chair."""
    from cooperatives.choices import MatterCategory

    _seed_federation(ctx)
    _seed_recognition(ctx)
    _seed_matter(
        ctx,
        title="新建300吨苹果冷库",
        category=MatterCategory.PROJECT,
        amount=Decimal("860000.00"),
        steps=COMPLETE_MATTER,
    )
    _seed_matter(
        ctx, title="流转西坡土地120亩发展矮砧苹果", category=MatterCategory.ASSET, amount=None, steps=HALFWAY_MATTER
    )
    _seed_projects(ctx)
    _seed_archive(ctx)
