"""Major matters (四议两公开): six steps in order, votes at steps 2–4 (DOMAIN.md §5)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cooperatives.choices import VOTING_STEPS, MatterCategory, MatterStatus, MatterStep
from cooperatives.models.common import VILLAGE_EDITORS
from cooperatives.storage import private_storage
from core.choices import STAFF_ROLES
from core.history import tracked
from core.models import TenantModel
from core.money import MONEY
from core.tenancy import Tenancy

VILLAGE_TENANCY = Tenancy(actions={"view": STAFF_ROLES, "add": VILLAGE_EDITORS, "change": VILLAGE_EDITORS})


@tracked()
class MajorMatter(TenantModel):
    """One major matter of a cooperative and where it stands in 四议两公开.

    ``current_step`` is the last recorded step (0 = none yet). A failed vote at steps 2–4 ends the
    matter as rejected; recording step 6 completes it. A later app links its own object (a
    distribution plan) through ``subject`` and reads the resolution with
    ``cooperatives.selectors.major_matter_resolution``.
    """

    cooperative = models.ForeignKey(
        "cooperatives.Cooperative",
        verbose_name=_("cooperative"),
        on_delete=models.PROTECT,
        related_name="major_matters",
    )
    title = models.CharField(_("title"), max_length=200)
    category = models.CharField(_("category"), max_length=16, choices=MatterCategory.choices)
    amount = models.DecimalField(_("amount"), **MONEY, null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=MatterStatus.choices, default=MatterStatus.IN_PROGRESS, db_index=True
    )
    current_step = models.PositiveSmallIntegerField(_("last recorded step"), default=0)
    subject_type = models.ForeignKey(
        ContentType, verbose_name=_("subject type"), on_delete=models.PROTECT, null=True, blank=True
    )
    subject_id = models.PositiveBigIntegerField(_("subject id"), null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opened by"), on_delete=models.PROTECT, related_name="+"
    )

    tenancy = VILLAGE_TENANCY

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("major matter")
        verbose_name_plural = _("major matters")
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="coop_matter_subject")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__isnull=True) | Q(amount__gte=0), name="coop_matter_amount_ok"),
            models.CheckConstraint(condition=Q(current_step__lte=6), name="coop_matter_step_range"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("cooperatives:majormatter_detail", args=[self.pk])

    @property
    def next_step(self) -> MatterStep | None:
        if self.status != MatterStatus.IN_PROGRESS or self.current_step >= MatterStep.RESULT_PUBLISHED:
            return None
        return MatterStep(self.current_step + 1)


def _step_upload(instance, filename: str) -> str:
    return f"major-matters/{instance.region_code}/{filename}"


@tracked()
class MajorMatterStep(TenantModel):
    """One recorded step: its date, minutes or attachment, outcome, and at steps 2–4 attendance and votes."""

    matter = models.ForeignKey(
        MajorMatter, verbose_name=_("major matter"), on_delete=models.PROTECT, related_name="steps"
    )
    step = models.PositiveSmallIntegerField(_("step"), choices=MatterStep.choices)
    held_on = models.DateField(_("date"))
    minutes = models.TextField(_("minutes"), blank=True)
    attachment = models.FileField(
        _("attachment"), storage=private_storage, upload_to=_step_upload, max_length=300, blank=True
    )
    attachment_name = models.CharField(_("attachment name"), max_length=200, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    expected_attendance = models.PositiveIntegerField(_("due to attend"), null=True, blank=True)
    present = models.PositiveIntegerField(_("present"), null=True, blank=True)
    votes_for = models.PositiveIntegerField(_("for"), null=True, blank=True)
    votes_against = models.PositiveIntegerField(_("against"), null=True, blank=True)
    votes_abstain = models.PositiveIntegerField(_("abstain"), null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    tenancy = VILLAGE_TENANCY

    class Meta:
        ordering = ["matter_id", "step"]
        verbose_name = _("major matter step")
        verbose_name_plural = _("major matter steps")
        constraints = [
            models.UniqueConstraint(fields=["matter", "step"], name="coop_matter_step_once"),
            models.CheckConstraint(condition=Q(step__gte=1, step__lte=6), name="coop_matter_step_valid"),
            models.CheckConstraint(
                condition=Q(present__isnull=True)
                | Q(expected_attendance__isnull=True)
                | Q(present__lte=models.F("expected_attendance")),
                name="coop_matter_present_le_expected",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.matter} · {self.get_step_display()}"

    @property
    def is_vote(self) -> bool:
        return self.step in VOTING_STEPS
