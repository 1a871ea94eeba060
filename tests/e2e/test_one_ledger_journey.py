"""One ledger, in a real browser: 刘芳 (demo-accountant) of 东安村 records a contribution, refunds a
leaving member and pays out a dividend, and sees each in the books at once; the tie-out stays
green; a "217" plan for her farmer cooperative is refused with the article named; demo-county sees
every cooperative tie out. The tie-out page also fits a 390 px phone.

Numbers, worked out by hand:

* the contribution: 孙丽华 pays 3,000.00 in cash into the bank account 10201 today: Dr 10201
  3,000.00 / Cr 301 股金 (孙丽华) 3,000.00;
* the refund: 钱永福 applied on 10 September 2025 to leave at the end of 2025 (demo); his ordinary
  shares (12,200.00) and his reserve share come back through 10201: Dr 301 (钱永福) 12,200.00 and
  Dr 322 (钱永福), Cr 10201 their sum;
* the payout: 王建军's part of the 2025 distribution, paid from cash today: Dr 222 (王建军) / Cr 101;
* the plan: 2026 under "217" with an entered surplus of 50,000.00: fund 10,000.00, reward 5,000.00,
  35,000.00 to distribute; members delivered apples in January 2026, so Art. 44 asks at least 60% ×
  35,000.00 = 21,000.00 by transactions, and 217 refunds nothing: 21,000.00 short.

Its rows are its own (孙丽华's new contribution, 钱永福's refund, 王建军's payout); the refused plan
writes nothing.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_journeys_shell import assert_fits

pytestmark = pytest.mark.e2e

DONGAN = "371323104201"


@pytest.fixture
def coop(demo):
    return demo.cooperatives[DONGAN]


def tie_out_is_green(page, coop):
    page.goto(f"/finance/cooperatives/{coop.pk}/tie-out/")
    expect(page.get_by_role("heading", level=1)).to_have_text("账实核对")
    expect(page.locator("main .alert-success")).to_contain_text("账实相符")


def voucher_lines(page) -> str:
    """The lines of the voucher page the last click opened (waits for that page, not the one before)."""
    page.wait_for_url(re.compile(r"/finance/vouchers/\d+/$"))
    rows = page.locator("article.voucher-print tbody tr")
    expect(rows.first).to_be_visible()
    return " ".join(rows.all_inner_texts())


def test_accountant_records_refunds_and_pays_and_the_books_follow(page_as, screenshot, axe, coop):
    from members.models import Member

    page = page_as("demo-accountant")
    tie_out_is_green(page, coop)

    # 1. a cash contribution into the bank account ------------------------------------------------
    sun = Member.objects.get(cooperative=coop, name="孙丽华")
    page.goto(f"/shares/contributions/new/?member={sun.pk}")
    page.get_by_label("类型").select_option(label="货币")
    page.get_by_label("作价（元）").fill("3000")
    booked_to = page.get_by_label("记入科目")
    booked_to.select_option(label=booked_to.locator("option", has_text="10201").inner_text())
    page.get_by_role("button", name="保存为草稿").click()
    page.get_by_role("button", name="确认并写入股权台账").click()
    expect(page.get_by_role("alert").first).to_contain_text("已同时记账")
    booking = page.locator("section[aria-labelledby='booking-h']")
    expect(booking).to_contain_text("成员出资入股：孙丽华")
    axe(page)
    booking.get_by_role("link").first.click()
    lines = voucher_lines(page)
    assert "10201" in lines and "301 股金" in lines and "孙丽华" in lines and "3,000.00" in lines, lines
    screenshot(page, "ledger-contribution-voucher")

    # 2. 钱永福's refund: capital and reserve share, through the bank --------------------------------
    qian = Member.objects.get(cooperative=coop, name="钱永福")
    withdrawal = qian.withdrawals.get()
    page.goto(withdrawal.get_absolute_url())
    expect(page.locator("main")).to_contain_text("公积金份额")
    refund = page.get_by_label("退款科目")
    refund.select_option(label=refund.locator("option", has_text="10201").inner_text())
    page.get_by_role("button", name="立即退款").click()
    expect(page.get_by_role("alert").first).to_contain_text("已同时记账")
    page.locator("section[aria-labelledby='booking-h']").get_by_role("link").first.click()
    lines = voucher_lines(page)
    assert "12,200.00" in lines and "322 盈余公积" in lines and "钱永福" in lines, lines
    screenshot(page, "ledger-refund-voucher")

    # 3. 王建军's dividend of 2025, paid in cash -----------------------------------------------------
    from dividends.models import Payout

    payout = Payout.objects.get(plan__cooperative=coop, plan__year=2025, member__name="王建军")
    page.goto(f"/dividends/payouts/{payout.pk}/")
    page.get_by_label("发放方式").select_option(label="现金")
    page.get_by_label("签收人").fill("王建军")
    page.get_by_role("button", name="登记为已发放").click()
    expect(page.get_by_role("alert").first).to_contain_text("发放已登记并记账")
    row = page.locator("main tbody tr", has_text="王建军")
    expect(row).to_contain_text("已发放")
    row.get_by_role("link", name=re.compile("记-")).click()
    lines = voucher_lines(page)
    assert "222 应付剩余盈余" in lines and "王建军" in lines and "101 库存现金" in lines, lines

    # 4. the books and the register still tell one story ------------------------------------------
    tie_out_is_green(page, coop)
    axe(page)
    screenshot(page, "ledger-tie-out")
    page.goto(f"/finance/cooperatives/{coop.pk}/")
    expect(page.locator("section[aria-labelledby='tie-h']")).to_contain_text("账实相符")


def test_a_217_plan_of_a_farmer_cooperative_is_refused_with_the_article(page_as, coop):
    from dividends.models import DistributionPlan, DistributionPolicy

    before = DistributionPlan.objects.filter(cooperative=coop).count()
    s217 = DistributionPolicy.objects.get(code="217")
    page = page_as("demo-accountant")
    page.goto(f"/dividends/cooperatives/{coop.pk}/plans/new/")
    page.get_by_label("会计年度").fill("2026")
    policy = page.get_by_label("盈余分配办法")
    policy.select_option(value=str(s217.pk))  # the policies are listed by name
    page.get_by_label("本年盈余（元）").fill("50000")
    page.get_by_role("button", name="计算并保存草稿").click()
    error = page.locator("main").get_by_text(re.compile("第四十四条"))
    expect(error).to_contain_text("35,000.00")
    expect(error).to_contain_text("21,000.00")
    assert DistributionPlan.objects.filter(cooperative=coop).count() == before


def test_county_sees_every_cooperative_tie_out(page_as):
    page = page_as("demo-county")
    page.goto("/supervision/")
    expect(page.locator("[data-figure='out-of-balance']")).to_have_text("0 / 7")


def test_tie_out_fits_a_phone(page_as, screenshot, axe, coop):
    page = page_as("demo-accountant", width=390)
    tie_out_is_green(page, coop)
    assert_fits(page)
    axe(page)
    screenshot(page, "phone-ledger-tie-out")
