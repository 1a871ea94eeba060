"""Approval policies of the finance app: expenditures (township or chair), economic contracts and
reopening a closed month (township).

DOMAIN.md 1.4 (seed 004): contracts and any expenditure of 10,000 yuan or more need township review
and approval; the amount is the county profile's ``expenditure_approval_threshold``. Below it the
cooperative chair approves. The decision posts the voucher (or moves the contract on).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.approvals import ApprovalPolicy, Stage, approval_policies
from core.choices import RegionLevel, Role


class _VoucherPolicy(ApprovalPolicy):
    submitter_roles = frozenset({Role.VILLAGE_ACCOUNTANT, Role.SYSTEM_ADMIN})

    def beneficiaries(self, subject) -> set[int]:
        """The payee's logins (``finance.services.payees.payee_users``): a refund to the chair goes
        past the chair to the township."""
        from finance.services.payees import payee_users

        return payee_users(subject)

    def facts(self, subject, user) -> list[tuple[str, str]]:
        from finance.selectors.payees import payee_facts

        return payee_facts(subject, user)

    def on_approved(self, request, step) -> None:
        from finance.services.vouchers import voucher_approved

        voucher_approved(voucher=request.subject, actor=step.actor)

    def _back(self, request) -> None:
        from finance.services.vouchers import voucher_back_to_draft

        if request.subject is not None:
            voucher_back_to_draft(voucher=request.subject)

    def on_returned(self, request, step) -> None:
        self._back(request)

    def on_rejected(self, request, step) -> None:
        self._back(request)

    def on_withdrawn(self, request, step) -> None:
        self._back(request)


@approval_policies.register
class ExpenditureApproval(_VoucherPolicy):
    """A payment at or above the county's threshold: the township approves it."""

    kind = "expenditure"
    verbose_name = _("Expenditure (township)")

    def stages(self, subject) -> list[Stage]:
        return [Stage(Role.TOWNSHIP_OFFICIAL, RegionLevel.TOWNSHIP)]


@approval_policies.register
class SmallExpenditureApproval(_VoucherPolicy):
    """A payment below the threshold: the cooperative chair's approval suffices."""

    kind = "expenditure_small"
    verbose_name = _("Expenditure (chair)")

    def stages(self, subject) -> list[Stage]:
        return [Stage(Role.COOP_CHAIR, RegionLevel.VILLAGE)]


@approval_policies.register
class ContractApproval(ApprovalPolicy):
    """An economic contract: the township reviews it; once approved the township files it."""

    kind = "contract"
    verbose_name = _("Economic contract")
    submitter_roles = frozenset({Role.VILLAGE_ACCOUNTANT, Role.SYSTEM_ADMIN})

    def stages(self, subject) -> list[Stage]:
        return [Stage(Role.TOWNSHIP_OFFICIAL, RegionLevel.TOWNSHIP)]

    def on_approved(self, request, step) -> None:
        from finance.services.contracts import contract_reviewed

        contract_reviewed(contract=request.subject)

    def _back(self, request) -> None:
        from finance.services.contracts import contract_back_to_draft

        if request.subject is not None:
            contract_back_to_draft(contract=request.subject)

    def on_returned(self, request, step) -> None:
        self._back(request)

    def on_rejected(self, request, step) -> None:
        self._back(request)

    def on_withdrawn(self, request, step) -> None:
        self._back(request)


@approval_policies.register
class PeriodReopenApproval(ApprovalPolicy):
    """Reopening a closed month (反结账): the accountant asks with a reason, the township decides."""

    kind = "period_reopen"
    verbose_name = _("Reopening a closed month")
    submitter_roles = frozenset({Role.VILLAGE_ACCOUNTANT, Role.SYSTEM_ADMIN})

    def stages(self, subject) -> list[Stage]:
        return [Stage(Role.TOWNSHIP_OFFICIAL, RegionLevel.TOWNSHIP)]

    def on_approved(self, request, step) -> None:
        from finance.services.closing import period_reopen

        period_reopen(actor=step.actor, period=request.subject)
