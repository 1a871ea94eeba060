import datetime

from tests.finance.factories import D, opening, period, voucher


def test_smoke(books, acc):
    from finance.selectors.ledgers import resolve_range, trial_balance
    from finance.selectors.statements import statement
    from finance.services.closing import period_close

    coop = books
    opening(acc, coop, 2026, ("101", "1000", 0), ("301", 0, "1000"))
    voucher(acc, coop, datetime.date(2026, 1, 5), "销售苹果", ("101", "500", 0), ("501", 0, "500"))
    voucher(acc, coop, datetime.date(2026, 1, 6), "购买化肥", ("521", "200", 0), ("101", 0, "200"), post=False)
    rng = resolve_range(coop, year=2026, period_to=1)
    tb = trial_balance(rng)
    assert tb.is_balanced
    bs = statement(coop, "balance_sheet", rng)
    assert bs.value(1) == D("1500")
    assert bs.value(22) == bs.value(42)
    s = statement(coop, "surplus", rng)
    assert s.value(12) == D("500")
    eq = statement(coop, "equity_changes", rng)
    assert eq.value(1, 0) == D("1000")
    import pytest

    from core.exceptions import BusinessError

    with pytest.raises(BusinessError):
        period_close(actor=acc, period=period(coop, 2026, 1))
