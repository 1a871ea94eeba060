"""The production deployment: Django's deploy checks, docker-compose.yml, .env.example, Dockerfile.

No database access: the deploy check runs in a subprocess with production settings and unreachable
DATABASE_URL / REDIS_URL (settings must not connect at import), and the rest reads files.
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
PRODUCTION_SETTINGS = ROOT / "config" / "settings" / "production.py"

SERVICES = {"postgres", "redis", "web", "worker", "beat"}
APP_SERVICES = ("web", "worker", "beat")

# env("NAME"), env.bool("NAME", ...), env.db("NAME"), env.list("NAME"), ...
ENV_CALL = re.compile(r"""\benv(?:\.\w+)?\(\s*["']([A-Za-z_][A-Za-z0-9_]*)["']""")
ENV_ASSIGNMENT = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)=(.*)$")


def _compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


def _env_example() -> dict[str, str]:
    values = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        match = ENV_ASSIGNMENT.match(line.strip())
        if match:
            values[match.group(1)] = match.group(2)
    return values


def _dockerfile_instructions() -> list[str]:
    """Logical Dockerfile lines: comments dropped, backslash continuations joined."""
    instructions, current = [], ""
    for raw in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            current += line[:-1] + " "
            continue
        instructions.append(current + line)
        current = ""
    if current:
        instructions.append(current)
    return instructions


# --- (a) Django's deployment checklist ----------------------------------------------------------


def test_production_settings_pass_check_deploy_without_warnings():
    env = os.environ.copy()
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),  # 86 random characters
        # Unreachable on purpose: importing settings and running the checks must not connect.
        DATABASE_URL="postgres://lingban:lingban@127.0.0.1:1/lingban",
        REDIS_URL="redis://127.0.0.1:1/0",
        ALLOWED_HOSTS="lingban.example.com",
        DEBUG="false",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output, output
    assert "ERRORS" not in output, output


# --- (b) docker-compose.yml and .env.example ----------------------------------------------------


def test_compose_defines_the_five_services():
    compose = _compose()
    assert "version" not in compose, "Compose v2 needs no top-level version key"
    assert set(compose["services"]) >= SERVICES


def test_app_services_wait_for_healthy_postgres_and_redis():
    services = _compose()["services"]
    for name in APP_SERVICES:
        depends_on = services[name].get("depends_on")
        assert isinstance(depends_on, dict), f"{name}: depends_on must be the long form with conditions"
        for dependency in ("postgres", "redis"):
            assert dependency in depends_on, f"{name} does not depend on {dependency}"
            assert depends_on[dependency].get("condition") == "service_healthy", (name, dependency)


def test_services_have_the_healthchecks_the_conditions_rely_on():
    services = _compose()["services"]
    assert "pg_isready" in " ".join(map(str, services["postgres"]["healthcheck"]["test"]))
    assert "redis-cli ping" in " ".join(map(str, services["redis"]["healthcheck"]["test"]))
    web_check = " ".join(services["web"]["healthcheck"]["test"])
    assert "urllib" in web_check
    assert "http://localhost:8000/accounts/login/" in web_check


def test_app_services_run_the_right_commands():
    services = _compose()["services"]

    def command(name: str) -> str:
        value = services[name]["command"]
        return value if isinstance(value, str) else " ".join(value)

    assert "build" in services["web"]
    web = command("web")
    assert web.index("manage.py migrate --noinput") < web.index("gunicorn config.wsgi:application")
    assert "0.0.0.0:8000" in web
    assert any(str(port).startswith("8000:8000") for port in services["web"]["ports"])
    assert "celery -A config worker" in command("worker")
    assert "celery -A config beat" in command("beat")
    for name in APP_SERVICES:
        assert services[name].get("image") == services["web"].get("image"), f"{name} must run the web image"


def test_every_service_reads_env_file_and_media_is_shared():
    services = _compose()["services"]
    for name in SERVICES:
        env_file = services[name].get("env_file")
        env_files = [env_file] if isinstance(env_file, str) else env_file or []
        assert ".env" in [item if isinstance(item, str) else item.get("path") for item in env_files], name

    def named_volumes(name: str) -> set[str]:
        volumes = set()
        for volume in services[name].get("volumes", []):
            source = volume.split(":", 1)[0] if isinstance(volume, str) else volume.get("source")
            volumes.add(source)
        return volumes

    shared = named_volumes("web") & named_volumes("worker")
    assert "media" in shared
    assert "media" in _compose()["volumes"]


def test_env_example_lists_every_variable_production_settings_read():
    referenced = set(ENV_CALL.findall(PRODUCTION_SETTINGS.read_text(encoding="utf-8")))
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS"} <= referenced, referenced
    missing = referenced - set(_env_example())
    assert not missing, f".env.example lacks {sorted(missing)}"


def test_env_example_explains_every_variable_and_matches_compose():
    lines = ENV_EXAMPLE.read_text(encoding="utf-8").splitlines()
    for index, line in enumerate(lines):
        match = ENV_ASSIGNMENT.match(line.strip())
        if match:
            assert index > 0 and lines[index - 1].strip().startswith("#"), f"{match.group(1)} has no comment line"
    values = _env_example()
    for name in (
        "SECRET_KEY",
        "DEBUG",
        "ALLOWED_HOSTS",
        "CSRF_TRUSTED_ORIGINS",
        "DATABASE_URL",
        "REDIS_URL",
        "POSTGRES_DB",
        "POSTGRES_USER",
        "POSTGRES_PASSWORD",
        "TIME_ZONE",
        "WEB_CONCURRENCY",
        "LOG_LEVEL",
        "SECURE_SSL_REDIRECT",
    ):
        assert name in values, name
    assert values["DEBUG"] == "false"
    assert values["TIME_ZONE"] == "Asia/Shanghai"
    # DATABASE_URL points at the compose postgres service with the container's own credentials.
    assert values["DATABASE_URL"] == (
        f"postgres://{values['POSTGRES_USER']}:{values['POSTGRES_PASSWORD']}@postgres:5432/{values['POSTGRES_DB']}"
    )
    assert values["REDIS_URL"].startswith("redis://redis:6379")
    # The web healthcheck sends Host: localhost.
    assert "localhost" in values["ALLOWED_HOSTS"].split(",")


# --- (c) Dockerfile -----------------------------------------------------------------------------


def test_dockerfile_does_not_install_the_embedded_group():
    instructions = _dockerfile_instructions()
    text = "\n".join(instructions)
    syncs = [line for line in instructions if line.startswith("RUN") and "uv sync" in line]
    assert syncs, "the Dockerfile installs dependencies with uv sync"
    for line in syncs:
        assert "--locked" in line and "--no-dev" in line, line
        assert "--no-group embedded" in line or "--no-default-groups" in line, line
        assert not re.search(r"--(?:only-)?group[ =]embedded\b", line), line
        assert "--all-groups" not in line, line
    assert not re.search(r"uv pip install|uv add|pip install (?!\"?uv==)", text), "only uv sync installs packages"

    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    for requirement in pyproject["dependency-groups"]["embedded"]:
        package = re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0]
        assert package.lower() not in text.lower(), f"{package} belongs to the embedded group"


def test_dockerfile_runs_gunicorn_as_non_root_with_production_settings():
    instructions = _dockerfile_instructions()
    text = "\n".join(instructions)
    assert instructions[0].startswith("FROM python:3.11-slim")
    assert re.search(r'pip install "?uv==0\.13\.9"?', text)
    assert "UV_PROJECT_ENVIRONMENT=/app/.venv" in text
    assert "DJANGO_SETTINGS_MODULE=config.settings.production" in text
    assert "collectstatic --noinput" in text
    users = [line.split(None, 1)[1] for line in instructions if line.startswith("USER ")]
    assert users and users[-1] not in {"root", "0"}
    assert "EXPOSE 8000" in instructions
    cmd = next(line for line in reversed(instructions) if line.startswith("CMD"))
    assert "gunicorn config.wsgi:application" in cmd
    assert "0.0.0.0:8000" in cmd
    assert "--workers ${WEB_CONCURRENCY:-2}" in cmd


def test_dockerignore_keeps_secrets_and_local_state_out_of_the_image():
    patterns = {
        line.strip()
        for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    for pattern in (".venv", "var", ".git", "__pycache__", "tests/e2e/screenshots", "node_modules", ".env"):
        assert pattern in patterns, pattern
