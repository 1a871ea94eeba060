"""Charters: versioned documents built from the sections of the model charter.

One cooperative has versions 1, 2, …; each version moves

    draft → submitted → (returned → submitted)* → township_approved → adopted → effective → superseded
                                                                     (withdrawn, rejected: closed)

* the township reviews the six items of seed 002 §5 one by one through the approval engine
  (``cooperatives.approvals.CharterApproval``); the results are kept per item and review round
  (``CharterItemReview``) and in the approval step's ``details``;
* the member assembly's vote is recorded on the version (``services.charters.charter_record_vote``);
* the county files it (备案, ``charter_file``): it becomes effective and the version it replaces is
  superseded at that moment, not before.

An amendment copies the effective version into a new draft; the effective version stays in force
while the amendment goes through the same steps.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cooperatives.choices import (
    OPEN_CHARTER_STATES,
    PUBLISHED_CHARTER_STATES,
    AssemblyMeeting,
    CharterReviewItem,
    CharterState,
    LeaverShare,
    ReserveBasis,
    ReviewResult,
)
from core.choices import STAFF_ROLES, Role
from core.history import tracked
from core.models import TenantModel
from core.money import RATIO
from core.tenancy import VILLAGE_WRITERS, Tenancy


def _member_published(state_lookup: str):
    """A member reads the charter in force (and earlier ones) of their village's cooperatives (law Art. 21)."""

    def condition(user) -> Q:
        return Q(
            region_code__in=[g.prefix for g in user.jurisdiction.grants_for(Role.MEMBER)],
            **{f"{state_lookup}__in": PUBLISHED_CHARTER_STATES},
        )

    return condition


CHARTER_ACTIONS = {
    "view": STAFF_ROLES,
    # the village drafts, edits, submits, withdraws, records the vote, opens amendments
    "add": VILLAGE_WRITERS,
    "change": VILLAGE_WRITERS,
    # the township reviews item by item (the engine also checks the township matches exactly)
    "review": frozenset({Role.TOWNSHIP_OFFICIAL, Role.SYSTEM_ADMIN}),
    # the county organisation department / agriculture bureau keeps it on file (备案)
    "file": frozenset({Role.COUNTY_OFFICIAL, Role.SYSTEM_ADMIN}),
}
CHARTER_TENANCY = Tenancy(actions=CHARTER_ACTIONS, member_filter=_member_published("state"))
CHARTER_PART_TENANCY = Tenancy(actions=CHARTER_ACTIONS, member_filter=_member_published("charter__state"))


@dataclass(frozen=True)
class Section:
    """One section of the charter: its fields, its title and the review item that covers it."""

    key: str
    title: str
    fields: tuple[str, ...]
    review_item: str | None = None


# The sections in the order of the model charter (DOMAIN.md 8) and of seed 002 §5's six items.
SECTIONS: tuple[Section, ...] = (
    Section("name_address", _("Name and address"), ("registered_name", "domicile"), CharterReviewItem.NAME_ADDRESS),
    Section("business_scope", _("Business scope"), ("business_scope",), CharterReviewItem.BUSINESS_SCOPE),
    Section("organisation", _("Organisation"), ("organisation",), CharterReviewItem.ORGANISATION),
    Section("share_structure", _("Share structure"), ("share_structure",), CharterReviewItem.SHARE_STRUCTURE),
    Section(
        "operating_mechanism",
        _("Operating mechanism"),
        ("operating_mechanism",),
        CharterReviewItem.OPERATING_MECHANISM,
    ),
    Section(
        "surplus_distribution",
        _("Surplus distribution"),
        ("distribution_policy", "reserve_rate", "reserve_basis", "leaver_share", "surplus_distribution"),
        CharterReviewItem.SURPLUS_DISTRIBUTION,
    ),
    Section("party_building", _("Party building"), ("party_building",)),
    Section("collective_veto", _("Collective veto matters"), ("collective_veto", "collective_veto_matters")),
    Section("other_provisions", _("Other provisions"), ("other_provisions",)),
)
SECTION_FIELDS: tuple[str, ...] = tuple(f for s in SECTIONS for f in s.fields)
REVIEW_ITEM_SECTION = {s.review_item: s for s in SECTIONS if s.review_item}


@tracked()
class Charter(TenantModel):
    """One version of a cooperative's charter (章程). ``region_code`` is the cooperative's."""

    cooperative = models.ForeignKey(
        "cooperatives.Cooperative", verbose_name=_("cooperative"), on_delete=models.PROTECT, related_name="charters"
    )
    version = models.PositiveSmallIntegerField(_("version"))
    state = models.CharField(
        _("state"), max_length=20, choices=CharterState.choices, default=CharterState.DRAFT, db_index=True
    )
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("amends version"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amendments",
    )

    # -- sections (model charter; seed 002 §5; law Art. 15) -------------------------------------
    # A draft may be incomplete; submitting it to the township requires every reviewed section.
    registered_name = models.CharField(_("name"), max_length=100, blank=True)
    domicile = models.CharField(_("domicile"), max_length=200, blank=True)
    business_scope = models.TextField(_("business scope"), blank=True)
    organisation = models.TextField(
        _("organisation"),
        blank=True,
        help_text=_(
            "Member assembly, chair and board, supervisory board or executive supervisor: how formed, powers, terms."
        ),
    )
    share_structure = models.TextField(
        _("share structure"),
        blank=True,
        help_text=_("Who contributes what: the collective's stake, the party branch, members; the cap on one member."),
    )
    operating_mechanism = models.TextField(
        _("operating mechanism"),
        blank=True,
        help_text=_("Operating mode, decision procedure (四议两公开), finance and disclosure."),
    )
    surplus_distribution = models.TextField(_("surplus distribution"), blank=True)
    distribution_policy = models.CharField(
        _("distribution policy"),
        max_length=40,
        help_text=_("Code of the surplus-distribution policy the charter applies."),
    )
    # the reserve is a charter matter (law Art. 42: "可以"; no law sets 10%): its rate within the
    # county's cap, and how each year's extraction is quantified into the members' accounts
    reserve_rate = models.DecimalField(
        _("reserve rate"),
        **RATIO,
        null=True,
        blank=True,
        help_text=_(
            # xgettext:no-python-format
            "Share of the year's surplus put into the reserve, e.g. 0.10 for 10%. Empty: the policy's rate."
        ),
    )
    reserve_basis = models.CharField(
        _("reserve quantified"), max_length=12, choices=ReserveBasis.choices, default=ReserveBasis.CAPITAL
    )
    leaver_share = models.CharField(
        _("a leaving member's part of the year"),
        max_length=10,
        choices=LeaverShare.choices,
        default=LeaverShare.YEAR_END,
        help_text=_("Law Art. 28: a member who leaves takes part in the distribution of the year of leaving."),
    )
    party_building = models.TextField(_("party building clause"), blank=True)
    collective_veto = models.BooleanField(_("the collective share holds a veto on specified matters"), default=False)
    collective_veto_matters = models.TextField(_("matters the collective share may veto"), blank=True)
    other_provisions = models.TextField(
        _("other provisions"),
        blank=True,
        help_text=_("Membership, rights and duties, finance, amendment, dissolution, notices and the rest."),
    )
    amendment_note = models.TextField(_("what this version changes and why"), blank=True)

    # -- township review -------------------------------------------------------------------------
    approval = models.ForeignKey(
        "core.ApprovalRequest",
        verbose_name=_("approval request"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    review_round = models.PositiveSmallIntegerField(_("review round"), default=0)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    township_approved_at = models.DateTimeField(_("approved by the township at"), null=True, blank=True)

    # -- member assembly vote (law Arts. 14, 30) ----------------------------------------------------
    meeting = models.CharField(_("adopted by"), max_length=20, choices=AssemblyMeeting.choices, blank=True)
    vote_date = models.DateField(_("date of the vote"), null=True, blank=True)
    members_total = models.PositiveIntegerField(_("members in total"), null=True, blank=True)
    members_present = models.PositiveIntegerField(_("members present"), null=True, blank=True)
    votes_for = models.PositiveIntegerField(_("votes for"), null=True, blank=True)
    votes_against = models.PositiveIntegerField(_("votes against"), null=True, blank=True)
    votes_abstain = models.PositiveIntegerField(_("abstentions"), null=True, blank=True)
    adopted_at = models.DateTimeField(_("vote recorded at"), null=True, blank=True)

    # -- county filing (备案) -------------------------------------------------------------------------
    filed_on = models.DateField(_("filed on"), null=True, blank=True)
    filing_number = models.CharField(_("filing number"), max_length=40, blank=True)
    filing_note = models.TextField(_("filing note"), blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("withdrawn or rejected at"), null=True, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("drafted by"), on_delete=models.PROTECT, related_name="+"
    )

    tenancy = CHARTER_TENANCY

    class Meta:
        ordering = ["cooperative_id", "-version"]
        verbose_name = _("charter")
        verbose_name_plural = _("charters")
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "version"], name="charter_version_unique"),
            models.UniqueConstraint(
                fields=["cooperative"],
                condition=Q(state__in=OPEN_CHARTER_STATES),
                name="charter_one_open_version",
            ),
            models.UniqueConstraint(
                fields=["cooperative"], condition=Q(state=CharterState.EFFECTIVE), name="charter_one_effective"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="charter_version_positive"),
            models.CheckConstraint(
                condition=Q(members_present__isnull=True) | Q(members_present__lte=F("members_total")),
                name="charter_present_within_total",
            ),
            models.CheckConstraint(
                condition=Q(votes_for__isnull=True)
                | Q(members_present__gte=F("votes_for") + F("votes_against") + F("votes_abstain")),
                name="charter_votes_within_present",
            ),
            models.CheckConstraint(
                condition=Q(reserve_rate__isnull=True) | (Q(reserve_rate__gte=0) & Q(reserve_rate__lte=1)),
                name="charter_reserve_rate_range",
            ),
        ]

    def __str__(self) -> str:
        return _("%(name)s charter, version %(version)s") % {"name": self.registered_name, "version": self.version}

    def get_absolute_url(self) -> str:
        return reverse("cooperatives:charter_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_CHARTER_STATES

    @property
    def is_editable(self) -> bool:
        return self.state in (CharterState.DRAFT, CharterState.RETURNED)

    def section_values(self) -> dict[str, object]:
        return {f: getattr(self, f) for f in SECTION_FIELDS}

    def section_text(self, section: Section) -> str:
        """The section as plain text (for the comparison view and the printout)."""
        parts = []
        for name in section.fields:
            value = getattr(self, name)
            field = self._meta.get_field(name)
            if isinstance(value, bool):
                value = _("yes") if value else _("no")
            if value in ("", None):
                continue
            if field.choices:
                value = getattr(self, f"get_{name}_display")()
            elif name == "distribution_policy":
                value = policy_name(value)
            elif name == "reserve_rate":
                value = f"{(value * 100).normalize():f}%"
            parts.append(f"{field.verbose_name}：{value}" if len(section.fields) > 1 else str(value))
        return "\n".join(parts)


def policy_name(code: str) -> str:
    """A distribution policy's name from the code a charter keeps. The policies live in the dividends
    app, above this one, so the model is looked up by name at run time; an unknown code shows as is."""
    from django.apps import apps

    if not code:
        return ""
    try:
        model = apps.get_model("dividends", "DistributionPolicy")
    except LookupError:
        return code
    return model.objects.filter(code=code).values_list("name", flat=True).first() or code


@tracked()
class CharterItemReview(TenantModel):
    """The township's verdict on one of the six items in one review round of a charter version."""

    charter = models.ForeignKey(Charter, verbose_name=_("charter"), on_delete=models.PROTECT, related_name="reviews")
    round = models.PositiveSmallIntegerField(_("review round"))
    item = models.CharField(_("item"), max_length=24, choices=CharterReviewItem.choices)
    result = models.CharField(_("result"), max_length=8, choices=ReviewResult.choices)
    comment = models.TextField(_("comment"), blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), on_delete=models.PROTECT, related_name="+"
    )
    step = models.ForeignKey(
        "core.ApprovalStep", verbose_name=_("approval step"), on_delete=models.PROTECT, related_name="+"
    )

    tenancy = CHARTER_PART_TENANCY

    class Meta:
        ordering = ["charter_id", "round", "pk"]
        verbose_name = _("charter item review")
        verbose_name_plural = _("charter item reviews")
        constraints = [
            models.UniqueConstraint(fields=["charter", "round", "item"], name="charter_review_item_once_per_round"),
        ]

    def __str__(self) -> str:
        return f"{self.get_item_display()}：{self.get_result_display()}"


def _attachment_path(instance: CharterAttachment, filename: str) -> str:
    """A generated name under the village's folder: the uploader's file name never reaches the disk."""
    ext = os.path.splitext(filename)[1].lower()
    return f"charters/{instance.region_code}/{uuid.uuid4().hex}{ext}"


@tracked()
class CharterAttachment(TenantModel):
    """A file that goes with a charter version: the signed text, minutes of the vote, a scan."""

    charter = models.ForeignKey(
        Charter, verbose_name=_("charter"), on_delete=models.PROTECT, related_name="attachments"
    )
    title = models.CharField(_("title"), max_length=100)
    file = models.FileField(_("file"), upload_to=_attachment_path, max_length=200)
    original_name = models.CharField(_("original file name"), max_length=200)
    content_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )

    tenancy = CHARTER_PART_TENANCY

    class Meta:
        ordering = ["charter_id", "pk"]
        verbose_name = _("charter attachment")
        verbose_name_plural = _("charter attachments")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("cooperatives:charter_attachment", args=[self.pk])
