"""Board, supervisory board and cross-serving (双向进入、交叉任职).

A cooperative's governance is recorded per term: a board term (理事长, 副理事长, 理事, plus the manager
and finance staff the board hires under law Art. 35) and a supervisory term (监事长 and 监事, or one
执行监事). Each person on a term also records the post they hold on the village "two committees"
(the party branch committee and the villagers' committee), so the cooperative page can show the
cross-serving the policy documents ask for (DOMAIN.md 1.1; seeds 000, 002).
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cooperatives.choices import BoardBody, BoardPosition, VillageCommitteeRole, VillagePartyRole
from core.choices import STAFF_ROLES, Role
from core.history import tracked
from core.models import TenantModel
from core.tenancy import VILLAGE_WRITERS, Tenancy


def _member_village(user) -> Q:
    """A member sees who governs the cooperatives of their village (law Art. 21: members may inspect)."""
    return Q(region_code__in=[g.prefix for g in user.jurisdiction.grants_for(Role.MEMBER)])


BOARD_TENANCY = Tenancy(
    actions={"view": STAFF_ROLES, "add": VILLAGE_WRITERS, "change": VILLAGE_WRITERS, "delete": VILLAGE_WRITERS},
    member_filter=_member_village,
)

# Display order of positions within a term.
POSITION_ORDER = {p: i for i, p in enumerate(BoardPosition.values)}


@tracked()
class BoardTerm(TenantModel):
    """One term of the board or of the supervisory side, elected by the member assembly on ``elected_on``."""

    cooperative = models.ForeignKey(
        "cooperatives.Cooperative", verbose_name=_("cooperative"), on_delete=models.PROTECT, related_name="board_terms"
    )
    body = models.CharField(_("body"), max_length=12, choices=BoardBody.choices)
    number = models.PositiveSmallIntegerField(_("term number"), default=1, help_text=_("1 for the first term, …"))
    elected_on = models.DateField(_("elected at the member assembly of"))
    start_date = models.DateField(_("term starts"))
    end_date = models.DateField(_("term ends"))
    note = models.TextField(_("note"), blank=True)

    tenancy = BOARD_TENANCY

    class Meta:
        ordering = ["cooperative_id", "body", "-start_date"]
        verbose_name = _("board term")
        verbose_name_plural = _("board terms")
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "body", "number"], name="board_term_number_unique"),
            models.CheckConstraint(condition=Q(end_date__gt=F("start_date")), name="board_term_dates_ordered"),
            models.CheckConstraint(condition=Q(elected_on__lte=F("start_date")), name="board_term_elected_first"),
        ]

    def __str__(self) -> str:
        return _("%(body)s, term %(number)s (%(start)s – %(end)s)") % {
            "body": self.get_body_display(),
            "number": self.number,
            "start": self.start_date.isoformat(),
            "end": self.end_date.isoformat(),
        }

    def is_current(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.start_date <= on <= self.end_date

    def overlaps(self, other: BoardTerm) -> bool:
        """Terms are inclusive of both end dates."""
        return self.start_date <= other.end_date and other.start_date <= self.end_date


@tracked()
class BoardMember(TenantModel):
    """One person in one position on one term, and the village two-committee posts they hold.

    A person is recognised across terms and bodies by the resident ID number when both rows carry
    one, otherwise by name (the rule of law Art. 33 is checked that way).
    """

    term = models.ForeignKey(BoardTerm, verbose_name=_("term"), on_delete=models.PROTECT, related_name="members")
    cooperative = models.ForeignKey(
        "cooperatives.Cooperative", verbose_name=_("cooperative"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=32)
    id_number = models.CharField(_("resident ID number"), max_length=18, blank=True)
    position = models.CharField(_("position"), max_length=24, choices=BoardPosition.choices)
    party_role = models.CharField(
        _("post in the village party branch"), max_length=20, choices=VillagePartyRole.choices, blank=True
    )
    committee_role = models.CharField(
        _("post in the villagers' committee"), max_length=20, choices=VillageCommitteeRole.choices, blank=True
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    tenancy = BOARD_TENANCY

    class Meta:
        ordering = ["term_id", "pk"]
        verbose_name = _("board member")
        verbose_name_plural = _("board members")
        constraints = [
            models.UniqueConstraint(fields=["term", "name", "position"], name="board_member_unique_position"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_position_display()}）"

    @property
    def cross_serves(self) -> bool:
        return bool(self.party_role or self.committee_role)

    def same_person(self, other: BoardMember) -> bool:
        if self.id_number and other.id_number:
            return self.id_number == other.id_number
        return self.name.strip() == other.name.strip()
