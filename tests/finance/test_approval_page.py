"""The approval page stands alone (issue "Daily work" item 3): the township decides a payment
from it without opening anything else: village and cooperative by name, the payee, the amount in
figures and in capitals, the voucher's lines, its files opened in the page, the warnings and the
next step."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from core.models import ApprovalRequest
from finance.services.vouchers import attachment_add, voucher_submit
from tests.conftest import fresh
from tests.finance.factories import payee, voucher
from tests.finance.matrix import PNG

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 3)


def _page(client, user, request) -> str:
    client.force_login(user)
    with translation.override("zh-hans"):
        response = client.get(f"/approvals/{request.pk}/")
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def _seedlings(acc, books, paid_to, attachment_count: int = 0):
    """10,000.00 paid from the bank for seedlings, submitted: the township decides it."""
    draft = voucher(
        acc,
        books,
        DAY,
        "购买苗木",
        ("141", "10000.00", 0),
        ("102", 0, "10000.00"),
        post=False,
        attachment_count=attachment_count,
        paid_to=paid_to,
    )
    return draft, voucher_submit(actor=acc, voucher=draft)


def test_the_township_reads_the_whole_payment_on_the_page(client, world, books, acc, seed004):
    # to a named supplier, claiming two receipts, none uploaded yet
    supplier = payee(name="沂水县绿源苗木场", code="91371323MA3C8KXX1C", account="6228480012345678")
    draft, request = _seedlings(acc, books, supplier, attachment_count=2)
    page = _page(client, world.twp_t1, request)

    assert "许家湖镇 · 东安村" in page and books.name in page
    assert "371323104201" not in page  # the village by name, not by code
    assert "¥10,000.00" in page and "壹万元整" in page
    assert "沂水县绿源苗木场" in page  # the payee
    # the voucher's lines, with their total in capitals
    assert "141" in page and "102" in page and page.count("10,000.00") >= 3
    # two receipts claimed, none uploaded: the decider is warned
    assert "凭证注明附件2张，实际上传0张。" in page
    assert "下一步：由乡镇审核员审批。 批准后：凭证记账。" in page

    # with one receipt uploaded the page shows it inline, and still warns of the second
    attachment = attachment_add(
        actor=fresh(acc),
        voucher=draft,
        file=SimpleUploadedFile("发票.png", PNG, content_type="image/png"),
    )
    page = _page(client, world.twp_t1, request)
    assert f'<img class="img-fluid border" src="/finance/attachments/{attachment.pk}/"' in page
    assert "凭证注明附件2张，实际上传1张。" in page
    # the file may open inside this site's pages, and only there
    response = client.get(f"/finance/attachments/{attachment.pk}/")
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    assert response["Content-Disposition"].startswith("inline")


def test_the_payee_who_asks_and_a_split_payment_are_flagged(client, world, books, acc, chair, seed004):
    # the accountant pays 6,000.00 to himself, then 5,000.00 more within the county's window
    me = payee(name=acc.full_name)
    first = voucher(acc, books, DAY, "报销差旅费", ("521", "6000.00", 0), ("101", 0, "6000.00"), post=False, paid_to=me)
    voucher_submit(actor=acc, voucher=first)
    second = voucher(
        acc,
        books,
        DAY + datetime.timedelta(days=2),
        "报销差旅费",
        ("521", "5000.00", 0),
        ("101", 0, "5000.00"),
        post=False,
        paid_to=me,
    )
    request = voucher_submit(actor=fresh(acc), voucher=second)
    assert request.kind == "expenditure"  # 11,000.00 together: the township decides
    page = _page(client, world.twp_t1, request)
    assert "收款人就是提出这笔付款的人。" in page
    assert "同一收款人" in page and "共收款11,000.00元（含本笔5,000.00元）" in page
    assert "伍仟元整" in page


def test_a_settled_request_names_what_its_approval_did(client, world, books, acc, seed004):
    from core.services.approvals import approval_approve

    _draft, request = _seedlings(acc, books, payee(name="苗木场"))
    approval_approve(actor=world.twp_t1, request=ApprovalRequest.objects.get(pk=request.pk))
    page = _page(client, world.twp_t1, request)
    assert "已批准：凭证记账。" in page
    assert "审批前请核对" not in page  # warnings are for open requests


def test_a_returned_payment_resubmitted_from_the_page_goes_through_the_payment_rules(
    client, world, books, acc, seed004
):
    from core.services.approvals import approval_return
    from finance.models import Voucher

    draft, request = _seedlings(acc, books, payee(name="苗木场"))
    approval_return(actor=world.twp_t1, request=ApprovalRequest.objects.get(pk=request.pk), comment="请补发票")
    draft.refresh_from_db()
    assert draft.status == "draft"

    # the payee was cleared while it was back with the accountant: the page refuses, as the voucher does
    Voucher.objects.filter(pk=draft.pk).update(payee_name="")
    client.force_login(acc)
    with translation.override("zh-hans"):
        answer = client.post(f"/approvals/{request.pk}/act/", {"action": "submit"}, follow=True).content.decode()
    assert "写明收款人" in answer
    draft.refresh_from_db()
    assert draft.status == "draft"

    Voucher.objects.filter(pk=draft.pk).update(payee_name="苗木场")
    client.post(f"/approvals/{request.pk}/act/", {"action": "submit", "comment": "发票已补"})
    draft.refresh_from_db()
    request.refresh_from_db()
    assert draft.status == "pending" and request.state == "submitted" and request.decider_role == "township_official"
