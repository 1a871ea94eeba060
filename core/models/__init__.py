"""Kernel models."""

from core.models.approvals import ApprovalRequest, ApprovalStep
from core.models.base import TenantModel, TimeStampedModel
from core.models.notifications import GroupWebhook, Notification, NotificationPreference, WebhookDelivery
from core.models.policy import CountyPolicy, PolicyProfile
from core.models.regions import Region
from core.models.users import RoleAssignment, User

__all__ = [
    "ApprovalRequest",
    "ApprovalStep",
    "CountyPolicy",
    "GroupWebhook",
    "Notification",
    "NotificationPreference",
    "PolicyProfile",
    "Region",
    "RoleAssignment",
    "TenantModel",
    "TimeStampedModel",
    "User",
    "WebhookDelivery",
]
