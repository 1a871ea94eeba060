"""Journeys through the UI shell, in a real browser: log in, the home page of each role, the approval
inbox, small screens, a wrong password. Each asserts what the person sees and saves screenshots."""

import re

import pytest
from playwright.sync_api import expect

from core import demo as core_demo
from core.models import User
from core.selectors import approval_inbox
from core.services.approvals import approval_request_create, approval_submit
from tests.testapp.models import Document

pytestmark = pytest.mark.e2e

FULL_NAMES = {username: full_name for username, full_name, _role, _region in core_demo.DEMO_USERS}

# username → (role label shown under the greeting, panels shown, panels not shown, 审批 on the bar)
HOMES = {
    "demo-admin": ("系统管理员", ["我的辖区"], ["我的待办", "我的村", "我的社员身份"], True),
    "demo-county": ("县级管理员", ["我的待办", "我的辖区"], ["我的村", "我的社员身份"], True),
    "demo-township": ("乡镇审核员", ["我的待办", "我的辖区"], ["我的村", "我的社员身份"], True),
    "demo-township2": ("乡镇审核员", ["我的待办", "我的辖区"], ["我的村", "我的社员身份"], True),
    "demo-accountant": ("村报账员", ["我的待办", "我的村"], ["我的辖区", "我的社员身份"], True),
    "demo-accountant2": ("村报账员", ["我的待办", "我的村"], ["我的辖区", "我的社员身份"], True),
    "demo-chair": ("理事长", ["我的待办", "我的村"], ["我的辖区", "我的社员身份"], True),
    "demo-supervisor": ("监事会", ["我的待办", "我的村"], ["我的辖区", "我的社员身份"], False),
    "demo-member": ("社员", ["新消息", "我的社员身份"], ["我的待办", "我的辖区", "我的村"], False),
}


def panel_titles(page) -> list[str]:
    return [t.strip() for t in page.locator("section.panel-card .card-header").all_inner_texts()]


# (a) every demo role ------------------------------------------------------------------------------


@pytest.mark.parametrize("username", list(HOMES))
def test_each_role_logs_in_and_sees_its_home(page_as, screenshot, axe, username):
    role_label, shown, hidden, sees_approvals = HOMES[username]
    page = page_as(username)

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page).to_have_title(re.compile("首页"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"欢迎，{FULL_NAMES[username]}")
    expect(page.locator("main")).to_contain_text(role_label)
    titles = " | ".join(panel_titles(page))
    for title in shown:
        assert title in titles, f"{username}: expected the panel {title}, saw {titles}"
    for title in hidden:
        assert title not in titles, f"{username}: must not see the panel {title}, saw {titles}"
    nav = page.get_by_role("navigation", name="主导航")
    expect(nav.get_by_role("link", name="审批")).to_have_count(1 if sees_approvals else 0)
    expect(nav).to_contain_text(FULL_NAMES[username])

    screenshot(page, f"home-{username}")
    axe(page)


@pytest.mark.parametrize("username", list(HOMES))
def test_each_roles_menu_fits_one_line_at_1024_px(page_as, screenshot, username):
    """The bar holds what the role does daily, the rest is under 更多, and it stays one line at
    1024 px (no label broken over lines); only staff see the API links."""
    page = page_as(username, width=1024)
    nav = page.get_by_role("navigation", name="主导航")
    height = nav.bounding_box()["height"]
    assert height < 70, f"{username}: the bar is {height:.0f} px tall at 1024 px"
    for link in nav.locator("a.nav-link").all():
        if link.is_visible():
            box = link.bounding_box()
            assert box["height"] < 45, f"{username}: {link.inner_text()!r} wraps ({box['height']:.0f} px)"
    if username != "demo-member":
        more = nav.locator("[data-nav-more] > a")
        expect(more).to_have_text(re.compile("更多"))
        more.click()
        expect(nav.locator("[data-nav-more] .dropdown-menu")).to_be_visible()
    nav.get_by_role("button", name=FULL_NAMES[username]).click()
    expect(nav.get_by_role("link", name="API 文档")).to_have_count(0 if username == "demo-member" else 1)
    screenshot(page, f"menu-1024-{username}")


# (b) township inbox: return a request with a comment --------------------------------------------


@pytest.fixture
def submitted_request(demo):
    """A road-repair document of 东安村 (许家湖镇), submitted by its accountant for the township."""
    accountant = User.objects.get(username="demo-accountant")
    document = Document.objects.create(title="东安村修路", region_code="371323104201", amount="12800.00")
    request = approval_request_create(
        actor=accountant,
        subject=document,
        kind="test_document",
        title="东安村修路经费",
        region_code=document.region_code,
        amount=document.amount,
    )
    return approval_submit(actor=User.objects.get(pk=accountant.pk), request=request)


def test_township_returns_a_request_with_a_comment(page_as, screenshot, axe, assert_fields_labelled, submitted_request):
    page = page_as("demo-township")
    inbox_panel = page.locator("section.panel-card", has_text="我的待办")
    expect(inbox_panel.get_by_role("link", name="东安村修路经费")).to_be_visible()

    page.get_by_role("navigation", name="主导航").get_by_role("link", name="审批").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("审批")
    waiting = approval_inbox(User.objects.get(username="demo-township")).count()  # the demo adds its own
    expect(page.get_by_role("link", name=re.compile("待我审批"))).to_contain_text(str(waiting))
    row = page.locator("tbody tr", has_text="东安村修路经费")
    expect(row).to_contain_text("刘芳")
    expect(row).to_contain_text("已提交")
    expect(row).to_contain_text("12,800.00")
    screenshot(page, "approvals-township-inbox")
    assert_fields_labelled(page)
    axe(page)

    row.get_by_role("link", name="东安村修路经费").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("东安村修路经费")
    expect(page.locator("main")).to_contain_text("¥12,800.00")
    history = page.locator(".step-timeline li")
    expect(history.last).to_contain_text("已提交")
    expect(history.last).to_contain_text("刘芳")
    steps_before = history.count()
    assert_fields_labelled(page)
    axe(page)

    # returning without saying what to change is refused, in Chinese, and nothing moves
    page.get_by_role("button", name="退回修改").click()
    expect(page.get_by_role("alert")).to_contain_text("退回申请前，请说明需要修改的内容。")
    expect(history).to_have_count(steps_before)

    page.get_by_label("意见").fill("请补充施工预算明细表。")
    page.get_by_role("button", name="退回修改").click()
    expect(page.get_by_role("alert")).to_contain_text("已记录：已退回。")
    expect(page.locator("main .badge").first).to_have_text("已退回")
    expect(history).to_have_count(steps_before + 1)
    expect(history.last).to_contain_text("已退回")
    expect(history.last).to_contain_text("李秀英")
    expect(history.last).to_contain_text("乡镇审核员")
    expect(history.last).to_contain_text("请补充施工预算明细表。")
    # the decision buttons are gone once decided
    expect(page.get_by_role("button", name="批准")).to_have_count(0)
    screenshot(page, "approvals-township-returned")
    axe(page)

    page.get_by_role("link", name="审批", exact=True).first.click()
    expect(page.locator("tbody")).not_to_contain_text("东安村修路经费")
    expect(page.get_by_role("link", name=re.compile("待我审批"))).to_contain_text(str(waiting - 1))

    submitted_request.refresh_from_db()
    assert submitted_request.state == "returned"


# (c) small screens: 390 px --------------------------------------------------------------------------


def assert_fits(page, width=390):
    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url} scrolls sideways at {width} px: scrollWidth {scroll_width}"


# username → the panel of their home, the other pages of theirs to check on a phone
PHONE_PAGES = {
    "demo-accountant": ("我的村", ["/approvals/", "/approvals/?tab=all", "/accounts/password/"]),
    "demo-member": ("我的社员身份", ["/accounts/password/"]),
}


@pytest.mark.parametrize("username", list(PHONE_PAGES))
def test_home_fits_a_phone_and_the_nav_collapses(page_as, screenshot, axe, assert_fields_labelled, username):
    panel, other_pages = PHONE_PAGES[username]
    page = page_as(username, width=390)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"欢迎，{FULL_NAMES[username]}")
    expect(page.locator("section.panel-card", has_text=panel)).to_be_visible()
    assert_fits(page)

    toggler = page.get_by_role("button", name="切换导航")
    menu = page.locator("#mainNav")
    expect(toggler).to_be_visible()
    expect(menu).to_be_hidden()
    screenshot(page, f"phone-home-{username}")
    axe(page)

    toggler.click()
    expect(menu).to_be_visible()
    expect(menu.get_by_role("link", name="首页")).to_be_visible()
    expect(toggler).to_have_attribute("aria-expanded", "true")
    assert_fits(page)
    screenshot(page, f"phone-home-{username}-menu")

    for path in other_pages:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        expect(page.get_by_role("button", name="切换导航")).to_be_visible()
        assert_fits(page)
        assert_fields_labelled(page)
        axe(page)
        screenshot(page, f"phone-{username}-{re.sub(r'[^a-z0-9]+', '-', path).strip('-')}")


# (d) wrong password ------------------------------------------------------------------------------


def test_wrong_password_is_refused_in_chinese(demo, anonymous_page, screenshot, axe, assert_fields_labelled):
    page = anonymous_page()
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("领办")
    assert_fields_labelled(page)
    axe(page)
    screenshot(page, "login")

    page.get_by_label("用户名").fill("demo-township")
    page.get_by_label("密码").fill("not-the-password")
    with page.expect_navigation():
        page.get_by_role("button", name="登录").click()

    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    alert = page.get_by_role("alert")
    expect(alert).to_have_text("请输入一个正确的用户名和密码。注意，两者都区分大小写。")
    expect(page.get_by_label("用户名")).to_have_value("demo-township")
    expect(page.get_by_label("密码")).to_have_value("")
    screenshot(page, "login-wrong-password")
    axe(page)

    # the right password then gets in
    page.get_by_label("密码").fill(core_demo.DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("欢迎，李秀英")
