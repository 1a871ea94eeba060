"""Fill in DATABASES / Redis from the embedded services when the environment gives none."""

from config import embedded


def apply_embedded_fallback(settings: dict) -> None:
    _cache_on_the_socket(settings)
    if not settings.get("DATABASES"):
        database = embedded.postgres_settings()
        database.update(CONN_MAX_AGE=0, CONN_HEALTH_CHECKS=False)
        settings["DATABASES"] = {"default": database}
        settings["LINGBAN_EMBEDDED_POSTGRES"] = True
    if not settings.get("REDIS_URL") and not settings.get("CELERY_TASK_ALWAYS_EAGER"):
        broker = embedded.redis_url()
        settings["REDIS_URL"] = broker
        settings["CELERY_BROKER_URL"] = broker
        settings["CELERY_RESULT_BACKEND"] = broker
        settings["LINGBAN_EMBEDDED_REDIS"] = True


def _cache_on_the_socket(settings: dict) -> None:
    """A process started with the embedded Redis's URL (the Celery worker of ``make run``) reads
    ``redis+socket://<path>``, the form Celery's broker takes; Django's Redis cache takes the same
    socket as ``unix://<path>``. Without this the worker's cache calls fail (the ledger check, the
    statistics refresh)."""
    default = settings.get("CACHES", {}).get("default", {})
    location = default.get("LOCATION")
    if isinstance(location, str) and location.startswith("redis+socket://"):
        default["LOCATION"] = "unix://" + location.removeprefix("redis+socket://")
