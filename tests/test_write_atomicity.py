"""Every write a request makes runs in one transaction, so a dropped connection, a crash or a
refused rule leaves no partial write (tests/finance/test_faults.py shows the database side).

Lingban does not use ATOMIC_REQUESTS: a view writes only by calling a service, and every public
service that writes is ``@transaction.atomic`` (or opens ``transaction.atomic()`` itself). These
tests read the source of every view and API module and every service module to keep it so; a new
view that saves a model itself, or a new service writer without a transaction, fails here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = ["core", "cooperatives", "members", "shares", "finance", "dividends", "supervision"]
ORM_WRITES = {"create", "bulk_create", "bulk_update", "get_or_create", "update_or_create", "update", "delete"}
INSTANCE_WRITES = {"save", "delete"}

# Service functions that write but run inside their caller's transaction by design (each is only
# called from an atomic service or from the approval engine's atomic decision).
INSIDE_CALLER_TRANSACTION = {
    "cooperatives/services/charters.py": {"charter_on_submitted", "charter_on_reviewed", "charter_on_closed"},
    "cooperatives/services/registry.py": {"register_cooperative"},
    "finance/services/contracts.py": {"contract_reviewed", "contract_back_to_draft"},
    "finance/services/vouchers.py": {
        "create_voucher_row",
        "create_posted_voucher_row",
        "post_voucher_row",
        "voucher_back_to_draft",
    },
    "shares/services/certificates.py": {"reissue_after_change"},
    "shares/services/ledger.py": {"lock_holdings", "post_lines"},
}


def _modules(patterns: list[str]) -> list[Path]:
    found = []
    for app in APPS:
        for pattern in patterns:
            found.extend(sorted((ROOT / app).glob(pattern)))
    return found


def _is_orm_write(call: ast.Call) -> bool:
    if not isinstance(call.func, ast.Attribute):
        return False
    attr, receiver = call.func.attr, ast.unparse(call.func.value)
    if attr in ORM_WRITES and ("objects" in receiver or ".filter(" in receiver or receiver.endswith("_set")):
        return True
    return attr in INSTANCE_WRITES and receiver != "self" and not receiver.startswith("super(")


VIEW_MODULES = _modules(["views.py", "views/*.py", "api/views.py", "api/*.py"])
SERVICE_MODULES = _modules(["services.py", "services/*.py"])


@pytest.mark.parametrize("path", VIEW_MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_views_write_only_through_services(path):
    tree = ast.parse(path.read_text())
    writes = [
        f"{path.relative_to(ROOT)}:{node.lineno} {ast.unparse(node.func)}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and _is_orm_write(node)
    ]
    assert writes == [], "views must call a service (one transaction) instead of writing themselves"


def _atomic(node: ast.FunctionDef, source: str) -> bool:
    decorated = any("atomic" in ast.unparse(d) for d in node.decorator_list)
    return decorated or "transaction.atomic(" in (ast.get_source_segment(source, node) or "")


@pytest.mark.parametrize("path", SERVICE_MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_public_service_that_writes_runs_in_a_transaction(path):
    source = path.read_text()
    relative = str(path.relative_to(ROOT))
    allowed = INSIDE_CALLER_TRANSACTION.get(relative, set())
    bare = []
    for node in ast.parse(source).body:
        if not isinstance(node, ast.FunctionDef) or node.name.startswith("_") or node.name in allowed:
            continue
        writes = any(isinstance(n, ast.Call) and _is_orm_write(n) for n in ast.walk(node))
        if writes and not _atomic(node, source):
            bare.append(f"{relative}:{node.lineno} {node.name}")
    assert bare == [], "a public service that writes must be @transaction.atomic"


def test_the_allowed_exceptions_still_exist():
    for relative, names in INSIDE_CALLER_TRANSACTION.items():
        tree = ast.parse((ROOT / relative).read_text())
        defined = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
        assert names <= defined, f"{relative}: {names - defined} no longer exist; update the list"


def test_the_scan_finds_a_write_when_there_is_one():
    sample = ast.parse("def v(request):\n    Member.objects.filter(pk=1).update(name='x')\n    obj.save()\n")
    calls = [n for n in ast.walk(sample) if isinstance(n, ast.Call) and _is_orm_write(n)]
    assert len(calls) == 2
