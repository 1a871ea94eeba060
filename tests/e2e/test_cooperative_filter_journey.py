"""The cooperative filter of a list, in a real browser, for an official who sees more cooperatives
than a select lists: demo-county opens the member list, finds 东安村's cooperative by typing part of
its name in the filter's search box (the select fills with the matches, the first chosen) and
filters the list by it.

The journey adds cooperatives of its own to 东安村 so the county passes the select's limit, and
removes them afterwards: the other journeys count the demo's six.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from core.filters import SEARCH_THRESHOLD

pytestmark = pytest.mark.e2e

DONGAN = "371323104201"


@pytest.fixture
def crowd(demo):
    from cooperatives.models import Cooperative
    from tests.factories import CooperativeFactory

    village = demo.cooperatives[DONGAN].village
    made = Cooperative.objects.bulk_create(CooperativeFactory.build_batch(SEARCH_THRESHOLD, village=village))
    yield made
    Cooperative.objects.filter(pk__in=[c.pk for c in made]).delete()


def test_county_finds_a_cooperative_by_search_and_filters_by_it(
    page_as, screenshot, axe, assert_fields_labelled, demo, crowd
):
    coop = demo.cooperatives[DONGAN]
    page = page_as("demo-county")
    page.goto("/members/")

    select = page.locator("select#id_cooperative")
    expect(select.locator("option")).to_have_count(1)  # no cooperative listed before a search
    assert_fields_labelled(page)
    axe(page)

    page.locator("#id_cooperative_q").press_sequentially(coop.name[:4], delay=50)
    expect(select).to_have_value(str(coop.pk))
    expect(page.locator("#cooperative_q-status")).to_have_attribute("role", "status")
    expect(page.locator("#cooperative_q-status")).to_contain_text("1")
    screenshot(page, "county-cooperative-search")
    page.get_by_role("button", name="筛选").click()

    expect(page).to_have_url(re.compile(rf"cooperative={coop.pk}"))
    expect(page.locator("select#id_cooperative option:checked")).to_have_text(re.compile(coop.name))
    rows = page.locator("main tbody tr")
    expect(rows.first).to_be_visible()
    axe(page)


@pytest.fixture
def hamlets(demo):
    """Fifty more villages in 许家湖镇, so the county passes the village select's limit too."""
    from core.models import Region

    township = demo.cooperatives[DONGAN].village.parent
    made = [
        Region.objects.create(code=f"{township.code}{400 + n}", level="village", name=f"新建村{n}", parent=township)
        for n in range(SEARCH_THRESHOLD)
    ]
    yield made
    Region.objects.filter(pk__in=[r.pk for r in made]).delete()


def test_county_finds_a_village_by_search_and_filters_by_it(page_as, axe, demo, hamlets):
    village = demo.cooperatives[DONGAN].village
    page = page_as("demo-county")
    page.goto("/members/households/")

    select = page.locator("select#id_village")
    expect(select.locator("option")).to_have_count(1)  # 56 villages: none listed before a search
    page.locator("#id_village_q").press_sequentially("东安", delay=50)
    expect(select).to_have_value(str(village.pk))
    expect(page.locator("#village_q-status")).to_contain_text("1")
    expect(select.locator("option:checked")).to_have_text("许家湖镇 · 东安村")
    page.get_by_role("button", name="筛选").click()

    expect(page).to_have_url(re.compile(rf"village={village.pk}"))
    expect(page.locator("main tbody tr").first).to_be_visible()
    axe(page)
