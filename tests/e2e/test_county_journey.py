"""The county official's journey, in a real browser: demo-county (沂水县) opens the dashboard, reads
the key figures of 2026, sees the charts drawn, reads the rankings and prepares and downloads the
monthly bulletin, an xlsx with the townships ranked.

Numbers: the villages' collective income of 2026 from supervision/demo.py's docstring table —

  东安村 320,000 · 西岭村 120,000 · 南坪村 42,000 · 北岭村 520,000 · 石泉村 210,000 · 杏山村 75,000
  total 320,000 + 120,000 + 42,000 + 520,000 + 210,000 + 75,000 = 1,287,000.00
  per village 1,287,000 ÷ 6 = 214,500.00
  weak (below 50,000): 南坪村 → 1
  at or above 100,000: 东安村, 西岭村, 北岭村, 石泉村 → 4, 4 ÷ 6 = 66.7%
  at or above 200,000: 东安村, 北岭村, 石泉村 → 3
  reward-eligible (≥300,000 and growth ≥10%): 东安村 (280,000 → 320,000, +14.3%) → 1;
  北岭村 has ≥300,000 but grew 8.3% (480,000 → 520,000), so it is not
  strong (≥500,000): 北岭村 → 1
  every one of the six villages has a branch-led cooperative: 6 / 6 (100.0%)

The dashboard, the rankings and the bulletin only read the demo county; the bulletin is a row of its
own (the journey prepares it). Other journeys move counts such as approvals waiting or disclosures
published, so those are not asserted here.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

TOWNSHIPS = ("许家湖镇", "院东头镇")
FIGURES_2026 = {
    "coverage": "6 / 6 (100.0%)",
    "out-of-balance": "0 / 7",  # every cooperative keeps its books in Lingban and ties out
    "income": "1,287,000.00",
    "income-per-village": "214,500.00",
    "weak": "1",
    "reward": "1",
}


def figure(page, name: str):
    return page.locator(f"[data-figure='{name}']")


def test_county_reads_the_dashboard_the_rankings_and_downloads_the_monthly_bulletin(page_as, screenshot, axe):
    page = page_as("demo-county")
    page.get_by_role("navigation", name="主导航").locator("a[href='/supervision/']").click()
    expect(page).to_have_url(re.compile(r"/supervision/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("沂水县")

    # the year 2026, chosen in the period form
    page.get_by_label("会计期间").select_option("2026")
    page.get_by_role("button", name="显示").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("2026")
    for name, shown in FIGURES_2026.items():
        expect(figure(page, name)).to_have_text(shown)
    weak_card = figure(page, "weak").locator("xpath=..")
    expect(weak_card).to_contain_text("10万元: 4 (66.7%)")
    expect(weak_card).to_contain_text("20万元: 3")
    expect(figure(page, "reward").locator("xpath=..")).to_contain_text(": 1")  # strong villages (≥500,000)

    # the charts are drawn: ECharts (svg renderer) puts an svg with shapes inside each container
    charts = page.locator("[data-sup-chart]")
    expect(charts).to_have_count(3)
    for i in range(3):
        expect(charts.nth(i).locator("svg").first).to_be_attached()
        assert charts.nth(i).locator("svg path, svg rect").count() > 3, f"chart {i} is empty"
    tiers = page.locator("[data-sup-chart='tiers'] svg").first
    box = tiers.bounding_box()
    assert box and box["width"] > 100 and box["height"] > 100, f"the tier chart is not drawn: {box}"

    # the townships ranked on the dashboard, both of them
    townships = page.locator("section[aria-labelledby='areas-h'] tbody tr")
    expect(townships).to_have_count(2)
    for name in TOWNSHIPS:
        expect(page.locator("section[aria-labelledby='areas-h']")).to_contain_text(name)
    axe(page)
    screenshot(page, "county-dashboard")  # the README's (`make screenshots`)

    # the rankings: townships and cooperatives, rank 1 first
    page.locator("a[href^='/supervision/rankings/']").first.click()
    expect(page).to_have_url(re.compile(r"/supervision/rankings/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("沂水县")
    areas = page.locator("section[aria-labelledby='areas-h'] tbody tr")
    expect(areas).to_have_count(2)
    ranks = [areas.nth(i).locator("td").first.inner_text().strip() for i in range(2)]
    assert ranks == ["1", "2"], ranks
    names = " ".join(areas.all_inner_texts())
    assert all(t in names for t in TOWNSHIPS), names
    coops = page.locator("section[aria-labelledby='coops-h'] tbody tr")
    # a farmer cooperative in each of the six villages, and 石泉村's joint-stock economic cooperative
    expect(coops).to_have_count(7)
    axe(page)
    screenshot(page, "county-rankings")

    # the monthly bulletin: prepared through the page, then downloaded
    page.goto("/supervision/bulletins/")
    generate = page.locator("form[action$='/bulletins/generate/']")
    generate.locator("select").select_option("monthly")
    generate.locator("button[type=submit]").click()
    expect(page.locator(".alert").first).to_be_visible()
    row = page.locator("tbody tr", has=page.locator("a[href$='/download/']")).first
    expect(row).to_contain_text("沂水县")
    axe(page)
    screenshot(page, "county-bulletins")
    with page.expect_download() as download_info:
        row.locator("a[href$='/download/']").click()
    download = download_info.value
    assert download.suggested_filename.startswith("monthly-") and download.suggested_filename.endswith(".xlsx")
    workbook = load_workbook(io.BytesIO(Path(download.path()).read_bytes()), read_only=True)
    ranked = None
    for sheet in workbook.worksheets:
        rows = [r for r in sheet.iter_rows(values_only=True) if r and r[0] is not None]
        names = {r[2] for r in rows[1:] if len(r) > 2}
        if set(TOWNSHIPS) <= names:
            ranked = rows
            break
    assert ranked is not None, f"no sheet ranks the townships: {workbook.sheetnames}"
    by_name = {r[2]: r for r in ranked[1:]}
    assert sorted(by_name[t][0] for t in TOWNSHIPS) == [1, 2]
    assert {by_name[t][3] for t in TOWNSHIPS} == {"371323104", "371323105"}


def test_county_reads_its_rules_from_the_menu(page_as, screenshot, axe):
    """The county finds its policy profile under 更多: the payment threshold in yuan, the ranking
    weights as percentages, the rules by section."""
    page = page_as("demo-county", width=1024)
    nav = page.get_by_role("navigation", name="主导航")
    nav.locator("[data-nav-more] > a").click()
    nav.get_by_role("link", name="政策参数").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("本县政策参数方案 · 沂水县")
    main = page.locator("main")
    expect(main).to_contain_text("10,000.00元")
    expect(main).to_contain_text("%")
    expect(main).not_to_contain_text("0.25000000")
    axe(page)
    screenshot(page, "county-policy-profile")
