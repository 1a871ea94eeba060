"""Development default: DEBUG on, and the embedded PostgreSQL/Redis when no URLs are given."""

from .base import *
from .embedded_fallback import apply_embedded_fallback

DEBUG = env.bool("DEBUG", default=True)

apply_embedded_fallback(globals())

# Without a mail relay the notifications' e-mails are printed by the worker.
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
