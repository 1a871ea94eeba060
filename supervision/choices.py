"""Enumerations of the supervision app (DOMAIN.md 1.4, 1.5)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IncomeTier(models.TextChoices):
    """Bands of a village's collective income (DOMAIN.md 1.5; seeds 000, 001, 002)."""

    WEAK = "weak", _("Weak village (below 50,000)")  # 薄弱村
    BELOW_100K = "below_100k", _("50,000 to 100,000")
    FROM_100K = "from_100k", _("100,000 to 200,000")
    FROM_200K = "from_200k", _("200,000 to 300,000")
    FROM_300K = "from_300k", _("300,000 to 500,000")
    STRONG = "strong", _("Strong village (500,000 and more)")  # 强村


class PairingKind(models.TextChoices):
    """Kinds of assistance (联系帮包, "1+N"; DOMAIN.md 1.4, seed 004)."""

    COUNTY_LEADER = "county_leader", _("County leader's contact village")  # 县级领导联系村
    TOWNSHIP_LEADER = "township_leader", _("Township leader's package")  # 乡镇领导包村
    DEPARTMENT = "department", _("County department pairing")  # 部门帮包
    ENTERPRISE = "enterprise", _("Enterprise pairing")  # 企业结对
    STRONG_HELPS_WEAK = "strong_weak", _("1+N: strong cooperative helps a weaker one")  # 1+N 强带弱


class PairingStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")


class BulletinKind(models.TextChoices):
    """The oversight cadence (周调度、月通报、季研判; DOMAIN.md 1.4, seeds 000, 004)."""

    WEEKLY = "weekly", _("Weekly dispatch")  # 周调度
    MONTHLY = "monthly", _("Monthly bulletin")  # 月通报
    QUARTERLY = "quarterly", _("Quarterly review")  # 季通报/研判
