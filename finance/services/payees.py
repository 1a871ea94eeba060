"""The payee of a payment: who is paid, whether it is one of the deciders, and what one payee has
been paid lately.

A payment voucher names its payee: a member of the cooperative, or a party named on the voucher
(a supplier, the bank, a person outside the cooperative) with, when known, its resident ID number
or unified social credit code and its account. The payee is

* one of the people who may not decide the payment (four eyes): the login linked to the member
  record, and any login of the same full name holding a role over the cooperative's village (the
  chair 赵德明 is the board's 赵德明: logins carry no ID number, people are known to Lingban by
  their names on the board and in the roster; a namesake only sends a payment one level up);
* the key that adds payments up: payments to one payee within the county's window
  (``PolicyProfile.payee_window_days``) are compared with the threshold together, so a payment
  split into parts below the threshold still goes to the township (DOMAIN.md 1.4, seed 004).
"""

from __future__ import annotations

import datetime
import functools
import operator
import re
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from core.exceptions import BusinessError
from core.money import ZERO
from core.validators import clean_name, parse_resident_id, validate_uscc
from finance.choices import VoucherKind, VoucherStatus

ACCOUNT_RE = re.compile(r"^[0-9A-Za-z-]{1,40}$")
# a payment counts towards its payee's total once it is submitted (waiting or approved and
# posted); a returned, refused or withdrawn payment is a draft again and does not
COUNTED = (VoucherStatus.PENDING, VoucherStatus.POSTED)


@dataclass
class PayeeInput:
    """The payee as entered: a member, or a name with an optional ID number / credit code and account."""

    member: object | None = None
    name: str = ""
    code: str = ""
    account: str = ""

    @property
    def is_empty(self) -> bool:
        return self.member is None and not (self.name or self.code or self.account)


def _clean_code(code: str) -> str:
    code = (code or "").strip().upper()
    if not code:
        return ""
    try:
        return parse_resident_id(code).number
    except ValidationError as not_an_id:
        try:
            return validate_uscc(code)
        except ValidationError as not_a_code:
            why = not_an_id if code[:17].isdigit() else not_a_code
            raise BusinessError(
                _("The payee's number is a resident ID number or a unified social credit code: %(why)s")
                % {"why": " ".join(why.messages)},
                code="invalid_payee_code",
                field="payee_code",
            ) from None


def is_resident_id(code: str) -> bool:
    """Whether ``code`` is a person's resident ID number (shown masked to most readers)."""
    try:
        parse_resident_id(code)
    except ValidationError:
        return False
    return True


def clean_payee(cooperative_id: int, payee: PayeeInput | None) -> dict:
    """The voucher's payee fields from ``payee`` (all empty for none); refused with a message naming
    the field when the payee is ambiguous or its number or account is malformed."""
    payee = payee or PayeeInput()
    try:
        name = clean_name(payee.name)
    except ValidationError as exc:
        raise BusinessError(exc.messages[0], code="invalid_name", field="payee_name") from None
    code = _clean_code(payee.code)
    account = re.sub(r"\s+", "", payee.account or "")
    member = payee.member
    if member is not None:
        if member.cooperative_id != cooperative_id:
            raise BusinessError(
                _("The payee is a member of another cooperative."), code="foreign_dimension", field="payee_member"
            )
        if name or code:
            raise BusinessError(
                _("Choose a member or name the payee, not both (a member's ID number comes from the roster)."),
                code="payee_ambiguous",
                field="payee_name",
            )
    elif (code or account) and not name:
        raise BusinessError(_("Name the payee."), code="payee_name_required", field="payee_name")
    if len(name) > 100:
        raise BusinessError(
            _("The payee's name is too long (100 characters at most)."), code="payee_name_long", field="payee_name"
        )
    if account and not ACCOUNT_RE.match(account):
        raise BusinessError(
            _("The payee's account has digits, letters and hyphens only, 40 at most."),
            code="invalid_payee_account",
            field="payee_account",
        )
    return {"payee_member": member, "payee_name": name, "payee_code": code, "payee_account": account}


def _identity(voucher) -> tuple[str, set[str]]:
    member = voucher.payee_member
    if member is not None:
        return member.name, {member.id_number, member.uscc} - {""}
    return voucher.payee_name, {voucher.payee_code} - {""}


def same_payee(voucher) -> Q | None:
    """Vouchers paying the payee of ``voucher``: the same member; or, where one side is a named
    party, the same name or the same ID number / credit code; or the same account. Two members of
    one name are two people (the roster tells them apart)."""
    member = voucher.payee_member
    name, codes = _identity(voucher)
    named = Q(payee_member__isnull=True)
    found = []
    if member is not None:
        found.append(Q(payee_member=member))
    if name:
        found.append(named & Q(payee_name=name))
        if member is None:
            found.append(Q(payee_member__name=name))
    for code in codes:
        found.append(named & Q(payee_code=code))
        if member is None:
            found += [Q(payee_member__id_number=code), Q(payee_member__uscc=code)]
    if voucher.payee_account:
        found.append(Q(payee_account=voucher.payee_account))
    return functools.reduce(operator.or_, found) if found else None


def payee_window_total(voucher, days: int) -> Decimal:
    """The most paid to the payee of ``voucher`` within any ``days`` days that include its date:
    this payment and the payee's other submitted or posted payments of the cooperative.

    With payments entered in date order this is this payment plus those of the ``days`` days
    before it; a payment dated back before others already submitted is added up with them too,
    so entering the parts out of order changes nothing.
    """
    amount = voucher.payment_amount
    match = same_payee(voucher)
    if match is None or amount <= 0:
        return amount
    from finance.models import Voucher

    span = datetime.timedelta(days=days)
    earliest, latest = voucher.date - span, voucher.date + span
    points = list(
        Voucher.objects.filter(
            match,
            cooperative_id=voucher.cooperative_id,
            kind=VoucherKind.MANUAL,
            status__in=COUNTED,
            payment_amount__gt=0,
            date__range=(earliest, latest),
        )
        .exclude(pk=voucher.pk)
        .values_list("date", "payment_amount")
    )
    points.append((voucher.date, amount))
    best = amount
    for start in {day for day, _paid in points if earliest <= day <= voucher.date}:
        end = start + span
        best = max(best, sum((paid for day, paid in points if start <= day <= end), ZERO))
    return best


def payee_users(voucher) -> set[int]:
    """The logins of the payee of ``voucher``: the member record's login, and the logins of the
    payee's full name that hold a role over the cooperative's village (at the village, its township,
    county or prefecture)."""
    from core.models import User

    member = voucher.payee_member
    users = {member.user_id} if member is not None and member.user_id else set()
    name, _codes = _identity(voucher)
    if name:
        code = voucher.region_code
        prefixes = {code[:n] for n in (4, 6, 9, 12)}
        users |= set(
            User.objects.filter(
                full_name=name,
                is_active=True,
                role_assignments__is_active=True,
                role_assignments__region__prefix__in=prefixes,
            ).values_list("pk", flat=True)
        )
    return users
