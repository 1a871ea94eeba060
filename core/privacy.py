"""Personal data is sensitive (DOMAIN.md 6.3): who sees it in full, and how the rest see it.

The one rule for every person the site stores (members, board members): a resident ID number reveals
birth date and sex, a phone number reaches the person. Lists always show the ID number masked; pages,
API answers and exports show a person's ID number and phone in full only to the roles that keep the
roster (``PERSON_KEEPERS``: the village accountant and the system administrator, within their
villages; ``Member.tenancy`` grants them the action ``view_id_number``) and to the person
themself. Township and county officials, the chair, the supervisor and other members see
``371323********001X`` and ``138****5678``. The birth date is the part of the ID number the mask
hides (characters 7–14), so where the ID number is masked the birth date is too: the year alone.
``personal_value`` applies the rule to one field, ``person_data`` to a serialized person,
``full_id_checker`` decides it for a row; every page, API answer, export and the audit trail call them.

The same rule minimises what is read of a member's money:

* an ordinary member reads their own shares, allocations, payouts and statements, never another
  member's (each model's ``Tenancy.member_filter``: the member's own rows). The exception is the
  quarterly disclosure once the supervisory board publishes it: it itemises every receipt and
  payment (seed 002 §9), a member's cash contribution or payout among them;
* the figures every member would get from a plan not yet drafted (a preview, a comparison of two
  policies) go to who drafts plans only (``DistributionPlan.tenancy``'s "add"), page and API alike.

``tests/test_isolation_within_jurisdiction.py`` asks every route as every role of one jurisdiction.
"""

from __future__ import annotations

from collections.abc import Callable

from core.choices import Role

MASK = "*"
# who keeps a village's roster, and so sees its people's ID numbers and phones in full
PERSON_KEEPERS = frozenset({Role.VILLAGE_ACCOUNTANT, Role.SYSTEM_ADMIN})


def _keep_ends(value: str, head: int, tail: int) -> str:
    """``value`` with all but its first ``head`` and last ``tail`` characters masked; a value no
    longer than those is masked whole."""
    if not value:
        return ""
    if len(value) <= head + tail:
        return MASK * len(value)
    return value[:head] + MASK * (len(value) - head - tail) + value[-tail:]


def mask_id_number(number: str) -> str:
    """Keep the 6-digit address code and the last four characters: 371323********001X."""
    return _keep_ends(number, 6, 4)


def mask_phone(phone: str) -> str:
    """Keep the first three and the last four digits: 138****5678; short numbers are masked whole."""
    return _keep_ends(phone, 3, 4)


def mask_birth_date(day: str) -> str:
    """Keep the year: 1976-03-15 → 1976 (the month and day are the masked part of the ID number)."""
    return day[:4]


PERSONAL_FIELDS = {"id_number": mask_id_number, "phone": mask_phone, "birth_date": mask_birth_date}


def personal_value(name: str, value, *, full: bool):
    """One field of a person as the viewer may see it: ``value`` itself when ``full`` or when the field
    is not personal, else its mask (a date is masked from its ISO form: 1976-03-15 → 1976)."""
    mask = PERSONAL_FIELDS.get(name)
    if full or mask is None or not value:
        return value
    return mask(value.isoformat() if hasattr(value, "isoformat") else str(value))


def person_data(data: dict, *, full: bool) -> dict:
    """``data`` (a person as serialized) with its ID number, phone and birth date masked unless
    ``full``; ``id_number_masked`` says whether the ID number was."""
    if not full:
        for name in PERSONAL_FIELDS.keys() & data.keys():
            data[name] = personal_value(name, data[name], full=False)
        if data.get("id_number"):
            data["id_number_masked"] = True
    return data


def full_id_checker(user) -> Callable[[object], bool]:
    """A function ``person → bool``: may ``user`` see this person's ID number and phone in full?
    ``person`` is any row with a ``region_code`` (and, for a member, the ``user_id`` of its login).

    Decided in memory from the user's grants, so an export of 10,000 rows costs no extra query.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return lambda member: False
    if user.is_superuser:
        return lambda member: True
    prefixes = tuple(user.jurisdiction.prefixes(PERSON_KEEPERS))
    user_pk = user.pk

    def check(person) -> bool:
        own = getattr(person, "user_id", None) == user_pk
        return own or (bool(prefixes) and person.region_code.startswith(prefixes))

    return check
