"""The accounts of one cooperative's books by role (``finance.charts.COOP_ROLES``).

Services that post for other modules (the share register, a distribution plan, payouts) ask for
"the capital account" or "the reserve", never for a code: the two charts number them differently.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.exceptions import BusinessError
from finance.models import Account, CooperativeBooks


class Roles:
    """One cooperative's accounts, looked up by role or by code (one query for all of them)."""

    def __init__(self, books: CooperativeBooks):
        self.books = books
        self.chart = books.chart
        self.codes: dict[str, str] = dict(self.chart.roles or {})
        self.accounts: dict[str, Account] = {
            a.code: a for a in Account.objects.filter(cooperative_id=books.cooperative_id).order_by("code")
        }

    @classmethod
    def of(cls, cooperative) -> Roles | None:
        books = CooperativeBooks.objects.select_related("chart").filter(cooperative=cooperative).first()
        return cls(books) if books is not None else None

    def code(self, role: str) -> str | None:
        return self.codes.get(role)

    def has(self, role: str) -> bool:
        code = self.codes.get(role)
        return bool(code) and code in self.accounts

    def account(self, role: str) -> Account:
        """The account a posting of ``role`` goes to: the role's account when it takes postings,
        else its one sub-account (a bank with a single account); with several, the caller must
        name one (``leaf``)."""
        code = self.codes.get(role)
        if not code or code not in self.accounts:
            raise BusinessError(
                _("These books have no account for %(role)s (chart %(chart)s).")
                % {"role": ROLE_LABELS.get(role, role), "chart": self.chart.name},
                code="missing_account",
            )
        return self.leaf_under(code)

    def leaf_under(self, code: str) -> Account:
        account = self.accounts.get(code)
        if account is None:
            raise BusinessError(
                _("Account %(code)s is missing from these books.") % {"code": code}, code="missing_account"
            )
        if account.is_leaf:
            return account
        leaves = [a for c, a in self.accounts.items() if c.startswith(code) and a.is_leaf and a.is_active]
        if len(leaves) == 1:
            return leaves[0]
        raise BusinessError(
            _("%(account)s has several sub-accounts: choose the one to post to.") % {"account": account},
            code="choose_sub_account",
            field="account",
        )

    def leaf(self, code: str, *, under: tuple[str, ...] = ()) -> Account:
        """The account with ``code`` (a leaf, or its only leaf), optionally required to lie under
        one of the ``under`` codes."""
        account = self.leaf_under(code)
        if under and not any(account.code.startswith(prefix) for prefix in under):
            raise BusinessError(
                _("%(account)s cannot be used here.") % {"account": account}, code="wrong_account", field="account"
            )
        return account

    def leaves_under(self, *codes: str) -> list[Account]:
        return [
            a for c, a in self.accounts.items() if a.is_leaf and a.is_active and any(c.startswith(x) for x in codes)
        ]


ROLE_LABELS = {
    "capital": "股金",
    "reserve": "公积金",
    "cash": "库存现金",
    "bank": "银行存款",
    "member_current": "成员往来",
    "patronage_payable": "应付盈余返还",
    "dividend_payable": "应付剩余盈余",
    "wages_payable": "应付工资",
    "admin_expense": "管理费用",
    "intangible": "无形资产",
    "fixed_assets": "固定资产",
    "fixed_depreciation": "累计折旧",
    "biological": "生产性生物资产",
    "biological_depreciation": "生产性生物资产累计折旧",
    "alloc_reserve": "各项分配—提取公积金",
    "alloc_patronage": "各项分配—盈余返还",
    "alloc_dividend": "各项分配—剩余盈余分配",
    "alloc_capital": "各项分配—转为成员出资",
}
