"""Settings for pytest: real PostgreSQL (DATABASE_URL, else embedded), eager Celery, fast hashing."""

from .base import *
from .embedded_fallback import apply_embedded_fallback

DEBUG = False
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = None
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
LANGUAGE_CODE = "zh-hans"

apply_embedded_fallback(globals())

# Tests never need a commit to survive a crash: do not wait for the WAL flush on each commit
# (transactional tests, live-server journeys and the test database's migrations commit often).
_options = DATABASES["default"].setdefault("OPTIONS", {})
_options["options"] = (_options.get("options", "") + " -c synchronous_commit=off").strip()

# Parallel test runs on one PostgreSQL (several worktrees) each name their own test database.
if env("TEST_DB_NAME", default=""):
    DATABASES["default"]["TEST"] = {"NAME": env("TEST_DB_NAME")}

# A tenant-owned model used only by the kernel's tests (approval engine, scoping).
INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapp"]
