"""Quarterly disclosures (社务公开, seed 002 §9): generate the draft from the books, edit the plan and
operations text, refresh the figures while a draft, publish (the supervisory board), never change
after publishing.

Generation is idempotent per cooperative and quarter: ``get_or_create`` on the unique key inside one
transaction, so a job re-run after a worker died creates nothing twice.
"""

from __future__ import annotations

import datetime
import json
import logging
from collections import defaultdict
from collections.abc import Callable

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cooperatives.models import Cooperative
from core.exceptions import BusinessError, NotPermitted, StateConflict
from core.money import ZERO
from core.policies import policy_for
from core.tenancy import assert_in_scope
from supervision.choices_oversight import DisclosureStatus
from supervision.models import Disclosure

logger = logging.getLogger(__name__)

# -- quarters ----------------------------------------------------------------------------------


def quarter_of(day: datetime.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_bounds(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    """First and last day: Q3 2026 → 2026-07-01 .. 2026-09-30."""
    if not 1 <= quarter <= 4:
        raise BusinessError(_("A quarter is 1 to 4."), code="invalid_quarter", field="quarter")
    start = datetime.date(year, 3 * quarter - 2, 1)
    end = datetime.date(year + 1, 1, 1) if quarter == 4 else datetime.date(year, 3 * quarter + 1, 1)
    return start, end - datetime.timedelta(days=1)


def previous_quarter(day: datetime.date) -> tuple[int, int]:
    year, quarter = quarter_of(day)
    return (year - 1, 4) if quarter == 1 else (year, quarter - 1)


def deadline_for(region_code: str, year: int, quarter: int, profile=None) -> datetime.date:
    """Quarter end + the county's ``disclosure_deadline_days`` (15 by default: Q3 → 10-15)."""
    profile = profile or policy_for(region_code)
    return quarter_bounds(year, quarter)[1] + datetime.timedelta(days=profile.disclosure_deadline_days)


# -- sections contributed by later apps ----------------------------------------------------------

SectionFn = Callable[[Cooperative, int, int], dict | None]
_sections: list[SectionFn] = []


def register_disclosure_section(fn: SectionFn) -> SectionFn:
    """Add a section to every disclosure (e.g. the dividends app's distribution). ``fn(cooperative,
    year, quarter)`` returns ``{"key", "title", "headers": [...], "rows": [[...], ...]}`` with
    JSON-safe cells, or None when it has nothing for that quarter. Usable as a decorator."""
    if fn not in _sections:
        _sections.append(fn)
    return fn


def unregister_disclosure_section(fn: SectionFn) -> None:
    if fn in _sections:
        _sections.remove(fn)


# -- content ---------------------------------------------------------------------------------


def _entries(cooperative: Cooperative, start: datetime.date, end: datetime.date) -> list[dict]:
    """Every receipt and payment of the quarter, entry by entry: the cash and bank lines of posted
    vouchers (a transfer between cash and bank moves no money in or out and is left out), each with
    the accounts it was booked against. Two queries."""
    from finance.models import VoucherLine

    posted = VoucherLine.objects.filter(
        cooperative_id=cooperative.pk, is_posted=True, is_closing=False, voucher__date__range=(start, end)
    )
    non_cash = posted.filter(voucher_id=OuterRef("voucher_id"), account__is_cash=False)
    cash_lines = list(
        posted.filter(account__is_cash=True)
        .filter(Exists(non_cash))
        .values("voucher_id", "voucher__date", "voucher__number", "summary", "debit", "credit", "line_no")
        .order_by("voucher__date", "voucher__number", "line_no")
    )
    against: dict[int, list[str]] = defaultdict(list)
    voucher_ids = {row["voucher_id"] for row in cash_lines}
    for voucher_id, name in (
        posted.filter(voucher_id__in=voucher_ids, account__is_cash=False)
        .order_by("voucher_id", "line_no")
        .values_list("voucher_id", "account__name")
    ):
        if name not in against[voucher_id]:
            against[voucher_id].append(name)
    return [
        {
            "date": row["voucher__date"].isoformat(),
            "number": f"记-{row['voucher__number']:04d}" if row["voucher__number"] else "",
            "summary": row["summary"],
            "account": "、".join(against[row["voucher_id"]]),
            "income": str(row["debit"]),
            "expenditure": str(row["credit"]),
        }
        for row in cash_lines
    ]


def _structure(cooperative: Cooperative) -> dict:
    from shares.compliance import Structure, percent

    s = Structure.load(cooperative)
    return {
        "total": str(s.total),
        "holders": len(s.holders),
        "groups": [
            {"label": g["label"], "amount": str(g["amount"]), "percent": percent(g["ratio"])} for g in s.groups()
        ],
    }


def disclosure_content(cooperative: Cooperative, year: int, quarter: int) -> dict:
    """The figures of a quarter's disclosure, as stored in ``Disclosure.content``."""
    from decimal import Decimal

    start, end = quarter_bounds(year, quarter)
    entries = _entries(cooperative, start, end)
    sections = [s for s in (fn(cooperative, year, quarter) for fn in _sections) if s]
    return {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "entries": entries,
        "income_total": str(sum((Decimal(e["income"]) for e in entries), ZERO)),
        "expenditure_total": str(sum((Decimal(e["expenditure"]) for e in entries), ZERO)),
        "structure": _structure(cooperative),
        "sections": sections,
    }


def _fill(disclosure: Disclosure) -> None:
    from decimal import Decimal

    content = disclosure_content(disclosure.cooperative, disclosure.year, disclosure.quarter)
    disclosure.content = content
    disclosure.income_total = Decimal(content["income_total"])
    disclosure.expenditure_total = Decimal(content["expenditure_total"])
    disclosure.generated_at = timezone.now()


def disclosure_generate(*, cooperative: Cooperative, year: int, quarter: int, profile=None) -> tuple[Disclosure, bool]:
    """The quarter's disclosure of ``cooperative``, created as a draft with its figures if missing
    (system job: no actor; the caller scopes). Returns (disclosure, created)."""
    quarter_bounds(year, quarter)  # validates the quarter
    try:
        with transaction.atomic():
            existing = Disclosure.objects.filter(cooperative=cooperative, year=year, quarter=quarter).first()
            if existing is not None:
                return existing, False
            disclosure = Disclosure(
                cooperative=cooperative,
                region_code=cooperative.region_code,
                year=year,
                quarter=quarter,
                deadline=deadline_for(cooperative.region_code, year, quarter, profile),
            )
            _fill(disclosure)
            disclosure.save()
            _due_notify(disclosure)
    except IntegrityError:
        # another worker created it between our read and our insert: theirs stands
        return Disclosure.objects.get(cooperative=cooperative, year=year, quarter=quarter), False
    logger.info("supervision.disclosure.generated", extra={"disclosure_id": disclosure.pk})
    return disclosure, True


DUE_TEXT = gettext_lazy(
    "The disclosure of %(coop)s for quarter %(quarter)s of %(year)s is ready as a draft; publish it by %(deadline)s."
)


def _due_notify(disclosure: Disclosure) -> None:
    """A quarter's draft is made: the accountant checks the figures, the supervisory board publishes."""
    from core.choices import NotificationKind, Role
    from core.services.notifications import chinese, notify, village_people

    notify(
        recipients=village_people(disclosure.region_code, Role.VILLAGE_ACCOUNTANT, Role.SUPERVISOR),
        kind=NotificationKind.DISCLOSURE_DUE,
        text=chinese(
            DUE_TEXT,
            coop=disclosure.cooperative.name,
            year=disclosure.year,
            quarter=disclosure.quarter,
            deadline=disclosure.deadline.isoformat(),
        ),
        link=disclosure.get_absolute_url(),
        event_key=f"disclosure:{disclosure.pk}:due",
        region_code=disclosure.region_code,
    )


def _may(actor, disclosure: Disclosure, action: str) -> None:
    if not Disclosure.objects.for_user(actor, action).filter(pk=disclosure.pk).exists():
        raise NotPermitted(_("You may not do this with this disclosure."))


def _locked_draft(disclosure: Disclosure) -> Disclosure:
    disclosure = Disclosure.objects.select_for_update().select_related("cooperative").get(pk=disclosure.pk)
    if disclosure.is_published:
        raise StateConflict(_("A published disclosure does not change."), code="published")
    return disclosure


@transaction.atomic
def disclosure_create(*, actor, cooperative: Cooperative, year: int, quarter: int) -> Disclosure:
    """Prepare a quarter's disclosure by hand (the job does it at quarter end)."""
    if not Cooperative.objects.for_user(actor).filter(pk=cooperative.pk).exists():
        raise NotPermitted(_("You may not do this with this cooperative."))
    disclosure, created = disclosure_generate(cooperative=cooperative, year=year, quarter=quarter)
    if not created:
        raise StateConflict(_("This quarter's disclosure exists already."), code="exists", field="quarter")
    assert_in_scope(actor, disclosure, "add")
    return disclosure


@transaction.atomic
def disclosure_update(*, actor, disclosure: Disclosure, plan_summary: str, operations_summary: str) -> Disclosure:
    """Write the plan and the operations text of a draft."""
    _may(actor, disclosure, "change")
    disclosure = _locked_draft(disclosure)
    disclosure.plan_summary = (plan_summary or "").strip()
    disclosure.operations_summary = (operations_summary or "").strip()
    disclosure.save(update_fields=["plan_summary", "operations_summary", "updated_at"])
    return disclosure


@transaction.atomic
def disclosure_refresh(*, actor, disclosure: Disclosure) -> Disclosure:
    """Take the figures again from the books (a voucher was posted late); drafts only."""
    _may(actor, disclosure, "change")
    disclosure = _locked_draft(disclosure)
    _fill(disclosure)
    disclosure.save(update_fields=["content", "income_total", "expenditure_total", "generated_at", "updated_at"])
    return disclosure


def _as_stored(content: dict) -> dict:
    return json.loads(json.dumps(content, cls=DjangoJSONEncoder))


def disclosure_publish(*, actor, disclosure: Disclosure) -> Disclosure:
    """The supervisory board publishes the reviewed draft; from now on it never changes.

    What is published is what the books say now: when a voucher posted since the draft changed its
    figures, the draft takes them again and publishing stops there, so that the board reviews the
    new figures before they go out (``figures_changed``)."""
    with transaction.atomic():
        _may(actor, disclosure, "publish")
        disclosure = _locked_draft(disclosure)
        if not disclosure.operations_summary:
            raise BusinessError(
                _("Describe the quarter's operations before publishing."), code="required", field="operations_summary"
            )
        fresh = _as_stored(disclosure_content(disclosure.cooperative, disclosure.year, disclosure.quarter))
        stale = fresh != _as_stored(disclosure.content)
        if stale:
            _fill(disclosure)
            disclosure.save(
                update_fields=["content", "income_total", "expenditure_total", "generated_at", "updated_at"]
            )
        else:
            disclosure = _publish(actor, disclosure)
    if stale:
        raise StateConflict(
            _(
                "The books changed since this draft was prepared: its figures were taken again. Review them, "
                "then publish."
            ),
            code="figures_changed",
        )
    return disclosure


def _publish(actor, disclosure: Disclosure) -> Disclosure:
    disclosure.status = DisclosureStatus.PUBLISHED
    disclosure.published_at = timezone.now()
    disclosure.published_by = actor
    disclosure.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    assert_in_scope(actor, disclosure, "view")
    cooperative_id = disclosure.cooperative_id
    transaction.on_commit(lambda: _reevaluate(cooperative_id), robust=True)
    logger.info("supervision.disclosure.published", extra={"disclosure_id": disclosure.pk})
    return disclosure


def _reevaluate(cooperative_id: int) -> None:
    """Re-run the alert rules of the cooperative (the overdue alert resolves); if the broker is
    unreachable the nightly run catches up."""
    from supervision.tasks_oversight import alerts_evaluate_cooperative

    try:
        alerts_evaluate_cooperative.delay(cooperative_id)
    except Exception:  # a missing broker must not undo a publication
        logger.warning("supervision.alerts.enqueue_failed", extra={"cooperative_id": cooperative_id})


def disclosure_rows(disclosure: Disclosure) -> tuple[list[str], list[list]]:
    """The itemised entries as a sheet: headers and typed rows (for the xlsx export)."""
    from decimal import Decimal

    headers = [_("Date"), _("Voucher"), _("Summary"), _("Booked against"), _("Income"), _("Expenditure")]
    rows = [
        [
            datetime.date.fromisoformat(e["date"]),
            e["number"],
            e["summary"],
            e["account"],
            Decimal(e["income"]) or None,
            Decimal(e["expenditure"]) or None,
        ]
        for e in disclosure.content.get("entries", [])
    ]
    rows.append(["", "", _("Total"), "", disclosure.income_total, disclosure.expenditure_total])
    return headers, rows
