"""Vouchers: balance to the fen, numbering at posting, immutability enforced by PostgreSQL, red-ink reversal."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, transaction

from core.exceptions import BusinessError, StateConflict
from finance.models import Voucher, VoucherLine
from finance.services.vouchers import (
    LineInput,
    attachment_add,
    voucher_create,
    voucher_delete,
    voucher_post,
    voucher_reverse,
    voucher_update,
)
from tests.finance.factories import D, MemberFactory, account, balance, close_months, lines, period, voucher

JAN = datetime.date(2026, 1, 12)


def test_unbalanced_voucher_is_refused(books, acc):
    # debit 100.00 against credit 99.99: one fen apart, refused and nothing written
    with pytest.raises(BusinessError) as err:
        voucher(acc, books, JAN, "不平", ("101", "100.00", 0), ("501", 0, "99.99"), post=False)
    assert err.value.code == "unbalanced"
    assert "0.01" in err.value.message
    assert not Voucher.objects.exists()


@pytest.mark.parametrize(
    ("rows", "code"),
    [
        ((("101", "100", "100"), ("501", 0, "0")), "one_side"),  # both columns on one line
        ((("101", "-5", 0), ("501", 0, "-5")), "one_side"),  # negative outside a reversal
        ((("101", "1.005", 0), ("501", 0, "1.005")), "invalid_amount"),  # below the fen
        ((("101", "10", 0),), "too_few_lines"),
        ((("102", "10", 0), ("332", 0, "10")), "not_leaf"),  # 332 has sub-accounts
    ],
)
def test_line_rules(books, acc, rows, code):
    with pytest.raises(BusinessError) as err:
        voucher(acc, books, JAN, "错", *rows, post=False)
    assert err.value.code == code


def test_draft_has_no_number_posting_numbers_per_month(books, acc):
    first = voucher(acc, books, JAN, "销售", ("101", "10", 0), ("501", 0, "10"), post=False)
    assert first.number is None and first.status == "draft"
    second = voucher(acc, books, JAN, "销售", ("101", "20", 0), ("501", 0, "20"))
    first = voucher_post(actor=acc, voucher=first)
    feb = voucher(acc, books, datetime.date(2026, 2, 1), "销售", ("101", "5", 0), ("501", 0, "5"))
    # numbers follow the posting order within each month; February starts again at 1
    assert (second.number, first.number, feb.number) == (1, 2, 1)
    assert first.display_number == "记-0002"
    assert list(VoucherLine.objects.filter(voucher=first).values_list("is_posted", flat=True)) == [True, True]


def test_draft_changes_and_deletion(books, acc):
    v = voucher(acc, books, JAN, "草稿", ("101", "10", 0), ("501", 0, "10"), post=False)
    v = voucher_update(
        actor=acc, voucher=v, date=JAN, summary="改过", lines=lines(books, ("102", "30", 0), ("501", 0, "30"))
    )
    assert v.total_debit == D("30") and v.lines.count() == 2
    voucher_delete(actor=acc, voucher=v)
    assert not Voucher.objects.exists() and not VoucherLine.objects.exists()


def _refused(sql, params):
    with pytest.raises(DatabaseError) as err, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
    return str(err.value)


def test_posted_voucher_update_and_delete_are_refused_by_the_database(books, acc):
    v = voucher(acc, books, JAN, "已记账", ("101", "100.00", 0), ("501", 0, "100.00"))
    line = v.lines.first()
    # raw SQL: nothing of the application is in the way, PostgreSQL refuses by itself
    assert "voucher_posted_immutable" in _refused(
        "UPDATE finance_voucher SET summary = 'changed' WHERE id = %s", [v.pk]
    )
    _refused("DELETE FROM finance_voucher WHERE id = %s", [v.pk])
    assert "line_posted_immutable" in _refused("UPDATE finance_voucherline SET debit = 1 WHERE id = %s", [line.pk])
    _refused("DELETE FROM finance_voucherline WHERE id = %s", [line.pk])
    v.refresh_from_db()
    assert v.summary == "已记账" and v.lines.count() == 2
    # a draft is still an ordinary row
    draft = voucher(acc, books, JAN, "草稿", ("101", "1", 0), ("501", 0, "1"), post=False)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE finance_voucher SET summary = 'ok' WHERE id = %s", [draft.pk])


def test_database_refuses_an_unbalanced_posted_voucher(books, acc):
    v = voucher(acc, books, JAN, "已记账", ("101", "100.00", 0), ("501", 0, "100.00"))
    with pytest.raises(DatabaseError) as err, transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        VoucherLine.objects.create(
            voucher=v,
            cooperative=books,
            region_code=books.region_code,
            period=v.period,
            line_no=3,
            account=account(books, "101"),
            debit=D("0.01"),
            is_posted=True,
        )
    assert "does not balance" in str(err.value)


def test_member_lines_follow_the_lines_posted_and_balanced(books, acc):
    """A voucher written with a line per member given as columns (how a distribution plan posts):
    Dr 3320102 盈余返还 600.01, Cr 221 应付盈余返还 甲 300.00, 乙 200.00, 丙 100.01."""
    from finance.services.vouchers import MemberLines, create_posted_voucher_row

    members = [MemberFactory(cooperative=books, name=n) for n in ("甲", "乙", "丙")]
    refunds = [D("300.00"), D("200.00"), D("100.01")]

    def write(debit):
        return create_posted_voucher_row(
            actor=acc,
            cooperative=books,
            period=period(books, 2026, 1),
            date=JAN,
            summary="2025年盈余返还",
            lines=lines(books, ("3320102", debit, 0)),
            member_lines=MemberLines(account(books, "221"), [m.pk for m in members], refunds),
        )

    with pytest.raises(BusinessError) as err:
        write("600.00")  # one fen short of 300.00 + 200.00 + 100.01
    assert err.value.code == "unbalanced"
    assert not Voucher.objects.exists()

    posted = write("600.01")
    assert (posted.display_number, posted.status, posted.total_debit, posted.payment_amount) == (
        "记-0001",
        "posted",
        D("600.01"),
        0,
    )
    assert list(
        posted.lines.order_by("line_no").values_list(
            "line_no", "account__code", "debit", "credit", "member__name", "summary", "is_posted"
        )
    ) == [
        (1, "3320102", D("600.01"), 0, None, "2025年盈余返还", True),
        (2, "221", 0, D("300.00"), "甲", "2025年盈余返还", True),
        (3, "221", 0, D("200.00"), "乙", "2025年盈余返还", True),
        (4, "221", 0, D("100.01"), "丙", "2025年盈余返还", True),
    ]
    # credit balances read negative: 221 holds 600.01 owed, 100.01 of it to 丙
    assert balance(books, "221", month=1) == D("-600.01")
    assert balance(books, "221", month=1, member=members[2]) == D("-100.01")
    with pytest.raises(ValueError, match="an amount for each member"):
        MemberLines(account(books, "221"), [members[0].pk], refunds)


def test_reversal_nets_to_zero_and_cannot_be_repeated(books, acc):
    original = voucher(acc, books, JAN, "误记销售", ("101", "999.00", 0), ("501", 0, "999.00"))
    reversal = voucher_reverse(actor=acc, voucher=original, date=datetime.date(2026, 1, 20))
    assert reversal.kind == "reversal" and reversal.reverses == original and reversal.number == 2
    # red ink: the same accounts and columns with negated amounts
    assert list(reversal.lines.order_by("line_no").values_list("account__code", "debit", "credit")) == [
        ("101", D("-999.00"), D("0.00")),
        ("501", D("0.00"), D("-999.00")),
    ]
    assert balance(books, "101", month=1) == 0 and balance(books, "501", month=1) == 0
    with pytest.raises(StateConflict) as err:
        voucher_reverse(actor=acc, voucher=original)
    assert err.value.code == "already_reversed"
    with pytest.raises(StateConflict):
        voucher_reverse(actor=acc, voucher=reversal)
    # and the database's one-to-one link refuses a second reversal too
    with pytest.raises(DatabaseError), transaction.atomic():
        Voucher.objects.create(
            cooperative=books,
            region_code=books.region_code,
            period=original.period,
            date=JAN,
            summary="再冲",
            kind="reversal",
            reverses=original,
        )


def test_closed_period_refuses_posting(books, acc):
    draft_feb = voucher(acc, books, datetime.date(2026, 2, 3), "二月", ("101", "5", 0), ("501", 0, "5"), post=False)
    posted = voucher(acc, books, JAN, "一月", ("101", "10", 0), ("501", 0, "10"))
    close_months(acc, books, 2026, 1)
    with pytest.raises(StateConflict) as err:
        voucher(acc, books, JAN, "补记", ("101", "1", 0), ("501", 0, "1"), post=False)
    assert err.value.code == "period_closed"
    with pytest.raises(StateConflict):
        voucher_update(
            actor=acc,
            voucher=draft_feb,
            date=JAN,
            summary="挪到一月",
            lines=lines(books, ("101", "5", 0), ("501", 0, "5")),
        )
    # the database refuses a posted line in a closed month even without the service
    with pytest.raises(DatabaseError) as dberr, transaction.atomic():
        VoucherLine.objects.create(
            voucher=posted,
            cooperative=books,
            region_code=books.region_code,
            period=period(books, 2026, 1),
            line_no=9,
            account=account(books, "101"),
            debit=D("1"),
            is_posted=True,
        )
    assert "is closed" in str(dberr.value)
    # nor a draft's lines marked posted once their month is closed (the statement's rows are checked)
    with pytest.raises(DatabaseError) as dberr, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE finance_period SET status = 'closed' WHERE id = %s", [draft_feb.period_id])
        cursor.execute("UPDATE finance_voucherline SET is_posted = true WHERE voucher_id = %s", [draft_feb.pk])
    assert "is closed" in str(dberr.value)


def test_red_ink_lines_only_in_reversals(books, acc):
    with pytest.raises(BusinessError):
        voucher_create(
            actor=acc,
            cooperative=books,
            date=JAN,
            summary="负数",
            lines=[
                LineInput(account=account(books, "101"), debit=Decimal("-1")),
                LineInput(account=account(books, "501"), credit=Decimal("-1")),
            ],
        )


def test_attachments(books, acc):
    v = voucher(acc, books, JAN, "附件", ("101", "10", 0), ("501", 0, "10"), post=False)
    pdf = attachment_add(actor=acc, voucher=v, file=SimpleUploadedFile("发票.pdf", b"%PDF-1.4 test"))
    assert pdf.content_type == "application/pdf"
    with pytest.raises(BusinessError) as err:  # a script renamed to .png
        attachment_add(actor=acc, voucher=v, file=SimpleUploadedFile("x.png", b"<script>alert(1)</script>"))
    assert err.value.code == "file_type"
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024))
    with pytest.raises(BusinessError) as err:
        attachment_add(actor=acc, voucher=v, file=big)
    assert err.value.code == "file_too_large"
    v = voucher_post(actor=acc, voucher=v)
    with pytest.raises(StateConflict):
        attachment_add(actor=acc, voucher=v, file=SimpleUploadedFile("b.png", b"\x89PNG\r\n\x1a\n000"))
