"""Notifications: one row per person and event, a person's e-mail choice, a region's group robot."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.choices import STAFF_ROLES, DeliveryStatus, EmailMode, NotificationKind, Role, WebhookKind
from core.history import tracked
from core.models.base import TenantModel
from core.tenancy import Tenancy

EVERYONE = STAFF_ROLES | {Role.MEMBER}
# who keeps a region's group robot: the village accountant for a village, the township official
# for a township (the service checks that the region is the one they are bound to)
WEBHOOK_KEEPERS = frozenset({Role.VILLAGE_ACCOUNTANT, Role.TOWNSHIP_OFFICIAL, Role.SYSTEM_ADMIN})


class Notification(TenantModel):
    """One event told to one person (``recipient``), once: ``event_key`` names the event, and the
    pair (recipient, event_key) is unique, so writing the same event twice notifies nobody twice.

    ``text`` is written in Chinese when the event happens (it says what the person must do);
    ``region_code`` is the village the event is about, so the person sees it only while it is
    within their jurisdiction (the ORM scope and row-level security, as every tenant row).
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=NotificationKind.choices)
    text = models.CharField(_("text"), max_length=500)
    link = models.CharField(_("link"), max_length=200, blank=True)
    event_key = models.CharField(_("event"), max_length=120)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    tenancy = Tenancy(actions={"view": EVERYONE, "change": EVERYONE})

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at"], name="core_notif_unread")]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "event_key"], name="core_notification_once_per_event"),
        ]

    def __str__(self) -> str:
        return self.text


class NotificationPreference(models.Model):
    """How a person wants e-mail (in the app they are always notified); no row means at once."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name=_("user"),
    )
    email_mode = models.CharField(_("e-mail"), max_length=10, choices=EmailMode.choices, default=EmailMode.IMMEDIATE)
    last_digest_at = models.DateTimeField(_("last digest"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["user_id"]
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_email_mode_display()}"


@tracked(exclude=["secret"])
class GroupWebhook(TenantModel):
    """A township's or a village's group robot (企业微信 / 钉钉): every event in the region is posted
    to it once. ``region_code`` is the region's padded code (a township's ends in 000), so the
    villages below see that it exists; ``secret`` is DingTalk's signing secret, never shown in full
    and kept out of the change history."""

    region = models.OneToOneField(
        "core.Region", on_delete=models.PROTECT, related_name="group_webhook", verbose_name=_("region")
    )
    kind = models.CharField(_("robot"), max_length=10, choices=WebhookKind.choices, default=WebhookKind.WECOM)
    url = models.URLField(_("webhook address"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=200, blank=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("updated by")
    )

    tenancy = Tenancy(actions={"view": WEBHOOK_KEEPERS, "change": WEBHOOK_KEEPERS})

    class Meta:
        ordering = ["region_code"]
        verbose_name = _("group robot")
        verbose_name_plural = _("group robots")

    def __str__(self) -> str:
        return f"{self.region.name} · {self.get_kind_display()}"

    @property
    def secret_hint(self) -> str:
        """What the page shows of the secret: its last four characters."""
        return f"••••{self.secret[-4:]}" if self.secret else ""


class WebhookDelivery(TenantModel):
    """One event posted to one group robot: unique per (robot, event), so an event reaches each
    group once however many people it notifies; the outcome of the last attempt is kept."""

    webhook = models.ForeignKey(GroupWebhook, on_delete=models.CASCADE, related_name="deliveries")
    event_key = models.CharField(_("event"), max_length=120)
    text = models.CharField(_("text"), max_length=700)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    tenancy = Tenancy(actions={"view": WEBHOOK_KEEPERS})

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("group robot message")
        verbose_name_plural = _("group robot messages")
        constraints = [
            models.UniqueConstraint(fields=["webhook", "event_key"], name="core_webhookdelivery_once_per_event"),
        ]

    def __str__(self) -> str:
        return self.text[:50]
