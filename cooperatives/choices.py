"""Enumerations of the cooperative registry (DOMAIN.md 1.5)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CooperativeKind(models.TextChoices):
    FARMER = "farmer", _("Farmer specialized cooperative")  # 农民专业合作社
    JOINT_STOCK = "joint_stock", _("Joint-stock economic cooperative")  # 股份经济合作社
    FEDERATION = "federation", _("Federation of cooperatives")  # 联合社
    TOWNSHIP_FEDERATION = "township_federation", _("Township-led federation")  # 党委领导联合社


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
