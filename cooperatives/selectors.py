"""Reads of the cooperatives app that are more than a filter (pages, panels and API share them)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from cooperatives.choices import OPEN_CHARTER_STATES, BoardBody, CharterState
from cooperatives.models import BoardTerm, Charter, CharterItemReview, Cooperative
from cooperatives.models.board import POSITION_ORDER
from core.models import User


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
