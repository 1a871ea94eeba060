"""Major matters (四议两公开): open a matter, record its six steps in order.

DOMAIN.md §5: party branch proposal → two-committee discussion → party-member meeting review →
member (representative) assembly resolution → publication of the resolution → publication of the
implementation result. Steps 2–4 are meetings that vote; a failed vote ends the matter as rejected.

Vote rules (the thresholds of steps 2–3 come from local practice, step 4 from the law):

* step 2, 两委会商议: more than half of the committee members present; carried by more than half
  of those present (majority rule).
* step 3, 党员大会审议: at least 2/3 of the party members due to attend present; carried by more
  than half of those due to attend.
* step 4, 成员(代表)大会决议 (law Art. 30): at least 2/3 of the members present; carried by more
  than half of all votes, or at least 2/3 for a charter amendment, merger, division, dissolution
  or founding/joining a federation. One member, one vote.

A meeting without a quorum is not recorded (reconvene it); a vote that does not carry is.

Who records (``PARTY_STEPS``, ``RESOLUTION``): the seeds and DOMAIN.md §5 set two bodies apart. Steps
1–3 are the village party organisation's: the branch proposes, the branch committee with the
villagers' committee discusses (where the secretary also directs the committee, 一肩挑, steps 1 and
2 may be one meeting), the party members review; seed 001 has the branch secretary chair the
cooperative, and seed 002 §4 asks that a matter "经村党组织研究讨论后，方可提交社员大会审议". Step 4
is the members' own decision (law Art. 30). So whoever recorded a party step of a matter does not
record the assembly's resolution of it: the proposal and the vote that adopts it are never in one
person's hands. A rule of four different recorders would leave most villages, with one accountant
and one chair to record, unable to finish a matter; the steps of one side may share a recorder.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperatives.choices import TWO_THIRDS_CATEGORIES, VOTING_STEPS, MatterCategory, MatterStatus, MatterStep
from cooperatives.files import check_upload, original_name
from cooperatives.models import Cooperative, MajorMatter, MajorMatterStep
from core.exceptions import BusinessError, StateConflict
from core.models import User
from core.tenancy import assert_in_scope

logger = logging.getLogger(__name__)


@transaction.atomic
def major_matter_open(
    *,
    actor: User,
    cooperative: Cooperative,
    title: str,
    category: str,
    amount: Decimal | None = None,
    description: str = "",
    subject=None,
) -> MajorMatter:
    """Open a major matter of ``cooperative``; ``subject`` links the object it decides (e.g. a
    distribution plan of a later app), whose resolution is then read with
    ``cooperatives.selectors.major_matter_resolution(subject=...)``."""
    if not (title or "").strip():
        raise BusinessError(_("Give the matter a title."), code="title_required", field="title")
    if category not in MatterCategory.values:
        raise BusinessError(_("Choose a category."), code="invalid_category", field="category")
    if amount is not None and amount < 0:
        raise BusinessError(_("The amount cannot be negative."), code="negative_amount", field="amount")
    matter = MajorMatter(
        cooperative=cooperative,
        region_code=cooperative.region_code,
        title=title.strip(),
        category=category,
        amount=amount,
        description=description,
        created_by=actor,
    )
    if subject is not None:
        matter.subject_type = ContentType.objects.get_for_model(subject)
        matter.subject_id = subject.pk
    matter.save()
    assert_in_scope(actor, matter, "add")
    return matter


@dataclass(frozen=True)
class Tally:
    expected: int
    present: int
    votes_for: int
    votes_against: int
    votes_abstain: int


def _tally(
    *, expected: int | None, present: int | None, votes_for: int | None, against: int | None, abstain: int | None
) -> Tally:
    values = {
        "expected_attendance": expected,
        "present": present,
        "votes_for": votes_for,
        "votes_against": against,
        "votes_abstain": abstain,
    }
    for field, value in values.items():
        if value is None:
            raise BusinessError(
                _("A meeting that votes records attendance and the votes for, against and abstaining."),
                code="votes_required",
                field=field,
            )
        if value < 0:
            raise BusinessError(_("Counts cannot be negative."), code="negative_count", field=field)
    if expected == 0:
        raise BusinessError(
            _("Give how many were due to attend."), code="expected_required", field="expected_attendance"
        )
    if present > expected:
        raise BusinessError(
            _("More present (%(present)s) than due to attend (%(expected)s).")
            % {"present": present, "expected": expected},
            code="present_above_expected",
            field="present",
        )
    if votes_for + against + abstain > present:
        raise BusinessError(
            _("The votes (%(votes)s) outnumber those present (%(present)s).")
            % {"votes": votes_for + against + abstain, "present": present},
            code="votes_above_present",
            field="votes_for",
        )
    return Tally(expected, present, votes_for, against, abstain)


def has_quorum(step: int, tally: Tally) -> bool:
    if step == MatterStep.DISCUSSION:
        return tally.present * 2 > tally.expected  # more than half of the committee members
    return tally.present * 3 >= tally.expected * 2  # at least two thirds (law Art. 30 for step 4)


def is_carried(step: int, category: str, tally: Tally) -> bool:
    if step == MatterStep.DISCUSSION:
        return tally.votes_for * 2 > tally.present  # majority of those present
    if step == MatterStep.RESOLUTION and category in TWO_THIRDS_CATEGORIES:
        return tally.votes_for * 3 >= tally.expected * 2  # law Art. 30: two thirds of all votes
    return tally.votes_for * 2 > tally.expected  # more than half of those due to attend / of all votes


# the village party organisation's deliberations, and the members' resolution that follows them
PARTY_STEPS = frozenset({MatterStep.PROPOSAL, MatterStep.DISCUSSION, MatterStep.REVIEW})
ASSEMBLY_STEPS = frozenset({MatterStep.RESOLUTION})


def _check_recorder(actor: User, matter: MajorMatter, step: MatterStep) -> None:
    """Four eyes on 四议两公开: who recorded a step of one side (the party organisation's steps 1–3,
    the assembly's step 4) does not record a step of the other side of the same matter."""
    if step in ASSEMBLY_STEPS:
        other = PARTY_STEPS
    elif step in PARTY_STEPS:
        other = ASSEMBLY_STEPS
    else:
        return
    mine = matter.steps.filter(step__in=other, recorded_by=actor).order_by("step").first()
    if mine is not None:
        raise BusinessError(
            _(
                "You recorded “%(mine)s” of this matter, so another person records “%(step)s”: the party "
                "organisation's steps and the assembly's resolution are recorded by different people."
            )
            % {"mine": mine.get_step_display(), "step": step.label},
            code="same_recorder",
        )


@transaction.atomic
def major_matter_record_step(
    *,
    actor: User,
    matter: MajorMatter,
    step: int,
    held_on: date,
    minutes: str = "",
    outcome: str = "",
    attachment=None,
    expected_attendance: int | None = None,
    present: int | None = None,
    votes_for: int | None = None,
    votes_against: int | None = None,
    votes_abstain: int | None = None,
) -> MajorMatterStep:
    """Record the next step of a matter.

    Refused: a step out of order (naming the step that is missing), a date before the previous
    step's or in the future, a meeting without minutes, a vote without counts or without a quorum.
    A vote that does not carry ends the matter as rejected; step 6 completes it.
    """
    matter = MajorMatter.objects.select_for_update().get(pk=matter.pk)
    assert_in_scope(actor, matter, "change")  # before anything (a file) is written
    try:
        step = MatterStep(int(step))
    except (TypeError, ValueError):
        raise BusinessError(_("Choose a step."), code="invalid_step", field="step") from None
    if matter.status == MatterStatus.REJECTED:
        raise StateConflict(
            _("This matter was rejected at “%(step)s”; no further step can be recorded.")
            % {"step": MatterStep(matter.current_step).label},
            code="matter_rejected",
        )
    if matter.status == MatterStatus.COMPLETED:
        raise StateConflict(_("All six steps of this matter are recorded."), code="matter_completed")
    if step <= matter.current_step:
        raise StateConflict(_("“%(step)s” is already recorded.") % {"step": step.label}, code="step_already_recorded")
    expected_next = MatterStep(matter.current_step + 1)
    if step != expected_next:
        raise BusinessError(
            _("“%(step)s” cannot be recorded yet: record “%(missing)s” first (四议两公开 goes in order).")
            % {"step": step.label, "missing": expected_next.label},
            code="step_out_of_order",
            field="step",
        )
    if held_on is None:
        raise BusinessError(_("Give the date."), code="date_required", field="held_on")
    if held_on > timezone.localdate():
        raise BusinessError(_("The date cannot be in the future."), code="date_in_future", field="held_on")
    previous = matter.steps.filter(step=matter.current_step).first() if matter.current_step else None
    if previous is not None and held_on < previous.held_on:
        raise BusinessError(
            _("The date cannot be before “%(step)s” (%(date)s).")
            % {"step": previous.get_step_display(), "date": previous.held_on.isoformat()},
            code="date_before_previous_step",
            field="held_on",
        )
    _check_recorder(actor, matter, step)
    minutes = (minutes or "").strip()
    outcome = (outcome or "").strip()
    if step <= MatterStep.RESOLUTION and not minutes and attachment is None:
        raise BusinessError(
            _("Record the minutes of the meeting, or attach them."), code="minutes_required", field="minutes"
        )
    if step >= MatterStep.RESOLUTION_PUBLISHED and not outcome:
        raise BusinessError(_("Say where and how it was published."), code="publication_required", field="outcome")
    check_upload(attachment, field="attachment")

    row = MajorMatterStep(
        matter=matter,
        region_code=matter.region_code,
        step=step,
        held_on=held_on,
        minutes=minutes,
        outcome=outcome,
        recorded_by=actor,
    )
    if step in VOTING_STEPS:
        tally = _tally(
            expected=expected_attendance,
            present=present,
            votes_for=votes_for,
            against=votes_against,
            abstain=votes_abstain,
        )
        if not has_quorum(step, tally):
            raise BusinessError(
                _("No quorum: %(present)s of %(expected)s present. The meeting must be convened again.")
                % {"present": tally.present, "expected": tally.expected},
                code="no_quorum",
                field="present",
            )
        row.expected_attendance = tally.expected
        row.present = tally.present
        row.votes_for = tally.votes_for
        row.votes_against = tally.votes_against
        row.votes_abstain = tally.votes_abstain
        row.passed = is_carried(step, matter.category, tally)
    if attachment is not None:
        row.attachment_name = original_name(attachment)
        row.attachment = attachment
    row.save()

    matter.current_step = step
    if row.passed is False:
        matter.status = MatterStatus.REJECTED
    elif step == MatterStep.RESULT_PUBLISHED:
        matter.status = MatterStatus.COMPLETED
    matter.save(update_fields=["current_step", "status", "updated_at"])
    assert_in_scope(actor, row, "add")
    logger.info(
        "cooperatives.major_matter.step", extra={"matter_id": matter.pk, "step": int(step), "passed": row.passed}
    )
    return row
