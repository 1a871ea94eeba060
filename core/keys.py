"""Foreign keys checked once per statement, for the tables the books write by the thousand.

PostgreSQL checks a foreign key once per row: a plan of 10,000 members writes about 30,000 voucher
lines and 30,000 member-account entries in a dozen statements, and each row's key check is a
query of its own (3–5 µs each, a third of the plan's execution). For the keys below the
database's per-row constraint is replaced by statement-level triggers over the statement's
transition table, with the same guarantee:

* **child side** (after every INSERT and UPDATE statement): the distinct keys the statement wrote
  are looked up in the parent in one join and locked ``FOR KEY SHARE``, as PostgreSQL's own check
  locks them, so the parent row cannot be deleted or re-keyed before the writer commits; a key
  with no parent raises ``foreign_key_violation`` naming the constraint. A key with a NULL column
  is not checked (``MATCH SIMPLE``, PostgreSQL's default).
* **parent side** (after every DELETE and UPDATE statement): a child row whose key the statement
  took away from the parent raises ``foreign_key_violation``, so a referenced parent can be neither
  deleted nor re-keyed (``ON DELETE/UPDATE NO ACTION``).

Both sides look across all tenants, as PostgreSQL's own key checks do: the row-level security
scope (``lingban.scope``) is widened for the one query and put back. The checks run at the end of
the statement, not at commit: every writer of these tables writes the parent first.

``TRUNCATE`` is not covered (a foreign key would refuse truncating the parent alone); only
``manage.py flush`` truncates, and it truncates every table at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import pgtrigger


@dataclass(frozen=True)
class StatementKey:
    """``child (columns) REFERENCES parent (parent_columns)``, checked per statement."""

    name: str
    child: str
    columns: tuple[str, ...]
    parent: str
    parent_columns: tuple[str, ...]

    def _join(self, child_alias: str, parent_alias: str) -> str:
        return " AND ".join(
            f"{parent_alias}.{p} = {child_alias}.{c}" for c, p in zip(self.columns, self.parent_columns, strict=True)
        )

    def child_check(self, rows: str) -> str:
        not_null = " AND ".join(f"{c} IS NOT NULL" for c in self.columns)
        # identifiers from the key definitions below, never from input
        return f"""
WITH keys AS (SELECT DISTINCT {", ".join(self.columns)} FROM {rows} WHERE {not_null}),
     found AS (SELECT 1 FROM {self.parent} p JOIN keys k ON {self._join("k", "p")} FOR KEY SHARE OF p)
SELECT (SELECT count(*) FROM keys) > (SELECT count(*) FROM found) INTO missing;
IF missing THEN
    PERFORM set_config('lingban.scope', coalesce(scope, ''), true);
    RAISE EXCEPTION 'insert or update on table "{self.child}" violates foreign key constraint "{self.name}"'
        USING ERRCODE = 'foreign_key_violation';
END IF;"""  # noqa: S608

    def parent_check(self, rows: str) -> str:
        same_parent = " AND ".join(f"p.{c} = o.{c}" for c in self.parent_columns)
        return f"""
SELECT EXISTS (
    SELECT 1 FROM {rows} o
     WHERE NOT EXISTS (SELECT 1 FROM {self.parent} p WHERE {same_parent})
       AND EXISTS (SELECT 1 FROM {self.child} c WHERE {self._join("c", "o")})
) INTO missing;
IF missing THEN
    PERFORM set_config('lingban.scope', coalesce(scope, ''), true);
    RAISE EXCEPTION 'update or delete on table "{self.parent}" violates foreign key constraint '
                    '"{self.name}" on table "{self.child}"'
        USING ERRCODE = 'foreign_key_violation';
END IF;"""  # noqa: S608


# The books' keys checked per statement (the others stay PostgreSQL's own foreign keys).
LINE_VOUCHER = StatementKey(
    "finance_line_in_its_voucher",
    "finance_voucherline",
    ("voucher_id", "cooperative_id", "period_id"),
    "finance_voucher",
    ("id", "cooperative_id", "period_id"),
)
LINE_MEMBER = StatementKey(
    "finance_line_member_of_the_books",
    "finance_voucherline",
    ("member_id", "cooperative_id"),
    "members_member",
    ("id", "cooperative_id"),
)
LINE_ACCOUNT = StatementKey(
    "finance_line_account_of_the_books",
    "finance_voucherline",
    ("account_id", "cooperative_id"),
    "finance_account",
    ("id", "cooperative_id"),
)
LINE_PROJECT = StatementKey(
    "finance_line_project_of_the_books",
    "finance_voucherline",
    ("project_id", "cooperative_id"),
    "finance_project",
    ("id", "cooperative_id"),
)
MACC_MEMBER = StatementKey(
    "finance_macc_member_of_the_books",
    "finance_memberaccountentry",
    ("member_id", "cooperative_id"),
    "members_member",
    ("id", "cooperative_id"),
)
MACC_VOUCHER = StatementKey(
    "finance_macc_voucher_of_the_books",
    "finance_memberaccountentry",
    ("voucher_id", "cooperative_id"),
    "finance_voucher",
    ("id", "cooperative_id"),
)
MACC_AUTHOR = StatementKey(
    "finance_macc_entered_by",
    "finance_memberaccountentry",
    ("created_by_id",),
    "core_user",
    ("id",),
)
PAYOUT_ALLOCATION = StatementKey(
    "dividends_payout_of_its_allocation",
    "dividends_payout",
    ("allocation_id", "plan_id", "member_id"),
    "dividends_memberallocation",
    ("id", "plan_id", "member_id"),
)
PAYOUT_VOUCHER = StatementKey(
    "dividends_payout_voucher",
    "dividends_payout",
    ("voucher_id",),
    "finance_voucher",
    ("id",),
)


def _body(checks: list[str]) -> str:
    return (
        "scope := current_setting('lingban.scope', true);\n"
        "PERFORM set_config('lingban.scope', '*', true);\n"
        + "\n".join(checks)
        + "\nPERFORM set_config('lingban.scope', coalesce(scope, ''), true);\nRETURN NULL;\n"
    )


_DECLARE = [("scope", "text"), ("missing", "boolean")]


def child_triggers(prefix: str, *keys: StatementKey) -> list[pgtrigger.Trigger]:
    """The child table's two triggers (a transition table serves one event only)."""
    return [
        pgtrigger.Trigger(
            name=f"{prefix}_keys_{label}",
            level=pgtrigger.Statement,
            when=pgtrigger.After,
            operation=operation,
            referencing=pgtrigger.Referencing(new="written"),
            declare=_DECLARE,
            func=_body([key.child_check("written") for key in keys]),
        )
        for label, operation in (("insert", pgtrigger.Insert), ("update", pgtrigger.Update))
    ]


def parent_triggers(prefix: str, *keys: StatementKey) -> list[pgtrigger.Trigger]:
    """The parent table's two triggers: no child may lose its parent to a delete or a re-key."""
    return [
        pgtrigger.Trigger(
            name=f"{prefix}_referenced_{label}",
            level=pgtrigger.Statement,
            when=pgtrigger.After,
            operation=operation,
            referencing=pgtrigger.Referencing(old="removed"),
            declare=_DECLARE,
            func=_body([key.parent_check("removed") for key in keys]),
        )
        for label, operation in (("delete", pgtrigger.Delete), ("update", pgtrigger.Update))
    ]
