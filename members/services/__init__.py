"""Every write of the members app: households and members."""

from members.services.members import (
    FIELDS,
    HOUSEHOLD_FIELDS,
    household_clean,
    household_create,
    household_update,
    lock_cooperative,
    member_admit,
    member_clean,
    member_create,
    member_delete,
    member_leave,
    member_problems,
    member_update,
    next_member_number,
    quiet_trigger_checks,
    register_leave_check,
)

__all__ = [
    "FIELDS",
    "HOUSEHOLD_FIELDS",
    "household_clean",
    "household_create",
    "household_update",
    "lock_cooperative",
    "member_admit",
    "member_clean",
    "member_create",
    "member_delete",
    "member_leave",
    "member_problems",
    "member_update",
    "next_member_number",
    "quiet_trigger_checks",
    "register_leave_check",
]
