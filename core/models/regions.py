"""The region tree: prefecture → county → township → village, keyed by statistical division codes."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.choices import PREFIX_LENGTH, STAFF_ROLES, RegionLevel, Role
from core.history import tracked
from core.models.base import TimeStampedModel
from core.tenancy import ADMIN_ONLY, Tenancy, TenantManager

CODE_LENGTH = {
    RegionLevel.PREFECTURE: 6,
    RegionLevel.COUNTY: 6,
    RegionLevel.TOWNSHIP: 9,
    RegionLevel.VILLAGE: 12,
}


@tracked()
class Region(TimeStampedModel):
    """An administrative division. ``prefix`` is what a role bound to it grants.

    Codes are the natural-length codes of DOMAIN.md §7: county 6 digits (GB/T 2260), township 9
    (GB/T 10114), village 12 (NBS statistical code). A prefecture is stored with its 6-digit code
    (e.g. 371300) and grants the 4-digit prefix 3713.
    """

    code = models.CharField(_("code"), max_length=12, unique=True)
    level = models.CharField(_("level"), max_length=12, choices=RegionLevel.choices)
    name = models.CharField(_("name"), max_length=64)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    prefix = models.CharField(_("jurisdiction prefix"), max_length=12, db_index=True, editable=False)
    households = models.PositiveIntegerField(
        _("households"),
        default=0,
        help_text=_("Households in the region; the household-coverage rule compares member households with it."),
    )
    urban_rural_class = models.CharField(_("urban-rural class"), max_length=3, blank=True)

    objects = TenantManager()
    tenancy = Tenancy(
        field="prefix",
        actions={
            "view": STAFF_ROLES | {Role.MEMBER},
            "add": ADMIN_ONLY,
            "change": ADMIN_ONLY,
            "delete": ADMIN_ONLY,
        },
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.CheckConstraint(
                condition=(
                    (models.Q(level__in=["prefecture", "county"]) & models.Q(code__regex=r"^\d{6}$"))
                    | (models.Q(level="township") & models.Q(code__regex=r"^\d{9}$"))
                    | (models.Q(level="village") & models.Q(code__regex=r"^\d{12}$"))
                ),
                name="core_region_code_matches_level",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    def save(self, *args, **kwargs):
        self.prefix = self.code[: PREFIX_LENGTH[RegionLevel(self.level)]]
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "prefix"}
        super().save(*args, **kwargs)

    @property
    def padded_code(self) -> str:
        """The 12-digit form (county 371323000000, township 371323101000)."""
        return self.code.ljust(12, "0")

    def ancestors(self) -> list["Region"]:
        """Parents from the top down (one query per level; the tree is at most four deep)."""
        chain = []
        node = self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))
