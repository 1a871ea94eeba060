"""The test databases, cloned from one migrated template (``django_db_setup`` in ``conftest.py``).

Migrating an empty database takes over a minute: Django re-renders the model states of every
migration that adds a trigger, a constraint or a field, model by model. The suite's two workers
(pytest-xdist) each need a database; instead of both migrating at once, the first worker migrates a
template whose name carries a digest of every migration, of the locked dependencies and of the code
that runs after migrating (row-level security), and every worker clones it with
``CREATE DATABASE … TEMPLATE``, which takes a second. A changed migration changes the digest, so a
stale template is never used; the templates of earlier digests are dropped when a new one is built.

``--reuse-db`` keeps pytest-django's own behaviour (the worker's database is kept and migrated).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connections

ROOT = Path(__file__).resolve().parents[1]
# what decides the template's contents besides the migrations
INPUTS = ("uv.lock", "core/rls.py", "config/settings/base.py", "config/settings/test.py")


def digest() -> str:
    h = hashlib.sha256()
    files = sorted(p for p in ROOT.glob("*/migrations/*.py"))
    for path in [*files, *(ROOT / name for name in INPUTS)]:
        h.update(str(path.relative_to(ROOT)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:12]


def _execute(connection, *statements: str) -> list:
    with connection.creation._nodb_cursor() as cursor:
        rows = []
        for sql in statements:
            cursor.execute(sql)
            if cursor.description:
                rows += cursor.fetchall()
        return rows


def _point_to(connection, name: str) -> None:
    connection.close()
    settings.DATABASES[connection.alias]["NAME"] = name
    connection.settings_dict["NAME"] = name


def _build(connection, template: str, prefix: str) -> None:
    """Migrate a new database and rename it to ``template`` (a half-built one never carries the name)."""
    building = f"{template}_building"
    test_settings = connection.settings_dict.setdefault("TEST", {})
    worker_name, original = test_settings.get("NAME"), connection.settings_dict["NAME"]
    test_settings["NAME"] = building
    try:
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False, keepdb=False)
    finally:
        test_settings["NAME"] = worker_name
        _point_to(connection, original)
    _execute(connection, f'ALTER DATABASE "{building}" RENAME TO "{template}"')
    stale = _execute(
        connection,
        f"SELECT datname FROM pg_database WHERE datname LIKE '{prefix}%' AND datname <> '{template}'",  # noqa: S608
    )
    for (name,) in stale:
        with contextlib.suppress(DatabaseError):  # a template another run is cloning right now stays
            _execute(connection, f'DROP DATABASE IF EXISTS "{name}"')


def setup_from_template(alias: str = "default") -> list:
    """Give this worker its test database as a clone of the migrated template; the ``old_config``
    that ``django.test.utils.teardown_databases`` takes."""
    connection = connections[alias]
    original = connection.settings_dict["NAME"]
    worker = connection.creation._get_test_db_name()
    prefix = f"tpl_{original}_"[:50]
    template = f"{prefix}{digest()}"
    lock_path = Path(tempfile.gettempdir()) / f"lingban-{template}.lock"
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one worker builds, the others wait for it
        try:
            exists = _execute(connection, f"SELECT 1 FROM pg_database WHERE datname = '{template}'")  # noqa: S608
            if not exists:
                _build(connection, template, prefix)
            _execute(
                connection,
                f'DROP DATABASE IF EXISTS "{worker}"',
                f'CREATE DATABASE "{worker}" TEMPLATE "{template}"',
            )
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    _point_to(connection, worker)
    connection.ensure_connection()
    return [(connection, original, True)]


def close_other_sessions(alias: str = "default") -> None:
    """End the sessions a test left open on this worker's database (a server thread's connection),
    so that the database can be dropped at the end of the run."""
    connection = connections[alias]
    name = connection.settings_dict["NAME"]
    connection.close()
    _execute(
        connection,
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "  # noqa: S608
        f"WHERE datname = '{name}' AND pid <> pg_backend_pid()",
    )
