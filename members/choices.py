"""Enumerations of the members app (DOMAIN.md 1.1, 2.4)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MemberKind(models.TextChoices):
    """Who a member is (Farmer Specialized Cooperatives Law Art. 19)."""

    PERSON = "person", _("Person")  # 个人（农民、村民）
    COLLECTIVE = "collective", _("Village collective")  # 村股份经济合作社，代表村集体
    ENTERPRISE = "enterprise", _("Enterprise / social capital")  # 企业、社会资本
    ORGANISATION = "organisation", _("Other organisation")  # 事业单位、社会组织


# kinds counted by the law's cap on unit members (Art. 20: enterprises, public institutions,
# social organisations). The village collective is a special legal person (Civil Code Art. 99),
# neither a farmer nor one of those three, so it is not counted against the cap.
ORGANISATION_KINDS = frozenset({MemberKind.ENTERPRISE, MemberKind.ORGANISATION})
# kinds identified by a unified social credit code
CODE_KINDS = frozenset({MemberKind.COLLECTIVE, MemberKind.ENTERPRISE, MemberKind.ORGANISATION})


class Gender(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class Vulnerability(models.TextChoices):
    """Why a member counts as vulnerable (seed 002 §3: 孤寡老人等弱势群体)."""

    ELDERLY_ALONE = "elderly_alone", _("Elderly living alone")  # 孤寡老人
    DISABLED = "disabled", _("Disabled")  # 残疾人
    OTHER = "other", _("Other hardship")


class LeaveReason(models.TextChoices):
    WITHDRAWAL = "withdrawal", _("Withdrawal")  # 退社 (Art. 25)
    EXPULSION = "expulsion", _("Expulsion")  # 除名 (Art. 26)
    DEATH = "death", _("Death")
    DISSOLUTION = "dissolution", _("Organisation dissolved")
    OTHER = "other", _("Other")
