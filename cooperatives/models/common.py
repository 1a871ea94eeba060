"""Role sets and scoping helpers shared by the governance models."""

from __future__ import annotations

from django.db.models import Q

from core.choices import Role
from core.tenancy import TenantQuerySet

# village roles that keep a cooperative's own records (major matters, proposals, seal log)
VILLAGE_EDITORS = frozenset({Role.VILLAGE_ACCOUNTANT, Role.COOP_CHAIR, Role.SYSTEM_ADMIN})
# the township keeps the archive and records expert reviews for its cooperatives
TOWNSHIP_EDITORS = frozenset({Role.TOWNSHIP_OFFICIAL, Role.SYSTEM_ADMIN})
# classification, demonstration and certification awards are recorded by the township or county
OVERSIGHT_EDITORS = frozenset({Role.TOWNSHIP_OFFICIAL, Role.COUNTY_OFFICIAL, Role.SYSTEM_ADMIN})
OVERSIGHT_VIEWERS = OVERSIGHT_EDITORS


def _active(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


class AlsoScopedByQuerySet(TenantQuerySet):
    """``for_user`` that, for "view", also grants rows reached through a second code field.

    ``scope_also`` names the extra field and how it is matched: ``("member_region_code", "prefix")``
    (the row is under one of the user's prefixes) or ``("pool_prefix", "ancestor")`` (the row's prefix
    is a county or township above one of the user's prefixes: a county pool serves its townships).
    """

    scope_also: tuple[str, str] | None = None

    def for_user(self, user, action: str = "view"):
        scoped = super().for_user(user, action)
        if action != "view" or not _active(user) or user.is_superuser or self.scope_also is None:
            return scoped
        field, how = self.scope_also
        prefixes = user.jurisdiction.prefixes(self.model.tenancy.roles_for("view"))
        if not prefixes:
            return scoped
        if how == "ancestor":
            above = sorted({p[:n] for p in prefixes for n in (6, 9) if len(p) >= n})
            extra = self.filter(**{f"{field}__in": above})
        else:
            condition = Q(pk__in=[])
            for p in prefixes:
                condition |= Q(**{f"{field}__startswith": p})
            extra = self.filter(condition)
        return scoped | extra


def may_act(user, model, action: str, region_code: str) -> bool:
    """Whether ``user``'s roles grant ``action`` on ``model`` rows of ``region_code`` (buttons, pre-checks).

    The queryset scope (``for_user``) stays the rule; this answers before a row exists.
    """
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    return user.jurisdiction.covers(region_code, model.tenancy.roles_for(action))
