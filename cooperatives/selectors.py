"""Reads of the cooperatives app that are more than a filter (pages, panels and API share them)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce, Substr
from django.utils import timezone

from cooperatives.choices import (
    FEDERATION_KINDS,
    OPEN_CHARTER_STATES,
    BoardBody,
    CharterState,
    CooperativeStatus,
    MatterStatus,
    MatterStep,
    SealUseStatus,
)
from cooperatives.models import (
    BoardTerm,
    Charter,
    CharterItemReview,
    Cooperative,
    DemonstrationAward,
    FederationMembership,
    MajorMatter,
    MajorMatterStep,
    ProductCertification,
    SealUse,
)
from cooperatives.models.board import POSITION_ORDER
from core.models import Region, User
from core.money import MONEY


def current_terms(terms: list[BoardTerm], on: datetime.date) -> dict[str, BoardTerm]:
    """For each body, the term covering ``on``, else the latest one that has started, else the earliest."""
    chosen: dict[str, BoardTerm] = {}
    for body in BoardBody.values:
        of_body = sorted((t for t in terms if t.body == body), key=lambda t: t.start_date)
        current = [t for t in of_body if t.is_current(on)]
        started = [t for t in of_body if t.start_date <= on]
        pick = current[-1:] or started[-1:] or of_body[:1]
        if pick:
            chosen[body] = pick[0]
    return chosen


def board_overview(*, cooperative: Cooperative, user: User, on: datetime.date | None = None) -> dict:
    """The current board and supervisory terms and, per person, the cross-serving table (two queries).

    A person who holds several positions (the chair who is also the manager) is one row; rows are
    ordered by their highest position.
    """
    on = on or timezone.localdate()
    terms = list(BoardTerm.objects.for_user(user).filter(cooperative=cooperative).prefetch_related("members"))
    chosen = current_terms(terms, on)
    people: dict[str, dict] = {}
    for body in BoardBody.values:
        term = chosen.get(body)
        if term is None:
            continue
        for m in sorted(term.members.all(), key=lambda m: (POSITION_ORDER.get(m.position, 99), m.pk)):
            key = m.id_number or m.name.strip()
            row = people.setdefault(
                key,
                {"name": m.name, "positions": [], "party_role": "", "committee_role": "", "rank": 99, "members": []},
            )
            row["positions"].append(m.get_position_display())
            row["members"].append(m)
            row["rank"] = min(row["rank"], POSITION_ORDER.get(m.position, 99))
            row["party_role"] = row["party_role"] or m.get_party_role_display()
            row["committee_role"] = row["committee_role"] or m.get_committee_role_display()
    rows = sorted(people.values(), key=lambda r: r["rank"])
    for r in rows:
        r["cross_serves"] = bool(r["party_role"] or r["committee_role"])
    board_term = chosen.get(BoardBody.BOARD)
    supervisory_term = chosen.get(BoardBody.SUPERVISORY)
    return {
        "board_term": board_term,
        "board_term_current": bool(board_term and board_term.is_current(on)),
        "supervisory_term": supervisory_term,
        "supervisory_term_current": bool(supervisory_term and supervisory_term.is_current(on)),
        "people": rows,
        "cross_serving": sum(1 for r in rows if r["cross_serves"]),
        "on": on,
        "terms_count": len(terms),
    }


def charter_summary(*, cooperative: Cooperative, user: User) -> dict:
    """The version in force and the one under way (at most one each), in one query."""
    rows = list(
        Charter.objects.for_user(user)
        .filter(cooperative=cooperative, state__in=[CharterState.EFFECTIVE, *OPEN_CHARTER_STATES])
        .select_related("filed_by")
        .order_by("version")
    )
    effective = next((c for c in rows if c.state == CharterState.EFFECTIVE), None)
    pending = next((c for c in rows if c.state in OPEN_CHARTER_STATES), None)
    return {"effective": effective, "pending": pending}


def may(user: User, region_code: str, action: str, model=Charter) -> bool:
    """Whether ``user``'s roles grant ``action`` on rows of ``region_code`` (no query: for buttons)."""
    return user.is_superuser or user.jurisdiction.covers(region_code, model.tenancy.roles_for(action))


def charter_actions(user: User, charter: Charter) -> dict[str, bool]:
    """Which buttons to show on a charter version; the services decide again when pressed."""
    from cooperatives.services.charters import ATTACHABLE_STATES

    village = may(user, charter.region_code, "change")
    state = charter.state
    return {
        "edit": village and charter.is_editable,
        "submit": village and charter.is_editable,
        "withdraw": village and charter.is_open,
        "attach": village and state in ATTACHABLE_STATES,
        "review": may(user, charter.region_code, "review") and state == CharterState.SUBMITTED,
        "vote": village and state == CharterState.TOWNSHIP_APPROVED,
        "file": may(user, charter.region_code, "file") and state == CharterState.ADOPTED,
        "amend": may(user, charter.region_code, "add") and state == CharterState.EFFECTIVE,
    }


def latest_reviews(charter: Charter, user: User) -> dict[str, object]:
    """The township's verdict per item in the latest round that has one (item → CharterItemReview)."""
    reviews = list(
        CharterItemReview.objects.for_user(user)
        .filter(charter=charter)
        .select_related("reviewer")
        .order_by("-round", "pk")
    )
    if not reviews:
        return {}
    last_round = reviews[0].round
    return {r.item: r for r in reviews if r.round == last_round}


ZERO = Decimal("0.00")


def _money_sum(qs, field: str = "award_amount") -> Decimal:
    from django.db.models import DecimalField

    return qs.aggregate(t=Coalesce(Sum(field), ZERO, output_field=DecimalField(**MONEY)))["t"]


def _narrow(qs, prefix: str | None):
    return qs.in_region(prefix) if prefix else qs


# -- demonstration and awards -------------------------------------------------------------------


def demonstration_counts_by_township(
    user: User, *, year: int | None = None, level: str | None = None, prefix: str | None = None
) -> list[dict]:
    """Demonstration titles per township and year: ``[{township_code, township_name, year, level, count}]``.

    One grouped query plus one for the township names.
    """
    qs = _narrow(DemonstrationAward.objects.for_user(user), prefix)
    if year is not None:
        qs = qs.filter(year=year)
    if level:
        qs = qs.filter(level=level)
    rows = list(
        qs.annotate(township_code=Substr("region_code", 1, 9))
        .values("township_code", "year", "level")
        .annotate(count=Count("pk"))
        .order_by("township_code", "year", "level")
    )
    names = dict(Region.objects.filter(code__in={r["township_code"] for r in rows}).values_list("code", "name"))
    for r in rows:
        r["township_name"] = names.get(r["township_code"], r["township_code"])
    return rows


def demonstration_count(user: User, *, year: int | None = None, prefix: str | None = None) -> int:
    """Distinct cooperatives holding a demonstration title (granted in ``year``, or up to the present)."""
    qs = _narrow(DemonstrationAward.objects.for_user(user), prefix)
    if year is not None:
        qs = qs.filter(year__lte=year)
    return qs.order_by().values("cooperative_id").distinct().count()


def demonstration_rate(user: User, *, year: int, prefix: str | None = None) -> Decimal | None:
    """Share of operating cooperatives (federations excluded) holding a title by the end of ``year``
    (the targets of seed 002: 20% in year one, 60% in year two). None when there is no cooperative."""
    coops = _narrow(Cooperative.objects.for_user(user), prefix).exclude(kind__in=FEDERATION_KINDS)
    coops = coops.exclude(status=CooperativeStatus.DEREGISTERED)
    total = coops.count()
    if not total:
        return None
    with_title = (
        _narrow(DemonstrationAward.objects.for_user(user), prefix)
        .filter(year__lte=year, cooperative__in=coops)
        .order_by()
        .values("cooperative_id")
        .distinct()
        .count()
    )
    return (Decimal(with_title) / Decimal(total)).quantize(Decimal("0.0001"))


@dataclass(frozen=True)
class AwardTotals:
    demonstration: Decimal
    certification: Decimal

    @property
    def total(self) -> Decimal:
        return self.demonstration + self.certification


def awards_total(user: User, *, year: int | None = None, prefix: str | None = None) -> AwardTotals:
    """The one-off awards recorded: demonstration titles (by year granted) and certifications (by year
    certified), as stored when granted."""
    demos = _narrow(DemonstrationAward.objects.for_user(user), prefix)
    certs = _narrow(ProductCertification.objects.for_user(user), prefix)
    if year is not None:
        demos = demos.filter(year=year)
        certs = certs.filter(certified_on__year=year)
    return AwardTotals(demonstration=_money_sum(demos), certification=_money_sum(certs))


def awards_by_township(user: User, *, year: int | None = None) -> list[dict]:
    """``[{township_code, demonstration, certification, total}]``, two grouped queries."""
    demos = DemonstrationAward.objects.for_user(user)
    certs = ProductCertification.objects.for_user(user)
    if year is not None:
        demos = demos.filter(year=year)
        certs = certs.filter(certified_on__year=year)
    out: dict[str, dict] = {}
    for key, qs in (("demonstration", demos), ("certification", certs)):
        for row in (
            qs.annotate(township_code=Substr("region_code", 1, 9))
            .values("township_code")
            .annotate(t=Sum("award_amount"))
            .order_by("township_code")
        ):
            entry = out.setdefault(
                row["township_code"],
                {"township_code": row["township_code"], "demonstration": ZERO, "certification": ZERO},
            )
            entry[key] = row["t"] or ZERO
    for entry in out.values():
        entry["total"] = entry["demonstration"] + entry["certification"]
    return [out[k] for k in sorted(out)]


def classification_counts(user: User, *, prefix: str | None = None) -> dict[str, int]:
    """Cooperatives per current type (``""`` for not yet classified)."""
    qs = _narrow(Cooperative.objects.for_user(user), prefix).exclude(kind__in=FEDERATION_KINDS)
    rows = qs.values("classification").annotate(n=Count("pk")).order_by()
    return {r["classification"]: r["n"] for r in rows}


# -- federations --------------------------------------------------------------------------------


def federation_members(user: User, federation: Cooperative, *, include_former: bool = False):
    """The federation's memberships the user may see, member cooperatives joined."""
    qs = FederationMembership.objects.for_user(user).filter(federation=federation)
    if not include_former:
        qs = qs.filter(left_on__isnull=True)
    return qs.select_related("member__village__parent").order_by("left_on", "member__region_code", "pk")


def federations_of(user: User, cooperative: Cooperative):
    """The federations ``cooperative`` belongs to (current memberships)."""
    return (
        FederationMembership.objects.for_user(user)
        .filter(member=cooperative, left_on__isnull=True)
        .select_related("federation__village")
        .order_by("joined_on", "pk")
    )


def federation_count(user: User, *, prefix: str | None = None) -> int:
    """Federations (both kinds) the user sees, optionally under ``prefix``."""
    return _narrow(Cooperative.objects.for_user(user), prefix).filter(kind__in=FEDERATION_KINDS).count()


# -- major matters ------------------------------------------------------------------------------


def major_matter_for_subject(subject) -> MajorMatter | None:
    """The latest major matter opened for ``subject`` (e.g. a distribution plan)."""
    ctype = ContentType.objects.get_for_model(subject)
    return MajorMatter.objects.filter(subject_type=ctype, subject_id=subject.pk).order_by("-created_at", "-pk").first()


@dataclass(frozen=True)
class Resolution:
    """The member (representative) assembly's resolution on a matter (step 4) and its publication."""

    matter: MajorMatter
    adopted: bool
    held_on: date
    expected_attendance: int
    present: int
    votes_for: int
    votes_against: int
    votes_abstain: int
    published_on: date | None


def major_matter_resolution(*, subject=None, matter: MajorMatter | None = None) -> Resolution | None:
    """The resolution of ``matter`` (or of the latest matter of ``subject``); None until step 4 is recorded.

    A later app (dividends) asks this before carrying out a plan: ``adopted`` and, if the rule
    wants it, ``published_on``.
    """
    if matter is None:
        if subject is None:
            raise ValueError("give a subject or a matter")
        matter = major_matter_for_subject(subject)
        if matter is None:
            return None
    steps = {
        s.step: s
        for s in MajorMatterStep.objects.filter(
            matter=matter, step__in=[MatterStep.RESOLUTION, MatterStep.RESOLUTION_PUBLISHED]
        )
    }
    vote = steps.get(MatterStep.RESOLUTION)
    if vote is None:
        return None
    published = steps.get(MatterStep.RESOLUTION_PUBLISHED)
    return Resolution(
        matter=matter,
        adopted=bool(vote.passed),
        held_on=vote.held_on,
        expected_attendance=vote.expected_attendance,
        present=vote.present,
        votes_for=vote.votes_for,
        votes_against=vote.votes_against,
        votes_abstain=vote.votes_abstain,
        published_on=published.held_on if published else None,
    )


def major_matter_counts(user: User, *, prefix: str | None = None) -> dict[str, int]:
    """Major matters per status."""
    qs = _narrow(MajorMatter.objects.for_user(user), prefix)
    rows = qs.values("status").annotate(n=Count("pk")).order_by()
    return {r["status"]: r["n"] for r in rows}


# -- seal log -----------------------------------------------------------------------------------


def pending_seal_uses(user: User, *, prefix: str | None = None):
    """Seal uses still waiting for a confirmation, oldest first."""
    return (
        _narrow(SealUse.objects.for_user(user), prefix)
        .filter(status=SealUseStatus.PENDING)
        .select_related("cooperative", "handler", "chair_confirmed_by")
        .order_by("used_on", "pk")
    )


def seal_uses_awaiting(user: User):
    """Pending seal uses this user can confirm now: as the user of the seal, or as a chair of the village."""
    from core.choices import Role

    chair_villages = [g.region_id for g in user.all_grants if g.role == Role.COOP_CHAIR]
    return pending_seal_uses(user).filter(
        Q(handler=user, handler_confirmed_at__isnull=True)
        | (Q(cooperative__village_id__in=chair_villages, chair_confirmed_by__isnull=True) & ~Q(handler=user))
    )


def cooperative_search(queryset, term: str, *, limit: int = 20) -> list[Cooperative]:
    """At most ``limit`` cooperatives of ``queryset`` whose name, credit code or village matches ``term``
    (or whose id it is), in the registry's order; nothing for an empty term."""
    term = term.strip()
    if not term:
        return []
    condition = Q(name__icontains=term) | Q(uscc__istartswith=term) | Q(village__name__icontains=term)
    if term.isdigit():
        condition |= Q(pk=int(term))
    return list(queryset.filter(condition)[:limit])


# -- the home page's to-do list (core.todo): one query each ----------------------------------


def charter_drafts(user: User):
    """Charter versions the village accountant is still drafting, oldest first."""
    from core.choices import Role
    from core.todo import within

    return (
        Charter.objects.for_user(user, "change")
        .filter(within(user, {Role.VILLAGE_ACCOUNTANT}), state=CharterState.DRAFT)
        .select_related("cooperative__village")
        .order_by("created_at", "pk")
    )


def charters_to_file(user: User):
    """County: charters the member assembly adopted, waiting for filing (备案), oldest vote first."""
    return (
        Charter.objects.for_user(user, "file")
        .filter(state=CharterState.ADOPTED)
        .select_related("cooperative__village__parent")
        .order_by("adopted_at", "pk")
    )


def matters_to_carry_on(user: User):
    """Major matters (四议两公开) under way in the chair's villages, the longest untouched first."""
    from core.choices import Role
    from core.todo import within

    return (
        MajorMatter.objects.for_user(user)
        .filter(within(user, {Role.COOP_CHAIR}), status=MatterStatus.IN_PROGRESS, current_step__lt=6)
        .select_related("cooperative__village")
        .order_by("updated_at", "pk")
    )
