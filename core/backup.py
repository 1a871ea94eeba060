"""Backup and restore with pg_dump / pg_restore (custom format, compressed).

The binaries come from PATH, or from the embedded pgserver when the machine has none; the newest
available major version is used, since pg_dump must not be older than the server.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from django.db import connections


def _candidates(name: str) -> list[Path]:
    found = []
    on_path = shutil.which(name)
    if on_path:
        found.append(Path(on_path))
    try:
        import pgserver

        bundled = Path(pgserver.__file__).parent / "pginstall" / "bin" / name
        if bundled.exists():
            found.append(bundled)
    except ImportError:
        pass
    return found


def _version(binary: Path) -> int:
    out = subprocess.run([str(binary), "--version"], capture_output=True, text=True, check=True).stdout
    match = re.search(r"(\d+)(?:\.\d+)?", out)
    return int(match.group(1)) if match else 0


def tool(name: str) -> Path:
    candidates = _candidates(name)
    if not candidates:
        raise FileNotFoundError(f"{name} not found: install the PostgreSQL client or the embedded group")
    return max(candidates, key=_version)


def _env_and_args(alias: str = "default", dbname: str | None = None) -> tuple[dict, list[str]]:
    s = connections[alias].settings_dict
    env = {**os.environ}
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = s["PASSWORD"]
    args = ["--dbname", dbname or s["NAME"], "--username", s.get("USER") or "postgres"]
    if s.get("HOST"):
        args += ["--host", s["HOST"]]
    if s.get("PORT"):
        args += ["--port", str(s["PORT"])]
    return env, args


def backup(path: Path, *, alias: str = "default") -> Path:
    """Dump the whole database (schema, data, triggers, row-level security) to ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    env, args = _env_and_args(alias)
    subprocess.run([str(tool("pg_dump")), "--format=custom", "--file", str(path), *args], env=env, check=True)
    return path


def restore(path: Path, *, alias: str = "default", dbname: str | None = None) -> None:
    """Restore ``path`` into the database (replacing what is there), then re-grant the app role.

    Ownership and grants are not restored from the dump (roles differ between clusters); the
    row-level-security install re-creates the role, the grants and the policies afterwards.
    """
    env, args = _env_and_args(alias, dbname)
    subprocess.run(
        [
            str(tool("pg_restore")),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-acl",
            "--single-transaction",
            *args,
            str(path),
        ],
        env=env,
        check=True,
    )
