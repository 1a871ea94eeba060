"""Economic contracts: schedule = amount, township review and filing, payments, attention list."""

import datetime
from decimal import Decimal

import pytest

from core.exceptions import BusinessError, NotPermitted, StateConflict
from core.models import ApprovalRequest
from core.services.approvals import approval_approve
from finance.models import Contract
from finance.selectors.contracts import contracts_needing_attention, overdue_instalments, with_payment_figures
from finance.services.contracts import (
    InstalmentInput,
    contract_create,
    contract_file,
    contract_payment_record,
    contract_submit,
)
from tests.finance.factories import book

D = Decimal


def _contract(acc, coop, number="HT-1", end=datetime.date(2026, 12, 31), instalments=None):
    return contract_create(
        actor=acc,
        cooperative=coop,
        number=number,
        subject="冷库租赁",
        counterparty="东安村股份经济合作社",
        amount=D("24000.00"),
        start_date=datetime.date(2026, 1, 1),
        end_date=end,
        instalments=instalments
        if instalments is not None
        else [
            InstalmentInput(datetime.date(2026, 3, 31), D("12000")),
            InstalmentInput(datetime.date(2026, 9, 30), D("12000")),
        ],
    )


def test_schedule_must_add_up_to_the_amount(books, acc):
    with pytest.raises(BusinessError) as err:
        _contract(acc, books, instalments=[InstalmentInput(datetime.date(2026, 3, 31), D("12000")),
                                           InstalmentInput(datetime.date(2026, 9, 30), D("11999.99"))])  # fmt: skip
    assert err.value.code == "schedule_total"
    # no schedule: one payment at the end of the term
    single = _contract(acc, books, number="HT-2", instalments=[])
    assert list(single.instalments.values_list("due_date", "amount")) == [(datetime.date(2026, 12, 31), D("24000"))]


def test_review_filing_and_payments(books, acc, chair, township):
    contract = _contract(acc, books)
    with pytest.raises(StateConflict):  # not reviewed yet
        contract_file(actor=township, contract=contract)
    request = contract_submit(actor=acc, contract=contract)
    assert request.kind == "contract" and request.decider_role == "township_official"
    approval_approve(actor=township, request=ApprovalRequest.objects.get(pk=request.pk))
    contract.refresh_from_db()
    assert contract.status == "approved"
    with pytest.raises(NotPermitted):  # the accountant does not file
        contract_file(actor=acc, contract=contract)
    contract = contract_file(actor=township, contract=contract, filing_number="许备-3")
    assert contract.status == "effective" and contract.filing_number == "许备-3"

    pay = book(acc, books, datetime.date(2026, 3, 30), "付租金", ("523", "12000", 0), ("102", 0, "12000"),
               chair=chair, township=township)  # fmt: skip
    contract_payment_record(actor=acc, contract=contract, voucher=pay, amount=D("12000"))
    with pytest.raises(BusinessError) as err:  # the voucher is used up
        contract_payment_record(actor=acc, contract=contract, voucher=pay, amount=D("1"))
    assert err.value.code == "voucher_exhausted"
    row = with_payment_figures(Contract.objects.filter(pk=contract.pk), datetime.date(2026, 10, 1)).get()
    # due before 1 October: 24,000; paid 12,000 → the second instalment is overdue
    assert (row.paid, row.due_to_date) == (D("12000"), D("24000"))
    schedule = overdue_instalments(contract, row.paid, datetime.date(2026, 10, 1))
    assert [(r["paid"], r["overdue"]) for r in schedule] == [(D("12000"), False), (D("0"), True)]
    pay2 = book(acc, books, datetime.date(2026, 4, 2), "付租金", ("523", "12000", 0), ("102", 0, "12000"),
                chair=chair, township=township)  # fmt: skip
    with pytest.raises(BusinessError):
        contract_payment_record(actor=acc, contract=contract, voucher=pay2, amount=D("12000.01"))
    contract_payment_record(actor=acc, contract=contract, voucher=pay2, amount=D("12000"))
    contract.refresh_from_db()
    assert contract.status == "completed"
    with pytest.raises(StateConflict):
        contract_payment_record(actor=acc, contract=contract, voucher=pay2, amount=D("1"))


def test_attention_list(books, acc, township, world):
    def effective(number, end, instalments):
        c = _contract(acc, books, number=number, end=end, instalments=instalments)
        approval_approve(
            actor=township, request=ApprovalRequest.objects.get(pk=contract_submit(actor=acc, contract=c).pk)
        )
        return contract_file(actor=township, contract=c)

    today = datetime.date(2026, 6, 15)
    ending = effective("HT-A", datetime.date(2026, 7, 10), [])  # ends in 25 days
    overdue = effective(
        "HT-B",
        datetime.date(2027, 6, 30),
        [InstalmentInput(datetime.date(2026, 6, 1), D("4000")), InstalmentInput(datetime.date(2027, 6, 1), D("20000"))],
    )
    effective("HT-C", datetime.date(2027, 6, 30), [])  # nothing due yet, ends in a year
    _contract(acc, books, number="HT-D", end=datetime.date(2026, 6, 20))  # a draft: not effective
    found = list(contracts_needing_attention(township, today=today))
    assert found == [ending, overdue]
    assert list(contracts_needing_attention(world.twp_t2, today=today)) == []
