"""Board and supervisory terms and the people on them.

Rules enforced here:

* a term's dates are ordered and it was elected at or before its start; terms of one body do not
  overlap (inclusive dates); term numbers are unique per body;
* a position belongs to its body: 理事长/副理事长/理事/经理/财务 on the board side, 监事长/监事/执行监事 on
  the supervisory side; one 理事长 per board term, one 监事长 per supervisory term; a cooperative has
  either an executive supervisor or a supervisory board (law Art. 33), not both in one term;
* law Art. 33: the chair, directors, manager and financial/accounting staff may not be supervisors.
  A person (same resident ID number if both rows have one, else the same name) holding a board-side
  position in a term that overlaps a supervisory term may not sit on it, and the other way round.
"""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from cooperatives.choices import (
    BARRED_FROM_SUPERVISION,
    POSITIONS_BY_BODY,
    SUPERVISORY_POSITIONS,
    BoardBody,
    BoardPosition,
)
from cooperatives.models import BoardMember, BoardTerm, Cooperative
from core.exceptions import BusinessError, NotPermitted
from core.models import User
from core.tenancy import assert_in_scope
from core.validators import validate_resident_id

logger = logging.getLogger(__name__)

TERM_FIELDS = ("body", "number", "elected_on", "start_date", "end_date", "note")
MEMBER_FIELDS = ("name", "id_number", "position", "party_role", "committee_role", "phone")


def _may(actor: User, region_code: str, action: str) -> bool:
    return actor.is_superuser or actor.jurisdiction.covers(region_code, BoardTerm.tenancy.roles_for(action))


def _require_cooperative(actor: User, cooperative: Cooperative, action: str) -> Cooperative:
    if not Cooperative.objects.for_user(actor, "view").filter(pk=cooperative.pk).exists():
        raise Http404(str(Cooperative._meta.verbose_name))
    if not _may(actor, cooperative.region_code, action):
        raise NotPermitted(_("Only the village accountant keeps the board and supervisory board records."))
    return cooperative


def _require_row(actor: User, obj, action: str) -> None:
    model = type(obj)
    if not model.objects.for_user(actor, "view").filter(pk=obj.pk).exists():
        raise Http404(str(model._meta.verbose_name))
    if not model.objects.for_user(actor, action).filter(pk=obj.pk).exists():
        raise NotPermitted(_("Only the village accountant keeps the board and supervisory board records."))


# -- terms -------------------------------------------------------------------------------------------------------


def _check_term(term: BoardTerm) -> None:
    if term.body not in BoardBody.values:
        raise BusinessError(_("Choose the board or the supervisory board."), code="invalid_body", field="body")
    if not term.number or term.number < 1:
        raise BusinessError(_("Terms are numbered from 1."), code="term_number", field="number")
    if not (term.start_date and term.end_date and term.elected_on):
        raise BusinessError(_("Give the election date and the term's dates."), code="term_dates_required")
    if term.end_date <= term.start_date:
        raise BusinessError(_("A term ends after it starts."), code="term_dates", field="end_date")
    if term.elected_on > term.start_date:
        raise BusinessError(
            _("The member assembly elects a term before it starts."), code="elected_after_start", field="elected_on"
        )
    siblings = BoardTerm.objects.filter(cooperative_id=term.cooperative_id, body=term.body).exclude(pk=term.pk)
    if siblings.filter(number=term.number).exists():
        raise BusinessError(
            _("Term %(number)s of this body is already recorded.") % {"number": term.number},
            code="term_number_taken",
            field="number",
        )
    clash = next((t for t in siblings if t.overlaps(term)), None)
    if clash is not None:
        raise BusinessError(
            _("These dates overlap %(term)s.") % {"term": clash}, code="term_overlap", field="start_date"
        )


@transaction.atomic
def board_term_create(*, actor: User, cooperative: Cooperative, **data) -> BoardTerm:
    """Record a term of the board or of the supervisory board, as elected by the member assembly."""
    coop = _require_cooperative(actor, cooperative, "add")
    coop = Cooperative.objects.select_for_update().get(pk=coop.pk)
    term = BoardTerm(
        cooperative=coop, region_code=coop.region_code, **{k: v for k, v in data.items() if k in TERM_FIELDS}
    )
    _check_term(term)
    term.save()
    assert_in_scope(actor, term, "add")
    return term


@transaction.atomic
def board_term_update(*, actor: User, term: BoardTerm, **data) -> BoardTerm:
    """Correct a term; its members are re-checked against law Art. 33 with the new dates."""
    _require_row(actor, term, "change")
    Cooperative.objects.select_for_update().get(pk=term.cooperative_id)
    term = BoardTerm.objects.select_for_update().get(pk=term.pk)
    if "body" in data and data["body"] != term.body and term.members.exists():
        raise BusinessError(
            _("A term with people on it cannot move to the other body."), code="term_body_locked", field="body"
        )
    changed = [k for k in TERM_FIELDS if k in data]
    for k in changed:
        setattr(term, k, data[k])
    _check_term(term)
    for member in term.members.all():
        _check_article_33(member, term)
    term.save(update_fields=[*changed, "updated_at"])
    assert_in_scope(actor, term, "change")
    return term


@transaction.atomic
def board_term_delete(*, actor: User, term: BoardTerm) -> None:
    """Delete a term recorded by mistake; only an empty one."""
    _require_row(actor, term, "delete")
    term = BoardTerm.objects.select_for_update().get(pk=term.pk)
    if term.members.exists():
        raise BusinessError(_("Remove the people on this term first."), code="term_not_empty")
    term.delete()


# -- members -----------------------------------------------------------------------------------------------------


def _check_article_33(member: BoardMember, term: BoardTerm) -> None:
    """Law Art. 33: the chair, directors, manager and finance staff may not be supervisors (overlapping terms)."""
    if member.position in SUPERVISORY_POSITIONS:
        conflicting_positions = BARRED_FROM_SUPERVISION
    elif member.position in BARRED_FROM_SUPERVISION:
        conflicting_positions = SUPERVISORY_POSITIONS
    else:  # pragma: no cover - every position is on one side
        return
    others = (
        BoardMember.objects.filter(cooperative_id=term.cooperative_id, position__in=conflicting_positions)
        .exclude(pk=member.pk)
        .select_related("term")
    )
    for other in others:
        if other.same_person(member) and other.term.overlaps(term):
            raise BusinessError(
                _(
                    "%(name)s is %(other)s of this cooperative (%(term)s). Under law Art. 33 the chair, "
                    "directors, manager and finance staff may not be supervisors."
                )
                % {"name": member.name, "other": other.get_position_display(), "term": other.term},
                code="supervisor_conflict",
                field="position",
            )


def _check_member(member: BoardMember, term: BoardTerm) -> None:
    member.name = (member.name or "").strip()
    if not member.name:
        raise BusinessError(_("Give the person's name."), code="name_required", field="name")
    if member.id_number:
        try:
            member.id_number = validate_resident_id(member.id_number)
        except ValidationError as exc:
            raise BusinessError(exc.messages[0], code=exc.code or "invalid_id", field="id_number") from exc
    if member.position not in POSITIONS_BY_BODY.get(term.body, ()):
        raise BusinessError(
            _("“%(position)s” is not a position on the %(body)s.")
            % {
                "position": BoardPosition(member.position).label
                if member.position in BoardPosition.values
                else member.position,
                "body": term.get_body_display(),
            },
            code="position_wrong_body",
            field="position",
        )
    others = list(term.members.exclude(pk=member.pk))
    if any(o.position == member.position and o.same_person(member) for o in others):
        raise BusinessError(
            _("%(name)s already holds this position on this term.") % {"name": member.name},
            code="already_in_position",
            field="position",
        )
    for single in (BoardPosition.CHAIR, BoardPosition.SUPERVISORY_CHAIR, BoardPosition.EXECUTIVE_SUPERVISOR):
        holder = next((o for o in others if o.position == single), None)
        if member.position == single and holder is not None:
            raise BusinessError(
                _("This term already has a %(position)s: %(name)s.")
                % {"position": BoardPosition(single).label, "name": holder.name},
                code="position_taken",
                field="position",
            )
    if term.body == BoardBody.SUPERVISORY:
        has_executive = any(o.position == BoardPosition.EXECUTIVE_SUPERVISOR for o in others)
        adds_executive = member.position == BoardPosition.EXECUTIVE_SUPERVISOR
        if (adds_executive and others) or (has_executive and not adds_executive):
            raise BusinessError(
                _("A cooperative has either one executive supervisor or a supervisory board (law Art. 33), not both."),
                code="executive_supervisor_alone",
                field="position",
            )
    _check_article_33(member, term)


@transaction.atomic
def board_member_create(*, actor: User, term: BoardTerm, **data) -> BoardMember:
    """Put a person in a position on a term, with the village two-committee posts they hold."""
    _require_row(actor, term, "change")
    Cooperative.objects.select_for_update().get(pk=term.cooperative_id)
    term = BoardTerm.objects.select_for_update().get(pk=term.pk)
    member = BoardMember(
        term=term,
        cooperative_id=term.cooperative_id,
        region_code=term.region_code,
        **{k: v for k, v in data.items() if k in MEMBER_FIELDS},
    )
    _check_member(member, term)
    member.save()
    assert_in_scope(actor, member, "add")
    logger.info("cooperatives.board.member_added", extra={"term_id": term.pk, "position": member.position})
    return member


@transaction.atomic
def board_member_update(*, actor: User, member: BoardMember, **data) -> BoardMember:
    """Change a person's position or two-committee posts (the term stays)."""
    _require_row(actor, member, "change")
    Cooperative.objects.select_for_update().get(pk=member.cooperative_id)
    member = BoardMember.objects.select_for_update().select_related("term").get(pk=member.pk)
    changed = [k for k in MEMBER_FIELDS if k in data]
    for k in changed:
        setattr(member, k, data[k] if data[k] is not None else "")
    _check_member(member, member.term)
    member.save(update_fields=[*changed, "updated_at"])
    assert_in_scope(actor, member, "change")
    return member


@transaction.atomic
def board_member_delete(*, actor: User, member: BoardMember) -> None:
    """Take a person off a term (recorded by mistake, or left office)."""
    _require_row(actor, member, "delete")
    BoardMember.objects.select_for_update().filter(pk=member.pk).delete()
