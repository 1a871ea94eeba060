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
