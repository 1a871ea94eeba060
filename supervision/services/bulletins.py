"""The county's weekly dispatch, monthly bulletin and quarterly review (DOMAIN.md 1.4; seeds 000, 004).

``bulletin_generate`` builds one bulletin from the snapshots — the ranking of townships with their
position changes, the key figures, the open problem list — and stores it with its workbook. One
bulletin per county, kind and period (a unique key): a second run returns the first bulletin
unchanged, so a retried or duplicated task writes nothing new.
"""

from __future__ import annotations

import datetime
import logging
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.choices import RegionLevel
from core.exports import workbook_sheets_bytes
from core.models import Region
from supervision import figures, periods
from supervision.choices import BulletinKind
from supervision.choices_oversight import AlertStatus, FindingStatus, Severity
from supervision.models import Bulletin
from supervision.services.dashboards import dashboard

logger = logging.getLogger(__name__)

TOP_COOPERATIVES = 20


def period_for(kind: str, today: datetime.date) -> tuple[str, int, int]:
    """(period key, statistics year, statistics quarter) of the bulletin due on ``today``.

    The weekly dispatch and the monthly bulletin report the quarter so far; the quarterly review,
    run in the first days of a quarter, reviews the quarter that just ended.
    """
    if kind == BulletinKind.WEEKLY:
        iso = today.isocalendar()
        return f"{iso.year}-W{iso.week:02d}", *periods.current_period(today)
    if kind == BulletinKind.MONTHLY:
        return f"{today.year}-{today.month:02d}", *periods.current_period(today)
    year, quarter = periods.previous_period(*periods.current_period(today))
    return periods.label(year, quarter), year, quarter


def _num(value):
    """JSON-ready: decimals as strings, dates and times (an open problem's ``since``) in ISO form."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):  # datetime too
        return value.isoformat()
    return value


def bulletin_content(county: Region, kind: str, year: int, quarter: int) -> dict:
    """What the bulletin reports, as JSON-ready data (decimals as strings)."""
    board = dashboard(None, county, year, quarter, top=TOP_COOPERATIVES)
    v, c = board["village"], board["coop"]
    key_figures = [
        (_("Villages"), board["villages"]),
        (_("Villages with a branch-led cooperative"), v["covered"]),
        (_("Coverage (%)"), board["coverage_percent"]),
        (_("Member households"), v["member_households"]),
        (_("Member households of all households (%)"), board["household_percent"]),
        (_("Collective income"), v["income"]),
        (_("Collective income per village"), board["income_per_village"]),
        (_("Weak villages (below 50,000)"), board["weak_villages"]),
        (_("Villages with 100,000 or more (%)"), board["tier_100k_percent"]),
        (_("Villages with 200,000 or more (%)"), board["tier_200k_percent"]),
        (_("Villages eligible for the reward"), v["reward_eligible"]),
        (_("Strong villages (500,000 or more)"), v["strong"]),
        (_("Cooperatives"), c["cooperatives"]),
        (_("Members"), c["members"]),
        (_("Share capital"), c["share_total"]),
        (_("Income per member household"), board["income_per_member_household"]),
        (_("Demonstration cooperatives"), c["demonstration"]),
        (_("Awards"), board["awards_total"]),
        (_("Approvals waiting"), c["approvals_waiting"]),
        (_("Open alerts"), board["figures"]["open_alerts"]),
        (_("Audits done"), board["figures"]["audits_done"]),
        (_("Disclosures published"), board["figures"]["disclosures_published"]),
    ]

    def ranked(rows):
        return [
            {
                "rank": r.rank,
                "tied": r.tied,
                "code": r.unit.code,
                "name": r.unit.name,
                "score": str(r.score),
                "income": str(r.unit.income),
                "previous_rank": r.previous_rank,
                "change": r.change,
            }
            for r in rows
        ]

    return {
        "county": county.name,
        "period_label": board["period_label"],
        "figures": [{"label": str(label), "value": _num(value)} for label, value in key_figures],
        "townships": ranked(board.get("area_ranking", [])),
        "cooperatives": ranked(board["coop_ranking"]),
        "tie_rule": str(board["tie_rule"]),
        "weights": {k: str(w) for k, w in board["weights"].items()},
        "problems": [
            {k: _num(v) for k, v in p.items()}
            for p in figures.problems(user=None, prefix=county.prefix, year=year, quarter=quarter)
        ],
    }


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value or ""


def problem_rows(problems: list[dict]) -> list[dict]:
    """A bulletin's open problems with their severity and status as words (the content keeps the codes)."""
    return [
        {
            **p,
            "severity_label": _label(Severity, p.get("severity")),
            "status_label": _label(FindingStatus if p.get("kind") == "finding" else AlertStatus, p.get("status")),
        }
        for p in problems
    ]


def bulletin_workbook(bulletin: Bulletin) -> bytes:
    """The bulletin's workbook from its stored content, in the active language (the content keeps codes)."""
    content = bulletin.content
    ranking_headers = [_("Rank"), _("Change"), _("Name"), _("Code"), _("Score"), _("Collective income")]

    def rows(items):
        return (
            [r["rank"], r["change"], r["name"], r["code"], Decimal(r["score"]), Decimal(r["income"])] for r in items
        )

    def fig(value):
        try:
            return Decimal(value) if isinstance(value, str) else value
        except ArithmeticError:
            return value

    return workbook_sheets_bytes(
        [
            (_("Key figures"), [_("Figure"), _("Value")], ([f["label"], fig(f["value"])] for f in content["figures"])),
            (_("Townships"), ranking_headers, rows(content["townships"])),
            (_("Cooperatives"), ranking_headers, rows(content["cooperatives"])),
            (
                _("Open problems"),
                [_("Problem"), _("Region"), _("Severity"), _("Status")],
                (
                    [p.get("title"), p.get("region"), p["severity_label"], p["status_label"]]
                    for p in problem_rows(content["problems"])
                ),
            ),
        ]
    )


def bulletin_generate(*, county: Region, kind: str, today: datetime.date | None = None) -> Bulletin:
    """The county's bulletin of ``kind`` for the period due on ``today`` (idempotent per period)."""
    if county.level != RegionLevel.COUNTY:
        raise ValueError("bulletins are made for a county")
    today = today or timezone.localdate()
    period_key, year, quarter = period_for(kind, today)
    existing = Bulletin.objects.filter(county=county, kind=kind, period_key=period_key).first()
    if existing is not None and existing.generated_at is not None:
        return existing
    content = bulletin_content(county, kind, year, quarter)
    try:
        with transaction.atomic():
            bulletin, _created = Bulletin.objects.select_for_update().get_or_create(
                county=county,
                kind=kind,
                period_key=period_key,
                defaults={"region_code": county.padded_code, "year": year, "quarter": quarter},
            )
            if bulletin.generated_at is not None:  # a concurrent run finished first
                return bulletin
            bulletin.content = content
            bulletin.file.save(f"{kind}-{period_key}.xlsx", ContentFile(bulletin_workbook(bulletin)), save=False)
            bulletin.generated_at = timezone.now()
            bulletin.save()
    except IntegrityError:  # the other run inserted the row between our read and insert
        return Bulletin.objects.get(county=county, kind=kind, period_key=period_key)
    logger.info("supervision.bulletin.generated", extra={"bulletin_id": bulletin.pk, "kind": kind})
    return bulletin
