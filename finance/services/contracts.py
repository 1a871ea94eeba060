"""Economic contracts: enter, submit for township review, file, record payments."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cooperatives.models import Cooperative
from core.choices import NotificationKind, Role
from core.exceptions import BusinessError, NotPermitted, StateConflict
from core.models import ApprovalRequest, User
from core.money import ZERO, money
from core.services.notifications import chinese, notify, village_people
from core.tenancy import assert_in_scope
from finance.choices import ContractDirection, ContractStatus, VoucherStatus
from finance.models import Contract, ContractInstalment, ContractPayment, Voucher

logger = logging.getLogger(__name__)
CONTRACT = "contract"
FIELDS = [
    "number",
    "subject",
    "counterparty",
    "counterparty_code",
    "direction",
    "amount",
    "signed_on",
    "start_date",
    "end_date",
    "note",
]


@dataclass
class InstalmentInput:
    due_date: datetime.date
    amount: Decimal
    note: str = ""


def _money_field(value, field: str) -> Decimal:
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise BusinessError(_("Give an amount in yuan."), code="invalid_amount", field=field) from exc
    if not amount.is_finite() or amount != money(amount) or amount <= 0 or amount >= Decimal("1e15"):
        raise BusinessError(_("Give an amount above zero, to the fen."), code="invalid_amount", field=field)
    return money(amount)


def _clean(data: dict, instalments: list[InstalmentInput]) -> tuple[dict, list[InstalmentInput]]:
    data = {k: v for k, v in data.items() if k in FIELDS}
    for field, message in (
        ("number", _("Give the contract number.")),
        ("subject", _("Say what the contract is about.")),
        ("counterparty", _("Name the other party.")),
    ):
        data[field] = (data.get(field) or "").strip()
        if not data[field]:
            raise BusinessError(message, code="required", field=field)
    data["direction"] = data.get("direction") or ContractDirection.PAYABLE
    if data["direction"] not in ContractDirection.values:
        raise BusinessError(_("Choose whether the cooperative pays or receives."), code="invalid", field="direction")
    data["amount"] = _money_field(data.get("amount"), "amount")
    start, end = data.get("start_date"), data.get("end_date")
    if not start or not end:
        raise BusinessError(
            _("Give the term of the contract."), code="required", field="start_date" if not start else "end_date"
        )
    if end < start:
        raise BusinessError(_("The term ends before it starts."), code="invalid_term", field="end_date")
    cleaned = []
    for i, instalment in enumerate(instalments, start=1):
        if instalment.due_date is None and not instalment.amount:
            continue
        if instalment.due_date is None:
            raise BusinessError(
                _("Instalment %(n)s: give the due date.") % {"n": i}, code="required", field="instalments"
            )
        amount = _money_field(instalment.amount, "instalments")
        cleaned.append(InstalmentInput(instalment.due_date, amount, (instalment.note or "").strip()[:200]))
    if not cleaned:
        cleaned = [InstalmentInput(end, data["amount"], "")]
    total = sum((i.amount for i in cleaned), ZERO)
    if total != data["amount"]:
        raise BusinessError(
            _("The instalments add up to %(total)s, the contract amount is %(amount)s: they must be equal.")
            % {"total": f"{total:,.2f}", "amount": f"{data['amount']:,.2f}"},
            code="schedule_total",
            field="instalments",
        )
    cleaned.sort(key=lambda i: i.due_date)
    return data, cleaned


def _check_file(file) -> None:
    """The signed contract as PDF, JPEG or PNG, 10 MB at most (the content decides, not the name)."""
    from finance.services.vouchers import MAX_ATTACHMENT_BYTES, _sniff

    if file.size > MAX_ATTACHMENT_BYTES:
        raise BusinessError(_("The file is larger than 10 MB."), code="file_too_large", field="file")
    head = file.read(16)
    file.seek(0)
    _sniff(head, file.name or "")


def _write_instalments(contract: Contract, instalments: list[InstalmentInput]) -> None:
    ContractInstalment.objects.bulk_create(
        [
            ContractInstalment(
                contract=contract,
                region_code=contract.region_code,
                sequence=n,
                due_date=i.due_date,
                amount=i.amount,
                note=i.note,
            )
            for n, i in enumerate(instalments, start=1)
        ]
    )


@transaction.atomic
def contract_create(
    *, actor: User, cooperative: Cooperative, instalments: list[InstalmentInput], file=None, **data
) -> Contract:
    """Enter a contract with its payment schedule (instalments summing exactly to the amount)."""
    data, instalments = _clean(data, instalments)
    if file:
        _check_file(file)
    if Contract.objects.filter(cooperative=cooperative, number=data["number"]).exists():
        raise BusinessError(_("This contract number is already in use."), code="number_taken", field="number")
    try:
        with transaction.atomic():
            contract = Contract.objects.create(
                cooperative=cooperative, region_code=cooperative.region_code, created_by=actor, **data
            )
    except IntegrityError as exc:
        raise BusinessError(_("This contract number is already in use."), code="number_taken", field="number") from exc
    if file:
        contract.file.save(file.name, file, save=True)
    _write_instalments(contract, instalments)
    assert_in_scope(actor, contract, "add")
    return contract


@transaction.atomic
def contract_update(
    *, actor: User, contract: Contract, instalments: list[InstalmentInput], file=None, **data
) -> Contract:
    """Change a draft contract (or one the township returned); the schedule is replaced."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if contract.status != ContractStatus.DRAFT:
        raise StateConflict(_("Only a draft contract can be changed."), code="not_draft")
    merged = {f: getattr(contract, f) for f in FIELDS} | data
    data, instalments = _clean(merged, instalments)
    if file:
        _check_file(file)
    if (
        Contract.objects.filter(cooperative_id=contract.cooperative_id, number=data["number"])
        .exclude(pk=contract.pk)
        .exists()
    ):
        raise BusinessError(_("This contract number is already in use."), code="number_taken", field="number")
    for field, value in data.items():
        setattr(contract, field, value)
    contract.save()
    if file:
        contract.file.save(file.name, file, save=True)
    contract.instalments.all().delete()
    _write_instalments(contract, instalments)
    assert_in_scope(actor, contract, "change")
    return contract


def _open_request(contract: Contract) -> ApprovalRequest | None:
    from django.contrib.contenttypes.models import ContentType

    return (
        ApprovalRequest.objects.filter(
            subject_type=ContentType.objects.get_for_model(Contract), subject_id=contract.pk, kind=CONTRACT
        )
        .exclude(state__in=["approved", "rejected", "withdrawn"])
        .first()
    )


@transaction.atomic
def contract_submit(*, actor: User, contract: Contract, comment: str = "") -> ApprovalRequest:
    """Send a draft contract to the township for review (002 §8; 004)."""
    from core.services.approvals import approval_request_create, approval_submit

    if not Contract.objects.for_user(actor, "change").filter(pk=contract.pk).exists():
        raise NotPermitted(_("You may not submit this contract."))
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if contract.status != ContractStatus.DRAFT:
        raise StateConflict(_("Only a draft contract can be submitted."), code="not_draft")
    request = _open_request(contract)
    if request is None:
        request = approval_request_create(
            actor=actor,
            subject=contract,
            kind=CONTRACT,
            title=_("Contract %(number)s: %(subject)s") % {"number": contract.number, "subject": contract.subject},
            region_code=contract.region_code,
            amount=contract.amount,
        )
    contract.status = ContractStatus.REVIEW
    contract.save(update_fields=["status", "updated_at"])
    return approval_submit(actor=actor, request=request, comment=comment)


def contract_reviewed(*, contract: Contract) -> Contract:
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if contract.status != ContractStatus.REVIEW:
        raise StateConflict(_("This contract is not under review."), code="not_in_review")
    contract.status = ContractStatus.APPROVED
    contract.save(update_fields=["status", "updated_at"])
    return contract


def contract_back_to_draft(*, contract: Contract) -> Contract:
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if contract.status == ContractStatus.REVIEW:
        contract.status = ContractStatus.DRAFT
        contract.save(update_fields=["status", "updated_at"])
    return contract


@transaction.atomic
def contract_file(*, actor: User, contract: Contract, filing_number: str = "") -> Contract:
    """The township files an approved contract (备案); from then on it is effective."""
    if not Contract.objects.for_user(actor, "file").filter(pk=contract.pk).exists():
        raise NotPermitted(_("Only the township files contracts."))
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if contract.status != ContractStatus.APPROVED:
        raise StateConflict(_("Only a contract the township has approved can be filed."), code="not_approved")
    contract.filing_number = (filing_number or "").strip()[:40] or f"{contract.region_code[:9]}-{contract.pk:06d}"
    contract.status = ContractStatus.EFFECTIVE
    contract.filed_at = timezone.now()
    contract.filed_by = actor
    contract.save(update_fields=["filing_number", "status", "filed_at", "filed_by", "updated_at"])
    assert_in_scope(actor, contract, "view")
    notify(
        recipients=village_people(contract.region_code, Role.VILLAGE_ACCOUNTANT, Role.COOP_CHAIR),
        kind=NotificationKind.FILED,
        text=chinese(
            CONTRACT_FILED_TEXT, who=actor.display_name, number=contract.number, filing=contract.filing_number
        ),
        link=contract.get_absolute_url(),
        event_key=f"contract:{contract.pk}:filed",
        region_code=contract.region_code,
    )
    return contract


CONTRACT_FILED_TEXT = gettext_lazy("%(who)s filed contract %(number)s (filing number %(filing)s); it is now effective.")


def paid_total(contract: Contract) -> Decimal:
    return contract.payments.aggregate(t=Sum("amount"))["t"] or ZERO


@transaction.atomic
def contract_payment_record(
    *, actor: User, contract: Contract, voucher: Voucher, amount, paid_on: datetime.date | None = None, note: str = ""
) -> ContractPayment:
    """Record a payment under an effective contract against its posted voucher; the contract is
    completed when nothing is outstanding."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if contract.status != ContractStatus.EFFECTIVE:
        raise StateConflict(_("Payments are recorded against an effective (filed) contract."), code="not_effective")
    amount = _money_field(amount, "amount")
    if voucher is None or voucher.cooperative_id != contract.cooperative_id:
        raise BusinessError(_("Choose a voucher of this cooperative."), code="foreign_voucher", field="voucher")
    voucher = Voucher.objects.select_for_update().get(pk=voucher.pk)
    if voucher.status != VoucherStatus.POSTED:
        raise BusinessError(_("Choose a posted voucher."), code="voucher_not_posted", field="voucher")
    outstanding = contract.amount - paid_total(contract)
    if amount > outstanding:
        raise BusinessError(
            _("Only %(outstanding)s is outstanding under this contract.") % {"outstanding": f"{outstanding:,.2f}"},
            code="overpaid",
            field="amount",
        )
    linked = voucher.contract_payments.aggregate(t=Sum("amount"))["t"] or ZERO
    if linked + amount > voucher.total_debit:
        raise BusinessError(
            _("The voucher's total (%(total)s) is already recorded against contracts.")
            % {"total": f"{voucher.total_debit:,.2f}"},
            code="voucher_exhausted",
            field="voucher",
        )
    payment = ContractPayment.objects.create(
        contract=contract,
        region_code=contract.region_code,
        voucher=voucher,
        amount=amount,
        paid_on=paid_on or voucher.date,
        note=(note or "").strip()[:200],
        recorded_by=actor,
    )
    if amount == outstanding:
        contract.status = ContractStatus.COMPLETED
        contract.save(update_fields=["status", "updated_at"])
    assert_in_scope(actor, payment, "add")
    return payment
