"""Notifications: one service tells the people who must act, once, in the app, by e-mail and in the
region's group robot.

The rule: ``notify(recipients=…, kind=…, text=…, link=…, event_key=…, region_code=…)`` writes one
``Notification`` per recipient whose jurisdiction covers ``region_code`` (nobody hears of a region
outside their jurisdiction), at most once per (recipient, event_key), and one ``WebhookDelivery``
per enabled group robot of the village and of its township, at most once per (robot, event_key).
Only after the transaction commits are the e-mails (for who chose them at once) and the robot
messages handed to Celery, which retries them with back-off; a failure to enqueue or to deliver is
logged and never fails, nor slows, the request that caused it. Who chose the daily digest gets one
mail a day (``digests_send``); in the app everyone is always notified.

Every workflow calls it: the approval engine (submitted → the deciders; returned, rejected,
approved → who asked; an intermediate approval → the next stage's deciders), filings, audit
findings, disclosures due and risk alerts.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.choices import DeliveryStatus, EmailMode, NotificationKind, Role, WebhookKind
from core.exceptions import BusinessError, NotPermitted, WebhookError
from core.models import (
    GroupWebhook,
    Notification,
    NotificationPreference,
    Region,
    User,
    WebhookDelivery,
)

logger = logging.getLogger(__name__)

TEXT_MAX = 500


def chinese(message, **params) -> str:
    """``message`` (a lazy msgid) in the site's language with ``params``: notification texts are
    written once, when the event happens, whoever's request wrote them."""
    with translation.override(settings.LANGUAGE_CODE):
        text = str(message) % {k: str(v) for k, v in params.items()} if params else str(message)
    return text if len(text) <= TEXT_MAX else text[: TEXT_MAX - 1] + "…"


# -- who --------------------------------------------------------------------------------------------


def holders(*, roles: Iterable[str], prefix: str) -> QuerySet[User]:
    """Active users holding one of ``roles`` bound exactly to the region whose prefix is ``prefix``
    (the village's accountants, the township's officials)."""
    return User.objects.filter(
        is_active=True,
        role_assignments__is_active=True,
        role_assignments__role__in=list(roles),
        role_assignments__region__prefix=prefix,
    ).distinct()


def village_people(region_code: str, *roles: str, township_roles: Iterable[str] = ()) -> list[int]:
    """Ids of who holds ``roles`` in the village of ``region_code`` and ``township_roles`` in its
    township (the people a village event asks to act)."""
    ids = set(holders(roles=roles, prefix=region_code).values_list("pk", flat=True)) if roles else set()
    if township_roles:
        ids |= set(holders(roles=township_roles, prefix=region_code[:9]).values_list("pk", flat=True))
    return sorted(ids)


def _within(user_ids: set[int], region_code: str) -> set[int]:
    """The users among ``user_ids`` whose jurisdiction covers ``region_code`` (one query)."""
    if not user_ids:
        return set()
    rows = (
        User.objects.filter(pk__in=user_ids, is_active=True)
        .filter(Q(is_superuser=True) | Q(role_assignments__is_active=True))
        .values_list("pk", "is_superuser", "role_assignments__region__prefix")
    )
    return {pk for pk, superuser, prefix in rows if superuser or (prefix and region_code.startswith(prefix))}


# -- the one entry point ----------------------------------------------------------------------------


@transaction.atomic
def notify(
    *,
    recipients: Iterable[User | int],
    kind: str,
    text: str,
    link: str = "",
    event_key: str,
    region_code: str,
) -> list[Notification]:
    """Tell ``recipients`` (users or ids) about one event of ``region_code``; returns the rows
    written now (none for who already had this event). Delivery happens after commit."""
    if kind not in NotificationKind.values:
        raise ValueError(f"unknown notification kind {kind!r}")
    wanted = {r if isinstance(r, int) else r.pk for r in recipients}
    people = _within(wanted, region_code)
    already = set(
        Notification.objects.filter(event_key=event_key, recipient_id__in=people).values_list("recipient_id", flat=True)
    )
    rows = [
        Notification(
            recipient_id=user_id,
            kind=kind,
            text=text[:TEXT_MAX],
            link=link[:200],
            event_key=event_key[:120],
            region_code=region_code,
        )
        for user_id in sorted(people - already)
    ]
    written = []
    if rows:
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        written = list(
            Notification.objects.filter(event_key=event_key[:120], recipient_id__in=[r.recipient_id for r in rows])
            .select_related("recipient", "recipient__notification_preference")
            .order_by("pk")
        )
        _schedule_emails(written)
    _schedule_webhooks(kind=kind, text=text, link=link, event_key=event_key[:120], region_code=region_code)
    if rows:
        logger.info("core.notifications.written", extra={"event_key": event_key, "recipients": len(rows)})
    return written


def _enqueue(task, *args) -> None:
    """Hand ``task`` to Celery after commit; a broker or delivery failure is logged, never raised."""

    def send():
        try:
            task.delay(*args)
        except Exception:  # the request that caused the event has succeeded: it must not fail now
            logger.warning(
                "core.notifications.enqueue_failed", extra={"task": task.name, "task_args": args}, exc_info=True
            )

    transaction.on_commit(send, robust=True)


def _schedule_emails(rows: list[Notification]) -> None:
    from core import tasks

    for n in rows:
        pref = getattr(n.recipient, "notification_preference", None)
        if n.recipient.email and (pref is None or pref.email_mode == EmailMode.IMMEDIATE):
            _enqueue(tasks.deliver_email, n.pk)


def _region_webhooks(region_code: str) -> QuerySet[GroupWebhook]:
    """The enabled robots of the village and of its township (a township's code is padded with 000)."""
    codes = {region_code, region_code[:9] + "000"}
    return GroupWebhook.objects.filter(enabled=True, region_code__in=codes).order_by("pk")


def _schedule_webhooks(*, kind: str, text: str, link: str, event_key: str, region_code: str) -> None:
    from core import tasks

    hooks = list(_region_webhooks(region_code))
    if not hooks:
        return
    done = set(
        WebhookDelivery.objects.filter(webhook__in=hooks, event_key=event_key).values_list("webhook_id", flat=True)
    )
    message = robot_text(kind=kind, text=text, link=link)
    fresh = [
        WebhookDelivery(webhook=h, event_key=event_key, text=message, region_code=region_code)
        for h in hooks
        if h.pk not in done
    ]
    WebhookDelivery.objects.bulk_create(fresh, ignore_conflicts=True)
    for delivery in WebhookDelivery.objects.filter(
        webhook__in=[d.webhook for d in fresh], event_key=event_key, status=DeliveryStatus.PENDING
    ).order_by("pk"):
        _enqueue(tasks.deliver_webhook, delivery.pk)


def absolute(link: str) -> str:
    return f"{settings.LINGBAN_SITE_URL.rstrip('/')}{link}" if link.startswith("/") else link


def robot_text(*, kind: str, text: str, link: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        head = f"【{_('Lingban')}·{NotificationKind(kind).label}】"
    return f"{head}{text}" + (f"\n{absolute(link)}" if link else "")


# -- reading and marking ----------------------------------------------------------------------------


def notifications_of(user: User) -> QuerySet[Notification]:
    """The user's own notifications, newest first, within their jurisdiction."""
    return Notification.objects.for_user(user).filter(recipient_id=user.pk)


def unread_count(user: User) -> int:
    if not user.is_authenticated:
        return 0
    return notifications_of(user).filter(read_at__isnull=True).count()


@transaction.atomic
def notification_mark_read(*, user: User, notification_id: int) -> Notification:
    """Mark one of the user's notifications read (someone else's answers 404 in the view)."""
    notification = notifications_of(user).select_for_update().get(pk=notification_id)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at", "updated_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, user: User) -> int:
    return notifications_of(user).filter(read_at__isnull=True).update(read_at=timezone.now(), updated_at=timezone.now())


# -- preferences ------------------------------------------------------------------------------------


def email_mode_of(user: User) -> str:
    pref = NotificationPreference.objects.filter(user_id=user.pk).first()
    return pref.email_mode if pref else EmailMode.IMMEDIATE


@transaction.atomic
def notification_preference_set(*, user: User, email_mode: str) -> NotificationPreference:
    """How ``user`` wants e-mail: each notification at once, one daily digest, or none."""
    if email_mode not in EmailMode.values:
        raise BusinessError(_("Choose how you want e-mail."), code="invalid", field="email_mode")
    pref, _created = NotificationPreference.objects.update_or_create(user=user, defaults={"email_mode": email_mode})
    return pref


# -- group robots -----------------------------------------------------------------------------------

KEEPER_ROLE = {"village": Role.VILLAGE_ACCOUNTANT, "township": Role.TOWNSHIP_OFFICIAL}


def may_keep_webhook(user: User, region: Region) -> bool:
    """The village accountant keeps the village's robot, the township official the township's;
    only for the region they are bound to (a system administrator for any region they cover)."""
    if region.level not in KEEPER_ROLE or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    grants = user.jurisdiction.grants
    if any(g.role == KEEPER_ROLE[region.level] and g.prefix == region.prefix for g in grants):
        return True
    return any(g.role == Role.SYSTEM_ADMIN and region.prefix.startswith(g.prefix) for g in grants)


def webhook_regions(user: User) -> list[tuple[int, str]]:
    """(region id, name) of the regions whose robot ``user`` keeps (from the cached grants: no query)."""
    keepers = {Role.VILLAGE_ACCOUNTANT: "village", Role.TOWNSHIP_OFFICIAL: "township"}
    return [(g.region_id, g.region_name) for g in user.all_grants if keepers.get(g.role) == g.level]


def _check_url(url: str) -> str:
    url = (url or "").strip()
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BusinessError(_("Enter the robot's webhook address (https://…)."), code="invalid", field="url")
    if parts.hostname.lower() not in [h.lower() for h in settings.LINGBAN_WEBHOOK_HOSTS]:
        raise BusinessError(
            _("A group robot's address is on %(hosts)s.") % {"hosts": "、".join(settings.LINGBAN_WEBHOOK_HOSTS)},
            code="webhook_host",
            field="url",
        )
    return url


@transaction.atomic
def group_webhook_set(
    *,
    actor: User,
    region: Region,
    kind: str,
    url: str,
    secret: str = "",
    clear_secret: bool = False,
    enabled: bool = True,
) -> GroupWebhook:
    """Set the region's group robot. An empty ``secret`` keeps the one on file (it is never shown
    back); ``clear_secret`` removes it. Only DingTalk signs, so a WeCom robot keeps no secret."""
    if not may_keep_webhook(actor, region):
        raise NotPermitted(_("Only the village accountant or the township official sets their region's group robot."))
    if kind not in WebhookKind.values:
        raise BusinessError(_("Choose the kind of robot."), code="invalid", field="kind")
    url = _check_url(url)
    hook = GroupWebhook.objects.select_for_update().filter(region=region).first()
    if hook is None:
        hook = GroupWebhook(region=region, region_code=region.padded_code, updated_by=actor)
    hook.kind, hook.url, hook.enabled, hook.updated_by = kind, url, enabled, actor
    secret = (secret or "").strip()
    if kind != WebhookKind.DINGTALK or clear_secret:
        hook.secret = ""
    elif secret:
        hook.secret = secret[:200]
    hook.save()
    logger.info("core.notifications.webhook_set", extra={"region_id": region.pk, "kind": kind})
    return hook


# -- delivery (Celery tasks call these) -------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        raise WebhookError(f"HTTP {code}: redirected")


_opener = urllib.request.build_opener(_NoRedirect)


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's signature: base64 of HMAC-SHA256 over "<timestamp>\\n<secret>" keyed by the secret."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def signed_url(url: str, secret: str, timestamp_ms: int | None = None) -> str:
    timestamp_ms = timestamp_ms if timestamp_ms is not None else int(time.time() * 1000)
    query = urllib.parse.urlencode({"timestamp": timestamp_ms, "sign": dingtalk_sign(secret, timestamp_ms)})
    return f"{url}{'&' if '?' in url else '?'}{query}"


def webhook_post(hook: GroupWebhook, text: str) -> None:
    """Post ``text`` as the robot's text message (the same JSON for WeCom and DingTalk)."""
    url = _check_url(hook.url)
    if hook.kind == WebhookKind.DINGTALK and hook.secret:
        url = signed_url(url, hook.secret)
    body = json.dumps({"msgtype": "text", "text": {"content": text}}, ensure_ascii=False).encode()
    # the scheme is http(s) and the host one of LINGBAN_WEBHOOK_HOSTS (_check_url)
    request = urllib.request.Request(  # noqa: S310
        url, data=body, method="POST", headers={"Content-Type": "application/json; charset=utf-8"}
    )
    try:
        with _opener.open(request, timeout=settings.LINGBAN_WEBHOOK_TIMEOUT) as response:
            answer = response.read(64 * 1024)
    except urllib.error.HTTPError as exc:
        raise WebhookError(f"HTTP {exc.code}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise WebhookError(str(getattr(exc, "reason", exc))[:200]) from exc
    try:
        code = json.loads(answer or b"{}").get("errcode", 0)
    except (ValueError, AttributeError):
        code = 0  # a relay that answers 2xx without the robots' JSON has taken it
    if code not in (0, None):
        raise WebhookError(f"errcode {code}")


def webhook_deliver(*, delivery_id: int) -> bool:
    """Post one pending message; on failure record it and raise (the task retries)."""
    error: WebhookError | None = None
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().select_related("webhook").filter(pk=delivery_id).first()
        if delivery is None or delivery.status == DeliveryStatus.SENT or not delivery.webhook.enabled:
            return False
        delivery.attempts += 1
        try:
            webhook_post(delivery.webhook, delivery.text)
        except (WebhookError, BusinessError) as exc:
            error = exc if isinstance(exc, WebhookError) else WebhookError(str(exc))
            delivery.status, delivery.last_error = DeliveryStatus.FAILED, str(error)[:300]
        else:
            delivery.status, delivery.last_error, delivery.sent_at = DeliveryStatus.SENT, "", timezone.now()
        delivery.save(update_fields=["attempts", "status", "last_error", "sent_at", "updated_at"])
    if error is not None:
        logger.warning("core.notifications.webhook_failed", extra={"delivery_id": delivery_id, "error": str(error)})
        raise error
    return True


def _subject(kind: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return f"【{_('Lingban')}】{NotificationKind(kind).label}"


def email_send(*, notification_id: int) -> bool:
    """Mail one notification to its recipient if they want it at once and have not read it yet."""
    with transaction.atomic():
        n = Notification.objects.select_for_update().select_related("recipient").filter(pk=notification_id).first()
        if n is None or n.emailed_at is not None or n.read_at is not None or not n.recipient.email:
            return False
        if email_mode_of(n.recipient) != EmailMode.IMMEDIATE or not n.recipient.is_active:
            return False
        body = n.text + (f"\n\n{absolute(n.link)}" if n.link else "")
        send_mail(_subject(n.kind), body, settings.DEFAULT_FROM_EMAIL, [n.recipient.email])
        n.emailed_at = timezone.now()
        n.save(update_fields=["emailed_at", "updated_at"])
    return True


DIGEST_SUBJECT = gettext_lazy("Your notifications of the last day (%(count)s unread)")


def digest_send(*, user_id: int, now: datetime.datetime | None = None) -> bool:
    """One mail with the user's unread notifications of the last day not mailed yet; each is then
    marked mailed, so a second run the same day sends nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        pref = NotificationPreference.objects.select_for_update().select_related("user").filter(user_id=user_id).first()
        if pref is None or pref.email_mode != EmailMode.DIGEST or not pref.user.email or not pref.user.is_active:
            return False
        rows = list(
            notifications_of(pref.user)
            .filter(read_at__isnull=True, emailed_at__isnull=True, created_at__gte=now - datetime.timedelta(days=1))
            .order_by("created_at", "pk")
        )
        if not rows:
            return False
        lines = [f"· {n.text}" + (f"\n  {absolute(n.link)}" if n.link else "") for n in rows]
        send_mail(
            chinese(DIGEST_SUBJECT, count=len(rows)),
            "\n".join(lines) + f"\n\n{absolute('/notifications/')}",
            settings.DEFAULT_FROM_EMAIL,
            [pref.user.email],
        )
        Notification.objects.filter(pk__in=[n.pk for n in rows]).update(emailed_at=now)
        pref.last_digest_at = now
        pref.save(update_fields=["last_digest_at", "updated_at"])
    return True


def digest_recipients(now: datetime.datetime | None = None) -> list[int]:
    """Who chose the digest and has unread notifications of the last day not mailed yet."""
    since = (now or timezone.now()) - datetime.timedelta(days=1)
    # unscoped: the daily digest job goes through every user who chose it
    return list(
        NotificationPreference.objects.filter(email_mode=EmailMode.DIGEST, user__is_active=True)
        .exclude(user__email="")
        .filter(
            user__notifications__read_at__isnull=True,
            user__notifications__emailed_at__isnull=True,
            user__notifications__created_at__gte=since,
        )
        .values_list("user_id", flat=True)
        .distinct()
        .order_by("user_id")
    )
