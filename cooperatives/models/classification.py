"""Classification history, demonstration levels and product certifications (seed 002 §24, seed 004)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cooperatives.choices import CertificationKind, Classification, DemonstrationLevel
from cooperatives.models.common import OVERSIGHT_EDITORS
from core.choices import STAFF_ROLES
from core.history import tracked
from core.models import TenantModel
from core.money import MONEY
from core.tenancy import Tenancy

OVERSIGHT_TENANCY = Tenancy(actions={"view": STAFF_ROLES, "add": OVERSIGHT_EDITORS, "change": OVERSIGHT_EDITORS})


@tracked()
class ClassificationChange(TenantModel):
    """One dated change of a cooperative's type (示范引领型/规范提升型/改造转化型/重新组建型), with who and why.

    ``Cooperative.classification`` holds the current type; these rows are its history.
    """

    cooperative = models.ForeignKey(
        "cooperatives.Cooperative",
        verbose_name=_("cooperative"),
        on_delete=models.PROTECT,
        related_name="classification_changes",
    )
    previous = models.CharField(_("previous classification"), max_length=16, choices=Classification.choices, blank=True)
    classification = models.CharField(_("classification"), max_length=16, choices=Classification.choices)
    changed_on = models.DateField(_("changed on"))
    reason = models.TextField(_("reason"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), on_delete=models.PROTECT, related_name="+"
    )

    tenancy = OVERSIGHT_TENANCY

    class Meta:
        ordering = ["cooperative_id", "-changed_on", "-pk"]
        verbose_name = _("classification change")
        verbose_name_plural = _("classification changes")

    def __str__(self) -> str:
        return f"{self.cooperative} · {self.get_classification_display()} · {self.changed_on}"


@tracked()
class DemonstrationAward(TenantModel):
    """A demonstration-cooperative title (示范社) granted in ``year``, with the one-off award.

    ``award_amount`` is copied from the county's policy profile when the title is recorded
    (``award_basis`` names that profile), so a later change of the profile does not rewrite history.
    """

    cooperative = models.ForeignKey(
        "cooperatives.Cooperative",
        verbose_name=_("cooperative"),
        on_delete=models.PROTECT,
        related_name="demonstrations",
    )
    level = models.CharField(_("level"), max_length=12, choices=DemonstrationLevel.choices)
    year = models.PositiveSmallIntegerField(_("year granted"))
    document_number = models.CharField(_("document number"), max_length=64, blank=True)
    award_amount = models.DecimalField(_("award amount"), **MONEY)
    award_basis = models.CharField(_("award basis"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    tenancy = OVERSIGHT_TENANCY

    class Meta:
        ordering = ["-year", "region_code", "pk"]
        verbose_name = _("demonstration cooperative title")
        verbose_name_plural = _("demonstration cooperative titles")
        constraints = [
            # the award is one-off: one title per level per cooperative
            models.UniqueConstraint(fields=["cooperative", "level"], name="coop_demonstration_once_per_level"),
            models.CheckConstraint(condition=Q(award_amount__gte=0), name="coop_demonstration_award_not_negative"),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="coop_demonstration_year_range"),
        ]
        indexes = [models.Index(fields=["year", "level"], name="coop_demo_year_level")]

    def __str__(self) -> str:
        return f"{self.cooperative} · {self.get_level_display()} · {self.year}"


@tracked()
class ProductCertification(TenantModel):
    """A product certification (无公害/绿色/有机/地理标志) and the one-off award taken from the profile."""

    cooperative = models.ForeignKey(
        "cooperatives.Cooperative",
        verbose_name=_("cooperative"),
        on_delete=models.PROTECT,
        related_name="certifications",
    )
    kind = models.CharField(_("certification"), max_length=24, choices=CertificationKind.choices)
    product = models.CharField(_("product"), max_length=100)
    certificate_number = models.CharField(_("certificate number"), max_length=64)
    certified_on = models.DateField(_("certified on"))
    award_amount = models.DecimalField(_("award amount"), **MONEY)
    award_basis = models.CharField(_("award basis"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    tenancy = OVERSIGHT_TENANCY

    class Meta:
        ordering = ["-certified_on", "pk"]
        verbose_name = _("product certification")
        verbose_name_plural = _("product certifications")
        constraints = [
            models.UniqueConstraint(fields=["kind", "certificate_number"], name="coop_certificate_number_unique"),
            models.CheckConstraint(condition=Q(award_amount__gte=0), name="coop_certification_award_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.product} · {self.get_kind_display()}"
