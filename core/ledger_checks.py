"""The ledger checks run by ``manage.py check_ledgers`` (in CI, after a restore, and nightly by Celery beat).

Each app that keeps a ledger registers a check from its ``AppConfig.ready`` (the kernel cannot import
the apps above it): ``core.ledger_checks.register("shares.holdings", holdings_check)``. A check reads
every tenant's rows (a system job) and returns what it looked at and every drift it found, in lines a
person can act on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class CheckResult:
    """``summary`` says what was checked when all is well; ``drift`` lists each discrepancy."""

    checked: int
    summary: str
    drift: list[str] = field(default_factory=list)


Check = Callable[[int | None], CheckResult]  # called with a cooperative id, or None for all

_checks: dict[str, Check] = {}


def register(name: str, check: Check) -> None:
    _checks[name] = check


def registered() -> dict[str, Check]:
    return dict(_checks)


def run_all(cooperative_id: int | None = None) -> dict[str, CheckResult]:
    """Every registered check, in registration order."""
    return {name: check(cooperative_id) for name, check in _checks.items()}
