"""The payee of a payment as a reader sees it: a person's ID number masked as ``core.privacy`` says."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.privacy import full_id_checker, mask_id_number
from finance.services.payees import is_resident_id


def payee_code_shown(voucher, user) -> str:
    """The payee's number for ``user``: a unified social credit code as it is, a person's resident ID
    number in full only to the roster keepers of the village (``core.privacy``)."""
    code = voucher.payee_code
    if not code or not is_resident_id(code) or full_id_checker(user)(voucher):
        return code
    return mask_id_number(code)


def payee_facts(voucher, user) -> list[tuple[str, str]]:
    """The payee as (label, value) rows for the approval page; none for a voucher without one."""
    if voucher is None or not voucher.has_payee:
        return []
    rows = [(_("Payee"), voucher.payee_display)]
    code = payee_code_shown(voucher, user)
    if code:
        rows.append((_("Payee's ID number or credit code"), code))
    if voucher.payee_account:
        rows.append((_("Payee's account"), voucher.payee_account))
    return rows
