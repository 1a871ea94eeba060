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
    on_approval_label = _("the voucher is posted to the books")
    detail_template = "finance/includes/approval_voucher.html"

    def detail(self, subject, user) -> dict:
        """The voucher as the decider checks it: its lines and its files (opened in the page)."""
        return {
            "voucher": subject,
            "lines": subject.lines.select_related("account", "member", "project").order_by("line_no"),
            "attachments": list(subject.attachments.order_by("pk")),
        }

    def submit(self, *, actor, request, comment: str = ""):
        """A returned payment goes back through ``voucher_submit``: the payee is required again, the
        route (chair or township, split payments) is worked out again and the voucher waits."""
        from finance.services.vouchers import voucher_submit

        if request.subject is None:
            return super().submit(actor=actor, request=request, comment=comment)
        return voucher_submit(actor=actor, voucher=request.subject, comment=comment)

    def warnings(self, subject, request) -> list[str]:
        from finance.services.payees import payee_users
        from finance.services.vouchers import approval_route

        found = []
        uploaded = subject.attachments.count()
        if uploaded != subject.attachment_count:
            found.append(
                _("The voucher claims %(claimed)s attachments; %(uploaded)s are uploaded.")
                % {"claimed": subject.attachment_count, "uploaded": uploaded}
            )
        if subject.has_payee and request.requested_by_id in payee_users(subject):
            found.append(_("The payee is the person who asks for the payment."))
        route = approval_route(subject)
        if route is not None and route.total > route.amount:
            found.append(
                _(
                    "The same payee is paid %(total)s yuan within %(days)s days, this payment of %(amount)s "
                    "included: check that one payment was not split into parts."
                )
                % {"total": f"{route.total:,.2f}", "days": route.days, "amount": f"{route.amount:,.2f}"}
            )
        return found

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
    on_approval_label = _("the township files the contract")
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
    on_approval_label = _("the month is open again for corrections")
    submitter_roles = frozenset({Role.VILLAGE_ACCOUNTANT, Role.SYSTEM_ADMIN})

    def stages(self, subject) -> list[Stage]:
        return [Stage(Role.TOWNSHIP_OFFICIAL, RegionLevel.TOWNSHIP)]

    def on_approved(self, request, step) -> None:
        from finance.services.closing import period_reopen

        period_reopen(actor=step.actor, period=request.subject)
