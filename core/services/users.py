"""User and role-assignment services."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.choices import ROLE_LEVELS, Role
from core.exceptions import BusinessError
from core.models import Region, RoleAssignment, User


@transaction.atomic
def role_assign(*, user: User, role: str, region: Region, note: str = "") -> RoleAssignment:
    """Give ``user`` ``role`` over ``region`` (idempotent); the region's level must suit the role."""
    if region.level not in ROLE_LEVELS[Role(role)]:
        raise BusinessError(
            _("%(role)s cannot be bound to a %(level)s.")
            % {"role": Role(role).label, "level": region.get_level_display()},
            code="role_level_mismatch",
            field="region",
        )
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, region=region, defaults={"note": note}
    )
    if not created and not assignment.is_active:
        assignment.is_active = True
        assignment.save(update_fields=["is_active", "updated_at"])
    try:
        assignment.full_clean()
    except ValidationError as exc:
        raise BusinessError("; ".join(exc.messages), code="invalid") from exc
    user.forget_jurisdiction()
    return assignment


@transaction.atomic
def role_revoke(*, assignment: RoleAssignment) -> None:
    """End a role assignment (kept, marked inactive, so history stays readable)."""
    assignment.is_active = False
    assignment.save(update_fields=["is_active", "updated_at"])
    assignment.user.forget_jurisdiction()
