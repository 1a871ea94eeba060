"""Enumerations of the shares app (DOMAIN.md 1.1, 1.2; law Arts. 25, 28, 42–44)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ShareClass(models.TextChoices):
    """Share classes. One share is one yuan of paid-in capital, so amounts are in yuan (two places)."""

    ORDINARY = "ordinary", _("Ordinary shares")  # 普通股：成员出资
    COLLECTIVE = "collective", _("Collective shares")  # 集体股：村集体（或书记代持）
    POVERTY = "poverty", _("Poverty-alleviation shares")  # 扶贫股：财政扶贫资金量化


class ContributionKind(models.TextChoices):
    CASH = "cash", _("Cash")  # 现金
    LAND = "land", _("Land contract-management rights")  # 土地承包经营权
    FOREST = "forest", _("Forest rights")  # 林权
    INTELLECTUAL_PROPERTY = "ip", _("Intellectual property")  # 知识产权
    GOODS = "goods", _("Physical goods")  # 实物
    ATTACHMENTS = "attachments", _("Ground attachments")  # 地上附着物
    FISCAL_FUNDS = "fiscal_funds", _("Quantified fiscal poverty-alleviation funds")  # 财政扶贫资金量化
    COLLECTIVE_ASSETS = "collective_assets", _("Collective resources, assets and funds")  # 集体“三资”


# non-cash contributions carry an appraised value, who appraised it and when (DOMAIN.md 1.2);
# quantified fiscal funds are an amount of money set by the funding decision, not an appraisal
APPRAISED_KINDS = frozenset(
    {
        ContributionKind.LAND,
        ContributionKind.FOREST,
        ContributionKind.INTELLECTUAL_PROPERTY,
        ContributionKind.GOODS,
        ContributionKind.ATTACHMENTS,
        ContributionKind.COLLECTIVE_ASSETS,
    }
)


class ContributionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CONFIRMED = "confirmed", _("Confirmed")
    CANCELLED = "cancelled", _("Cancelled")


class EntryType(models.TextChoices):
    SUBSCRIBE = "subscribe", _("Subscription")  # 认购（出资确认）
    TRANSFER = "transfer", _("Transfer")  # 转让
    WITHDRAW = "withdraw", _("Withdrawal and refund")  # 退股
    GIFT = "gift", _("Gift")  # 股权赠与
    CONVERSION = "conversion", _("Reserve converted into capital")  # 公积金转增
    CAPITALISE = "capitalise", _("Surplus converted into capital")  # 盈余转为成员出资（法第四十四条）
    REVERSAL = "reversal", _("Reversal")  # 冲正


class WithdrawalState(models.TextChoices):
    PENDING = "pending", _("Applied, waiting for the year end")
    EXECUTED = "executed", _("Refunded")
    CANCELLED = "cancelled", _("Cancelled")


class CertificateState(models.TextChoices):
    VALID = "valid", _("Valid")
    VOID = "void", _("Void")


class ImportState(models.TextChoices):
    PENDING = "pending", _("Waiting")
    VALIDATING = "validating", _("Checking rows")
    INVALID = "invalid", _("Rejected: bad rows")
    WRITING = "writing", _("Writing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")


class ComplianceStatus(models.TextChoices):
    PASSED = "passed", _("Passed")
    WARNING = "warning", _("Warning")
    FAILED = "failed", _("Failed")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")
