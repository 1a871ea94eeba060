"""The home page's to-do list: what waits for the user's roles, oldest first.

Each app registers *sources* from its ``navigation.register()``; a source is one kind of work (draft
vouchers, returned requests, plans to check, requests to decide…) read by ONE selector in ONE query
(the selector the list page of that kind uses where there is one). The kernel's ``todo`` home panel
(``core.home``) asks every source the user's roles allow and shows one list across them, each item
with what it is, whose (the village or cooperative), since when (waiting days) and its link.

    todo.register(todo.Source("voucher_drafts", _("Draft vouchers"), ACCOUNTANT, voucher_drafts_items, 20))

A source returns ``(items, total)``: ``total`` counts every open item of its kind, also when only the
first ``LIMIT`` are listed (``take`` reads both from one query with a window count).

Overdue: a request waits for a decision at most ``DECISION_DAYS`` days. The county policy profile has
no time limit for approvals (it sets only the disclosure deadline, which the disclosure items use),
so seven days is the kernel's rule; an item with its own deadline (a rectification, a disclosure) is
overdue after that deadline.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Window
from django.utils import timezone

from core.tenancy import prefix_q

LIMIT = 30
DECISION_DAYS = 7  # a request waiting longer than this for its decider is overdue


@dataclass
class Item:
    kind: str  # the source's key
    label: str  # what it is (the source's label unless the item names its own kind)
    subject: str
    place: str  # whose: the village or the cooperative
    since: datetime.date
    url: str
    due: datetime.date | None = None  # overdue after this day
    amount: Decimal | None = None
    village: str = ""  # the village, for the township's and county's grouping
    township: str = ""  # its township, for the county's grouping
    news: bool = False  # news for a member ("3 days ago"), not work waiting
    note: str = ""  # e.g. the reason a request was returned
    # filled by ``collect``
    days: int = 0
    overdue: bool = False


@dataclass(frozen=True)
class Source:
    key: str
    label: str
    roles: frozenset[str]
    items: Callable[..., tuple[list[Item], int]]  # (user, today) → (items, total)
    order: int = 100
    list_url: str = ""  # the list page of this kind, if any (a URL name)
    list_query: str = ""


_sources: dict[str, Source] = {}


def register(source: Source) -> None:
    _sources[source.key] = source


def sources_for(user) -> list[Source]:
    roles = user.jurisdiction.roles
    return sorted((s for s in _sources.values() if roles & s.roles), key=lambda s: (s.order, s.key))


def within(user, roles: Iterable[str], field_name: str = "region_code") -> Q:
    """Rows under the prefixes ``user`` holds in ``roles`` (the role's own part of a wider jurisdiction)."""
    condition = Q(pk__in=[])
    for prefix in user.jurisdiction.prefixes(roles):
        condition |= prefix_q(field_name, prefix)
    return condition


def take(queryset: QuerySet, limit: int = LIMIT) -> tuple[list, int]:
    """The first ``limit`` rows and the number of all rows, in one query (a window count)."""
    rows = list(queryset.annotate(todo_total=Window(Count("pk")))[:limit])
    return rows, (rows[0].todo_total if rows else 0)


def coop_place(cooperative) -> str:
    """Whose: the cooperative, with its village when its name does not say it."""
    village = cooperative.village.name
    return cooperative.name if village in cooperative.name else f"{village} · {cooperative.name}"


def local_date(value) -> datetime.date | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


@dataclass
class TodoList:
    items: list[Item]
    counts: list[dict] = field(default_factory=list)  # per kind: key, label, count, list url
    total: int = 0

    def by_village(self, with_township: bool = False) -> list[dict]:
        """Groups per village (named with its township for the county): the ones with overdue items
        first, then by the oldest item; in a group, the overdue first, then the oldest."""
        groups: dict[str, list[Item]] = {}
        for item in self.items:
            name = item.village or item.place
            if with_township and item.township:
                name = f"{item.township} · {name}"
            groups.setdefault(name, []).append(item)
        rows = [
            {
                "village": name,
                "items": sorted(items, key=lambda i: (not i.overdue, i.since)),
                "overdue": sum(i.overdue for i in items),
            }
            for name, items in groups.items()
        ]
        rows.sort(key=lambda g: (g["overdue"] == 0, min(i.since for i in g["items"])))
        return rows


def collect(user, today: datetime.date | None = None) -> TodoList:
    """Every source the user's roles allow, merged: the work oldest first, a member's news after it."""
    today = today or timezone.localdate()
    items: list[Item] = []
    counts = []
    for source in sources_for(user):
        found, total = source.items(user, today)
        for item in found:
            item.days = max((today - item.since).days, 0)
            item.overdue = item.due is not None and item.due < today and not item.news
        items.extend(found)
        if total:
            counts.append({"key": source.key, "label": source.label, "count": total, "source": source})
    # work oldest first; a member's news after it, newest first
    items.sort(key=lambda i: (i.news, -i.since.toordinal() if i.news else i.since.toordinal(), i.subject))
    return TodoList(items=items, counts=counts, total=sum(c["count"] for c in counts))
