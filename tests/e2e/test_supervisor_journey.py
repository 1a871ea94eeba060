"""The supervisory board's journey, in a real browser: 孙丽华 (demo-supervisor, 东安村) opens the
current quarter's draft disclosure of 东安村's cooperative (made by supervision/demo_oversight.py),
publishes it, sees it published and no longer editable, and prints it on A4. 周大山 (demo-member)
then finds it among the published disclosures of his cooperative.

Numbers: the draft carries the share structure and the entries of the demo; another journey may
have added shares or posted vouchers since, and a disclosure publishes only what the books say, so
the journey first takes the figures again (重新取数, as the accountant would), reads the total from
the stored disclosure and checks the page shows the same figure.

Only this journey publishes the current quarter's disclosure of 东安村.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from supervision.demo_oversight import OPERATIONS, PLANS
from supervision.services.disclosures import quarter_of
from tests.e2e.test_journeys_shell import assert_fits

pytestmark = pytest.mark.e2e

DONGAN = "371323104201"


@pytest.fixture
def draft(demo):
    from supervision.models import Disclosure

    year, quarter = quarter_of(timezone.localdate())
    from core.models import User
    from supervision.services.disclosures import disclosure_refresh

    disclosure = Disclosure.objects.get(cooperative=demo.cooperatives[DONGAN], year=year, quarter=quarter)
    assert not disclosure.is_published
    return disclosure_refresh(actor=User.objects.get(username="demo-accountant"), disclosure=disclosure)


def test_supervisor_publishes_the_quarter_disclosure_and_prints_it(
    page_as, screenshot, axe, assert_fields_labelled, draft
):
    from supervision.models import Disclosure

    label = f"{draft.year}年第{draft.quarter}季度"
    structure_total = f"{Decimal(str(draft.content['structure']['total'])):,.2f}"  # 888,400.00 as seeded

    page = page_as("demo-supervisor")
    page.get_by_role("navigation", name="主导航").locator("a[href='/supervision/disclosures/']").click()
    row = page.locator("tbody tr", has_text=label)
    expect(row).to_contain_text("草稿")
    axe(page)
    row.get_by_role("link", name=label).click()

    notice = page.locator("article.disclosure-notice")
    expect(notice.get_by_role("heading", level=1)).to_have_text(draft.cooperative.name)
    expect(notice).to_contain_text(label)
    expect(notice).to_contain_text("草稿")
    expect(notice).to_contain_text(PLANS.get(draft.quarter, PLANS[3]))
    publish = page.locator("form[action$='/publish/'] button")
    expect(publish).to_be_visible()
    expect(page.locator("form[action$='/edit/']")).to_be_visible()  # a draft can still be edited
    assert_fields_labelled(page)
    axe(page)
    screenshot(page, "supervisor-disclosure-draft")

    # publishing asks first (data-confirm); the board confirms
    page.once("dialog", lambda dialog: dialog.accept())
    publish.click()
    expect(page.locator(".alert").first).to_be_visible()
    today = timezone.localdate().isoformat()
    expect(notice.locator("header")).to_contain_text(today)
    expect(notice.locator("header")).not_to_contain_text("草稿")
    expect(notice.locator("footer")).to_contain_text("孙丽华")
    # published: nothing left to change
    expect(page.locator("form[action$='/publish/']")).to_have_count(0)
    expect(page.locator("form[action$='/edit/']")).to_have_count(0)
    expect(page.locator("form[action$='/refresh/']")).to_have_count(0)
    expect(page.get_by_role("button", name="保存")).to_have_count(0)
    axe(page)
    screenshot(page, "supervisor-disclosure-published")
    draft.refresh_from_db()
    assert draft.is_published and draft.published_by.username == "demo-supervisor"

    # the A4 print: the notice alone, the buttons and the navigation left off
    page.emulate_media(media="print")
    expect(page.locator("article.disclosure-notice")).to_be_visible()
    expect(page.locator(".d-print-none").first).to_be_hidden()
    expect(page.get_by_role("navigation", name="主导航")).to_be_hidden()
    sections = notice.locator("section h2")
    expect(sections.nth(0)).to_contain_text("1.")
    expect(sections.nth(3)).to_contain_text("4.")
    expect(notice.locator("section").nth(1)).to_contain_text(OPERATIONS.get(draft.quarter, OPERATIONS[3]))
    expect(notice.locator("section").nth(3).locator("tfoot")).to_contain_text(structure_total)
    screenshot(page, "supervisor-disclosure-print")
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    page.emulate_media(media="screen")
    page.context.close()

    # the member reads it among his cooperative's published disclosures, on a phone
    member = page_as("demo-member", width=390)
    member.goto("/supervision/disclosures/")
    published = Disclosure.objects.filter(cooperative=draft.cooperative, status="published").count()
    rows = member.locator("tbody tr")
    expect(rows).to_have_count(published)
    row = member.locator("tbody tr", has_text=label)
    expect(row).to_contain_text(draft.cooperative.name)
    assert_fits(member)
    axe(member)
    row.get_by_role("link", name=label).click()
    expect(member.locator("article.disclosure-notice")).to_contain_text(today)
    expect(member.locator("form[action$='/publish/']")).to_have_count(0)
    assert_fits(member)
    axe(member)
    screenshot(member, "member-disclosure")
    assert re.search(r"/supervision/disclosures/\d+/$", member.url)
