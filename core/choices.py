"""Enumerations of the kernel: region levels, roles, approval states and actions."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    PREFECTURE = "prefecture", _("Prefecture")
    COUNTY = "county", _("County")
    TOWNSHIP = "township", _("Township")
    VILLAGE = "village", _("Village")


# Length of the jurisdiction prefix a region of each level grants (DOMAIN.md §7).
PREFIX_LENGTH = {
    RegionLevel.PREFECTURE: 4,
    RegionLevel.COUNTY: 6,
    RegionLevel.TOWNSHIP: 9,
    RegionLevel.VILLAGE: 12,
}


class Role(models.TextChoices):
    VILLAGE_ACCOUNTANT = "village_accountant", _("Village accountant")
    COOP_CHAIR = "coop_chair", _("Cooperative chair")
    SUPERVISOR = "supervisor", _("Supervisory board")
    TOWNSHIP_OFFICIAL = "township_official", _("Township official")
    COUNTY_OFFICIAL = "county_official", _("County official")
    MEMBER = "member", _("Member")
    SYSTEM_ADMIN = "system_admin", _("System administrator")


# The region level(s) each role may be bound to.
ROLE_LEVELS = {
    Role.VILLAGE_ACCOUNTANT: {RegionLevel.VILLAGE},
    Role.COOP_CHAIR: {RegionLevel.VILLAGE},
    Role.SUPERVISOR: {RegionLevel.VILLAGE},
    Role.MEMBER: {RegionLevel.VILLAGE},
    Role.TOWNSHIP_OFFICIAL: {RegionLevel.TOWNSHIP},
    Role.COUNTY_OFFICIAL: {RegionLevel.COUNTY, RegionLevel.PREFECTURE},
    Role.SYSTEM_ADMIN: set(RegionLevel),
}

STAFF_ROLES = frozenset(
    {
        Role.VILLAGE_ACCOUNTANT,
        Role.COOP_CHAIR,
        Role.SUPERVISOR,
        Role.TOWNSHIP_OFFICIAL,
        Role.COUNTY_OFFICIAL,
        Role.SYSTEM_ADMIN,
    }
)
VILLAGE_ROLES = frozenset({Role.VILLAGE_ACCOUNTANT, Role.COOP_CHAIR, Role.SUPERVISOR})
OVERSIGHT_ROLES = frozenset({Role.TOWNSHIP_OFFICIAL, Role.COUNTY_OFFICIAL})


class ApprovalState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_APPROVAL_STATES = (ApprovalState.DRAFT, ApprovalState.SUBMITTED, ApprovalState.RETURNED)


class ApprovalAction(models.TextChoices):
    CREATE = "create", _("Created")
    SUBMIT = "submit", _("Submitted")
    APPROVE = "approve", _("Approved")
    RETURN = "return", _("Returned")
    REJECT = "reject", _("Rejected")
    WITHDRAW = "withdraw", _("Withdrawn")


class Enforcement(models.TextChoices):
    """How a policy rule acts when a proposed change breaks it."""

    OFF = "off", _("Not applied")
    WARN = "warn", _("Warn")
    REFUSE = "refuse", _("Refuse")


class NotificationKind(models.TextChoices):
    """What happened, for whom a notification is written (DESIGN.md "People and notifications")."""

    SUBMITTED = "submitted", _("Waiting for your decision")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    FILED = "filed", _("Filed on record")
    FINDING_OPENED = "finding_opened", _("Audit finding to rectify")
    DISCLOSURE_DUE = "disclosure_due", _("Disclosure due")
    ALERT_RAISED = "alert_raised", _("Risk alert")


class EmailMode(models.TextChoices):
    IMMEDIATE = "immediate", _("Each notification at once")
    DIGEST = "digest", _("One daily digest")
    OFF = "off", _("No e-mail")


class WebhookKind(models.TextChoices):
    WECOM = "wecom", _("WeCom group robot")
    DINGTALK = "dingtalk", _("DingTalk group robot")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
