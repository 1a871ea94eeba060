"""Charters: drafting, township review item by item, the member assembly's vote, county filing, amendment.

Who does what (``Charter.tenancy``): the village accountant drafts, edits, submits, withdraws, records
the vote and opens amendments ("add"/"change"); the township official of the cooperative's township
reviews ("review", and the approval engine's exact-township rule); a county official files ("file").
A role that may see the charter but not do the step gets ``NotPermitted`` (403); a charter outside the
actor's jurisdiction is never reached (404 in pages and API).

Voting rule (law Arts. 14 and 30), chosen as follows and enforced by ``charter_record_vote``:

* a cooperative still being founded (status "preparing") adopting its first charter does so at the
  founding meeting (设立大会): all founders attend and adopt it unanimously (Art. 14) — every member
  present and every member voting for;
* every other adoption is a member assembly (成员大会) amending the charter (Art. 30): at least two
  thirds of all members present (quorum) and at least two thirds of *all* members' votes for (not of
  those present). A cooperative already operating that brings its existing charter onto the platform
  as version 1 adopts it this way too. Arithmetic is in integers: ``present × 3 ≥ total × 2``.
  Votes are counted one member one vote; additional votes (附加表决权, Art. 22) and higher
  thresholds a charter may set are not modelled here.
"""

from __future__ import annotations

import datetime
import logging
import os
import zipfile
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cooperatives.approvals import CHARTER_KIND
from cooperatives.choices import (
    EDITABLE_CHARTER_STATES,
    OPEN_CHARTER_STATES,
    AssemblyMeeting,
    CharterReviewItem,
    CharterState,
    CooperativeStatus,
    ReviewResult,
)
from cooperatives.models import Charter, CharterAttachment, CharterItemReview, Cooperative
from cooperatives.models.charters import SECTION_FIELDS
from core.choices import NotificationKind, Role
from core.exceptions import BusinessError, NotPermitted, StateConflict
from core.models import ApprovalRequest, ApprovalStep, User
from core.policies import policy_for
from core.services import approvals as engine
from core.services.notifications import chinese, notify, village_people
from core.tenancy import assert_in_scope

logger = logging.getLogger(__name__)

EDIT_FIELDS = (*SECTION_FIELDS, "amendment_note")
# Sections that must be written before the township can review the charter.
REQUIRED_SECTIONS = (
    "registered_name",
    "domicile",
    "business_scope",
    "organisation",
    "share_structure",
    "operating_mechanism",
    "surplus_distribution",
    "party_building",  # seed 002 §5: party building is written into the charter
)
# Attachments: extension → (content type, signatures the file must start with)
ATTACHMENT_TYPES = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
}
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024  # 10 MB
# Attachments may change until the township reviews and again between approval and filing (minutes
# of the vote, the signed text); not while the township is reviewing, nor once the version is filed.
ATTACHABLE_STATES = (
    CharterState.DRAFT,
    CharterState.RETURNED,
    CharterState.TOWNSHIP_APPROVED,
    CharterState.ADOPTED,
)


# -- helpers -----------------------------------------------------------------------------------------


def _may(actor: User, charter: Charter, action: str) -> bool:
    if actor.is_superuser:
        return True
    if charter.pk:
        return Charter.objects.for_user(actor, action).filter(pk=charter.pk).exists()
    return actor.jurisdiction.covers(charter.region_code, Charter.tenancy.roles_for(action))


def _require(actor: User, charter: Charter, action: str, message: str) -> None:
    """404 if the actor cannot see the charter at all; 403 (NotPermitted) if the step is not theirs."""
    if charter.pk and not Charter.objects.for_user(actor, "view").filter(pk=charter.pk).exists():
        raise Http404(str(Charter._meta.verbose_name))
    if not _may(actor, charter, action):
        raise NotPermitted(message)


def _lock(charter: Charter) -> Charter:
    return Charter.objects.select_for_update().select_related("cooperative").get(pk=charter.pk)


def _state_conflict(charter: Charter, message: str, code: str) -> StateConflict:
    return StateConflict(message % {"state": charter.get_state_display(), "version": charter.version}, code=code)


def _visible_cooperative(actor: User, cooperative: Cooperative) -> Cooperative:
    """The cooperative, locked, if the actor may see it (version numbers are allotted under this lock)."""
    if not Cooperative.objects.for_user(actor, "view").filter(pk=cooperative.pk).exists():
        raise Http404(str(Cooperative._meta.verbose_name))
    return Cooperative.objects.select_for_update().get(pk=cooperative.pk)


def _refuse_if_open_version(cooperative: Cooperative) -> None:
    current = Charter.objects.filter(cooperative=cooperative, state__in=OPEN_CHARTER_STATES).first()
    if current is not None:
        raise _state_conflict(
            current,
            _("Version %(version)s of this charter is still open (%(state)s): finish or withdraw it first."),
            "open_version_exists",
        )


def _next_version(cooperative: Cooperative) -> int:
    return (Charter.objects.filter(cooperative=cooperative).aggregate(m=Max("version"))["m"] or 0) + 1


def _clean_sections(data: Mapping) -> dict:
    cleaned = {}
    for name in EDIT_FIELDS:
        if name in data:
            value = data[name]
            cleaned[name] = value.strip() if isinstance(value, str) else value
    return cleaned


def _validate(charter: Charter, *, complete: bool) -> None:
    """Rules on the sections; ``complete`` adds what a submission needs."""
    if not (charter.distribution_policy or "").strip():
        raise BusinessError(
            _("Name the surplus-distribution policy the charter applies."),
            code="distribution_policy_required",
            field="distribution_policy",
        )
    if charter.collective_veto and not charter.collective_veto_matters.strip():
        raise BusinessError(
            _("List the matters on which the collective share holds a veto."),
            code="collective_veto_matters_required",
            field="collective_veto_matters",
        )
    if complete:
        for name in REQUIRED_SECTIONS:
            if not str(getattr(charter, name) or "").strip():
                label = Charter._meta.get_field(name).verbose_name
                raise BusinessError(
                    _("Write “%(section)s” before submitting: the township reviews it.") % {"section": label},
                    code="section_required",
                    field=name,
                )
    try:
        charter.full_clean(
            exclude=["cooperative", "created_by", "approval", "based_on", "filed_by"], validate_unique=False
        )
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise BusinessError(messages[0], code="invalid", field=field if field != "__all__" else None) from exc


def _title(charter: Charter) -> str:
    return _("%(name)s: charter, version %(version)s") % {"name": charter.cooperative.name, "version": charter.version}


# -- drafting -------------------------------------------------------------------------------------------


@transaction.atomic
def charter_create(*, actor: User, cooperative: Cooperative, **sections) -> Charter:
    """Open version 1 (or the next number after withdrawn ones) of a cooperative that has no charter in force.

    Sections not given start from the registry (name, address, business scope) and the county's
    default distribution policy for its kind (``policy_for(region_code).default_policy_for(kind)``).
    """
    coop = _visible_cooperative(actor, cooperative)
    charter = Charter(cooperative=coop, region_code=coop.region_code, created_by=actor)
    _require(actor, charter, "add", _("Only the village accountant drafts the charter."))
    _refuse_if_open_version(coop)
    if Charter.objects.filter(cooperative=coop, state=CharterState.EFFECTIVE).exists():
        raise StateConflict(
            _("This cooperative already has a charter in force: open an amendment of it instead."),
            code="use_amendment",
        )
    charter.registered_name = coop.name
    charter.domicile = coop.address
    charter.business_scope = coop.business_scope
    charter.distribution_policy = policy_for(coop.region_code).default_policy_for(coop.kind)
    for name, value in _clean_sections(sections).items():
        setattr(charter, name, value)
    charter.version = _next_version(coop)
    _validate(charter, complete=False)
    charter.save()
    assert_in_scope(actor, charter, "add")
    logger.info("cooperatives.charter.created", extra={"charter_id": charter.pk, "version": charter.version})
    return charter


@transaction.atomic
def charter_amend(*, actor: User, charter: Charter, amendment_note: str = "") -> Charter:
    """Open an amendment: a new draft version copying the sections of the effective ``charter``.

    The effective version stays in force until the amendment is filed. Attachments are not copied:
    they are the evidence of their own version (its signed text, its vote's minutes).
    """
    coop = _visible_cooperative(actor, charter.cooperative)
    _require(actor, charter, "add", _("Only the village accountant opens an amendment of the charter."))
    current = Charter.objects.get(pk=charter.pk)
    if current.state != CharterState.EFFECTIVE:
        raise _state_conflict(
            current,
            _("Only the charter in force can be amended; version %(version)s is “%(state)s”."),
            "not_effective",
        )
    _refuse_if_open_version(coop)
    draft = Charter(
        cooperative=coop,
        region_code=coop.region_code,
        created_by=actor,
        based_on=current,
        version=_next_version(coop),
        amendment_note=(amendment_note or "").strip(),
        **{name: getattr(current, name) for name in SECTION_FIELDS},
    )
    _validate(draft, complete=False)
    draft.save()
    assert_in_scope(actor, draft, "add")
    logger.info("cooperatives.charter.amendment_opened", extra={"charter_id": draft.pk, "based_on": current.pk})
    return draft


@transaction.atomic
def charter_update(*, actor: User, charter: Charter, **sections) -> Charter:
    """Change the sections of a draft or of a version the township returned."""
    _require(actor, charter, "change", _("Only the village accountant edits the charter."))
    charter = _lock(charter)
    if charter.state not in EDITABLE_CHARTER_STATES:
        raise _state_conflict(
            charter, _("Version %(version)s is “%(state)s”: it can no longer be edited."), "not_editable"
        )
    changes = _clean_sections(sections)
    for name, value in changes.items():
        setattr(charter, name, value)
    _validate(charter, complete=False)
    charter.save(update_fields=[*changes, "updated_at"])
    assert_in_scope(actor, charter, "change")
    return charter


# -- township review (through the approval engine) ---------------------------------------------------------


@transaction.atomic
def charter_submit(*, actor: User, charter: Charter, comment: str = "") -> Charter:
    """Send a draft (or a returned version, after changes) to the township's inbox."""
    _require(actor, charter, "change", _("Only the village accountant submits the charter to the township."))
    charter = _lock(charter)
    if charter.state not in EDITABLE_CHARTER_STATES:
        raise _state_conflict(
            charter, _("Version %(version)s is “%(state)s”: there is nothing to submit."), "not_submittable"
        )
    request = charter.approval
    if request is None or not request.is_open:
        request = engine.approval_request_create(
            actor=actor, subject=charter, kind=CHARTER_KIND, title=_title(charter), region_code=charter.region_code
        )
        charter.approval = request
        charter.save(update_fields=["approval", "updated_at"])
    engine.approval_submit(actor=actor, request=request, comment=comment)
    charter.refresh_from_db()
    return charter


def charter_on_submitted(*, request: ApprovalRequest, step: ApprovalStep) -> None:
    """Engine hook: the version entered the township's inbox (a new review round)."""
    charter = _lock(request.subject)
    if charter.state not in EDITABLE_CHARTER_STATES:
        raise _state_conflict(
            charter, _("Version %(version)s is “%(state)s”: there is nothing to submit."), "not_submittable"
        )
    _validate(charter, complete=True)
    charter.state = CharterState.SUBMITTED
    charter.submitted_at = timezone.now()
    charter.review_round += 1
    charter.approval = request
    charter.save(update_fields=["state", "submitted_at", "review_round", "approval", "updated_at"])
    logger.info("cooperatives.charter.submitted", extra={"charter_id": charter.pk, "round": charter.review_round})


def parse_checklist(raw) -> dict[str, dict[str, str]]:
    """Validate the township's checklist: each of the six items passed or returned, a returned one with a comment.

    Accepts ``{item: {"result": "pass"|"return", "comment": "…"}}``; returns it in the canonical order.
    """
    if not isinstance(raw, Mapping) or not raw:
        raise BusinessError(
            _("A charter is reviewed item by item: give a result for each of the six items on its review page."),
            code="checklist_required",
        )
    unknown = [k for k in raw if k not in CharterReviewItem.values]
    if unknown:
        raise BusinessError(
            _("Unknown review item: %(items)s.") % {"items": ", ".join(map(str, unknown))},
            code="checklist_unknown_item",
        )
    missing = [CharterReviewItem(k).label for k in CharterReviewItem.values if k not in raw]
    if missing:
        raise BusinessError(
            _("Review all six items; missing: %(items)s.") % {"items": "、".join(str(m) for m in missing)},
            code="checklist_incomplete",
        )
    checklist = {}
    for item in CharterReviewItem:
        entry = raw[item.value]
        if not isinstance(entry, Mapping):
            entry = {"result": entry}
        result = entry.get("result")
        comment = str(entry.get("comment") or "").strip()
        if result not in ReviewResult.values:
            raise BusinessError(
                _("Choose “passed” or “returned” for “%(item)s”.") % {"item": item.label},
                code="checklist_bad_result",
                field=item.value,
            )
        if result == ReviewResult.RETURN and not comment:
            raise BusinessError(
                _("Say what must change in “%(item)s”: the village sees your comment.") % {"item": item.label},
                code="checklist_comment_required",
                field=item.value,
            )
        checklist[item.value] = {"result": result, "comment": comment}
    return checklist


@transaction.atomic
def charter_review(*, actor: User, charter: Charter, items: Mapping, comment: str = "") -> Charter:
    """The township's item-by-item review: all six passed → approved; any returned → back to the village.

    The checklist goes into the approval step's ``details`` and onto ``CharterItemReview`` rows.
    """
    _require(actor, charter, "review", _("Only the township official reviews charters."))
    charter = _lock(charter)
    if charter.state != CharterState.SUBMITTED or charter.approval is None:
        raise _state_conflict(
            charter, _("Version %(version)s is “%(state)s”: it is not waiting for review."), "not_submitted"
        )
    checklist = parse_checklist(items)
    details = {"checklist": checklist}
    returned = [(k, v["comment"]) for k, v in checklist.items() if v["result"] == ReviewResult.RETURN]
    comment = (comment or "").strip()
    if returned:
        if not comment:
            comment = "；".join(f"{CharterReviewItem(k).label}：{c}" for k, c in returned)
        engine.approval_return(actor=actor, request=charter.approval, comment=comment, details=details)
    else:
        engine.approval_approve(actor=actor, request=charter.approval, comment=comment, details=details)
    charter.refresh_from_db()
    return charter


def charter_on_reviewed(*, request: ApprovalRequest, step: ApprovalStep, approved: bool) -> None:
    """Engine hook: record the checklist per item and move the version (approved or returned)."""
    charter = _lock(request.subject)
    if charter.state != CharterState.SUBMITTED:
        raise _state_conflict(
            charter, _("Version %(version)s is “%(state)s”: it is not waiting for review."), "not_submitted"
        )
    checklist = parse_checklist((step.details or {}).get("checklist"))
    any_returned = any(v["result"] == ReviewResult.RETURN for v in checklist.values())
    if approved and any_returned:
        raise BusinessError(
            _("An item was returned: return the charter to the village instead of approving it."),
            code="checklist_not_all_passed",
        )
    if not approved and not any_returned:
        raise BusinessError(
            _("Every item passed: approve the charter, or mark the items that must change."),
            code="checklist_all_passed",
        )
    CharterItemReview.objects.bulk_create(
        [
            CharterItemReview(
                charter=charter,
                region_code=charter.region_code,
                round=charter.review_round,
                item=item,
                result=entry["result"],
                comment=entry["comment"],
                reviewer=step.actor,
                step=step,
            )
            for item, entry in checklist.items()
        ]
    )
    if approved:
        charter.state = CharterState.TOWNSHIP_APPROVED
        charter.township_approved_at = timezone.now()
    else:
        charter.state = CharterState.RETURNED
    charter.save(update_fields=["state", "township_approved_at", "updated_at"])
    logger.info("cooperatives.charter.reviewed", extra={"charter_id": charter.pk, "state": charter.state})


def charter_on_closed(*, request: ApprovalRequest, step: ApprovalStep, rejected: bool) -> None:
    """Engine hook: the township refused the version for good, or the village withdrew it."""
    charter = _lock(request.subject)
    charter.state = CharterState.REJECTED if rejected else CharterState.WITHDRAWN
    charter.closed_at = timezone.now()
    charter.save(update_fields=["state", "closed_at", "updated_at"])


@transaction.atomic
def charter_withdraw(*, actor: User, charter: Charter, comment: str = "") -> Charter:
    """The village takes back a version that is not yet in force (e.g. the assembly voted it down)."""
    _require(actor, charter, "change", _("Only the village accountant withdraws the charter."))
    charter = _lock(charter)
    if charter.state not in OPEN_CHARTER_STATES:
        raise _state_conflict(
            charter, _("Version %(version)s is “%(state)s”: it cannot be withdrawn."), "not_withdrawable"
        )
    if charter.approval is not None and charter.approval.is_open:
        engine.approval_withdraw(actor=actor, request=charter.approval, comment=comment)
        charter.refresh_from_db()
    else:
        charter.state = CharterState.WITHDRAWN
        charter.closed_at = timezone.now()
        charter.save(update_fields=["state", "closed_at", "updated_at"])
    assert_in_scope(actor, charter, "change")
    return charter


# -- member assembly vote (law Arts. 14, 30) ------------------------------------------------------------------


def two_thirds_of(total: int) -> int:
    """The smallest whole number n with n ≥ ⅔ × total (30 → 20, 31 → 21, 10 → 7)."""
    return (2 * total + 2) // 3


def meeting_for(charter: Charter) -> str:
    """Founding meeting for the first charter of a cooperative being founded; otherwise the member assembly."""
    earlier = Charter.objects.filter(
        cooperative_id=charter.cooperative_id, state__in=[CharterState.EFFECTIVE, CharterState.SUPERSEDED]
    ).exclude(pk=charter.pk)
    if charter.cooperative.status == CooperativeStatus.PREPARING and not earlier.exists():
        return AssemblyMeeting.FOUNDING
    return AssemblyMeeting.MEMBER_ASSEMBLY


def _check_vote(*, meeting: str, total: int, present: int, votes_for: int, against: int, abstain: int) -> None:
    numbers = {"total": total, "present": present, "for": votes_for}
    if total < 1:
        raise BusinessError(
            _("Give the number of members of the cooperative."), code="members_total_required", field="members_total"
        )
    if min(present, votes_for, against, abstain) < 0:
        raise BusinessError(_("Counts cannot be negative."), code="negative_count")
    if present > total:
        raise BusinessError(
            _("%(present)s members present is more than the %(total)s members of the cooperative.") % numbers,
            code="present_exceeds_total",
            field="members_present",
        )
    if votes_for + against + abstain > present:
        raise BusinessError(
            _("%(cast)s votes were recorded but only %(present)s members were present (one member, one vote).")
            % {"cast": votes_for + against + abstain, "present": present},
            code="votes_exceed_present",
            field="votes_for",
        )
    if meeting == AssemblyMeeting.FOUNDING:
        # law Art. 14: all founders attend the founding meeting and adopt the charter unanimously
        if present != total:
            raise BusinessError(
                _(
                    "The founding meeting adopts the charter with all founders present (law Art. 14); "
                    "%(present)s of %(total)s attended."
                )
                % numbers,
                code="founding_not_all_present",
                field="members_present",
            )
        if votes_for != total:
            raise BusinessError(
                _(
                    "The founding meeting adopts the charter unanimously (law Art. 14); "
                    "%(for)s of %(total)s founders voted for."
                )
                % numbers,
                code="founding_not_unanimous",
                field="votes_for",
            )
        return
    needed = two_thirds_of(total)
    # law Art. 30: quorum two thirds of all members; a charter amendment needs two thirds of all votes
    if present * 3 < total * 2:
        raise BusinessError(
            _(
                "The member assembly needs at least two thirds of all members present (law Art. 30): "
                "%(needed)s of %(total)s, but %(present)s attended."
            )
            % {**numbers, "needed": needed},
            code="quorum_not_met",
            field="members_present",
        )
    if votes_for * 3 < total * 2:
        raise BusinessError(
            _(
                "Adopting or amending the charter needs the votes of at least two thirds of all members "
                "(law Art. 30): %(needed)s of %(total)s, but %(for)s voted for."
            )
            % {**numbers, "needed": needed},
            code="two_thirds_not_reached",
            field="votes_for",
        )


@transaction.atomic
def charter_record_vote(
    *,
    actor: User,
    charter: Charter,
    vote_date: datetime.date,
    members_total: int,
    members_present: int,
    votes_for: int,
    votes_against: int,
    votes_abstain: int,
) -> Charter:
    """Record the member assembly's vote on a township-approved version; refuse a vote that did not adopt it."""
    _require(actor, charter, "change", _("Only the village accountant records the member assembly's vote."))
    charter = _lock(charter)
    if charter.state != CharterState.TOWNSHIP_APPROVED:
        raise _state_conflict(
            charter,
            _("The member assembly votes on a charter the township has approved; version %(version)s is “%(state)s”."),
            "not_township_approved",
        )
    if vote_date > timezone.localdate():
        raise BusinessError(
            _("The date of the vote cannot be in the future."), code="vote_in_future", field="vote_date"
        )
    approved_on = timezone.localdate(charter.township_approved_at) if charter.township_approved_at else None
    if approved_on and vote_date < approved_on:
        raise BusinessError(
            _(
                "The member assembly votes after the township's approval of %(date)s "
                "(the district's implementing opinions, item 5)."
            )
            % {"date": approved_on.isoformat()},
            code="vote_before_approval",
            field="vote_date",
        )
    meeting = meeting_for(charter)
    _check_vote(
        meeting=meeting,
        total=members_total,
        present=members_present,
        votes_for=votes_for,
        against=votes_against,
        abstain=votes_abstain,
    )
    charter.meeting = meeting
    charter.vote_date = vote_date
    charter.members_total = members_total
    charter.members_present = members_present
    charter.votes_for = votes_for
    charter.votes_against = votes_against
    charter.votes_abstain = votes_abstain
    charter.state = CharterState.ADOPTED
    charter.adopted_at = timezone.now()
    charter.save(
        update_fields=[
            "meeting",
            "vote_date",
            "members_total",
            "members_present",
            "votes_for",
            "votes_against",
            "votes_abstain",
            "state",
            "adopted_at",
            "updated_at",
        ]
    )
    assert_in_scope(actor, charter, "change")
    logger.info("cooperatives.charter.adopted", extra={"charter_id": charter.pk})
    return charter


# -- county filing (备案) ------------------------------------------------------------------------------------------


CHARTER_FILED_TEXT = gettext_lazy("%(who)s filed version %(version)s of the charter of %(coop)s; it is now effective.")


@transaction.atomic
def charter_file(
    *, actor: User, charter: Charter, filed_on: datetime.date, filing_number: str = "", note: str = ""
) -> Charter:
    """The county keeps the adopted version on file: it becomes effective and the one it replaces is superseded."""
    _require(actor, charter, "file", _("Only a county official files charters."))
    previous_id = (
        Charter.objects.filter(cooperative_id=charter.cooperative_id, state=CharterState.EFFECTIVE)
        .exclude(pk=charter.pk)
        .values_list("pk", flat=True)
        .first()
    )
    # lock both rows in primary-key order
    locked = {
        c.pk: c
        for c in Charter.objects.select_for_update()
        .select_related("cooperative")
        .filter(pk__in=[charter.pk, *([previous_id] if previous_id else [])])
        .order_by("pk")
    }
    charter = locked[charter.pk]
    previous = locked.get(previous_id)
    if charter.state != CharterState.ADOPTED:
        raise _state_conflict(
            charter,
            _("The county files a charter the member assembly has adopted; version %(version)s is “%(state)s”."),
            "not_adopted",
        )
    if filed_on > timezone.localdate():
        raise BusinessError(_("The filing date cannot be in the future."), code="filed_in_future", field="filed_on")
    if charter.vote_date and filed_on < charter.vote_date:
        raise BusinessError(
            _("The filing date cannot be before the member assembly's vote of %(date)s.")
            % {"date": charter.vote_date.isoformat()},
            code="filed_before_vote",
            field="filed_on",
        )
    now = timezone.now()
    if previous is not None and previous.state == CharterState.EFFECTIVE:
        previous.state = CharterState.SUPERSEDED
        previous.superseded_at = now
        previous.save(update_fields=["state", "superseded_at", "updated_at"])
    charter.state = CharterState.EFFECTIVE
    charter.filed_on = filed_on
    charter.filing_number = (filing_number or "").strip()
    charter.filing_note = (note or "").strip()
    charter.filed_by = actor
    charter.save(update_fields=["state", "filed_on", "filing_number", "filing_note", "filed_by", "updated_at"])
    assert_in_scope(actor, charter, "file")
    notify(
        recipients=village_people(charter.region_code, Role.VILLAGE_ACCOUNTANT, Role.COOP_CHAIR),
        kind=NotificationKind.FILED,
        text=chinese(
            CHARTER_FILED_TEXT, who=actor.display_name, coop=charter.cooperative.name, version=charter.version
        ),
        link=charter.get_absolute_url(),
        event_key=f"charter:{charter.pk}:filed",
        region_code=charter.region_code,
    )
    logger.info(
        "cooperatives.charter.filed",
        extra={"charter_id": charter.pk, "superseded_id": previous.pk if previous else None},
    )
    return charter


# -- attachments ---------------------------------------------------------------------------------------------------


def _is_docx(upload) -> bool:
    """A DOCX is a ZIP holding ``word/document.xml`` (only the directory is read, nothing is unpacked)."""
    try:
        with zipfile.ZipFile(upload) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return False
    finally:
        upload.seek(0)


def _check_file(upload) -> tuple[str, str]:
    """(extension, content type) of an acceptable upload; refuse type, size and content that do not fit."""
    name = getattr(upload, "name", "") or ""
    ext = os.path.splitext(name)[1].lower()
    if ext not in ATTACHMENT_TYPES:
        raise BusinessError(
            _("Attach a PDF, JPG, PNG or DOCX file; “%(name)s” is not one.") % {"name": os.path.basename(name)},
            code="attachment_type",
            field="file",
        )
    size = upload.size or 0
    if size == 0:
        raise BusinessError(_("The file is empty."), code="attachment_empty", field="file")
    if size > ATTACHMENT_MAX_BYTES:
        raise BusinessError(
            _("The file is %(size).1f MB; attachments may be at most 10 MB.") % {"size": size / 1024 / 1024},
            code="attachment_too_large",
            field="file",
        )
    content_type, signatures = ATTACHMENT_TYPES[ext]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(sig) for sig in signatures) or (ext == ".docx" and not _is_docx(upload)):
        raise BusinessError(
            _("The content of “%(name)s” is not a %(ext)s file.")
            % {"name": os.path.basename(name), "ext": ext[1:].upper()},
            code="attachment_content",
            field="file",
        )
    return ext, content_type


@transaction.atomic
def charter_attachment_add(*, actor: User, charter: Charter, file, title: str = "") -> CharterAttachment:
    """Attach a PDF, JPG, PNG or DOCX of at most 10 MB to a version that is not under review nor filed."""
    _require(actor, charter, "change", _("Only the village accountant attaches files to the charter."))
    charter = _lock(charter)
    if charter.state not in ATTACHABLE_STATES:
        raise _state_conflict(
            charter, _("Version %(version)s is “%(state)s”: its attachments cannot change now."), "not_attachable"
        )
    _ext, content_type = _check_file(file)
    original = os.path.basename(file.name)[:200]
    attachment = CharterAttachment(
        charter=charter,
        region_code=charter.region_code,
        title=(title or "").strip()[:100] or original[:100],
        original_name=original,
        content_type=content_type,
        size=file.size,
        uploaded_by=actor,
    )
    attachment.file.save(original, file, save=False)
    attachment.save()
    assert_in_scope(actor, attachment, "change")
    return attachment


@transaction.atomic
def charter_attachment_remove(*, actor: User, attachment: CharterAttachment) -> None:
    """Remove an attachment from a version that may still change (the stored file is kept for the history)."""
    charter = attachment.charter
    _require(actor, charter, "change", _("Only the village accountant removes attachments."))
    charter = _lock(charter)
    if charter.state not in ATTACHABLE_STATES:
        raise _state_conflict(
            charter, _("Version %(version)s is “%(state)s”: its attachments cannot change now."), "not_attachable"
        )
    CharterAttachment.objects.filter(pk=attachment.pk, charter=charter).delete()
