"""Abstract base models every app builds on."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.tenancy import Tenancy, TenantManager

village_code_validator = RegexValidator(r"^\d{12}$", _("A village code must have 12 digits."))


class TimeStampedModel(models.Model):
    """Creation and last-change times."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class TenantModel(TimeStampedModel):
    """A row owned by one village: carries the village's 12-digit code for prefix scoping.

    ``db_index=True`` on a CharField gives PostgreSQL both a plain B-tree and a
    ``varchar_pattern_ops`` index, so ``region_code LIKE '371323101%'`` uses an index.
    """

    region_code = models.CharField(_("region code"), max_length=12, db_index=True, validators=[village_code_validator])

    objects = TenantManager()
    tenancy = Tenancy()

    class Meta:
        abstract = True
