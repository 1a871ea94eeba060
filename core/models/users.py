"""Users and their role assignments, each bound to a region."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from core import keys
from core.choices import ROLE_LEVELS, Role
from core.history import tracked
from core.models.base import TimeStampedModel
from core.tenancy import Grant, Jurisdiction


@tracked(exclude=["password", "last_login"])
class User(AbstractUser):
    """A person who logs in. What they may see comes from their role assignments."""

    full_name = models.CharField(_("full name"), max_length=64, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta(AbstractUser.Meta):
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        swappable = "AUTH_USER_MODEL"
        triggers = keys.parent_triggers("user", keys.MACC_AUTHOR)

    def __str__(self) -> str:
        return self.full_name or self.username

    def save(self, *args, **kwargs):
        # a new password ends the API tokens issued under the old one (set_password keeps the raw
        # password in _password until the row is saved)
        password_changed = self._password is not None and self.pk is not None
        super().save(*args, **kwargs)
        if password_changed:
            from core.services.tokens import tokens_revoke_all

            tokens_revoke_all(user=self)

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    # -- jurisdiction -----------------------------------------------------------------------
    # ``active_assignment_id`` is set per request by ActiveScopeMiddleware from the region
    # switcher. It can only narrow what the user sees, never widen it.
    active_assignment_id: int | None = None

    @cached_property
    def all_grants(self) -> tuple[Grant, ...]:
        rows = self.role_assignments.filter(is_active=True).select_related("region").order_by("role", "region__code")
        return tuple(
            Grant(
                assignment_id=a.pk,
                role=a.role,
                prefix=a.region.prefix,
                region_id=a.region_id,
                region_name=a.region.name,
                level=a.region.level,
            )
            for a in rows
        )

    @property
    def jurisdiction(self) -> Jurisdiction:
        grants = self.all_grants
        if self.active_assignment_id:
            active = [g for g in grants if g.assignment_id == self.active_assignment_id]
            if active:
                return Jurisdiction(active)
        return Jurisdiction(grants)

    @property
    def active_grant(self) -> Grant | None:
        """The grant the region switcher picked, else the first one."""
        grants = self.all_grants
        for g in grants:
            if g.assignment_id == self.active_assignment_id:
                return g
        return grants[0] if grants else None

    def forget_jurisdiction(self) -> None:
        """Drop cached grants (after role assignments change)."""
        self.__dict__.pop("all_grants", None)
        self.__dict__.pop("_object_grant_ctypes", None)


@tracked()
class RoleAssignment(TimeStampedModel):
    """A role a user holds over one region. A user may hold several."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="role_assignments"
    )
    is_active = models.BooleanField(_("active"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["user_id", "role", "region_id"]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "region"], name="core_roleassignment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.region.name}"

    def clean(self) -> None:
        allowed = ROLE_LEVELS[Role(self.role)]
        if self.region_id and self.region.level not in allowed:
            raise ValidationError(
                {
                    "region": _("A %(role)s is bound to a region of level %(levels)s.")
                    % {"role": self.get_role_display(), "levels": "/".join(str(level.label) for level in allowed)}
                }
            )
