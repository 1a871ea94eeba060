"""Figures other parts of supervision contribute to the dashboards and bulletins.

The dashboards show "open alerts", "audits done", "disclosures published" and the open problem
list, which the alert, audit and disclosure modules compute. They plug in here:

    register_figure("open_alerts", lambda user, prefix, year, quarter: ...)
    register_figure("problems", lambda user, prefix, year, quarter: [{"title": ..., ...}], default=list)

A figure nobody registered reads as its default (0, or an empty list for ``problems``), so the
dashboards work before those modules exist.
"""

from __future__ import annotations

from collections.abc import Callable

Figure = Callable[..., object]

_figures: dict[str, Figure] = {}

# the keys the dashboards and bulletins ask for, with their defaults
KNOWN = {
    "open_alerts": 0,
    "audits_done": 0,
    "audits_due": 0,
    "disclosures_published": 0,
    "disclosures_overdue": 0,
    "problems": (),
}


def register_figure(key: str, fn: Figure) -> None:
    _figures[key] = fn


def unregister_figure(key: str) -> None:
    _figures.pop(key, None)


def figure(key: str, *, user, prefix: str, year: int, quarter: int):
    """The registered figure for the jurisdiction and period, or its default when none is registered."""
    fn = _figures.get(key)
    if fn is None:
        default = KNOWN.get(key, 0)
        return list(default) if isinstance(default, tuple) else default
    return fn(user=user, prefix=prefix, year=year, quarter=quarter)


def problems(*, user, prefix: str, year: int, quarter: int) -> list[dict]:
    """The open problem list (挂牌督办): dicts with at least ``title``; optionally ``region``,
    ``severity``, ``status``, ``url``."""
    return list(figure("problems", user=user, prefix=prefix, year=year, quarter=quarter))


def figures_for(*, user, prefix: str, year: int, quarter: int) -> dict[str, object]:
    return {
        key: figure(key, user=user, prefix=prefix, year=year, quarter=quarter) for key in KNOWN if key != "problems"
    }
