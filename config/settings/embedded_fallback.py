"""Fill in DATABASES / Redis from the embedded services when the environment gives none."""

from config import embedded


def apply_embedded_fallback(settings: dict) -> None:
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
