"""The member's journey, on a 390 px phone: 周大山 (demo-member, member no. 4 of 东安村's
cooperative) logs in, opens his own shares from the home page and then his statement of the 2025
distribution (dividends/demo.py).

Numbers, by hand:
  his shares: 2,800.00 (land, 2020-03-20) + 8,900.00 (cash, 2020-03-20) + 2,000.00 (bought from
  钱永福, 2023-06-01) = 13,700.00 ordinary shares
  the 2025 surplus 40,000.00 under "217" inside the cooperative law (东安村's charter): 20% fund
  8,000.00, 10% managers' reward 4,000.00, the rest 40,000.00 − 8,000.00 − 4,000.00 = 28,000.00;
  nobody traded with the cooperative in 2025, so all of it goes by capital and reserve shares
  the cooperative's capital on the record date: 888,400.00; the 20,000.00 reserve taken over with
  the books and quantified by capital: his share 20,000.00 × 13,700.00 ÷ 888,400.00 = 308.4196 →
  308.42 (largest remainder); his weight 13,700.00 + 308.42 = 14,008.42 of 908,400.00
  his part 28,000.00 × 14,008.42 ÷ 908,400.00 = 431.7875 → 431.78 and a remainder of 0.75 fen, one of
  the largest, so the largest-remainder split gives him a left-over fen: 431.79

Only reads: nothing of the member's changes in any journey.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

import pytest
from playwright.sync_api import expect

from tests.e2e.test_journeys_shell import assert_fits

pytestmark = pytest.mark.e2e

COOPERATIVE = "沂水县东安村富民果品种植专业合作社"
SHARES = Decimal("13700.00")
POOL = Decimal("40000.00") - Decimal("40000.00") * Decimal("0.20") - Decimal("40000.00") * Decimal("0.10")
CAPITAL = Decimal("888400.00")
RESERVE = Decimal("20000.00")
RESERVE_SHARE = Decimal("308.42")
DUE = Decimal("431.79")


def test_hand_figures_agree():
    """The figures in the docstring, worked again: the pool, the exact part, the fen it rounds to."""
    assert Decimal("28000.00") == POOL
    assert (RESERVE * SHARES / CAPITAL).quantize(Decimal("0.0001")) == Decimal("308.4196")
    exact = POOL * (SHARES + RESERVE_SHARE) / (CAPITAL + RESERVE)
    assert exact.quantize(Decimal("0.0001")) == Decimal("431.7875")
    floor = exact.quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    assert floor == Decimal("431.78") and floor + Decimal("0.01") == DUE


def test_member_reads_his_shares_and_dividend_statement_on_a_phone(page_as, screenshot, axe, assert_fields_labelled):
    page = page_as("demo-member", width=390)
    expect(page.get_by_role("heading", level=1)).to_have_text("欢迎，周大山")
    mine = page.locator("section.panel-card", has_text="我的股份")
    expect(mine).to_contain_text(COOPERATIVE)
    expect(mine).to_contain_text("¥13,700.00")
    assert_fits(page)
    axe(page)

    # his own page: the shares by class, the ledger and the contributions behind them
    mine.get_by_role("link", name=COOPERATIVE).click()
    main = page.locator("main")
    expect(page.get_by_role("heading", level=1)).to_contain_text("周大山")
    shares = main.locator("section[aria-labelledby='panel-member-shares']")
    expect(shares).to_contain_text("普通股")
    expect(shares.locator("tfoot, tr", has_text="合计").first).to_contain_text("13,700.00")
    expect(main).to_contain_text("钱永福")  # the 2,000.00 he bought in 2023
    expect(main).to_contain_text("土地承包经营权 · 2,800.00")
    expect(main).to_contain_text("货币 · 8,900.00")
    expect(main).to_contain_text("371323197201262056")
    assert_fits(page)
    assert_fields_labelled(page)
    axe(page)
    screenshot(page, "phone-member-shares")

    # his statement of the 2025 distribution, from the home page
    page.goto("/")
    statement_link = page.locator("a[href^='/dividends/statements/']").first
    expect(statement_link.locator("xpath=..")).to_contain_text(f"{DUE:,}元")
    statement_link.click()
    main = page.locator("main")
    expect(page.get_by_role("heading", level=1)).to_contain_text("2025年度盈余分配对账单")
    expect(main).to_contain_text("周大山")
    expect(main).to_contain_text("13,700.00")
    expect(main.locator("tr", has_text="28,000.00")).to_contain_text(f"{DUE:,}")
    expect(main.locator("thead")).to_contain_text("分配总额")  # the step's whole amount, then his part of it
    expect(main).to_contain_text(f"¥{DUE:,}")
    expect(main).to_contain_text("发放：未发放")  # listed for payment, not yet paid out
    assert_fits(page)
    axe(page)
    screenshot(page, "phone-member-statement")

    # his statements list says the same
    page.goto("/dividends/mine/")
    expect(page.locator("main")).to_contain_text(f"¥{DUE:,}")
    assert_fits(page)
    axe(page)
