"""Project proposals and expert review (seed 002 §6): the village proposes, the township convenes
experts from the county and township pools, and approves or refuses."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cooperatives.choices import ProposalStatus, Recommendation, RefusalReason
from cooperatives.models.common import (
    OVERSIGHT_EDITORS,
    OVERSIGHT_VIEWERS,
    TOWNSHIP_EDITORS,
    VILLAGE_EDITORS,
    AlsoScopedByQuerySet,
)
from cooperatives.storage import private_storage
from core.choices import STAFF_ROLES
from core.history import tracked
from core.models import TenantModel
from core.money import MONEY
from core.tenancy import Tenancy


class ExpertQuerySet(AlsoScopedByQuerySet):
    # a county pool serves every township of the county
    scope_also = ("pool_prefix", "ancestor")


@tracked()
class Expert(TenantModel):
    """A reviewer in the expert pool of a county or a township (评审专家库).

    ``region`` is the county or township keeping the pool; ``region_code`` its padded code and
    ``pool_prefix`` its prefix. Experts do not log in: the township records their reviews.
    """

    region = models.ForeignKey(
        "core.Region", verbose_name=_("pool of"), on_delete=models.PROTECT, related_name="experts"
    )
    pool_prefix = models.CharField(_("pool prefix"), max_length=9, db_index=True, editable=False)
    name = models.CharField(_("name"), max_length=32)
    field = models.CharField(_("field"), max_length=64)
    organisation = models.CharField(_("organisation"), max_length=100, blank=True)
    title = models.CharField(_("position or title"), max_length=64, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = ExpertQuerySet.as_manager()
    tenancy = Tenancy(actions={"view": OVERSIGHT_VIEWERS, "add": OVERSIGHT_EDITORS, "change": OVERSIGHT_EDITORS})

    class Meta:
        ordering = ["pool_prefix", "name", "pk"]
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        constraints = [
            models.UniqueConstraint(fields=["region", "name", "phone"], name="coop_expert_unique_in_pool"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.field}）"


def _market_study_upload(instance, filename: str) -> str:
    return f"proposals/{instance.region_code}/{filename}"


@tracked()
class ProjectProposal(TenantModel):
    """A cooperative's project and its feasibility case (可行性方案), reviewed by the township.

    The financing sources add up to the total investment; ``debt_amount`` is the part borrowed
    (a debt-driven project is a refusal reason). The decision runs through the approval engine
    (kind ``project_proposal``); ``status`` follows its hooks.
    """

    cooperative = models.ForeignKey(
        "cooperatives.Cooperative",
        verbose_name=_("cooperative"),
        on_delete=models.PROTECT,
        related_name="project_proposals",
    )
    title = models.CharField(_("project"), max_length=200)
    main_business = models.TextField(_("main business"))
    scale = models.TextField(_("scale"))
    total_investment = models.DecimalField(_("total investment"), **MONEY)
    own_funds = models.DecimalField(_("own funds"), **MONEY, default=0)
    fiscal_funds = models.DecimalField(_("fiscal and support funds"), **MONEY, default=0)
    debt_amount = models.DecimalField(_("borrowed (debt)"), **MONEY, default=0)
    other_funds = models.DecimalField(_("other funds"), **MONEY, default=0)
    financing_note = models.TextField(_("financing details"), blank=True)
    expected_annual_return = models.DecimalField(_("expected annual return"), **MONEY)
    market_study = models.TextField(_("market study"))
    market_study_file = models.FileField(
        _("market study attachment"),
        storage=private_storage,
        upload_to=_market_study_upload,
        max_length=300,
        blank=True,
    )
    market_study_file_name = models.CharField(_("attachment name"), max_length=200, blank=True)
    risks = models.TextField(_("risks and countermeasures"))
    status = models.CharField(
        _("status"), max_length=12, choices=ProposalStatus.choices, default=ProposalStatus.DRAFT, db_index=True
    )
    refusal_reasons = ArrayField(
        models.CharField(max_length=16, choices=RefusalReason.choices),
        verbose_name=_("refusal reasons"),
        default=list,
        blank=True,
    )
    decision_comment = models.TextField(_("decision comment"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    approval = models.ForeignKey(
        "core.ApprovalRequest",
        verbose_name=_("approval request"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), on_delete=models.PROTECT, related_name="+"
    )

    tenancy = Tenancy(actions={"view": STAFF_ROLES, "add": VILLAGE_EDITORS, "change": VILLAGE_EDITORS})

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("project proposal")
        verbose_name_plural = _("project proposals")
        constraints = [
            models.CheckConstraint(
                condition=Q(total_investment__gte=0)
                & Q(own_funds__gte=0)
                & Q(fiscal_funds__gte=0)
                & Q(debt_amount__gte=0)
                & Q(other_funds__gte=0),
                name="coop_proposal_amounts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("cooperatives:projectproposal_detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in (ProposalStatus.DRAFT, ProposalStatus.RETURNED)

    def refusal_reason_labels(self) -> list[str]:
        return [RefusalReason(r).label for r in self.refusal_reasons if r in RefusalReason.values]


SCORE_CHOICES = [(i, str(i)) for i in range(1, 6)]


@tracked()
class ExpertReview(TenantModel):
    """One assigned expert's review of one proposal: four scores from 1 (poor) to 5 (good) and an opinion.

    The row exists from assignment; ``reviewed_on`` is set when the township records the review.
    For risk, 5 means the lowest risk.
    """

    proposal = models.ForeignKey(
        ProjectProposal, verbose_name=_("project proposal"), on_delete=models.PROTECT, related_name="reviews"
    )
    expert = models.ForeignKey(Expert, verbose_name=_("expert"), on_delete=models.PROTECT, related_name="reviews")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned by"), on_delete=models.PROTECT, related_name="+"
    )
    feasibility = models.PositiveSmallIntegerField(_("feasibility"), choices=SCORE_CHOICES, null=True, blank=True)
    risk = models.PositiveSmallIntegerField(_("risk (5 = lowest)"), choices=SCORE_CHOICES, null=True, blank=True)
    expected_return = models.PositiveSmallIntegerField(_("return"), choices=SCORE_CHOICES, null=True, blank=True)
    market = models.PositiveSmallIntegerField(_("market prospects"), choices=SCORE_CHOICES, null=True, blank=True)
    recommendation = models.CharField(_("recommendation"), max_length=8, choices=Recommendation.choices, blank=True)
    opinion = models.TextField(_("opinion"), blank=True)
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    tenancy = Tenancy(actions={"view": STAFF_ROLES, "add": TOWNSHIP_EDITORS, "change": TOWNSHIP_EDITORS})

    class Meta:
        ordering = ["proposal_id", "pk"]
        verbose_name = _("expert review")
        verbose_name_plural = _("expert reviews")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "expert"], name="coop_review_one_per_expert"),
            models.CheckConstraint(
                condition=Q(reviewed_on__isnull=True)
                | (
                    Q(feasibility__gte=1, feasibility__lte=5)
                    & Q(risk__gte=1, risk__lte=5)
                    & Q(expected_return__gte=1, expected_return__lte=5)
                    & Q(market__gte=1, market__lte=5)
                ),
                name="coop_review_scores_when_recorded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposal} · {self.expert.name}"

    @property
    def is_recorded(self) -> bool:
        return self.reviewed_on is not None

    @property
    def total_score(self) -> int | None:
        if not self.is_recorded:
            return None
        return self.feasibility + self.risk + self.expected_return + self.market
