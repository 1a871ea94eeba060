"""Federations (联合社): member cooperatives linked to a federation cooperative (law Arts. 56–63)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cooperatives.models.common import AlsoScopedByQuerySet
from cooperatives.models.registry import REGISTRARS
from core.choices import STAFF_ROLES
from core.history import tracked
from core.models import TenantModel
from core.money import MONEY
from core.tenancy import Tenancy


class MembershipQuerySet(AlsoScopedByQuerySet):
    # the member cooperative's village sees that it belongs to the federation
    scope_also = ("member_region_code", "prefix")


@tracked()
class FederationMembership(TenantModel):
    """One member cooperative in one federation, from ``joined_on`` until ``left_on``.

    ``region_code`` is the federation's (its township or village writes the row);
    ``member_region_code`` is the member's, so the member's village sees the row too.
    """

    federation = models.ForeignKey(
        "cooperatives.Cooperative",
        verbose_name=_("federation"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    member = models.ForeignKey(
        "cooperatives.Cooperative",
        verbose_name=_("member cooperative"),
        on_delete=models.PROTECT,
        related_name="federation_memberships",
    )
    member_region_code = models.CharField(_("member region code"), max_length=12, db_index=True)
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    contribution = models.DecimalField(_("contribution"), **MONEY, default=0)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = MembershipQuerySet.as_manager()
    tenancy = Tenancy(actions={"view": STAFF_ROLES, "add": REGISTRARS, "change": REGISTRARS})

    class Meta:
        ordering = ["federation_id", "left_on", "joined_on", "pk"]
        verbose_name = _("federation membership")
        verbose_name_plural = _("federation memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["federation", "member"], condition=Q(left_on__isnull=True), name="coop_fedmember_one_active"
            ),
            models.CheckConstraint(condition=~Q(federation=models.F("member")), name="coop_fedmember_not_self"),
            models.CheckConstraint(condition=Q(contribution__gte=0), name="coop_fedmember_contribution_not_negative"),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="coop_fedmember_left_after_joined",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.federation} · {self.member}"

    @property
    def is_active(self) -> bool:
        return self.left_on is None
