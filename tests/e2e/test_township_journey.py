"""The township official's journey, in a real browser: 李秀英 (demo-township, 许家湖镇) opens the
inbox, reviews 东安村's charter amendment (version 2, submitted by the demo) item by item, returns
one item with a comment; 刘芳 (demo-accountant) amends it and resubmits; the official approves the
amended version. On a 390 px phone she then approves a 10,000-yuan payment, and the approval posts
the voucher.

Numbers: the payment is 10,000.00 yuan out of the bank; the county's threshold (seed 004) is
10,000.00 and a payment at or above it goes to the township, not to the chair: 10,000.00 ≥ 10,000.00.

The demo county is shared by all journeys (tests/e2e/conftest.py): only this journey touches the
charter's version 2, and the payment is a voucher of its own, dated in February so that its number
does not depend on the accountant's journey.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from core.models import User
from core.selectors import approval_inbox
from tests.e2e.test_journeys_shell import assert_fits

pytestmark = pytest.mark.e2e

DONGAN = "371323104201"
CHARTER_TITLE = "沂水县东安村富民果品种植专业合作社：章程第2版"
PAYMENT = "支付果袋款（沂水县包装材料厂）"
RETURN_COMMENT = "请写明采摘旅游的经营场所和游客安全措施。"
AMENDED_SCOPE = "开展乡村采摘旅游（东安村北山果园，配备安全员和游客意外保险）和农产品电子商务销售。"


@pytest.fixture
def charter(demo):
    from cooperatives.models import Charter

    return Charter.objects.get(cooperative=demo.cooperatives[DONGAN], version=2)


@pytest.fixture
def payment(demo):
    """A 10,000.00 payment to a supplier out of the bank, entered and submitted by 刘芳."""
    from finance.models import Account
    from finance.services.payees import PayeeInput
    from finance.services.vouchers import LineInput, voucher_create, voucher_submit

    coop = demo.cooperatives[DONGAN]
    accountant = User.objects.get(username="demo-accountant")
    accounts = {a.code: a for a in Account.objects.filter(cooperative=coop, code__in=["211", "10201"])}
    voucher = voucher_create(
        actor=accountant,
        cooperative=coop,
        date=datetime.date(2026, 2, 10),
        summary=PAYMENT,
        attachment_count=2,
        lines=[
            LineInput(account=accounts["211"], debit=Decimal("10000.00"), credit=Decimal("0")),
            LineInput(account=accounts["10201"], debit=Decimal("0"), credit=Decimal("10000.00")),
        ],
        payee=PayeeInput(name="沂水县农资公司"),
    )
    voucher_submit(actor=User.objects.get(pk=accountant.pk), voucher=voucher)
    return voucher


def review(page, returned: dict[str, str]) -> None:
    """Tick every item of the review page: 通过, or 已退回 with the comment given for it."""
    items = page.locator("fieldset")
    expect(items).to_have_count(6)
    for i in range(6):
        item = items.nth(i)
        legend = item.locator("legend").inner_text()
        name = next((n for n in returned if n in legend), None)
        if name is None:
            item.get_by_label("通过", exact=True).check()
        else:
            item.get_by_label("已退回", exact=True).check()
            item.get_by_label(f"对“{name}”的意见").fill(returned[name])
    page.get_by_role("button", name="记录审核结果").click()


def test_township_reviews_a_charter_returns_an_item_and_approves_the_amendment(
    page_as, screenshot, axe, assert_fields_labelled, charter
):
    page = page_as("demo-township")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="审批").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("审批")
    waiting = approval_inbox(User.objects.get(username="demo-township")).count()
    expect(page.get_by_role("link", name=re.compile("待我审批"))).to_contain_text(str(waiting))
    charter_row = page.locator("tbody tr", has_text=CHARTER_TITLE)
    expect(charter_row).to_contain_text("已提交")
    expect(charter_row).to_contain_text("刘芳")
    # the demo's own payment over the threshold waits too
    expect(page.locator("tbody tr", has_text="支付化肥款（沂水县农资公司）")).to_contain_text("12,000.00")
    assert_fields_labelled(page)
    axe(page)
    screenshot(page, "township-inbox")

    # from the inbox to the charter and its item-by-item review
    charter_row.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(CHARTER_TITLE)
    page.get_by_role("link", name="查看单据").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("章程（第2版）")
    page.get_by_role("link", name="逐项审核").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("逐项审核")
    scope_item = page.locator("fieldset", has_text="经营范围")
    expect(scope_item.locator("legend")).to_contain_text("有修改")  # the amendment's change is marked
    expect(scope_item).to_contain_text("开展乡村采摘旅游和农产品电子商务销售。")
    assert_fields_labelled(page)
    axe(page)
    screenshot(page, "township-charter-review")

    # returning an item without a comment is refused, next to the item
    review(page, {"经营范围": ""})
    expect(page.locator("fieldset", has_text="经营范围").locator(".invalid-feedback")).to_be_visible()
    review(page, {"经营范围": RETURN_COMMENT})
    expect(page.get_by_role("alert").first).to_contain_text("章程已连同您的意见退回村里。")
    expect(page.locator("main")).to_contain_text(RETURN_COMMENT)
    screenshot(page, "township-charter-returned")

    # the accountant reads the comment, amends the item and resubmits
    village = page_as("demo-accountant")
    village.goto(charter.get_absolute_url())
    returned = village.get_by_role("alert").filter(has_text="乡镇退回了以下事项：")
    expect(returned).to_contain_text("经营范围")
    expect(returned).to_contain_text(RETURN_COMMENT)
    village.get_by_role("link", name="编辑", exact=True).click()
    scope = village.get_by_label("经营范围", exact=True)
    scope.fill(scope.input_value().replace("开展乡村采摘旅游和农产品电子商务销售。", AMENDED_SCOPE))
    assert_fields_labelled(village)
    axe(village)
    village.get_by_role("button", name="保存", exact=True).click()
    expect(village.get_by_role("alert").first).to_contain_text("章程已保存。")
    village.get_by_role("button", name="重新提交乡镇审核").click()
    expect(village.get_by_role("alert").first).to_contain_text("已提交乡镇审核。")
    village.context.close()

    # the official approves the amended version, item by item
    page.goto("/approvals/")
    page.locator("tbody tr", has_text=CHARTER_TITLE).get_by_role("link").first.click()
    page.get_by_role("link", name="查看单据").click()
    page.get_by_role("link", name="逐项审核").click()
    scope_item = page.locator("fieldset", has_text="经营范围")
    expect(scope_item).to_contain_text(AMENDED_SCOPE)
    expect(scope_item).to_contain_text(f"上一轮: 已退回 — {RETURN_COMMENT}")
    review(page, {})
    expect(page.get_by_role("alert").first).to_contain_text("六个审核项全部通过：章程已审核通过。")
    expect(page.locator("main")).to_contain_text(AMENDED_SCOPE)
    screenshot(page, "township-charter-approved")
    axe(page)

    page.goto("/approvals/")
    expect(page.locator("tbody")).not_to_contain_text(CHARTER_TITLE)
    expect(page.get_by_role("link", name=re.compile("待我审批"))).to_contain_text(str(waiting - 1))
    charter.refresh_from_db()
    assert charter.state == "township_approved"
    assert AMENDED_SCOPE in charter.business_scope


def test_township_approves_a_10000_yuan_payment_on_a_phone(page_as, screenshot, axe, assert_fields_labelled, payment):
    page = page_as("demo-township", width=390)
    page.get_by_role("button", name="切换导航").click()
    # the menu slides open: click once Bootstrap's transition has finished, not while it moves
    expect(page.locator("#mainNav")).to_have_class(re.compile(r"\bshow\b"))
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="审批").click()
    page.wait_for_url("**/approvals/**")
    expect(page.get_by_role("heading", level=1)).to_have_text("审批")
    row = page.locator("tbody tr", has_text=PAYMENT)
    expect(row).to_contain_text("10,000.00")
    assert_fits(page)
    assert_fields_labelled(page)
    axe(page)
    screenshot(page, "phone-township-inbox")

    row.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"付款：{PAYMENT}")
    main = page.locator("main")
    expect(main).to_contain_text("¥10,000.00")
    expect(main).to_contain_text("乡镇审核员")  # 10,000.00 ≥ the threshold of 10,000.00: the township decides
    assert_fits(page)
    assert_fields_labelled(page)
    axe(page)
    page.get_by_label("意见").fill("同意，按合同付款。")
    page.get_by_role("button", name="批准").click()
    expect(page.get_by_role("alert").first).to_contain_text("已记录：已批准。")
    expect(page.locator(".step-timeline li").last).to_contain_text("同意，按合同付款。")
    assert_fits(page)
    screenshot(page, "phone-township-approved")

    # the approval posted the voucher: it has its number now
    page.get_by_role("link", name="查看单据").click()
    voucher = page.locator("article.voucher-print")
    expect(voucher.locator(".badge")).to_have_text("已记账")
    expect(voucher).to_contain_text(PAYMENT)
    expect(voucher).to_contain_text("10,000.00")
    expect(voucher).to_contain_text(re.compile(r"2月 记-\d{4}"))
    assert_fits(page)
    payment.refresh_from_db()
    assert payment.status == "posted" and payment.number
