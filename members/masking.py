"""Personal ID numbers are sensitive (DOMAIN.md 6.3): who sees them in full, and how the rest see them.

A resident ID number reveals birth date and sex. Lists always show it masked; the member page and
the roster export show it in full only to the roles that keep the roster (the village accountant and
the system administrator, within their villages, see ``Member.tenancy`` action ``view_id_number``)
and to the member themself. Township and county officials see ``371323********001X``.
"""

from __future__ import annotations

from collections.abc import Callable

MASK = "*"


def mask_id_number(number: str) -> str:
    """Keep the 6-digit address code and the last four characters: 371323********001X."""
    if not number:
        return ""
    if len(number) <= 10:
        return MASK * len(number)
    return number[:6] + MASK * (len(number) - 10) + number[-4:]


def full_id_checker(user) -> Callable[[object], bool]:
    """A function ``member → bool``: may ``user`` see this member's ID number in full?

    Decided in memory from the user's grants, so an export of 10,000 rows costs no extra query.
    """
    from members.models import Member

    if user is None or not getattr(user, "is_authenticated", False):
        return lambda member: False
    if user.is_superuser:
        return lambda member: True
    prefixes = tuple(user.jurisdiction.prefixes(Member.tenancy.roles_for("view_id_number")))
    user_pk = user.pk

    def check(member) -> bool:
        return member.user_id == user_pk or (bool(prefixes) and member.region_code.startswith(prefixes))

    return check


def id_number_for(user, member) -> str:
    """The member's ID number as ``user`` may see it."""
    return member.id_number if full_id_checker(user)(member) else mask_id_number(member.id_number)
