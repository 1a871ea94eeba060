"""Every write of the shares app. Pages and API call these; each is one transaction."""

from shares.services.certificates import certificates_issue
from shares.services.contributions import (
    contribution_cancel,
    contribution_clean,
    contribution_confirm,
    contribution_create,
    contribution_update,
    contributions_confirm,
    land_value,
    share_class_for,
)
from shares.services.ledger import Line, PostResult, entry_reverse, post_lines
from shares.services.transfers import share_gift, share_reserve_convert, share_transfer
from shares.services.withdrawals import (
    share_withdrawal_apply,
    share_withdrawal_cancel,
    share_withdrawal_execute,
    withdrawal_effective_on,
)

__all__ = [
    "Line",
    "PostResult",
    "certificates_issue",
    "contribution_cancel",
    "contribution_clean",
    "contribution_confirm",
    "contribution_create",
    "contribution_update",
    "contributions_confirm",
    "entry_reverse",
    "land_value",
    "post_lines",
    "share_class_for",
    "share_gift",
    "share_reserve_convert",
    "share_transfer",
    "share_withdrawal_apply",
    "share_withdrawal_cancel",
    "share_withdrawal_execute",
    "withdrawal_effective_on",
]
