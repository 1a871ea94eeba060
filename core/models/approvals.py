"""The generic approval workflow: a request about any subject, decided by role and level."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.choices import OPEN_APPROVAL_STATES, STAFF_ROLES, ApprovalAction, ApprovalState, Role
from core.history import tracked
from core.models.base import TenantModel
from core.money import MONEY
from core.tenancy import Tenancy


@tracked()
class ApprovalRequest(TenantModel):
    """One approval of one subject (a charter version, a contract, an expenditure, a plan…).

    ``stages`` is the chain of deciders, e.g. ``[{"role": "township_official", "level": "township"}]``;
    ``decider_role`` / ``decider_prefix`` denormalise the current stage so the inbox is one indexed
    query. States: draft → submitted → approved | returned | rejected; a returned request is
    resubmitted (the same request, a new step), and every move is an ``ApprovalStep``.
    """

    kind = models.CharField(_("kind"), max_length=40, db_index=True)
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, verbose_name=_("subject type"))
    subject_id = models.PositiveBigIntegerField(_("subject id"))
    subject = GenericForeignKey("subject_type", "subject_id")
    title = models.CharField(_("title"), max_length=200)
    state = models.CharField(_("state"), max_length=12, choices=ApprovalState.choices, default=ApprovalState.DRAFT)
    stages = models.JSONField(_("stages"), default=list)
    stage_index = models.PositiveSmallIntegerField(_("current stage"), default=0)
    decider_role = models.CharField(_("decided by role"), max_length=32, choices=Role.choices, blank=True)
    decider_prefix = models.CharField(_("deciding jurisdiction"), max_length=12, blank=True)
    amount = models.DecimalField(_("amount"), **MONEY, null=True, blank=True)
    reason = models.CharField(
        _("why these deciders"),
        max_length=300,
        blank=True,
        help_text=_("Why the request goes to its deciders, e.g. payments to one payee that add up to the threshold."),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    tenancy = Tenancy(
        actions={
            "view": STAFF_ROLES,
            "add": frozenset({Role.VILLAGE_ACCOUNTANT, Role.COOP_CHAIR, Role.SUPERVISOR, Role.SYSTEM_ADMIN}),
            "change": frozenset({Role.VILLAGE_ACCOUNTANT, Role.COOP_CHAIR, Role.SUPERVISOR, Role.SYSTEM_ADMIN}),
        }
    )

    class Meta:
        ordering = ["submitted_at", "pk"]
        verbose_name = _("approval request")
        verbose_name_plural = _("approval requests")
        indexes = [
            models.Index(fields=["state", "decider_role", "decider_prefix", "submitted_at"], name="core_appr_inbox"),
            models.Index(fields=["subject_type", "subject_id"], name="core_appr_subject"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject_type", "subject_id"],
                condition=models.Q(state__in=OPEN_APPROVAL_STATES),
                name="core_approval_one_open_per_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.get_state_display()}）"

    @property
    def current_stage(self) -> dict | None:
        if self.stage_index < len(self.stages):
            return self.stages[self.stage_index]
        return None

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_APPROVAL_STATES


class ApprovalStep(models.Model):
    """One recorded move of an approval request: who, in which role, when, why."""

    request = models.ForeignKey(ApprovalRequest, on_delete=models.PROTECT, related_name="steps")
    action = models.CharField(_("action"), max_length=12, choices=ApprovalAction.choices)
    from_state = models.CharField(_("from state"), max_length=12, choices=ApprovalState.choices, blank=True)
    to_state = models.CharField(_("to state"), max_length=12, choices=ApprovalState.choices)
    stage_index = models.PositiveSmallIntegerField(_("stage"), default=0)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    actor_role = models.CharField(_("acting as"), max_length=32, choices=Role.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["request_id", "created_at", "pk"]
        verbose_name = _("approval step")
        verbose_name_plural = _("approval steps")

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.actor}"
