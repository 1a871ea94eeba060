"""Approval engine services: create, submit, approve, return, reject, withdraw.

Each locks the request row, checks the state machine and the actor, records an ApprovalStep and
calls the subject's policy hook, all in one transaction.
"""

from __future__ import annotations

import logging
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.approvals import Stage, approval_policies
from core.choices import ApprovalAction, ApprovalState, NotificationKind, RegionLevel, Role
from core.exceptions import BusinessError, NotPermitted, StateConflict
from core.models import ApprovalRequest, ApprovalStep, User

logger = logging.getLogger(__name__)

# state machine: action → (states it may start from, state it leads to)
TRANSITIONS = {
    ApprovalAction.SUBMIT: ({ApprovalState.DRAFT, ApprovalState.RETURNED}, ApprovalState.SUBMITTED),
    ApprovalAction.APPROVE: ({ApprovalState.SUBMITTED}, ApprovalState.APPROVED),
    ApprovalAction.RETURN: ({ApprovalState.SUBMITTED}, ApprovalState.RETURNED),
    ApprovalAction.REJECT: ({ApprovalState.SUBMITTED}, ApprovalState.REJECTED),
    ApprovalAction.WITHDRAW: (
        {ApprovalState.DRAFT, ApprovalState.SUBMITTED, ApprovalState.RETURNED},
        ApprovalState.WITHDRAWN,
    ),
}


# four eyes: who asked for a decision never gives it; where they hold the deciding role themselves,
# the level above decides (a chair's own payment goes to the township, a township's to the county)
NEXT_LEVEL = {
    RegionLevel.VILLAGE: Stage(Role.TOWNSHIP_OFFICIAL, RegionLevel.TOWNSHIP),
    RegionLevel.TOWNSHIP: Stage(Role.COUNTY_OFFICIAL, RegionLevel.COUNTY),
}


def beneficiaries(request: ApprovalRequest) -> set[int]:
    """The users the request's subject benefits (its policy says who: the payee of a payment)."""
    try:
        policy = approval_policies.get(request.kind)
    except LookupError:
        return set()
    subject = request.subject
    return set(policy.beneficiaries(subject)) if subject is not None else set()


def interested(request: ApprovalRequest) -> set[int]:
    """The users who may not decide ``request``: who opened it, who last submitted it and whom its
    subject benefits (``ApprovalPolicy.beneficiaries``)."""
    people = {request.requested_by_id}
    submitter = (
        request.steps.filter(action=ApprovalAction.SUBMIT).order_by("-pk").values_list("actor_id", flat=True).first()
        if request.pk
        else None
    )
    return people | ({submitter} if submitter else set()) | beneficiaries(request)


def _holds(user: User, role: str, prefix: str) -> bool:
    return any(grant.prefix == prefix for grant in user.jurisdiction.grants_for(role))


def can_decide(user: User, request: ApprovalRequest) -> str | None:
    """The role in which ``user`` may decide ``request`` now, or None.

    The deciders are the holders of the current stage's role bound exactly to the region the stage
    names (the subject's township for a township stage, its county for a county stage), except the
    people who asked for the decision (``interested``).
    """
    if request.state != ApprovalState.SUBMITTED or not request.decider_role:
        return None
    role = next(
        (g.role for g in user.jurisdiction.grants_for(request.decider_role) if g.prefix == request.decider_prefix),
        request.decider_role if user.is_superuser else None,
    )
    if role is None or user.pk in interested(request):
        return None
    return role


def can_submit(user: User, request: ApprovalRequest) -> str | None:
    """The role in which ``user`` may submit or withdraw ``request``, or None."""
    policy = approval_policies.get(request.kind)
    for grant in user.jurisdiction.grants_for(*policy.submitter_roles):
        if request.region_code.startswith(grant.prefix):
            return grant.role
    return None


def deciders(request: ApprovalRequest):
    """The people who may decide ``request`` now (``can_decide``'s rule as a query): the holders of
    the current stage's role bound to its region, without the people who asked for the decision."""
    from core.services.notifications import holders

    if request.state != ApprovalState.SUBMITTED or not request.decider_role:
        return User.objects.none()
    return holders(roles=[request.decider_role], prefix=request.decider_prefix).exclude(pk__in=interested(request))


# what each step tells whom (core.services.notifications): the text is written in Chinese at once
STEP_TEXT = {
    NotificationKind.SUBMITTED: gettext_lazy("%(who)s asks for your decision on “%(title)s”."),
    NotificationKind.RETURNED: gettext_lazy("%(who)s returned “%(title)s” for changes: %(comment)s"),
    NotificationKind.REJECTED: gettext_lazy("%(who)s did not approve “%(title)s”: %(comment)s"),
    NotificationKind.APPROVED: gettext_lazy("%(who)s approved “%(title)s”."),
}
NEXT_STAGE_TEXT = gettext_lazy("%(who)s agreed to “%(title)s”; it now waits for your decision.")


def _tell(request: ApprovalRequest, step: ApprovalStep, kind: str, *, next_stage: bool = False) -> None:
    """Notify who must act after ``step``: the deciders when it waits on a decision, else who asked."""
    from core.services.notifications import chinese, notify

    if kind == NotificationKind.SUBMITTED:
        recipients = list(deciders(request))
    else:
        recipients = [request.requested_by_id, *(interested(request) - {request.requested_by_id})]
    template = NEXT_STAGE_TEXT if next_stage else STEP_TEXT[kind]
    text = chinese(template, who=step.actor.display_name, title=request.title, comment=step.comment.strip())
    notify(
        recipients=recipients,
        kind=kind,
        text=text,
        link=reverse("core:approval_detail", args=[request.pk]),
        event_key=f"approval:{request.pk}:step:{step.pk}",
        region_code=request.region_code,
    )


def _lock(request: ApprovalRequest) -> ApprovalRequest:
    return ApprovalRequest.objects.select_for_update().get(pk=request.pk)


def _record(request, *, action, from_state, actor, role, comment="", details=None) -> ApprovalStep:
    return ApprovalStep.objects.create(
        request=request,
        action=action,
        from_state=from_state,
        to_state=request.state,
        stage_index=request.stage_index,
        actor=actor,
        actor_role=role or "",
        comment=comment,
        details=details or {},
    )


def _set_stage(request: ApprovalRequest, index: int) -> None:
    request.stage_index = index
    stage = request.current_stage
    if stage:
        request.decider_role = stage["role"]
        level_len = {"prefecture": 4, "county": 6, "township": 9, "village": 12}[stage["level"]]
        request.decider_prefix = request.region_code[:level_len]
    else:
        request.decider_role = ""
        request.decider_prefix = ""


@transaction.atomic
def approval_request_create(
    *,
    actor: User,
    subject,
    kind: str,
    title: str,
    region_code: str,
    amount: Decimal | None = None,
    reason: str = "",
) -> ApprovalRequest:
    """Open a draft approval request for ``subject``; the policy of ``kind`` names the stages.
    ``reason`` says why the request goes to these deciders (shown with the request)."""
    policy = approval_policies.get(kind)
    stages = [s.as_dict() for s in policy.stages(subject)]
    if not stages:
        raise BusinessError(_("This kind of request has no deciders configured."), code="no_stages")
    request = ApprovalRequest(
        kind=kind,
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        title=title,
        region_code=region_code,
        stages=stages,
        amount=amount,
        reason=(reason or "")[:300],
        requested_by=actor,
    )
    if can_submit(actor, request) is None and not actor.is_superuser:
        raise NotPermitted(_("You may not open an approval request for this object."))
    if ApprovalRequest.objects.filter(
        kind=kind,
        subject_type=request.subject_type,
        subject_id=subject.pk,
        state__in=[ApprovalState.DRAFT, ApprovalState.SUBMITTED, ApprovalState.RETURNED],
    ).exists():
        raise StateConflict(_("This object already has an open approval request."), code="already_open")
    _set_stage(request, 0)
    request.save()
    _record(request, action=ApprovalAction.CREATE, from_state="", actor=actor, role=can_submit(actor, request))
    return request


def _transition(request, action, *, actor, role, comment="", details=None) -> ApprovalStep:
    allowed_from, to_state = TRANSITIONS[action]
    if request.state not in allowed_from:
        raise StateConflict(
            _("This request is “%(state)s”; that step is not possible now.") % {"state": request.get_state_display()},
        )
    from_state = request.state
    request.state = to_state
    now = timezone.now()
    if action == ApprovalAction.SUBMIT:
        request.submitted_at = now
        request.decided_at = None
    elif action in (ApprovalAction.APPROVE, ApprovalAction.REJECT, ApprovalAction.RETURN):
        request.decided_at = now
    return _record(
        request, action=action, from_state=from_state, actor=actor, role=role, comment=comment, details=details
    )


@transaction.atomic
def approval_submit(
    *, actor: User, request: ApprovalRequest, comment: str = "", reason: str | None = None
) -> ApprovalRequest:
    """Send a draft (or a returned request, after changes) to its first decider; ``reason``, when
    given, replaces why the request goes to its deciders (the figures may have changed)."""
    request = _lock(request)
    role = can_submit(actor, request)
    if role is None and not actor.is_superuser:
        raise NotPermitted(_("You may not submit this request."))
    if reason is not None:
        request.reason = reason[:300]
    _set_stage(request, 0)
    people = {request.requested_by_id, actor.pk} | beneficiaries(request)
    escalated = _past_the_interested(request, people)
    details = {"escalated_from": escalated} if escalated else None
    step = _transition(request, ApprovalAction.SUBMIT, actor=actor, role=role, comment=comment, details=details)
    request.save()
    approval_policies.get(request.kind).on_submitted(request, step)
    _tell(request, step, NotificationKind.SUBMITTED)
    logger.info("core.approval.submitted", extra={"approval_id": request.pk, "kind": request.kind})
    return request


def _past_the_interested(request: ApprovalRequest, people: set[int]) -> list[str]:
    """Move the request past every stage whose role one of ``people`` holds for the stage's region,
    adding the level above when the last stage is theirs; the roles passed over, for the record."""
    users = list(User.objects.filter(pk__in=people))
    passed = []
    while request.current_stage and any(_holds(u, request.decider_role, request.decider_prefix) for u in users):
        passed.append(request.decider_role)
        if request.stage_index + 1 >= len(request.stages):
            above = NEXT_LEVEL.get(request.current_stage["level"])
            if above is None:
                break  # nobody above the county here: its other officials decide
            request.stages = [*request.stages, above.as_dict()]
        _set_stage(request, request.stage_index + 1)
    return passed


def _decide_check(actor, request) -> str:
    role = can_decide(actor, request)
    if role is None:
        if request.state != ApprovalState.SUBMITTED:
            raise StateConflict(_("This request is not waiting for a decision."))
        if actor.pk in beneficiaries(request):
            raise NotPermitted(
                _("This request benefits you (you are its payee), so another official decides it."),
                code="own_request",
            )
        if actor.pk in interested(request):
            raise NotPermitted(_("You asked for this decision, so another official gives it."), code="own_request")
        raise NotPermitted(_("This request waits for another official."))
    return role


@transaction.atomic
def approval_approve(
    *, actor: User, request: ApprovalRequest, comment: str = "", details: dict | None = None
) -> ApprovalRequest:
    """Approve the current stage; the request is approved when the last stage approves."""
    request = _lock(request)
    role = _decide_check(actor, request)
    if request.stage_index + 1 < len(request.stages):
        # an intermediate stage: record it and hand over to the next decider
        step = _record(
            request,
            action=ApprovalAction.APPROVE,
            from_state=request.state,
            actor=actor,
            role=role,
            comment=comment,
            details=details,
        )
        _set_stage(request, request.stage_index + 1)
        request.save()
        _tell(request, step, NotificationKind.SUBMITTED, next_stage=True)
        return request
    step = _transition(request, ApprovalAction.APPROVE, actor=actor, role=role, comment=comment, details=details)
    request.save()
    approval_policies.get(request.kind).on_approved(request, step)
    _tell(request, step, NotificationKind.APPROVED)
    logger.info("core.approval.approved", extra={"approval_id": request.pk, "kind": request.kind})
    return request


@transaction.atomic
def approval_return(
    *, actor: User, request: ApprovalRequest, comment: str, details: dict | None = None
) -> ApprovalRequest:
    """Send the request back for changes; a reason is required."""
    if not (comment or "").strip():
        raise BusinessError(
            _("Say what must be changed before returning the request."), code="comment_required", field="comment"
        )
    request = _lock(request)
    role = _decide_check(actor, request)
    step = _transition(request, ApprovalAction.RETURN, actor=actor, role=role, comment=comment, details=details)
    request.save()
    approval_policies.get(request.kind).on_returned(request, step)
    _tell(request, step, NotificationKind.RETURNED)
    return request


@transaction.atomic
def approval_reject(
    *, actor: User, request: ApprovalRequest, comment: str, details: dict | None = None
) -> ApprovalRequest:
    """Refuse the request for good; a reason is required."""
    if not (comment or "").strip():
        raise BusinessError(_("Give the reason for the refusal."), code="comment_required", field="comment")
    request = _lock(request)
    role = _decide_check(actor, request)
    step = _transition(request, ApprovalAction.REJECT, actor=actor, role=role, comment=comment, details=details)
    request.save()
    approval_policies.get(request.kind).on_rejected(request, step)
    _tell(request, step, NotificationKind.REJECTED)
    return request


@transaction.atomic
def approval_withdraw(*, actor: User, request: ApprovalRequest, comment: str = "") -> ApprovalRequest:
    """The submitting side takes an open request back (e.g. the subject was replaced)."""
    request = _lock(request)
    role = can_submit(actor, request)
    if role is None and not actor.is_superuser:
        raise NotPermitted(_("You may not withdraw this request."))
    step = _transition(request, ApprovalAction.WITHDRAW, actor=actor, role=role, comment=comment)
    _set_stage(request, len(request.stages))
    request.save()
    approval_policies.get(request.kind).on_withdrawn(request, step)
    return request
