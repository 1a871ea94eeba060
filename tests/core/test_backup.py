"""Backup and restore: a restored database holds the same rows and the same money totals."""

import psycopg2
import pytest
from django.db import connection

from core import demo
from core.backup import backup, restore

TABLES = ["core_region", "core_user", "core_roleassignment", "cooperatives_cooperative", "core_policyprofile"]


def _figures(dbname: str) -> dict:
    s = connection.settings_dict
    conn = psycopg2.connect(
        dbname=dbname,
        user=s["USER"] or "postgres",
        host=s["HOST"] or None,
        port=s["PORT"] or None,
        password=s["PASSWORD"] or None,
    )
    try:
        with conn.cursor() as cur:
            figures = {}
            for table in TABLES:
                cur.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 - fixed table names
                figures[table] = cur.fetchone()[0]
            cur.execute("SELECT sum(registered_capital) FROM cooperatives_cooperative")
            figures["capital"] = cur.fetchone()[0]
            cur.execute("SELECT count(*) FROM pg_policies WHERE policyname = 'lingban_tenant_scope'")
            figures["policies"] = cur.fetchone()[0]
        return figures
    finally:
        conn.close()


@pytest.mark.django_db(transaction=True)
def test_backup_restores_the_same_rows_and_totals(tmp_path):
    demo.run()
    source = connection.settings_dict["NAME"]
    target = f"{source}_restored"
    dump = backup(tmp_path / "lingban.dump")
    assert dump.stat().st_size > 10_000

    with connection.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{target}"')
        cur.execute(f'CREATE DATABASE "{target}"')
    try:
        restore(dump, dbname=target)
        before, after = _figures(source), _figures(target)
        assert after == before
        assert after["cooperatives_cooperative"] == 6 and after["policies"] > 0
    finally:
        with connection.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{target}"')
