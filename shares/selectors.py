"""Reads of the shares app that are more than a filter."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import QuerySet, Sum

from core.money import ZERO
from shares import compliance
from shares.choices import ShareClass
from shares.models import Holding, ShareEntry


def cooperative_totals(cooperative_ids) -> dict[int, Decimal]:
    """Total shares of each cooperative (one grouped query)."""
    rows = (
        Holding.objects.filter(cooperative_id__in=set(cooperative_ids))
        .values("cooperative_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return {r["cooperative_id"]: r["total"] or ZERO for r in rows}


def register(user) -> QuerySet[Holding]:
    """The share register within the user's jurisdiction (or the member's own holdings)."""
    return (
        Holding.objects.for_user(user)
        .filter(amount__gt=0)
        .select_related("member", "cooperative")
        .order_by("cooperative_id", "member__number", "share_class")
    )


def structure(cooperative) -> dict:
    """The cooperative's share structure and its compliance evaluation, for the page and the API."""
    evaluation = compliance.evaluate(cooperative)
    s = evaluation.structure
    groups = s.groups()
    total = s.total
    classes = [
        {
            "key": c.value,
            "label": str(c.label),
            "amount": s.class_total(c),
            "ratio": compliance.ratio(s.class_total(c), total),
        }
        for c in ShareClass
    ]
    chart = {
        "title": str(cooperative.name),
        "unit": "元",
        "groups": [
            {"name": g["label"], "value": str(g["amount"]), "percent": compliance.percent(g["ratio"])} for g in groups
        ],
    }
    top = sorted(s.holders.values(), key=lambda h: (-h.total, h.number))[:10]
    return {
        "evaluation": evaluation,
        "total": total,
        "groups": groups,
        "classes": classes,
        "holders": len(s.holders),
        "top": [
            {
                "member_id": h.member_id,
                "number": h.number,
                "name": h.name,
                "amount": h.total,
                "percent": compliance.percent(h.total / total),
            }
            for h in top
        ],
        "chart": chart,
        "chart_id": f"share-structure-data-{cooperative.pk}",
    }


def proposed_changes(
    *,
    cooperative,
    operation: str,
    amount,
    share_class: str = "ordinary",
    member=None,
    source=None,
    target=None,
    target_class=None,
) -> list[compliance.Change]:
    """The holding changes a proposed transaction would make (for a dry run; nothing is written).

    Checks what the services would check before the rules: members of this cooperative, who may
    hold which class, and that no holding would go below zero.
    """
    from django.utils.translation import gettext as _

    from core.exceptions import BusinessError
    from members.choices import MemberKind
    from shares.services.contributions import share_class_for
    from shares.services.ledger import check_class_holder

    def need(m, field):
        if m is None:
            raise BusinessError(_("Name the member."), code="member_required", field=field)
        if m.cooperative_id != cooperative.pk:
            raise BusinessError(
                _("%(name)s is not a member of this cooperative.") % {"name": m.name},
                code="foreign_member",
                field=field,
            )
        return m

    def take(m, cls):
        held = Holding.objects.filter(member=m, share_class=cls).values_list("amount", flat=True).first() or ZERO
        if held < amount:
            raise BusinessError(
                _("%(name)s holds %(held)s yuan of that class.") % {"name": m.name, "held": held},
                code="insufficient_holding",
                field="amount",
            )
        return compliance.Change(m.pk, cls, -amount)

    if amount <= 0:
        raise BusinessError(_("The amount must be more than zero."), code="amount_not_positive", field="amount")
    if operation == "subscribe":
        m = need(member, "member")
        cls = share_class if share_class != "ordinary" else share_class_for("cash", m)
        check_class_holder(m, cls)
        return [compliance.Change(m.pk, cls, amount)]
    if operation == "conversion":
        m = need(member, "member")
        cls = ShareClass.COLLECTIVE if m.kind == MemberKind.COLLECTIVE else ShareClass.ORDINARY
        return [compliance.Change(m.pk, cls, amount)]
    if operation == "withdraw":
        return [take(need(member, "member"), share_class)]
    s, t = need(source, "source"), need(target, "target")
    into = share_class
    if operation == "gift":
        into = target_class or (ShareClass.POVERTY if share_class == ShareClass.COLLECTIVE else share_class)
    check_class_holder(t, into)
    return [take(s, share_class), compliance.Change(t.pk, into, amount)]


def capital_by_owner(
    cooperative_id: int, as_of: datetime.date | None = None, *, exclude_operations=()
) -> dict[int, Decimal]:
    """Each owner's paid-in capital (one grouped query): the holder's, except that collective shares
    are the village collective's whoever holds them (DOMAIN.md §1.3). ``as_of``: entries effective
    on or before that day; None for all of them. ``exclude_operations``: operations left out."""
    from members.selectors import collective_member_id

    collective = collective_member_id(cooperative_id)
    entries = ShareEntry.objects.filter(cooperative_id=cooperative_id)
    if as_of is not None:
        entries = entries.filter(effective_on__lte=as_of)
    if exclude_operations:
        entries = entries.exclude(operation__in=list(exclude_operations))
    totals: dict[int, Decimal] = {}
    for member_id, share_class, total in (
        entries.values("member_id", "share_class")
        .annotate(total=Sum("amount"))
        .values_list("member_id", "share_class", "total")
        .order_by()
    ):
        owner = collective if share_class == ShareClass.COLLECTIVE and collective else member_id
        totals[owner] = totals.get(owner, Decimal("0.00")) + total
    return totals
