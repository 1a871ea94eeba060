"""Approval policies: how each kind of subject is approved and how it reacts to decisions.

An app plugs a subject into the engine by registering a policy::

    @approval_policies.register
    class CharterApproval(ApprovalPolicy):
        kind = "charter"
        verbose_name = _("Charter")

        def stages(self, subject):
            return [Stage(Role.TOWNSHIP_OFFICIAL, RegionLevel.TOWNSHIP)]

        def on_approved(self, request, step):
            charter_mark_approved(charter=request.subject, ...)

Hooks run inside the transaction of the decision, so a subject that refuses rolls it back.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.utils.translation import gettext_lazy as _

from core.choices import PREFIX_LENGTH, RegionLevel, Role


@dataclass(frozen=True)
class Stage:
    """One decider in the chain: a role at a level above (or at) the subject's village."""

    role: str
    level: str

    def as_dict(self) -> dict:
        return asdict(self)

    def decider_prefix(self, region_code: str) -> str:
        return region_code[: PREFIX_LENGTH[RegionLevel(self.level)]]


class ApprovalPolicy:
    """Base policy; subclasses set ``kind`` and override what differs."""

    kind: str = ""
    verbose_name = _("Approval")
    # what the last stage's approval does, named on the request's page as its last step
    on_approval_label = _("The request is approved")
    # the request page's own section about the subject (lines, files), given ``detail``
    detail_template: str = ""
    # Roles that may create and submit a request for this kind of subject.
    submitter_roles = frozenset({Role.VILLAGE_ACCOUNTANT, Role.COOP_CHAIR, Role.SUPERVISOR, Role.SYSTEM_ADMIN})

    def stages(self, subject) -> list[Stage]:
        return [Stage(Role.TOWNSHIP_OFFICIAL, RegionLevel.TOWNSHIP)]

    def beneficiaries(self, subject) -> set[int]:
        """The users who gain from the subject (the payee of a payment): like who asked for the
        decision, they never give it, and where they hold the deciding role the level above decides."""
        return set()

    def facts(self, subject, user) -> list[tuple[str, str]]:
        """What the decider reads about the subject on the request's page, as (label, value) pairs
        (``user`` is the reader: personal data is shown as ``core.privacy`` allows them)."""
        return []

    def detail(self, subject, user) -> dict:
        """What ``detail_template`` shows of the subject to ``user``."""
        return {}

    def warnings(self, subject, request) -> list[str]:
        """What the decider should look at twice before deciding (a missing attachment, a payee who
        asked for the payment), in words."""
        return []

    def submit(self, *, actor, request, comment: str = ""):
        """Send the request (again) from its page or the API. A subject with its own submission
        (a payment: payee, route and the voucher's state) overrides this to go through it."""
        from core.services.approvals import approval_submit

        return approval_submit(actor=actor, request=request, comment=comment)

    def subject_url(self, subject) -> str | None:
        get_url = getattr(subject, "get_absolute_url", None)
        return get_url() if get_url else None

    def on_submitted(self, request, step) -> None:
        """The request entered (or re-entered) the inbox."""

    def on_approved(self, request, step) -> None:
        """The last stage approved."""

    def on_returned(self, request, step) -> None:
        """A decider returned it for changes."""

    def on_rejected(self, request, step) -> None:
        """A decider refused it for good."""

    def on_withdrawn(self, request, step) -> None:
        """The submitter withdrew it."""


class PolicyRegistry:
    def __init__(self):
        self._policies: dict[str, ApprovalPolicy] = {}

    def register(self, policy_class: type[ApprovalPolicy]) -> type[ApprovalPolicy]:
        if not policy_class.kind:
            raise ValueError("an approval policy needs a kind")
        self._policies[policy_class.kind] = policy_class()
        return policy_class

    def get(self, kind: str) -> ApprovalPolicy:
        try:
            return self._policies[kind]
        except KeyError:
            raise LookupError(f"no approval policy registered for kind {kind!r}") from None

    def kinds(self) -> list[tuple[str, str]]:
        return [(k, str(p.verbose_name)) for k, p in sorted(self._policies.items())]


approval_policies = PolicyRegistry()
