"""Enumerations of the dividends app (DOMAIN.md §1.3, §2.6, §2.6.1)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class StepKind(models.TextChoices):
    """What one step of a distribution policy does, in the order the policy lists them."""

    LOSSES = "losses", _("Make up prior losses")  # 弥补亏损
    REWARDS = "rewards", _("Rewards for management, technology and service contributions")  # 贡献奖励（先于可分配盈余）
    RESERVE = "reserve", _("Reserve fund")  # 提取公积金
    DEV_FUND = "dev_fund", _("Development and risk fund")  # 发展风险金
    MANAGER_REWARD = "manager_reward", _("Manager reward")  # 管理人员奖励
    PATRONAGE = "patronage", _("Patronage refund")  # 盈余返还（按交易量/额）
    SHARES = "shares", _("Distribution by share ratio")  # 按股分配


# the steps taken before the distributable surplus (可分配盈余) is known
PRE_KINDS = frozenset({StepKind.LOSSES, StepKind.REWARDS, StepKind.RESERVE, StepKind.DEV_FUND, StepKind.MANAGER_REWARD})
# rewards for management and contributions are an expense of the year (seed 002 §7: 列支 before the
# distributable surplus), booked as wages owed before the year's surplus is closed
REWARD_KINDS = frozenset({StepKind.REWARDS, StepKind.MANAGER_REWARD})
# what the plan puts into the reserve fund (公积金): 217's "retained for development and risk" too
RESERVE_KINDS = frozenset({StepKind.RESERVE, StepKind.DEV_FUND})
# the steps that are split over the members
MEMBER_KINDS = frozenset({StepKind.PATRONAGE, StepKind.SHARES})


class RateMode(models.TextChoices):
    FIXED = "fixed", _("Fixed rate")
    CAP = "cap", _("At most")  # the plan may choose a lower rate
    FLOOR = "floor", _("At least")  # the plan may choose a higher rate
    REST = "rest", _("All that remains")
    CHARTER = "charter", _("As the charter sets")  # the charter's rate; the policy's when it says none


class StepBase(models.TextChoices):
    SURPLUS = "surplus", _("The year's surplus (after losses made up)")
    REMAINING = "remaining", _("What the earlier steps leave")
    DISTRIBUTABLE = "distributable", _("The distributable surplus")


class Basis(models.TextChoices):
    """How a member pool is weighted."""

    CAPITAL = "capital", _("Paid-in capital on the record date")
    ACCOUNT = "account", _("Capital and quantified shares in the member account")  # law Art. 44 (3)
    AMOUNT = "amount", _("Transaction amount")
    VOLUME = "volume", _("Transaction volume")


class PlanState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CHECKING = "checking", _("Waiting for the chair's check")
    CHECKED = "checked", _("Checked by the chair; before the member assembly")
    FILING = "filing", _("Filed with the township, waiting")
    RETURNED = "returned", _("Returned by the township")
    REJECTED = "rejected", _("Refused by the township")
    FILED = "filed", _("Filed; ready to carry out")
    EXECUTED = "executed", _("Carried out")
    SUPERSEDED = "superseded", _("Replaced by a new version")


FROZEN_STATES = frozenset(set(PlanState) - {PlanState.DRAFT})
REVISABLE_STATES = frozenset(
    {PlanState.CHECKING, PlanState.CHECKED, PlanState.FILING, PlanState.RETURNED, PlanState.REJECTED, PlanState.FILED}
)


class SurplusSource(models.TextChoices):
    BOOKS = "books", _("Closed books of the year")
    ENTERED = "entered", _("Entered figure")


class PayoutMethod(models.TextChoices):
    CASH = "cash", pgettext_lazy("payout method", "Cash")  # 现金 (in shares, a contribution in cash is 货币)
    BANK = "bank", _("Bank transfer")


class PayoutStatus(models.TextChoices):
    UNPAID = "unpaid", pgettext_lazy("payout", "Unpaid")  # 未发放
    PAID = "paid", pgettext_lazy("payout", "Paid")  # 已发放
