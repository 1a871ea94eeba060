"""Admitting, changing and ending members (Farmer Specialized Cooperatives Law Arts. 19–28).

Every write locks the cooperative row first: member numbers are handed out under that lock, and the
share services take the same lock, so roster and ledger changes of one cooperative never interleave.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperatives.models import Cooperative
from core import changes
from core.choices import Role
from core.exceptions import BusinessError, StateConflict
from core.models import User
from core.tenancy import assert_in_scope
from core.validators import clean_name, parse_resident_id, validate_uscc
from members.choices import CODE_KINDS, LeaveReason, MemberKind, Vulnerability
from members.models import Household, Member

logger = logging.getLogger(__name__)

# fields a caller may set through member_create / member_update
FIELDS = [
    "number",
    "kind",
    "name",
    "id_number",
    "household",
    "village",
    "uscc",
    "legal_representative",
    "phone",
    "address",
    "is_party_member",
    "is_branch_member",
    "is_village_cadre",
    "is_poverty_registered",
    "vulnerability",
    "is_farmer",
    "joined_on",
    "user",
    "note",
]
KIND_VALUES = frozenset(MemberKind.values)
VULNERABILITY_VALUES = frozenset(Vulnerability.values)
PERSON_ONLY_FLAGS = ["is_party_member", "is_branch_member", "is_village_cadre", "is_poverty_registered", "is_farmer"]

# Checks a higher app adds (shares: "no shares left") before a member may leave. Registering a
# callable here keeps members free of imports from the apps above it.
LeaveCheck = Callable[[Member, datetime.date], None]
_leave_checks: list[LeaveCheck] = []


def register_leave_check(check: LeaveCheck) -> None:
    if check not in _leave_checks:
        _leave_checks.append(check)


def quiet_trigger_checks() -> None:
    """Speed up row triggers for the rest of the transaction, without changing what they record.

    pgtrigger's ignore check and pghistory's context lookup each read a setting and catch the error
    raised when it is unset: a subtransaction and an exception for every row written (about 0.5 ms a
    row). Setting ``pgtrigger.ignore`` to an empty list for the transaction avoids the exception;
    callers writing thousands of rows also open a ``pghistory.context`` so the context lookup
    succeeds (and the history records who imported).
    """
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('pgtrigger.ignore', '{}', true)")


def lock_cooperative(cooperative: Cooperative) -> Cooperative:
    """Lock the cooperative row: roster and ledger writers of one cooperative queue up here."""
    return Cooperative.objects.select_for_update().get(pk=cooperative.pk)


def next_member_number(cooperative: Cooperative) -> int:
    """The next free member number (call with the cooperative locked)."""
    top = Member.objects.filter(cooperative=cooperative).aggregate(n=Max("number"))["n"]
    return (top or 0) + 1


def _name(value, field: str) -> str:
    try:
        return clean_name(value)
    except ValidationError as exc:
        raise BusinessError(exc.messages[0], code=exc.code, field=field) from exc


def member_clean(data: dict, *, cooperative: Cooperative) -> dict:
    """Normalise and check one member's data without touching the database.

    Reads gender and birth date from a resident ID number, upper-cases codes, clears the flags that
    only a person can carry, and raises ``BusinessError`` naming the field at fault (the first of
    ``member_problems``)."""
    data, problems = member_problems(data, cooperative=cooperative)
    if problems:
        raise problems[0]
    return data


def member_problems(data: dict, *, cooperative: Cooperative) -> tuple[dict, list[BusinessError]]:
    """``member_clean``'s checks, every one of them: the cleaned data and what is wrong with it, each
    naming its field (the import reports all of a row's problems at once)."""
    problems: list[BusinessError] = []
    data = dict(data)
    kind = data.get("kind") or MemberKind.PERSON
    if kind not in KIND_VALUES:
        return data, [BusinessError(_("Choose what kind of member this is."), code="invalid_kind", field="kind")]
    data["kind"] = kind
    data["name"] = _name(data.get("name"), "name")
    if not data["name"]:
        problems.append(BusinessError(_("Enter the member's name."), code="name_required", field="name"))
    if kind == MemberKind.PERSON:
        try:
            parsed = parse_resident_id(data.get("id_number") or "")
        except ValidationError as exc:
            problems.append(BusinessError(exc.messages[0], code=exc.code or "invalid_id_number", field="id_number"))
        else:
            data["id_number"] = parsed.number
            data["gender"] = parsed.gender
            data["birth_date"] = parsed.birth_date
        data["uscc"] = ""
        data["legal_representative"] = ""
        household = data.get("household")
        if household is None:
            problems.append(
                BusinessError(
                    _("A person member belongs to a household: choose or create the household first."),
                    code="household_required",
                    field="household",
                )
            )
        # members are villagers of the cooperative's village (seed 002 §3 counts its households)
        elif household.village_id != cooperative.village_id:
            problems.append(
                BusinessError(
                    _(
                        "The household is registered in another village; a person member's household is in "
                        "the cooperative's village."
                    ),
                    code="household_village",
                    field="household",
                )
            )
        else:
            data["village"] = household.village
        if data.get("vulnerability") and data["vulnerability"] not in VULNERABILITY_VALUES:
            problems.append(
                BusinessError(_("Unknown vulnerable group."), code="invalid_vulnerability", field="vulnerability")
            )
    else:
        data["id_number"] = ""
        data["gender"] = ""
        data["birth_date"] = None
        data["household"] = None
        data["vulnerability"] = ""
        for flag in PERSON_ONLY_FLAGS:
            data[flag] = False
        code = (data.get("uscc") or "").strip()
        if code or kind in (MemberKind.COLLECTIVE, MemberKind.ENTERPRISE):
            try:
                data["uscc"] = validate_uscc(code)
            except ValidationError as exc:
                problems.append(BusinessError(exc.messages[0], code=exc.code or "invalid_uscc", field="uscc"))
        else:
            data["uscc"] = ""
    if data.get("is_branch_member"):
        # a party-branch member is a party member
        data["is_party_member"] = True
    joined = data.get("joined_on")
    if joined is not None and joined > timezone.localdate():
        problems.append(
            BusinessError(_("The joining date cannot be in the future."), code="joined_in_future", field="joined_on")
        )
    return data, problems


def _check_user(user: User | None, cooperative: Cooperative) -> None:
    if user is None:
        return
    if not user.role_assignments.filter(
        role=Role.MEMBER, is_active=True, region__code=cooperative.region_code
    ).exists():
        raise BusinessError(
            _("Only a login that holds the member role in this village can be linked to a member."),
            code="user_not_member_role",
            field="user",
        )


def _check_duplicates(data: dict, *, cooperative: Cooperative, instance: Member | None) -> None:
    others = Member.objects.filter(cooperative=cooperative)
    if instance is not None:
        others = others.exclude(pk=instance.pk)
    if data.get("id_number"):
        clash = others.filter(id_number=data["id_number"]).first()
        if clash:
            raise BusinessError(
                _("This person is already a member of this cooperative (No. %(number)s, %(name)s).")
                % {"number": clash.number, "name": clash.name},
                code="duplicate_member",
                field="id_number",
            )
    if data.get("uscc"):
        clash = others.filter(uscc=data["uscc"]).first()
        if clash:
            raise BusinessError(
                _("This organisation is already a member of this cooperative (No. %(number)s, %(name)s).")
                % {"number": clash.number, "name": clash.name},
                code="duplicate_member",
                field="uscc",
            )
    if data.get("kind") == MemberKind.COLLECTIVE and others.filter(kind=MemberKind.COLLECTIVE).exists():
        raise BusinessError(
            _("The village collective is already a member of this cooperative."),
            code="duplicate_collective",
            field="kind",
        )
    if data.get("number") and others.filter(number=data["number"]).exists():
        raise BusinessError(
            _("Member number %(number)s is taken in this cooperative.") % {"number": data["number"]},
            code="duplicate_number",
            field="number",
        )
    if data.get("user") is not None and others.filter(user=data["user"]).exists():
        raise BusinessError(
            _("This login is already linked to another member of this cooperative."),
            code="duplicate_user",
            field="user",
        )


def _save(member: Member) -> None:
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError as exc:  # a concurrent writer won the race; the constraint says which
        text = str(exc)
        if "id_number_unique" in text:
            raise BusinessError(
                _("This person is already a member of this cooperative."), code="duplicate_member", field="id_number"
            ) from exc
        if "uscc_unique" in text:
            raise BusinessError(
                _("This organisation is already a member of this cooperative."), code="duplicate_member", field="uscc"
            ) from exc
        raise


@transaction.atomic
def member_create(*, actor: User, cooperative: Cooperative, **data) -> Member:
    """Admit a member to ``cooperative`` (Art. 24); the number is the next free one unless given."""
    cooperative = lock_cooperative(cooperative)
    data = member_clean({k: v for k, v in data.items() if k in FIELDS}, cooperative=cooperative)
    _check_duplicates(data, cooperative=cooperative, instance=None)
    _check_user(data.get("user"), cooperative)
    if not data.get("number"):
        data["number"] = next_member_number(cooperative)
    member = Member(cooperative=cooperative, region_code=cooperative.region_code, **data)
    if member.joined_on is None:
        member.joined_on = timezone.localdate()
    _save(member)
    assert_in_scope(actor, member, "add")
    changes.cooperative_changed(cooperative.pk)
    logger.info("members.member.created", extra={"member_id": member.pk, "cooperative_id": cooperative.pk})
    return member


@transaction.atomic
def member_admit(*, actor: User, cooperative: Cooperative, new_household: dict | None = None, **data) -> Member:
    """Admit a person together with a household registered in the same step (the member form's
    "new household" fields), or any member as ``member_create`` does."""
    if new_household and data.get("household") is None and (data.get("kind") or MemberKind.PERSON) == "person":
        data["household"] = household_create(actor=actor, village=cooperative.village, **new_household)
    return member_create(actor=actor, cooperative=cooperative, **data)


@transaction.atomic
def member_update(*, actor: User, member: Member, **data) -> Member:
    """Change a member's facts. The kind cannot change once the member holds anything (new member instead)."""
    cooperative = lock_cooperative(member.cooperative)
    member = Member.objects.select_for_update().get(pk=member.pk)
    current = {f: getattr(member, f) for f in FIELDS}
    merged = current | {k: v for k, v in data.items() if k in FIELDS}
    if merged["kind"] != member.kind and _has_history(member):
        raise StateConflict(
            _("The kind of a member with contributions cannot change; admit a new member instead."),
            code="kind_locked",
        )
    merged = member_clean(merged, cooperative=cooperative)
    _check_duplicates(merged, cooperative=cooperative, instance=member)
    if merged.get("user") is not None and merged["user"] != member.user:
        _check_user(merged["user"], cooperative)
    if not merged.get("number"):
        merged["number"] = member.number
    for field, value in merged.items():
        setattr(member, field, value)
    _save(member)
    assert_in_scope(actor, member, "change")
    return member


def _has_history(member: Member) -> bool:
    # reverse relations of the apps above (contributions, ledger entries) without importing them
    for rel in member._meta.related_objects:
        if rel.related_model._meta.app_label != "members" and rel.one_to_many:
            accessor = rel.get_accessor_name()
            if getattr(member, accessor).exists():
                return True
    return False


@transaction.atomic
def member_leave(*, actor: User, member: Member, left_on: datetime.date, reason: str, note: str = "") -> Member:
    """Record that membership ended on ``left_on`` (withdrawal, expulsion, death …).

    A member who still holds shares cannot leave: the shares are withdrawn (refunded) or transferred
    first, which the share services check through the registered leave checks.
    """
    lock_cooperative(member.cooperative)
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.left_on is not None:
        raise StateConflict(_("This member has already left."), code="already_left")
    if reason not in LeaveReason.values:
        raise BusinessError(_("Choose why the membership ends."), code="invalid_reason", field="leave_reason")
    if left_on < member.joined_on:
        raise BusinessError(
            _("The leaving date cannot be before the joining date."), code="left_before_joined", field="left_on"
        )
    for check in _leave_checks:
        check(member, left_on)
    member.left_on = left_on
    member.leave_reason = reason
    member.leave_note = note
    member.save(update_fields=["left_on", "leave_reason", "leave_note", "updated_at"])
    assert_in_scope(actor, member, "change")
    changes.cooperative_changed(member.cooperative_id)
    logger.info("members.member.left", extra={"member_id": member.pk, "reason": reason})
    return member


@transaction.atomic
def member_delete(*, actor: User, member: Member) -> None:
    """Delete a member entered by mistake. One with contributions or shares is ended with a leaving date."""
    assert_in_scope(actor, member, "delete")
    lock_cooperative(member.cooperative)
    try:
        with transaction.atomic():
            Member.objects.filter(pk=member.pk).delete()
    except ProtectedError as exc:
        raise StateConflict(
            _("This member has contributions or shares and cannot be deleted; record a leaving date instead."),
            code="member_has_history",
        ) from exc


def household_clean(data: dict) -> dict:
    data = dict(data)
    data["number"] = str(data.get("number") or "").strip()
    data["head_name"] = _name(data.get("head_name"), "head_name")
    if not data["number"]:
        raise BusinessError(_("Enter the household number."), code="household_number_required", field="number")
    if not data["head_name"]:
        raise BusinessError(_("Enter the head of household."), code="head_name_required", field="head_name")
    size = data.get("size") or 1
    if int(size) < 1:
        raise BusinessError(_("A household has at least one person."), code="household_size", field="size")
    data["size"] = int(size)
    return data


HOUSEHOLD_FIELDS = ["number", "head_name", "size", "address"]


@transaction.atomic
def household_create(*, actor: User, village, **data) -> Household:
    """Register a household of ``village``; its number is unique in the village."""
    data = household_clean({k: v for k, v in data.items() if k in HOUSEHOLD_FIELDS})
    if Household.objects.filter(village=village, number=data["number"]).exists():
        raise BusinessError(
            _("Household number %(number)s already exists in this village.") % {"number": data["number"]},
            code="duplicate_household",
            field="number",
        )
    household = Household.objects.create(village=village, region_code=village.padded_code, **data)
    assert_in_scope(actor, household, "add")
    return household


@transaction.atomic
def household_update(*, actor: User, household: Household, **data) -> Household:
    household = Household.objects.select_for_update().get(pk=household.pk)
    merged = {f: getattr(household, f) for f in HOUSEHOLD_FIELDS} | {
        k: v for k, v in data.items() if k in HOUSEHOLD_FIELDS
    }
    merged = household_clean(merged)
    if Household.objects.filter(village=household.village, number=merged["number"]).exclude(pk=household.pk).exists():
        raise BusinessError(
            _("Household number %(number)s already exists in this village.") % {"number": merged["number"]},
            code="duplicate_household",
            field="number",
        )
    for field, value in merged.items():
        setattr(household, field, value)
    household.save()
    assert_in_scope(actor, household, "change")
    return household


__all__ = [
    "CODE_KINDS",
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
    "member_update",
    "next_member_number",
    "quiet_trigger_checks",
    "register_leave_check",
]
