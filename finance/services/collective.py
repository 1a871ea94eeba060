"""Recording the village collective's operating income from its cooperative."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from cooperatives.models import Cooperative
from core import changes
from core.choices import RegionLevel
from core.exceptions import BusinessError
from core.models import Region, User
from core.tenancy import assert_in_scope
from finance.choices import IncomeSource
from finance.models import CollectiveIncome, Voucher
from finance.services.members import _positive_money


@transaction.atomic
def collective_income_record(
    *,
    actor: User,
    village: Region,
    received_on: datetime.date,
    amount: Decimal,
    source: str = IncomeSource.DIVIDEND,
    cooperative: Cooperative | None = None,
    voucher: Voucher | None = None,
    note: str = "",
    year: int | None = None,
) -> CollectiveIncome:
    """Record income the village collective received (its dividends, rent, fees) for the dashboards."""
    if village is None or village.level != RegionLevel.VILLAGE:
        raise BusinessError(_("Choose a village."), code="not_village", field="village")
    if received_on is None:
        raise BusinessError(_("Give the date."), code="required", field="received_on")
    if source not in IncomeSource.values:
        raise BusinessError(_("Choose the source."), code="invalid", field="source")
    if cooperative is not None and cooperative.village_id != village.pk:
        raise BusinessError(
            _("The cooperative is in another village."), code="foreign_cooperative", field="cooperative"
        )
    if voucher is not None and (cooperative is None or voucher.cooperative_id != cooperative.pk):
        raise BusinessError(_("Choose a voucher of this cooperative."), code="foreign_voucher", field="voucher")
    year = year or received_on.year
    if not 2000 <= year <= 2100:
        raise BusinessError(_("Give a year between 2000 and 2100."), code="invalid_year", field="year")
    income = CollectiveIncome.objects.create(
        village=village,
        region_code=village.code,
        cooperative=cooperative,
        year=year,
        received_on=received_on,
        amount=_positive_money(amount, "amount"),
        source=source,
        voucher=voucher,
        note=(note or "").strip()[:200],
        recorded_by=actor,
    )
    assert_in_scope(actor, income, "add")
    changes.cooperative_changed(income.cooperative_id)
    return income
