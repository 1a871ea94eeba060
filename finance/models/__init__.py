"""Finance models: charts as data, books, vouchers, contracts, member accounts, collective income,
the asset register."""

from finance.models.assets import DepreciationEntry, FixedAsset
from finance.models.books import (
    Account,
    CooperativeBooks,
    FiscalYear,
    OpeningBalance,
    Period,
    Project,
    TakeoverAdjustment,
)
from finance.models.chart import ChartTemplate, StatementLineTemplate, StatementTemplate, TemplateAccount
from finance.models.collective import CollectiveIncome
from finance.models.contracts import Contract, ContractInstalment, ContractPayment
from finance.models.members import MemberAccountEntry, PatronageTransaction, ShareBooking
from finance.models.vouchers import Voucher, VoucherAttachment, VoucherLine

__all__ = [
    "Account",
    "ChartTemplate",
    "CollectiveIncome",
    "Contract",
    "ContractInstalment",
    "ContractPayment",
    "CooperativeBooks",
    "DepreciationEntry",
    "FiscalYear",
    "FixedAsset",
    "MemberAccountEntry",
    "OpeningBalance",
    "PatronageTransaction",
    "Period",
    "Project",
    "ShareBooking",
    "StatementLineTemplate",
    "StatementTemplate",
    "TakeoverAdjustment",
    "TemplateAccount",
    "Voucher",
    "VoucherAttachment",
    "VoucherLine",
]
