"""Browser journeys: Debian's chromium, driven by Playwright, against a live server on PostgreSQL.

Fixtures for the journeys (tests/e2e/test_*.py):

- ``demo``: the demo county (core.demo.run()), seeded once for the package (see below);
- ``page_as(username, width=1280)``: a new browser context logged in through the real login form,
  returned on the home page;
- ``anonymous_page(width=1280)``: a new browser context, not logged in;
- ``screenshot(page, name)``: a full-page PNG in tests/e2e/screenshots/ (gitignored);
- ``axe(page)``: runs the vendored axe-core on the page and fails on any violation of impact
  "serious" or "critical", listing each one readably;
- ``assert_fields_labelled(page)``: every visible form field has a label.

Playwright runs for this package only (package-scoped fixtures overriding pytest-playwright's
session ones), so the rest of the suite never runs beside its event loop. The browser is
/usr/bin/chromium (``LINGBAN_CHROMIUM`` overrides): Playwright's own browser download is never
used. Without it the journeys are skipped on a developer's machine and fail in CI (``CI=true``).

One demo county, one live server. Seeding the demo takes seconds and emptying the database as
many again, so the package seeds it once, serves it from one live server, and empties the database
when the package is done (the rest of the suite expects it empty). Journeys therefore share the
county and must not depend on one another: each works on rows of its own (new members, its own
voucher, its own approval request) or on demo rows no other journey changes, and compares before
with after where another journey could move a count. Under pytest-xdist each worker has its own
test database (pytest-django's ``_gw<n>`` suffix), its own seed and its own live server: nothing is
shared across workers.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings

from core import demo as core_demo

HERE = Path(__file__).resolve().parent
SCREENSHOTS = HERE / "screenshots"
AXE_JS = Path(settings.BASE_DIR) / "static" / "vendor" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("LINGBAN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
BLOCKING_IMPACTS = ("serious", "critical")
TIMEOUT_MS = 10_000


def pytest_collection_modifyitems(config, items):
    """Every test under tests/e2e carries the ``e2e`` marker (``-m "not e2e"`` skips the browser).

    Under pytest-xdist (``--dist loadgroup``) they also share one group, so one worker runs the
    whole package in a row: Playwright starts once and its event loop never meets the other tests.
    """
    for item in items:
        if HERE in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.xdist_group("e2e"))


# --- the browser ------------------------------------------------------------------------------


@pytest.fixture(scope="package")
def playwright():
    """Playwright, started for the e2e package only and stopped after it."""
    if not Path(CHROMIUM).exists():
        reason = f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium) for the e2e journeys"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI: {reason}", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # The sync API keeps an asyncio loop in this thread; Django's ORM refuses to run beside a
    # running loop unless told. The code under test is synchronous, so allow it while the loop lives.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    pw = sync_playwright().start()
    try:
        yield pw
    finally:
        pw.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="package")
def browser_type(playwright):
    return playwright.chromium


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright's options (--headed, --slowmo) plus Debian's chromium and its flags."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="package")
def browser(browser_type, browser_type_launch_args):
    browser = browser_type.launch(**browser_type_launch_args)
    yield browser
    browser.close()


@pytest.fixture(scope="package")
def browser_context_args(live_server):
    """Every context: the live server as base URL, a Chinese browser in China's time zone."""
    return {"base_url": live_server.url, "locale": "zh-CN", "timezone_id": "Asia/Shanghai", "bypass_csp": True}


# --- the application --------------------------------------------------------------------------


def _empty_database() -> None:
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)


@pytest.fixture(scope="package")
def _demo_county(playwright, django_db_setup, django_db_blocker):
    """The demo county, seeded once for the package and removed after it."""
    from core.models import Region

    with django_db_blocker.unblock():
        if Region.objects.exists():  # a reused database left over by an interrupted run
            _empty_database()
        context = core_demo.run()
    yield context
    with django_db_blocker.unblock():
        _empty_database()


@pytest.fixture
def transactional_db(_demo_county, django_db_blocker):
    """pytest-django's ``live_server`` asks for this one: here it opens the database to the journey
    and the live server without emptying it afterwards (see "One demo county" above)."""
    with django_db_blocker.unblock():
        yield


@pytest.fixture
def demo(live_server, transactional_db, _demo_county):
    """The demo county, one login per role (password ``core.demo.DEMO_PASSWORD``)."""
    return _demo_county


def _context_options(width: int, height: int | None) -> dict:
    narrow = width < 576
    return {
        "viewport": {"width": width, "height": height or (844 if narrow else 900)},
        "is_mobile": narrow,
        "has_touch": narrow,
    }


@pytest.fixture
def anonymous_page(new_context):
    """``anonymous_page(width=1280)``: a page in a fresh context, nobody logged in."""

    def _open(width: int = 1280, height: int | None = None):
        context = new_context(**_context_options(width, height))
        context.set_default_timeout(TIMEOUT_MS)
        return context.new_page()

    return _open


def log_in(page, username: str, password: str = core_demo.DEMO_PASSWORD) -> None:
    """Fill and send the real login form (the page must be on it)."""
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("form button[type=submit]")


@pytest.fixture
def page_as(demo, anonymous_page):
    """``page_as(username, width=1280)``: a page logged in as ``username`` through the login form,
    on the home page."""

    def _page_as(username: str, width: int = 1280, height: int | None = None):
        page = anonymous_page(width, height)
        page.goto("/accounts/login/")
        log_in(page, username)
        if "/accounts/login/" in page.url:
            error = page.locator(".alert-danger").all_inner_texts()
            raise AssertionError(f"{username} could not log in: {error}")
        return page

    return _page_as


# --- evidence: screenshots, axe, labels ---------------------------------------------------------


@pytest.fixture
def screenshot():
    """``screenshot(page, name)``: save the whole page as tests/e2e/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(exist_ok=True)

    def _shot(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True, animations="disabled")
        return path

    return _shot


def format_violations(url: str, violations: list[dict]) -> str:
    lines = [f"axe-core: {len(violations)} serious or critical violation(s) on {url}"]
    for v in violations:
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']}")
        lines.append(f"    {v['helpUrl']}")
        for node in v["nodes"]:
            target = " ".join(str(t) for t in node.get("target", []))
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"    - {target}")
            if summary:
                lines.append(f"      {summary}")
            html = node.get("html", "")
            if html:
                lines.append(f"      {html[:200]}")
    return "\n".join(lines)


def run_axe(page, options: dict | None = None) -> dict:
    """Inject the vendored axe-core if needed and return its full results for the page."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(
        "async (options) => await window.axe.run(document, options)",
        {"resultTypes": ["violations"], **(options or {})},
    )


@pytest.fixture
def axe():
    """``axe(page)``: fail on any serious or critical violation; returns axe's results."""

    def _axe(page, options: dict | None = None) -> dict:
        page.wait_for_load_state("load")
        results = run_axe(page, options)
        blocking = [v for v in results["violations"] if v.get("impact") in BLOCKING_IMPACTS]
        if blocking:
            pytest.fail(format_violations(page.url, blocking), pytrace=False)
        return results

    return _axe


UNLABELLED_FIELDS_JS = """
() => Array.from(document.querySelectorAll('input, select, textarea'))
  .filter((el) => el.type !== 'hidden' && el.getClientRects().length > 0)
  .filter((el) => {
    if (el.labels && Array.from(el.labels).some((l) => l.textContent.trim())) return false;
    if ((el.getAttribute('aria-label') || '').trim()) return false;
    const by = el.getAttribute('aria-labelledby');
    return !(by && by.split(/\\s+/).some((id) => (document.getElementById(id)?.textContent || '').trim()));
  })
  .map((el) => el.outerHTML.slice(0, 160))
"""


@pytest.fixture
def assert_fields_labelled():
    """``assert_fields_labelled(page)``: every visible input, select and textarea has a label."""

    def _check(page) -> None:
        unlabelled = page.evaluate(UNLABELLED_FIELDS_JS)
        assert not unlabelled, f"form fields without a label on {page.url}:\n" + "\n".join(unlabelled)

    return _check
