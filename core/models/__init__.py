"""Kernel models."""

from core.models.approvals import ApprovalRequest, ApprovalStep
from core.models.base import TenantModel, TimeStampedModel
from core.models.regions import Region
from core.models.users import RoleAssignment, User

__all__ = [
    "ApprovalRequest",
    "ApprovalStep",
    "Region",
    "RoleAssignment",
    "TenantModel",
    "TimeStampedModel",
    "User",
]
