"""The village accountant's journey, in a real browser: 刘芳 (demo-accountant) of 东安村 imports new
members from an Excel roster, records a land contribution, reads the share structure and its
compliance, enters a voucher with the keyboard only and posts it, and finds it in the cash ledger.
Every page of the journey also fits a 390 px phone, passes axe-core and labels every field.

The demo county is shared by all journeys (tests/e2e/conftest.py): this journey adds its own members
and its own voucher, and compares the share structure before and after.

Numbers, worked out by hand:

* the roster: 韩立新 (cash 6,000.00) and 苏春梅 (land 3.5 mu × 800.00 = 2,800.00) of a new household
  104201-041, 曹建设 of a new household 104201-042 with no contribution in the workbook;
* the land contribution recorded on the form for 曹建设: 4 mu × 800.00 = 3,200.00;
* the share structure grows by 6,000.00 + 2,800.00 + 3,200.00 = 12,000.00;
* households holding shares: the demo's 40 + 2 = 42 of 东安村's 386: 42 / 386 = 10.88% (was
  40 / 386 = 10.36%), above the 10% minimum;
* the voucher: Dr 101 库存现金 2,680.50 / Cr 501 经营收入 2,680.50 (apples sold for cash: money in,
  so no approval is needed and the accountant posts it);
* the books post each contribution as it is confirmed (1 November 2026 for the roster, today for
  曹建设's land): Dr 101 库存现金 6,000.00 and Dr 161 无形资产 2,800.00 + 3,200.00 against 股金 of each
  member, so the register and the books still tie out;
* the cash ledger (101) closes at the demo's opening 8,000.00 + January's 5,000.00 − 6,500.00 +
  2,400.00 (= 8,900.00) + 韩立新's 6,000.00 + 2,680.50 = 17,580.50 (借).
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from members.demo import resident_id
from tests.e2e.test_journeys_shell import assert_fits
from tests.shares.workbooks import workbook

pytestmark = pytest.mark.e2e

DONGAN = "371323104201"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LAND = {"value_per_mu": "800", "location": "东安村西坡", "term_years": 10, "appraiser": "沂水县农村经营管理站"}
ROSTER = [
    {
        "kind": "个人",
        "name": "韩立新",
        "id_number": resident_id("371323", "1979-05-06", 901, "M"),
        "household_number": "104201-041",
        "household_head": "韩立新",
        "household_size": 4,
        "address": "东安村4组",
        "is_farmer": "是",
        "joined_on": "2026-11-01",
        "contribution_kind": "现金",
        "amount": "6000",
        "contributed_on": "2026-11-01",
    },
    {
        "kind": "个人",
        "name": "苏春梅",
        "id_number": resident_id("371323", "1981-08-19", 902, "F"),
        "household_number": "104201-041",
        "household_head": "韩立新",
        "is_farmer": "是",
        "joined_on": "2026-11-01",
        "contribution_kind": "土地承包经营权",
        "area_mu": "3.5",
        "appraisal_date": "2026-10-28",
        "contributed_on": "2026-11-01",
        **LAND,
    },
    {
        "kind": "个人",
        "name": "曹建设",
        "id_number": resident_id("371323", "1970-12-02", 903, "M"),
        "household_number": "104201-042",
        "household_head": "曹建设",
        "household_size": 3,
        "is_farmer": "是",
        "joined_on": "2026-11-01",
    },
]


def money(text: str) -> Decimal:
    return Decimal(text.replace(",", "").replace("¥", "").strip())


def structure_total(page) -> Decimal:
    return money(page.get_by_test_id("structure-total").first.inner_text())


def households_rule(page):
    return page.locator('li[data-rule="households_min"]').first


@pytest.fixture
def coop(demo):
    return demo.cooperatives[DONGAN]


def test_accountant_imports_records_reads_the_structure_and_posts_a_voucher_by_keyboard(
    page_as, screenshot, axe, assert_fields_labelled, coop
):
    page = page_as("demo-accountant")

    # the share structure before: the demo's 40 households
    page.goto(f"/shares/cooperatives/{coop.pk}/structure/")
    expect(households_rule(page)).to_contain_text("本村386户中有40户入社（10.36%）")
    before = structure_total(page)

    # 1. import the roster ---------------------------------------------------------------------
    page.goto("/shares/import/")
    expect(page.get_by_role("heading", level=1)).to_have_text("导入社员和出资")
    page.get_by_label("合作社").select_option(label=coop.name)
    page.get_by_label("已填写的模板（.xlsx）").set_input_files(
        {"name": "东安村新成员.xlsx", "mimeType": XLSX, "buffer": workbook(ROSTER).read()}
    )
    assert_fields_labelled(page)
    axe(page)
    screenshot(page, "accountant-import")
    page.get_by_role("button", name="上传并导入").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("东安村新成员.xlsx")
    done = page.get_by_role("status").filter(has_text="名社员")
    expect(done).to_contain_text("3名社员")
    expect(done).to_contain_text("新建农户2户")
    expect(done).to_contain_text("2笔出资")
    axe(page)
    screenshot(page, "accountant-import-done")
    page.get_by_role("button", name="将导入的2笔出资确认写入股权台账").click()
    expect(page.get_by_role("alert").first).to_be_visible()

    page.goto(f"/members/?cooperative={coop.pk}&q=韩立新")
    expect(page.locator("main tbody")).to_contain_text("韩立新")

    # 2. record a land contribution for 曹建设 ------------------------------------------------------
    page.goto(f"/shares/contributions/new/?cooperative={coop.pk}")
    expect(page.get_by_role("heading", level=1)).to_have_text("登记出资")
    member = page.get_by_label("社员")
    member.select_option(label=member.locator("option", has_text="曹建设").inner_text())
    page.get_by_label("类型").select_option(label="土地承包经营权")
    page.get_by_label("面积（亩）").fill("4")
    page.get_by_label("坐落位置").fill("东安村北洼")
    page.get_by_label("期限（年）").fill("10")
    page.get_by_label("每亩作价").fill("800")
    page.get_by_label("评估人").fill("沂水县农村经营管理站")
    page.get_by_label("评估日期").fill("2025-10-28")
    assert_fields_labelled(page)
    axe(page)
    page.get_by_role("button", name="保存为草稿").click()

    main = page.locator("main")
    expect(main).to_contain_text("曹建设")
    expect(main).to_contain_text("3,200.00")  # 4 mu × 800.00
    page.get_by_role("button", name="确认并写入股权台账").click()
    expect(page.get_by_role("alert").first).to_be_visible()

    # 3. the share structure chart and the compliance panel -------------------------------------
    page.goto(f"/shares/cooperatives/{coop.pk}/structure/")
    expect(page.get_by_role("img", name=re.compile("股权结构图"))).to_be_visible()
    expect(page.locator("[data-chart-source] svg").first).to_be_visible()  # ECharts drew the ring
    assert structure_total(page) - before == Decimal("12000.00")  # 6,000 + 2,800 + 3,200
    rule = households_rule(page)
    expect(rule).to_contain_text("本村386户中有42户入社（10.88%），不低于10.00%。")  # 42 / 386
    expect(rule).to_have_attribute("data-status", "passed")
    expect(page.get_by_role("list", name="合规规则")).to_be_visible()
    axe(page)
    screenshot(page, "accountant-share-structure")

    # the cooperative's page carries the same panel
    page.goto(coop.get_absolute_url())
    panel = page.locator("section.panel-card", has_text="股权与合规")
    expect(panel.get_by_test_id("structure-total")).to_have_text(f"{before + Decimal('12000.00'):,.2f}")
    expect(panel.locator('li[data-rule="households_min"]')).to_contain_text("10.88%")

    # 4. a voucher, with the keyboard only --------------------------------------------------------
    page.goto(f"/finance/cooperatives/{coop.pk}/vouchers/new/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("记账凭证")
    summary = page.get_by_label("摘要", exact=True)
    expect(summary).to_be_focused()  # the cursor starts in the summary
    year = page.get_by_label("日期").input_value()[:4]  # today, in the demo's open books
    kb = page.keyboard
    kb.type("零售苹果收现（东安村集市）")
    kb.press("Enter")  # moves on (it does not send the half-entered voucher)
    expect(page.get_by_label("附件（张）")).to_be_focused()
    kb.type("1")
    grid = page.locator("[data-lines] [data-line]")
    first, second = grid.nth(0), grid.nth(1)

    kb.press("Tab")  # line 1: the summary copies the voucher's
    expect(first.locator("[data-summary]")).to_be_focused()
    expect(first.locator("[data-summary]")).to_have_value("零售苹果收现（东安村集市）")
    kb.press("Enter")
    expect(first.locator("[data-account]")).to_be_focused()
    kb.type("KCXJ")  # pinyin initials of 库存现金
    options = page.get_by_role("listbox")
    expect(options.get_by_role("option").first).to_contain_text("101 库存现金")
    kb.press("Enter")
    expect(first.locator("[data-account]")).to_have_value("101 库存现金")
    expect(first.locator('[data-amount="debit"]')).to_be_focused()
    kb.type("2680.5")
    kb.press("Enter")
    expect(first.locator('[data-amount="debit"]')).to_have_value("2680.50")
    totals = page.locator("[data-total-debit]"), page.locator("[data-total-credit]"), page.locator("[data-difference]")
    expect(totals[0]).to_have_text("2,680.50")
    expect(totals[1]).to_have_text("0.00")
    expect(totals[2]).to_have_text("2,680.50")
    expect(totals[2]).to_have_class(re.compile("is-off"))

    # credit, member, project of line 1, then line 2
    for _ in range(3):
        kb.press("Enter")
    expect(second.locator("[data-summary]")).to_be_focused()
    expect(second.locator("[data-summary]")).to_have_value("零售苹果收现（东安村集市）")
    kb.press("Enter")
    kb.type("501")  # by code
    expect(options.get_by_role("option").first).to_contain_text("501 经营收入")
    kb.press("Tab")
    expect(second.locator("[data-account]")).to_have_value("501 经营收入")
    kb.press("Tab")  # no debit
    kb.press("=")  # the credit that balances the voucher
    expect(second.locator('[data-amount="credit"]')).to_have_value("2680.50")
    expect(totals[1]).to_have_text("2,680.50")
    expect(totals[2]).to_have_text("0.00")
    expect(totals[2]).not_to_have_class(re.compile("is-off"))
    assert_fields_labelled(page)
    axe(page)
    screenshot(page, "accountant-voucher-entry")

    kb.press("Control+s")  # save
    expect(page.get_by_role("alert").first).to_contain_text("凭证已保存")
    expect(page.locator("main")).to_contain_text("零售苹果收现（东安村集市）")
    post = page.get_by_role("button", name="记账", exact=True)
    expect(post).to_be_focused()  # the next step waits under the cursor
    kb.press("Enter")  # post
    expect(page.get_by_role("alert").first).to_contain_text("已记账。")
    article = page.locator("article.voucher-print")
    expect(article.locator(".badge")).to_have_text("已记账")
    number = re.search(r"记-\d{4}", article.inner_text()).group(0)
    expect(article).to_contain_text("2,680.50")
    expect(article).to_contain_text("刘芳")
    axe(page)
    screenshot(page, "accountant-voucher-posted")

    # 5. the voucher in the cash ledger (明细账 of 101) ---------------------------------------------
    page.goto(f"/finance/cooperatives/{coop.pk}/ledger/?account=101")
    expect(page.get_by_label("科目")).to_have_value("101")
    page.get_by_label("年份").fill(year)
    page.get_by_label("起始月份").fill("1")
    page.get_by_label("截止月份").fill("12")
    page.get_by_role("button", name="显示").click()
    row = page.locator("main tbody tr", has_text="零售苹果收现（东安村集市）")
    expect(row).to_contain_text(number)
    expect(row).to_contain_text("2,680.50")
    expect(page.locator("main tfoot")).to_contain_text("17,580.50")  # 8,900.00 + 6,000.00 + 2,680.50
    assert_fields_labelled(page)
    axe(page)
    screenshot(page, "accountant-cash-ledger")


# the accountant's pages on a 390 px phone: no sideways scrolling, axe clean, every field labelled
PHONE_PAGES = [
    "/shares/import/",
    "/shares/contributions/new/?cooperative={pk}",
    "/shares/cooperatives/{pk}/structure/",
    "/finance/cooperatives/{pk}/vouchers/new/",
    "/finance/cooperatives/{pk}/ledger/?account=101",
    "/finance/cooperatives/{pk}/general-ledger/",
]


def test_accountant_pages_fit_a_phone(page_as, screenshot, axe, assert_fields_labelled, coop):
    page = page_as("demo-accountant", width=390)
    for path in PHONE_PAGES:
        page.goto(path.format(pk=coop.pk))
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_fits(page)
        assert_fields_labelled(page)
        axe(page)
        screenshot(page, "phone-accountant-" + re.sub(r"[^a-z0-9]+", "-", path.split("?")[0].format(pk="")).strip("-"))
