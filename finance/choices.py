"""Enumerations of the finance app (DOMAIN.md §3, §4; law Arts. 39–45)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AccountCategory(models.TextChoices):
    """The classes of the charts (会计科目类别)."""

    ASSET = "asset", _("Assets")  # 资产类
    LIABILITY = "liability", _("Liabilities")  # 负债类
    EQUITY = "equity", _("Owners' equity")  # 所有者权益类
    COST = "cost", _("Cost")  # 成本类
    INCOME = "income", _("Income")  # 损益类（收入）
    EXPENSE = "expense", _("Expenses")  # 损益类（支出）


# profit-and-loss accounts: transferred to the current-year surplus at every period end
PROFIT_AND_LOSS = frozenset({AccountCategory.INCOME, AccountCategory.EXPENSE})


class BalanceSide(models.TextChoices):
    """An account's normal balance, from its usage note (期末借方/贷方余额)."""

    DEBIT = "debit", _("Debit")  # 借
    CREDIT = "credit", _("Credit")  # 贷
    EITHER = "either", _("Debit or credit")  # 借或贷
    NONE = "none", _("None after closing")  # 无余额


class FiscalYearStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("books", "Open")  # 未结账
    CLOSED = "closed", pgettext_lazy("books", "Closed")  # 已结账


class PeriodStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("books", "Open")  # 未结账
    CLOSED = "closed", pgettext_lazy("books", "Closed")  # 已结账


class VoucherStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")  # 草稿
    PENDING = "pending", _("Waiting for approval")  # 待审批
    POSTED = "posted", _("Posted")  # 已记账


UNPOSTED = (VoucherStatus.DRAFT, VoucherStatus.PENDING)


class VoucherKind(models.TextChoices):
    MANUAL = "manual", _("Journal voucher")  # 记账凭证
    REVERSAL = "reversal", _("Red-ink reversal")  # 红字冲销
    PERIOD_CLOSE = "period_close", _("Period-end transfer")  # 期末结转损益
    YEAR_CLOSE = "year_close", _("Year-end transfer")  # 年终结转
    SHARES = "shares", _("Share register entry")  # 股金业务：出资、转让、退股、转增（随股份登记簿记账）
    DISTRIBUTION = "distribution", _("Surplus distribution entry")  # 盈余分配
    PAYOUT = "payout", _("Distribution paid out")  # 盈余返还及分红发放
    DEPRECIATION = "depreciation", _("Monthly depreciation voucher")  # 计提折旧


CLOSING_KINDS = frozenset({VoucherKind.PERIOD_CLOSE, VoucherKind.YEAR_CLOSE})
# written by the services of other modules, posted as written; corrected through their module (a
# share entry's reversal), never by reversing the voucher by hand
SYSTEM_KINDS = frozenset({VoucherKind.SHARES, VoucherKind.DISTRIBUTION, VoucherKind.PAYOUT, VoucherKind.DEPRECIATION})
# what may still be posted into a closed month of an open year: the year's closing entries and the
# year's distribution plan (DOMAIN.md §2.6.1: the plan of year N is booked in year N)
AFTER_CLOSE_KINDS = frozenset({VoucherKind.YEAR_CLOSE, VoucherKind.PERIOD_CLOSE, VoucherKind.DISTRIBUTION})


class ContractDirection(models.TextChoices):
    PAYABLE = "payable", _("We pay")  # 支出类合同
    RECEIVABLE = "receivable", _("We receive")  # 收入类合同


class ContractStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")  # 草拟
    REVIEW = "review", _("Under township review")  # 乡镇审核中
    APPROVED = "approved", _("Approved, waiting for filing")  # 审核通过待备案
    EFFECTIVE = "effective", _("Filed and effective")  # 已备案生效
    COMPLETED = "completed", _("Completed")  # 履行完毕
    TERMINATED = "terminated", _("Terminated")  # 终止


class TradeDirection(models.TextChoices):
    """A member's transaction with the cooperative (law Art. 43: 交易量（额）)."""

    PURCHASE = "purchase", _("Bought from the member")  # 收购成员产品
    SALE = "sale", _("Sold to the member")  # 向成员销售（农资、服务）


class MemberAccountEntryKind(models.TextChoices):
    """Columns of the member account (成员账户) besides contributions and transactions."""

    RESERVE_SHARE = "reserve_share", _("Quantified reserve share")  # 公积金份额
    SUBSIDY_SHARE = "subsidy_share", _("Quantified share of subsidy property")  # 接受国家财政直接补助形成财产量化份额
    DONATION_SHARE = "donation_share", _("Quantified share of donated property")  # 接受他人捐赠形成财产量化份额
    PATRONAGE_REFUND = "patronage_refund", _("Patronage refund")  # 盈余返还
    SURPLUS_DISTRIBUTION = "surplus_distribution", _("Remaining surplus distributed")  # 剩余盈余分配


class IncomeSource(models.TextChoices):
    """Where the village collective's operating income from the cooperative comes from."""

    DIVIDEND = "dividend", _("Dividend on the collective's shares")  # 集体股分红
    RENT = "rent", _("Rent for collective resources")  # 资源发包/租金
    SERVICE = "service", _("Service fees")  # 服务费
    OTHER = "other", _("Other")


class StatementBasis(models.TextChoices):
    BALANCE = "balance", _("Balances at a date")  # 时点数
    MOVEMENT = "movement", _("Movements over a period")  # 时期数
    MATRIX = "matrix", _("Movements by column")  # 矩阵（成员权益变动表）


class AssetKind(models.TextChoices):
    """The two registers of the standard: fixed assets (151/152) and productive biological assets
    (142/143 on the cooperative chart, 132/133 on the village collective chart)."""

    FIXED = "fixed", _("Fixed asset")  # 固定资产
    BIOLOGICAL = "biological", _("Productive biological asset")  # 生产性生物资产


class AssetCategory(models.TextChoices):
    BUILDINGS = "buildings", _("Buildings and structures")  # 房屋及建筑物
    MACHINERY = "machinery", _("Machinery and equipment")  # 机器设备
    VEHICLES = "vehicles", _("Vehicles")  # 运输工具
    TOOLS = "tools", _("Tools and furniture")  # 工具器具及家具
    LIVESTOCK = "livestock", _("Breeding and draught livestock")  # 产畜和役畜
    ORCHARDS = "orchards", _("Orchards and economic forests")  # 经济林
    OTHER = "other", _("Other")


class AssetSource(models.TextChoices):
    PURCHASED = "purchased", _("Purchased")  # 购入
    BUILT = "built", _("Built or raised by the cooperative")  # 自建、自行培育
    CONTRIBUTED = "contributed", _("Contributed by a member")  # 成员出资
    SUBSIDY = "subsidy", _("Fiscal subsidy")  # 国家财政直接补助
    POVERTY_PROJECT = "poverty_project", _("Poverty-alleviation project")  # 扶贫项目资产
    DONATION = "donation", _("Donation")  # 他人捐赠
    OTHER = "other", _("Other")


class AssetStatus(models.TextChoices):
    IN_USE = "in_use", _("In use")
    DISPOSED = "disposed", _("Disposed of")
