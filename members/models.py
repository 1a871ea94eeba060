"""Households and members of a cooperative (DOMAIN.md 1.1, Farmer Specialized Cooperatives Law Arts. 19–28)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import keys
from core.choices import STAFF_ROLES
from core.history import tracked
from core.models import TenantModel
from core.privacy import PERSON_KEEPERS, mask_id_number
from core.tenancy import VILLAGE_WRITERS, Tenancy
from members.choices import CODE_KINDS, Gender, LeaveReason, MemberKind, Vulnerability


def _own_households(user) -> Q:
    """A member sees the household their own member record belongs to."""
    return Q(pk__in=Member.objects.filter(user=user).exclude(household=None).values("household_id"))


def _own_member_records(user) -> Q:
    return Q(user=user)


ROSTER_KEEPERS = PERSON_KEEPERS


@tracked()
class Household(TenantModel):
    """A registered household (户) of a village. Person members belong to one; the household-coverage
    rule counts distinct member households against ``Region.households`` of the village."""

    village = models.ForeignKey(
        "core.Region", verbose_name=_("village"), on_delete=models.PROTECT, related_name="member_households"
    )
    number = models.CharField(_("household number"), max_length=32)
    head_name = models.CharField(_("head of household"), max_length=32)
    size = models.PositiveSmallIntegerField(_("household size"), default=1)
    address = models.CharField(_("address"), max_length=200, blank=True)

    tenancy = Tenancy(
        actions={"view": STAFF_ROLES, "add": VILLAGE_WRITERS, "change": VILLAGE_WRITERS, "delete": VILLAGE_WRITERS},
        member_filter=_own_households,
    )

    class Meta:
        ordering = ["region_code", "number"]
        verbose_name = _("household")
        verbose_name_plural = _("households")
        constraints = [
            models.UniqueConstraint(fields=["village", "number"], name="members_household_number_unique"),
            models.CheckConstraint(condition=Q(size__gte=1), name="members_household_size_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.number} · {self.head_name}"

    def get_absolute_url(self) -> str:
        return reverse("members:household_detail", args=[self.pk])


@tracked()
class Member(TenantModel):
    """A member of one cooperative: a person, the village collective (its joint-stock economic
    cooperative), an enterprise or another organisation.

    ``region_code`` is the cooperative's village. A person's gender and birth date are read from the
    resident ID number when it is saved (``core.validators.parse_resident_id``).
    """

    cooperative = models.ForeignKey(
        "cooperatives.Cooperative", verbose_name=_("cooperative"), on_delete=models.PROTECT, related_name="members"
    )
    number = models.PositiveIntegerField(_("member number"))
    kind = models.CharField(_("kind"), max_length=16, choices=MemberKind.choices, default=MemberKind.PERSON)
    name = models.CharField(_("name"), max_length=100)
    # person
    id_number = models.CharField(_("resident ID number"), max_length=18, blank=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    village = models.ForeignKey(
        "core.Region",
        verbose_name=_("village of residence"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resident_members",
    )
    # collective, enterprise, organisation
    uscc = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    legal_representative = models.CharField(_("legal representative"), max_length=32, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    # flags (DOMAIN.md 1.1 and the law's Art. 20)
    is_party_member = models.BooleanField(_("party member"), default=False)
    is_branch_member = models.BooleanField(
        _("party branch member"),
        default=False,
        help_text=_(
            "Member of the village party branch (committee). Counted by the party-members rule; a branch "
            "member may hold collective shares on the collective's behalf."
        ),
    )
    is_village_cadre = models.BooleanField(_("village cadre"), default=False)
    is_poverty_registered = models.BooleanField(_("poverty-registered household"), default=False)
    vulnerability = models.CharField(_("vulnerable group"), max_length=16, choices=Vulnerability.choices, blank=True)
    is_farmer = models.BooleanField(
        _("farmer"),
        default=True,
        # xgettext:no-python-format
        help_text=_("Counted by the law's rule that farmers are at least 80% of members."),
    )
    # membership
    joined_on = models.DateField(_("joining date"), default=timezone.localdate)
    left_on = models.DateField(_("leaving date"), null=True, blank=True)
    leave_reason = models.CharField(_("leaving reason"), max_length=16, choices=LeaveReason.choices, blank=True)
    leave_note = models.TextField(_("leaving note"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="member_records",
        help_text=_("The login with which the member reads their own shares."),
    )
    note = models.TextField(_("note"), blank=True)

    tenancy = Tenancy(
        actions={
            "view": STAFF_ROLES,
            "add": VILLAGE_WRITERS,
            "change": VILLAGE_WRITERS,
            "delete": VILLAGE_WRITERS,
            # the full resident ID number: the roster keepers; everyone else sees it masked
            "view_id_number": ROSTER_KEEPERS,
        },
        member_filter=_own_member_records,
        member_actions=frozenset({"view", "view_id_number"}),
    )

    class Meta:
        ordering = ["cooperative_id", "number"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "number"], name="members_member_number_unique"),
            # the key the books' composite foreign keys point at: a voucher line's or a member-account
            # entry's member is a member of the same cooperative
            models.UniqueConstraint(fields=["id", "cooperative"], name="members_member_books_key"),
            models.UniqueConstraint(
                fields=["cooperative", "id_number"],
                condition=~Q(id_number=""),
                name="members_member_id_number_unique",
                violation_error_message=_("This person is already a member of this cooperative."),
            ),
            models.UniqueConstraint(
                fields=["cooperative", "uscc"],
                condition=~Q(uscc=""),
                name="members_member_uscc_unique",
                violation_error_message=_("This organisation is already a member of this cooperative."),
            ),
            models.UniqueConstraint(
                fields=["cooperative"],
                condition=Q(kind=MemberKind.COLLECTIVE),
                name="members_member_one_collective",
                violation_error_message=_("The village collective is already a member of this cooperative."),
            ),
            models.UniqueConstraint(
                fields=["cooperative", "user"], condition=Q(user__isnull=False), name="members_member_user_unique"
            ),
            models.CheckConstraint(
                condition=(Q(kind=MemberKind.PERSON) & ~Q(id_number="") & Q(uscc=""))
                | (~Q(kind=MemberKind.PERSON) & Q(id_number="") & Q(household__isnull=True)),
                name="members_member_identity_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[MemberKind.PERSON, MemberKind.ORGANISATION]) | ~Q(uscc=""),
                name="members_member_code_required",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="members_member_left_after_joined",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | ~Q(leave_reason=""), name="members_member_leave_reason"
            ),
        ]
        triggers = keys.parent_triggers("member", keys.LINE_MEMBER, keys.MACC_MEMBER)
        indexes = [models.Index(fields=["cooperative", "kind"], name="members_member_coop_kind")]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("members:member_detail", args=[self.pk])

    @property
    def is_person(self) -> bool:
        return self.kind == MemberKind.PERSON

    @property
    def identity_code(self) -> str:
        return self.id_number or self.uscc

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def is_vulnerable(self) -> bool:
        return bool(self.vulnerability)

    def is_active_on(self, day: datetime.date | None = None) -> bool:
        day = day or timezone.localdate()
        return self.joined_on <= day and (self.left_on is None or self.left_on > day)

    @property
    def is_active(self) -> bool:
        return self.is_active_on()

    @property
    def is_code_kind(self) -> bool:
        return self.kind in CODE_KINDS
