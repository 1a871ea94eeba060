"""API tokens (django-rest-knox): a user lists and ends their own; a password change or a logout
of the web session ends them all.

Tokens are stored as a hash with the first characters of the token (``token_key``) to tell them
apart; the token itself is shown once, when it is made (``POST /api/v1/auth/token/``).
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from knox.models import AuthToken

from core.models import User

logger = logging.getLogger(__name__)


def tokens_of(user: User):
    """The user's tokens that still work, newest first."""
    now = timezone.now()
    return AuthToken.objects.filter(user=user, expiry__gt=now).order_by("-created")


@transaction.atomic
def token_revoke(*, user: User, token_key: str) -> int:
    """End one of ``user``'s own tokens (by its first characters); how many were ended (0 or 1)."""
    ended, _ = AuthToken.objects.filter(user=user, token_key=token_key).delete()
    logger.info("core.token.revoked", extra={"user_id": user.pk, "count": ended})
    return ended


@transaction.atomic
def tokens_revoke_all(*, user: User) -> int:
    """End every token of ``user``."""
    ended, _ = AuthToken.objects.filter(user=user).delete()
    if ended:
        logger.info("core.token.revoked", extra={"user_id": user.pk, "count": ended})
    return ended


def on_session_logout(sender, request, user, **kwargs) -> None:
    """``user_logged_out`` of the web session ends the user's API tokens. The API's own logout
    (a DRF request, one token or all of them) has already done what it was asked."""
    from rest_framework.request import Request

    if user is not None and not isinstance(request, Request):
        tokens_revoke_all(user=user)
