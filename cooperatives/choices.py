"""Enumerations of the cooperative registry (DOMAIN.md 1.5)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CooperativeKind(models.TextChoices):
    FARMER = "farmer", _("Farmer specialized cooperative")  # 农民专业合作社
    JOINT_STOCK = "joint_stock", _("Joint-stock economic cooperative")  # 股份经济合作社
    FEDERATION = "federation", _("Federation of cooperatives")  # 联合社
    TOWNSHIP_FEDERATION = "township_federation", _("Township-led federation")  # 党委领导联合社


# DOMAIN.md §1.3: the Farmer Specialized Cooperatives Law binds farmer cooperatives and federations
# (losses made up first, Art. 42; at least 60% of the distributable surplus returned by members'
# transactions, Art. 44). A joint-stock economic cooperative is a collective economic organisation:
# it distributes by its charter and the collective rules. The legal check follows the kind, never
# the scheme a charter chose.
LAW_BOUND_KINDS = frozenset({CooperativeKind.FARMER, CooperativeKind.FEDERATION, CooperativeKind.TOWNSHIP_FEDERATION})


class ReserveBasis(models.TextChoices):
    """How the charter quantifies the reserve extracted each year into the members' shares (law Art. 42)."""

    CAPITAL = "capital", _("By contribution")  # 按出资额
    TRANSACTIONS = "transactions", _("By transaction amount")  # 按交易额
    EQUAL = "equal", _("Equally per member")  # 按成员平均


class LeaverShare(models.TextChoices):
    """How a member who leaves takes part in the distribution of the year of leaving (law Art. 28)."""

    YEAR_END = "year_end", _("By the holding at the year end, as if still a member")  # 按年末持股参与当年分配
    DAYS = "days", _("Pro rata by the days shares were held in the year")  # 按当年持股天数折算


class CooperativeStatus(models.TextChoices):
    PREPARING = "preparing", _("Preparing")  # 筹建
    OPERATING = "operating", _("Operating")  # 运营
    DEREGISTERED = "deregistered", _("Deregistered")  # 注销


class OperatingMode(models.TextChoices):
    SELF_RUN = "self_run", _("Self-run")  # 自主经营
    COOPERATIVE = "cooperative", _("Joint operation")  # 合作经营
    CONTRACTED = "contracted", _("Contracted out")  # 承包经营
    TRUSTEESHIP = "trusteeship", _("Trusteeship")  # 托管经营
    ORDER = "order", _("Order farming")  # 订单经营
    PRODUCE_AND_SELL = "produce_and_sell", _("Produce and sell")  # 自产自销
    UNIFIED_PURCHASE = "unified_purchase", _("Unified purchase and sale")  # 统购统销
    PROPERTY = "property", _("Property development")  # 置业发展
    SERVICES = "services", _("Comprehensive services")  # 综合服务


class Industry(models.TextChoices):
    CROPS = "crops", _("Crop farming")
    FRUIT = "fruit", _("Fruit growing")
    LIVESTOCK = "livestock", _("Livestock")
    FORESTRY = "forestry", _("Forestry")
    FISHERY = "fishery", _("Fishery")
    PROCESSING = "processing", _("Agricultural processing")
    TOURISM = "tourism", _("Rural tourism")
    LOGISTICS = "logistics", _("Logistics")
    LABOUR = "labour", _("Labour services")
    AGRI_SERVICES = "agri_services", _("Agricultural services")
    OTHER = "other", _("Other")


class BusinessType(models.TextChoices):
    LAND_SHARE = "land_share", _("Land shareholding")  # 土地股份型
    PRODUCTION = "production", _("Production and operation")  # 生产经营型
    SERVICE = "service", _("Labour and services")  # 劳务(服务)型
    ENTERPRISE_STAKE = "enterprise_stake", _("Stake in a leading enterprise")


class Classification(models.TextChoices):
    """The four types existing cooperatives are sorted into (seed 004)."""

    LEADING = "leading", _("Demonstration-leading")  # 示范引领型
    IMPROVING = "improving", _("Standardise and improve")  # 规范提升型
    TRANSFORMING = "transforming", _("Transform")  # 改造转化型
    REBUILDING = "rebuilding", _("Rebuild")  # 重新组建型


# -- board, supervisory board and cross-serving (DOMAIN.md 1.1, law Arts. 33, 35) ----------------


class BoardBody(models.TextChoices):
    """The body a term belongs to: the board (with the manager and finance staff it hires) or the
    supervisory side (a supervisory board or one executive supervisor)."""

    BOARD = "board", _("Board of directors")  # 理事会
    SUPERVISORY = "supervisory", _("Supervisory board")  # 监事会 / 执行监事


class BoardPosition(models.TextChoices):
    CHAIR = "chair", _("Chair")  # 理事长
    VICE_CHAIR = "vice_chair", _("Vice chair")  # 副理事长
    DIRECTOR = "director", _("Director")  # 理事
    MANAGER = "manager", _("Manager")  # 经理
    FINANCE = "finance", _("Finance / accounting staff")  # 财务/会计
    SUPERVISORY_CHAIR = "supervisory_chair", _("Chair of the supervisory board")  # 监事长
    SUPERVISOR = "supervisor", _("Supervisor")  # 监事
    EXECUTIVE_SUPERVISOR = "executive_supervisor", _("Executive supervisor")  # 执行监事


BOARD_POSITIONS = frozenset(
    {
        BoardPosition.CHAIR,
        BoardPosition.VICE_CHAIR,
        BoardPosition.DIRECTOR,
        BoardPosition.MANAGER,
        BoardPosition.FINANCE,
    }
)
SUPERVISORY_POSITIONS = frozenset(
    {BoardPosition.SUPERVISORY_CHAIR, BoardPosition.SUPERVISOR, BoardPosition.EXECUTIVE_SUPERVISOR}
)
POSITIONS_BY_BODY = {BoardBody.BOARD: BOARD_POSITIONS, BoardBody.SUPERVISORY: SUPERVISORY_POSITIONS}
# Law Art. 33: the chair, directors, manager and financial/accounting staff may not be supervisors.
# A vice chair is a director.
BARRED_FROM_SUPERVISION = BOARD_POSITIONS


class VillagePartyRole(models.TextChoices):
    """Post in the village party branch (村党支部) held by a board member: cross-serving."""

    SECRETARY = "secretary", _("Party branch secretary")  # 村党支部书记
    DEPUTY_SECRETARY = "deputy_secretary", _("Party branch deputy secretary")  # 村党支部副书记
    COMMITTEE_MEMBER = "committee_member", _("Party branch committee member")  # 村党支部委员


class VillageCommitteeRole(models.TextChoices):
    """Post in the villagers' committee (村委会) held by a board member: cross-serving."""

    DIRECTOR = "director", _("Villagers' committee director")  # 村委会主任
    DEPUTY_DIRECTOR = "deputy_director", _("Villagers' committee deputy director")  # 村委会副主任
    MEMBER = "member", _("Villagers' committee member")  # 村委会委员


# -- charters (DOMAIN.md 1.4, 2.3, 8; seed 002 §5) -------------------------------------------------


class CharterState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted to the township")
    RETURNED = "returned", _("Returned for changes")
    TOWNSHIP_APPROVED = "township_approved", _("Approved by the township")
    ADOPTED = "adopted", _("Adopted by the member assembly")
    EFFECTIVE = "effective", _("Filed and effective")
    SUPERSEDED = "superseded", _("Superseded")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    REJECTED = "rejected", _("Rejected by the township")


# A cooperative has at most one version in these states at a time.
OPEN_CHARTER_STATES = (
    CharterState.DRAFT,
    CharterState.SUBMITTED,
    CharterState.RETURNED,
    CharterState.TOWNSHIP_APPROVED,
    CharterState.ADOPTED,
)
EDITABLE_CHARTER_STATES = (CharterState.DRAFT, CharterState.RETURNED)
# What a member may read: the charter in force and the ones it replaced (law Art. 21).
PUBLISHED_CHARTER_STATES = (CharterState.EFFECTIVE, CharterState.SUPERSEDED)


class CharterReviewItem(models.TextChoices):
    """The six items the township reviews one by one (seed 002 §5, DOMAIN.md 1.4)."""

    NAME_ADDRESS = "name_address", _("Name and address")  # 名称住所
    BUSINESS_SCOPE = "business_scope", _("Business scope")  # 业务范围
    ORGANISATION = "organisation", _("Organisation")  # 组织机构
    SHARE_STRUCTURE = "share_structure", _("Share structure")  # 股权结构
    OPERATING_MECHANISM = "operating_mechanism", _("Operating mechanism")  # 运行机制
    SURPLUS_DISTRIBUTION = "surplus_distribution", _("Surplus distribution")  # 盈余分配


class ReviewResult(models.TextChoices):
    PASS = "pass", _("Passed")
    RETURN = "return", _("Returned")


class AssemblyMeeting(models.TextChoices):
    """Which meeting adopted a charter version, and so which voting rule applied."""

    FOUNDING = "founding", _("Founding meeting")  # 设立大会 (Art. 14: unanimous)
    MEMBER_ASSEMBLY = "member_assembly", _("Member assembly")  # 成员大会 (Art. 30: two thirds)


FEDERATION_KINDS = frozenset({CooperativeKind.FEDERATION, CooperativeKind.TOWNSHIP_FEDERATION})


class DemonstrationLevel(models.TextChoices):
    """Levels of demonstration cooperative (示范社), each with a one-off award (seed 002 §24)."""

    NATIONAL = "national", _("National")  # 国家级
    PROVINCIAL = "provincial", _("Provincial")  # 省级
    MUNICIPAL = "municipal", _("Municipal")  # 市级
    COUNTY = "county", _("County or district")  # 县（区）级


class CertificationKind(models.TextChoices):
    """Product certifications with a one-off award (seed 002 §24)."""

    POLLUTION_FREE = "pollution_free", _("Pollution-free agricultural product")  # 无公害农产品
    GREEN_FOOD = "green_food", _("Green food")  # 绿色食品
    ORGANIC = "organic", _("Organic agricultural product")  # 有机农产品
    GEOGRAPHICAL_INDICATION = "geographical_indication", _("Geographical indication")  # 农产品地理标志


class MatterCategory(models.TextChoices):
    """What kind of major matter goes through 四议两公开."""

    PROJECT = "project", _("Investment or project")
    ASSET = "asset", _("Asset disposal or lease")
    BORROWING = "borrowing", _("Borrowing or guarantee")
    EXPENDITURE = "expenditure", _("Large expenditure")
    CONTRACT = "contract", _("Economic contract")
    DISTRIBUTION = "distribution", _("Surplus distribution plan")
    CHARTER = "charter", _("Charter amendment")
    RESTRUCTURING = "restructuring", _("Merger, division, dissolution or joining a federation")
    MEMBERSHIP = "membership", _("Admission or expulsion of members")
    OTHER = "other", _("Other")


# Art. 30 of the law: amending the charter, merger, division, dissolution and founding or joining a
# federation need two thirds of all votes; other resolutions more than half.
TWO_THIRDS_CATEGORIES = frozenset({MatterCategory.CHARTER, MatterCategory.RESTRUCTURING})


class MatterStep(models.IntegerChoices):
    """四议两公开, in this order (DOMAIN.md §5)."""

    PROPOSAL = 1, _("Party branch proposal")  # 党组织提议
    DISCUSSION = 2, _("Two-committee discussion")  # 两委会商议
    REVIEW = 3, _("Party-member meeting review")  # 党员大会审议
    RESOLUTION = 4, _("Member (representative) assembly resolution")  # 成员(代表)大会决议
    RESOLUTION_PUBLISHED = 5, _("Publication of the resolution")  # 决议公开
    RESULT_PUBLISHED = 6, _("Publication of the implementation result")  # 实施结果公开


VOTING_STEPS = frozenset({MatterStep.DISCUSSION, MatterStep.REVIEW, MatterStep.RESOLUTION})


class MatterStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    REJECTED = "rejected", _("Rejected")
    COMPLETED = "completed", _("Completed")


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Under review")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Refused")


class RefusalReason(models.TextChoices):
    """Why the township refuses a project (seed 002 §6)."""

    UNREASONABLE = "unreasonable", _("Unreasonable project")  # 项目不合理
    HIGH_RISK = "high_risk", _("High risk")  # 风险系数高
    POOR_MARKET = "poor_market", _("Poor market prospects")  # 市场前景差
    DEBT_DRIVEN = "debt_driven", _("Debt-driven development")  # 盲目举债


class Recommendation(models.TextChoices):
    APPROVE = "approve", _("Recommend approval")
    REVISE = "revise", _("Approve after changes")
    REFUSE = "refuse", _("Recommend refusal")


class DocumentType(models.TextChoices):
    """What the township keeps centrally (seed 002 §10)."""

    CHARTER = "charter", _("Charter")  # 章程
    CONTRACT = "contract", _("Contract")  # 合同
    RESOLUTION = "resolution", _("Resolution or minutes")  # 决议、会议记录
    FINANCIAL = "financial", _("Financial document")  # 财务资料
    LICENCE = "licence", _("Licence or certificate")  # 证照
    OTHER = "other", _("Other")


class SealUseStatus(models.TextChoices):
    PENDING = "pending", _("Pending confirmation")
    COMPLETE = "complete", _("Confirmed")
