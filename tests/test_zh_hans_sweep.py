"""No English reaches a page, a print view or an export.

The demo county is seeded once for the module (inside a transaction rolled back at the end), with a
bulletin and a spot-check draw added. For each demo role the sweep starts from every page the URL
resolver routes without an argument and follows the links it finds (one URL per route and kind:
page, print view, xlsx export), so every page a role can reach from its menus is rendered in
zh-hans as that role. It fails on visible text holding an English sentence — two or more English
words in a row — and lists every offender (role, page, snippet) in one message. Codes are not
sentences: account and region codes, USCCs, URLs, e-mail addresses, acronyms such as API and xlsx,
and whatever sits in attributes, <script>, <style>, <code> or <kbd>.

The small tests after the sweep pin the words of states and buttons that share an English msgid
with another meaning (``pgettext`` contexts) on the demo's own pages.
"""

from __future__ import annotations

import re
import time
from collections import deque
from contextlib import contextmanager
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, URLResolver, get_resolver, resolve
from django.utils import translation

# each role with the role whose pages it shares (same scope, same routes): it visits only the routes
# that role did not reach (what only it may open), so a shared page is rendered once
ROLES = (
    ("demo-county", None),
    ("demo-admin", "demo-county"),
    ("demo-township", None),
    ("demo-accountant", None),
    ("demo-chair", "demo-accountant"),
    ("demo-supervisor", "demo-accountant"),
    ("demo-member", None),
)
# not pages of the application (Django admin, the API and its docs, logging out, files as they were
# uploaded) or not GET pages at all
SKIP = re.compile(
    r"^/(admin/|api/|accounts/logout/|static/|media/|i18n/|healthz|readyz|metrics)"
    r"|/(download|evidence|attachment)/$|/attachments/\d+/$|/evidence/\d+/$"
)
PAGES_PER_ROLE = 400

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# an English word: two or more letters with at most a leading capital (acronyms such as API, USCC,
# PDF are codes, not words); a sentence: two such words in a row, separated by spaces or , ; : ·
WORD = r"[A-Za-z][a-z]+(?:'[a-z]+)?"
SEP = r"[ \t]*[,;:·]?[ \t]+"
SENTENCE = re.compile(rf"(?<![\w./@-]){WORD}(?:{SEP}(?:{WORD}|a))*{SEP}{WORD}(?![\w@/-])")
# stripped before looking: URLs, e-mail addresses, file names, Python-ish dotted names
NOT_WORDS = re.compile(
    r"https?://\S+|[\w.+-]+@[\w-]+\.[\w.-]+|\b[\w-]+\.(?:xlsx|pdf|csv|docx|jpe?g|png)\b|[A-Za-z_]\w*(?:\.\w+)+"
)
# a text or a cell that is only a lowercase word or snake_case name is a code shown as it is stored
RAW_CODE = re.compile(r"[a-z]{2,}(?:_[a-z]+)+|[a-z]{3,}")
NOT_CODES = {"xlsx", "csv", "pdf", "lingban"}
# an amount of a thousand or more without thousands separators (12345.00, not 12,345.00), or a rate
# or weight as a long fraction (0.30000000, not 30%)
BARE_NUMBER = re.compile(r"(?<![\d,.])(?:\d{4,}\.\d{1,2}|0\.\d{4,})(?![\d%])")
SHOWN_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
SKIPPED_TAGS = {"script", "style", "code", "kbd", "pre", "template", "svg"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _VisibleText(HTMLParser):
    """The text a reader sees: data outside <script>, <style>, <code>, <kbd>; no attribute values."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.skipping: list[str] = []
        self.parts: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if not self.skipping:  # what a tooltip, an empty field or a screen reader shows
            self.parts += [attrs[a] for a in SHOWN_ATTRIBUTES if attrs.get(a)]
        if tag in SKIPPED_TAGS and tag not in VOID:
            self.skipping.append(tag)

    def handle_endtag(self, tag):
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()

    def handle_data(self, data):
        if not self.skipping and data.strip():
            self.parts.append(data)


def english(text: str) -> list[str]:
    """The English sentences in ``text`` (codes, URLs and acronyms set aside), and ``text`` itself
    when it is nothing but a choice's code (``open``, ``no_audit``): a code shown instead of its name."""
    if RAW_CODE.fullmatch(text.strip()) and text.strip() not in NOT_CODES:
        return [text.strip()]
    text = NOT_WORDS.sub(" ", text)
    return [m.group(0) for m in SENTENCE.finditer(text)] + [m.group(0) for m in BARE_NUMBER.finditer(text)]


def test_english_finds_sentences_and_spares_codes():
    assert english("equal scores share a rank (1, 1, 3)") == ["equal scores share a rank"]
    assert english("股权结构 · Open problems") == ["Open problems"]
    assert english("凭证缺少签字 · 东安村 · medium · open") == ["medium · open"]
    assert english("Method: Python random.Random(seed).sample over the ids in ascending order.") == [
        "Method: Python",
        "over the ids in ascending order",
    ]
    assert english("下载 xlsx") == []
    assert english("API 接口 · USCC 91371323MA3C4XXXX1 · 101 库存现金") == []
    assert english("见 https://example.org/some path 与 demo@example.org") == []
    assert english("方案（reserve-cap-15）") == []
    assert english("Python random.Random(seed).sample") == []
    assert english("Lingban 领办") == []
    assert english(" no_audit ") == ["no_audit"]
    assert english("medium") == ["medium"]
    assert english("xlsx") == []
    assert english("合计 12345.60 元") == ["12345.60"]
    assert english("权重 0.30000000") == ["0.30000000"]
    assert english("合计 12,345.60 元 · 2026 年 · 101 · 30% · 得分 0.35") == []


def _routes(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _routes(p.url_patterns, prefix + str(p.pattern))
        else:
            yield prefix + str(p.pattern), p


def _start_urls() -> list[str]:
    """Every routed path that takes no argument (the home page first)."""
    urls = ["/"]
    for route, pattern in _routes(get_resolver().url_patterns):
        if "<" in route or "(" in route or "^" in route or "\\" in route:
            continue
        url = "/" + route
        if not SKIP.search(url) and url not in urls and pattern.callback is not None:
            urls.append(url)
    return urls


def _kind(url: str) -> str:
    query = parse_qs(urlsplit(url).query)
    path = urlsplit(url).path
    if query.get("format") == ["xlsx"] or path.endswith(".xlsx"):
        return "xlsx"
    if "print" in path or query.get("print"):
        return "print"
    return "page"


def _route_key(url: str) -> tuple[str, str] | None:
    path = urlsplit(url).path
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.route, _kind(url)


@contextmanager
def _rolled_back():
    """Run a request in a savepoint undone afterwards: a GET that touches a row leaves nothing."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def _sheet_text(content: bytes) -> list[tuple[str, str]]:
    from openpyxl import load_workbook

    cells = []
    workbook = load_workbook(BytesIO(content), read_only=True)
    for sheet in workbook.worksheets:
        cells.append((sheet.title, sheet.title))
        for row in sheet.iter_rows(values_only=True):
            cells.extend((sheet.title, value) for value in row if isinstance(value, str))
    return cells


@pytest.fixture(scope="module")
def demo_county(django_db_setup, django_db_blocker):
    """The demo county (with a monthly bulletin and a spot-check draw), rolled back after the module."""
    from core import demo
    from core.models import Region, User
    from supervision.services.audits import spot_check_draw
    from supervision.services.bulletins import bulletin_generate

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            context = demo.run()
            county = Region.objects.get(code="371323")
            bulletin_generate(county=county, kind="monthly")
            spot_check_draw(actor=User.objects.get(username="demo-county"), county=county, year=2026, seed=20261)
            yield context
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _client(username: str) -> Client:
    from core.models import User

    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans", raise_request_exception=False)
    client.force_login(User.objects.get(username=username))
    return client


def _sweep(username: str, done: set) -> tuple[list[tuple[str, str, str]], dict[str, int], set]:
    """Crawl as ``username`` from every argument-free route, one URL per route and kind, leaving out
    the keys in ``done`` (a sharing role's pages, every export already read)."""
    client = _client(username)
    queue = deque(_start_urls())
    seen_keys: set[tuple[str, str]] = set()
    shown: set[tuple[str, str]] = set()
    offenders: list[tuple[str, str, str]] = []
    counts = {"page": 0, "print": 0, "xlsx": 0}
    while queue and sum(counts.values()) < PAGES_PER_ROLE:
        url = queue.popleft()
        key = _route_key(url)
        if key is None or key in seen_keys or key in done:
            continue
        seen_keys.add(key)
        with _rolled_back():
            response = client.get(url)
        if response.status_code >= 500:
            offenders.append((username, url, f"server error {response.status_code}"))
        if response.status_code != 200:
            continue
        shown.add(key)
        content_type = response.get("Content-Type", "")
        if content_type.startswith(XLSX):
            counts["xlsx"] += 1
            for sheet, value in _sheet_text(b"".join(response) if response.streaming else response.content):
                offenders += [(username, f"{url} [{sheet}]", s) for s in english(value)]
            continue
        if not content_type.startswith("text/html"):
            continue
        html = response.content.decode()
        counts["print" if key[1] == "print" or "data-print" in html else "page"] += 1
        parser = _VisibleText()
        parser.feed(html)
        for text in parser.parts:
            offenders += [(username, url, s) for s in english(text)]
        for href in parser.links:
            if href.startswith(("#", "mailto:", "tel:", "javascript:")):
                continue
            parts = urlsplit(urljoin(url, href))
            if parts.scheme or parts.netloc or not parts.path.startswith("/") or SKIP.search(parts.path):
                continue
            queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return offenders, counts, shown


def test_every_page_print_view_and_export_reads_in_chinese(demo_county, django_db_blocker):
    started = time.monotonic()
    offenders, coverage, visited, exports = [], {}, {}, set()
    with django_db_blocker.unblock(), translation.override("zh-hans"):
        for username, shares_with in ROLES:
            found, counts, keys = _sweep(username, visited.get(shares_with, set()) | exports)
            offenders += found
            coverage[username] = counts
            visited[username] = keys | visited.get(shares_with, set())
            exports |= {k for k in keys if k[1] == "xlsx"}
    elapsed = time.monotonic() - started
    print(f"zh-hans sweep: {coverage} in {elapsed:.0f} s")
    assert sum(c["page"] + c["print"] for c in coverage.values()) > 300, coverage
    assert sum(c["print"] for c in coverage.values()) > 10, coverage
    assert sum(c["xlsx"] for c in coverage.values()) > 30, coverage
    unique = sorted(set(offenders))
    assert not unique, "English on pages:\n" + "\n".join(f"{role} {page}: {text!r}" for role, page, text in unique)


# -- words that share an English msgid with another meaning, on the demo's pages ----------------------


def _page(username: str, url: str) -> str:
    with translation.override("zh-hans"), _rolled_back():
        response = _client(username).get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def _text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


@pytest.fixture
def on_demo(demo_county, django_db_blocker):
    with django_db_blocker.unblock():
        yield demo_county


def test_states_of_audits_findings_alerts_and_months_have_their_own_words(on_demo):
    from django.urls import reverse

    from supervision.models import Alert, Audit

    audit = Audit.objects.filter(kind="annual").first()
    audits = _text(_page("demo-township", reverse("oversight:audit_list")))
    assert "进行中" in audits and "未结账" not in audits
    detail = _text(_page("demo-township", reverse("oversight:audit_detail", args=[audit.pk])))
    assert "待整改" in detail and "未结账" not in detail
    alerts = _text(_page("demo-township", reverse("oversight:alert_list")))
    assert "待处理" in alerts and "未结账" not in alerts
    alert = Alert.objects.filter(region_code__startswith="371323104").exclude(evidence_url="").first()
    assert "打开" in _text(_page("demo-township", reverse("oversight:alert_detail", args=[alert.pk])))
    assert "开始审计" in _text(_page("demo-township", reverse("oversight:audit_add")))
    months = _text(_page("demo-accountant", reverse("finance:period_list")))
    assert "已结账" in months or "未结账" in months


def test_the_state_labels_carry_their_contexts():
    from finance.choices import PeriodStatus
    from supervision.choices_oversight import AlertStatus, AuditStatus, FindingStatus

    with translation.override("zh-hans"):
        assert [str(s.label) for s in FindingStatus] == ["待整改", "已整改待复核", "已销号"]
        assert [str(s.label) for s in AlertStatus] == ["待处理", "已知悉", "已解决"]
        assert [str(s.label) for s in AuditStatus] == ["进行中", "已报告", "已结束"]
        assert [str(s.label) for s in PeriodStatus] == ["未结账", "已结账"]


def test_rankings_and_bulletins_state_the_tie_rule_and_weights_in_chinese(on_demo):
    from django.urls import reverse

    from supervision.models import Bulletin

    rankings = _text(_page("demo-county", reverse("supervision:rankings")))
    assert "名次并列" in rankings and "equal scores" not in rankings
    assert "30%" in rankings and "0.3000" not in rankings
    dashboard = _text(_page("demo-county", reverse("supervision:dashboard")))
    assert "名次并列" in dashboard and "30%" in dashboard
    weights = _page("demo-county", reverse("supervision:weights"))
    assert 'value="30"' in weights and "0.3000" not in weights
    # a bulletin made before the rule was translated keeps the English in its content
    bulletin = Bulletin.objects.get(kind="monthly")
    bulletin.content = {**bulletin.content, "tie_rule": "equal scores share a rank (1, 1, 3); …"}
    bulletin.save(update_fields=["content"])
    text = _text(_page("demo-county", reverse("supervision:bulletin_detail", args=[bulletin.pk])))
    assert "名次并列" in text and "equal scores" not in text


def test_bulletin_problems_show_their_severity_and_state_as_words(on_demo):
    from openpyxl import load_workbook

    from supervision.models import Bulletin

    bulletin = Bulletin.objects.get(kind="monthly")
    problems = bulletin.content["problems"]
    assert problems and {p["severity"] for p in problems} & {"low", "medium", "high"}
    text = _text(_page("demo-county", f"/supervision/bulletins/{bulletin.pk}/"))
    assert " · medium" not in text and " · open" not in text
    assert "· 中" in text or "· 高" in text or "· 低" in text
    assert "· 待处理" in text or "· 待整改" in text
    with translation.override("zh-hans"), _rolled_back():
        response = _client("demo-county").get(f"/supervision/bulletins/{bulletin.pk}/download/")
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content)), read_only=True).worksheets[-1]
    cells = {c for row in sheet.iter_rows(values_only=True) for c in row}
    assert not cells & {"low", "medium", "high", "open", "acknowledged"}
    assert cells & {"待处理", "待整改", "已知悉"}


def test_the_spot_check_explains_its_draw_in_chinese(on_demo):
    from supervision.models import SpotCheckDraw

    draw = SpotCheckDraw.objects.get()
    text = _text(_page("demo-county", f"/supervision/spot-checks/{draw.pk}/"))
    assert "随机种子" in text and "Python" not in text


def test_policies_show_by_name_and_statements_name_their_preparer(on_demo):
    from dividends.models import DistributionPlan, DistributionPolicy

    plan = DistributionPlan.objects.select_related("policy").first()
    text = _text(_page("demo-accountant", f"/dividends/plans/{plan.pk}/"))
    assert plan.policy.name in text and f"（{plan.policy.code}）" not in text
    capped = DistributionPolicy.objects.get(code="reserve-cap-15")
    assert str(capped) == capped.name
    coop = plan.cooperative
    sheet = _text(_page("demo-accountant", f"/finance/cooperatives/{coop.pk}/balance-sheet/"))
    assert f"编制单位：{coop.name}" in sheet
    assert "单位负责人" in sheet and "主管会计工作负责人" in sheet and "会计机构负责人" in sheet
    assert "制表人：刘芳" in sheet and f"制表人：{coop.name}" not in sheet
    panel = _text(_page("demo-accountant", f"/cooperatives/{coop.pk}/"))
    assert "（217" not in panel and "reserve-cap" not in panel


def test_filing_contracts_and_plans_use_their_own_words(on_demo):
    from cooperatives.models import Charter
    from finance.models import Contract

    charter = Charter.objects.first()
    assert "备案" in _text(_page("demo-county", f"/cooperatives/charters/{charter.pk}/file/"))
    contract = Contract.objects.first()
    detail = _text(_page("demo-accountant", f"/finance/contracts/{contract.pk}/"))
    assert "合同期限" in detail and "届次" not in detail
    assert "合同标的" in _text(_page("demo-accountant", "/finance/contracts/"))
    plans = _text(_page("demo-accountant", "/dividends/"))
    assert "分配方案" in plans and "工作计划" not in plans


def test_the_members_disclosure_list_stacks_into_cards_on_a_phone(on_demo):
    html = _page("demo-member", "/supervision/disclosures/")
    assert 'class="table table-sm table-hover align-middle table-stack"' in html
    assert 'data-label="合作社"' in html
    css = (Path(__file__).parents[1] / "static/css/lingban.css").read_text()
    assert ".table-stack td::before { content: attr(data-label)" in css


def test_the_charter_form_offers_the_policies_by_name(on_demo):
    from cooperatives.forms import CharterForm
    from cooperatives.models import Charter
    from dividends.models import DistributionPolicy

    charter = Charter.objects.filter(state="effective").first()
    with translation.override("zh-hans"):
        field = CharterForm(instance=charter)["distribution_policy"]
        html, help_text = str(field), str(field.help_text)
    capped = DistributionPolicy.objects.get(code="reserve-cap-15")
    assert f'<option value="reserve-cap-15">{capped.name}</option>' in html
    assert f'value="{charter.distribution_policy}" selected' in html
    assert "217-law" not in help_text and "60%" in help_text


def test_the_weights_form_takes_per_cent(on_demo):
    from decimal import Decimal

    from supervision.services.rankings import weights_for

    with translation.override("zh-hans"), _rolled_back():
        response = _client("demo-county").post(
            "/supervision/weights/?region=371323", {"scale": "40", "income": "30", "models": "20", "innovation": "10"}
        )
        assert response.status_code == 302
        assert weights_for("371323") == {
            "scale": Decimal("0.40"),
            "income": Decimal("0.30"),
            "models": Decimal("0.20"),
            "innovation": Decimal("0.10"),
        }
