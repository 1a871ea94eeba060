"""Statistics periods: a quarter (1–4) or a whole year (0), as of the period's last day."""

from __future__ import annotations

import datetime

from django.utils import timezone

QUARTER_END = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31), 0: (12, 31)}


def period_end(year: int, quarter: int) -> datetime.date:
    month, day = QUARTER_END[quarter]
    return datetime.date(year, month, day)


def quarter_of(day: datetime.date) -> int:
    return (day.month - 1) // 3 + 1


def current_period(today: datetime.date | None = None) -> tuple[int, int]:
    """The quarter containing ``today``: its snapshot holds the figures so far."""
    today = today or timezone.localdate()
    return today.year, quarter_of(today)


def previous_period(year: int, quarter: int) -> tuple[int, int]:
    """The period a ranking's position change is measured against: the quarter before, or the year before."""
    if quarter == 0:
        return year - 1, 0
    return (year - 1, 4) if quarter == 1 else (year, quarter - 1)


def label(year: int, quarter: int) -> str:
    return f"{year}" if quarter == 0 else f"{year}Q{quarter}"


def parse(value: str | None, default: tuple[int, int]) -> tuple[int, int]:
    """``2026Q3`` or ``2026`` → (year, quarter); anything else → ``default``."""
    value = (value or "").strip().upper()
    try:
        if "Q" in value:
            year, quarter = value.split("Q", 1)
            result = int(year), int(quarter)
        else:
            result = int(value), 0
    except ValueError:
        return default
    return result if 2000 <= result[0] <= 2100 and 0 <= result[1] <= 4 else default


def recent_quarters(year: int, quarter: int, count: int = 8) -> list[tuple[int, int]]:
    """The ``count`` quarters up to (year, quarter), oldest first."""
    if quarter == 0:
        quarter = 4
    found = [(year, quarter)]
    while len(found) < count:
        found.append(previous_period(*found[-1]))
    return list(reversed(found))
