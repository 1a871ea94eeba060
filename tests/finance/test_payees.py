"""The payee of a payment (issue 17, finding 4: four eyes).

A payment names who is paid: a member of the cooperative or a named party. The payee never decides
the payment: a refund to the chair goes to the township. Payments to one payee within the county's
window (30 days) add up against the threshold (10,000.00), so a payment split into parts still goes
to the township.

Hand-worked, one member paid three times within a week (threshold 10,000.00, window 30 days):

    5 Jan   9,000.00   9,000.00 < 10,000.00                      → the chair
    8 Jan   6,000.00   9,000.00 + 6,000.00 = 15,000.00 ≥ 10,000   → the township
   11 Jan   5,000.00   15,000.00 + 5,000.00 = 20,000.00 ≥ 10,000  → the township
   11 Jan   4,000.00   to another member: 4,000.00                → the chair
"""

import datetime

import pytest
from django.utils import translation

from core.choices import ApprovalAction, Role
from core.exceptions import BusinessError, NotPermitted
from core.models import ApprovalRequest
from core.selectors import approval_inbox
from core.services.approvals import approval_approve, approval_return
from finance.models import Voucher
from finance.services.vouchers import approval_route, voucher_post, voucher_submit
from members.demo import collective_uscc
from tests.conftest import fresh
from tests.factories import UserFactory
from tests.finance.factories import MemberFactory, account, payee, voucher

JAN = {d: datetime.date(2026, 1, d) for d in range(1, 32)}  # JAN[5] is 5 January 2026


def _pay(acc, coop, day, amount, paid_to, summary="付款"):
    return voucher(acc, coop, day, summary, ("211", amount, 0), ("102", 0, amount), post=False, paid_to=paid_to)


def _submit(acc, coop, day, amount, paid_to, summary="付款"):
    with translation.override("zh-hans"):
        request = voucher_submit(actor=acc, voucher=_pay(acc, coop, day, amount, paid_to, summary))
    request.refresh_from_db()
    return request


@pytest.fixture
def zhao(books):
    """The member 赵德明 of 东安村's cooperative."""
    return MemberFactory(cooperative=books, number=2, name="赵德明")


# -- the payee is named -------------------------------------------------------------------------------


def test_a_payment_is_not_submitted_without_its_payee(books, acc, seed004):
    draft = _pay(acc, books, JAN[8], "800.00", None)
    with translation.override("zh-hans"), pytest.raises(BusinessError) as refused:
        voucher_submit(actor=acc, voucher=draft)
    assert refused.value.code == "payee_required" and refused.value.field == "payee_name"
    assert refused.value.message == "这张凭证支付 800.00 元：提交审批前请写明收款人（本社成员，或收款人名称）。"
    draft.refresh_from_db()
    assert draft.status == "draft" and not ApprovalRequest.objects.exists()
    # a receipt names nobody and is posted as before
    receipt = voucher(acc, books, JAN[8], "收款", ("102", "500", 0), ("501", 0, "500"))
    assert receipt.status == "posted" and not receipt.has_payee


def test_the_payee_is_a_member_or_a_named_party_never_both(books, acc, coop, world):
    member = MemberFactory(cooperative=books, name="孙丽华")
    uscc = collective_uscc("371323104201")
    supplier = _pay(acc, books, JAN[8], "800.00", payee(name="沂水县农资公司", code=uscc, account="6228 4800 1234"))
    assert (supplier.payee_name, supplier.payee_code, supplier.payee_account) == (
        "沂水县农资公司",
        uscc,
        "622848001234",
    )
    assert (
        _pay(acc, books, JAN[8], "800.00", payee(member=member)).payee_display == f"孙丽华（成员 {member.number} 号）"
    )
    cases = [
        (payee(member=member, name="孙丽华"), "payee_ambiguous", "payee_name"),
        (payee(code=uscc), "payee_name_required", "payee_name"),
        (payee(name="农资公司", code="371323196801010011"), "invalid_payee_code", "payee_code"),
        (payee(name="农资公司", account="6228-4800/1234"), "invalid_payee_account", "payee_account"),
        (payee(name="赵\u200b德明"), "invalid_name", "payee_name"),
    ]
    other_coop = MemberFactory(cooperative__village=world.v11, name="外社成员")
    cases.append((payee(member=other_coop), "foreign_dimension", "payee_member"))
    for given, code, field in cases:
        with translation.override("zh-hans"), pytest.raises(BusinessError) as refused:
            _pay(acc, books, JAN[8], "800.00", given)
        assert (refused.value.code, refused.value.field) == (code, field), given
    with translation.override("zh-hans"), pytest.raises(BusinessError) as refused:
        _pay(acc, books, JAN[8], "800.00", payee(name="农资公司", code="371323196801010011"))
    assert refused.value.message.startswith("收款人证件号码应为公民身份号码或统一社会信用代码：")


# -- the payee never decides ------------------------------------------------------------------------


def test_a_travel_refund_to_the_chair_goes_to_the_township(books, acc, township, world, zhao, seed004):
    # 赵德明 chairs the cooperative (the login of the board's 赵德明) and is paid 860.00 for travel
    chair = UserFactory(username="zhao_chair", full_name="赵德明", roles=[(Role.COOP_CHAIR, world.v11)])
    request = _submit(acc, books, JAN[12], "860.00", payee(member=zhao), summary="报销赵德明差旅费")
    # 860.00 is the chair's to approve, but the chair is paid: the level above decides
    assert request.kind == "expenditure_small"
    assert (request.decider_role, request.decider_prefix) == ("township_official", "371323104")
    assert request.steps.get(action=ApprovalAction.SUBMIT).details == {"escalated_from": ["coop_chair"]}
    assert not approval_inbox(fresh(chair)).exists()
    with translation.override("zh-hans"), pytest.raises(NotPermitted) as refused:
        approval_approve(actor=fresh(chair), request=request)
    assert refused.value.code == "own_request"
    assert refused.value.message == "这笔申请的收款人是您，由其他审批人决定。"
    assert list(approval_inbox(township)) == [request]
    approval_approve(actor=township, request=request)
    assert Voucher.objects.get(pk=request.subject_id).status == "posted"


def test_a_member_linked_to_the_chairs_login_is_the_chair(books, acc, township, world, seed004):
    # the member record links to a login that chairs the village (another name on the login)
    chair = UserFactory(username="linked_chair", full_name="老赵", roles=[(Role.COOP_CHAIR, world.v11)])
    member = MemberFactory(cooperative=books, name="赵德明", user=chair)
    request = _submit(acc, books, JAN[12], "500.00", payee(member=member))
    assert request.decider_role == "township_official"
    with pytest.raises(NotPermitted):
        approval_approve(actor=fresh(chair), request=request)
    # a named payee of the chair's name is the chair too
    request = _submit(acc, books, JAN[13], "300.00", payee(name="老赵"))
    assert request.decider_role == "township_official"


def test_the_chair_decides_what_others_are_paid(books, acc, chair, zhao, world, seed004):
    UserFactory(username="zhao_chair", full_name="赵德明", roles=[(Role.COOP_CHAIR, world.v11)])
    request = _submit(acc, books, JAN[12], "860.00", payee(name="沂水县汽车站"))
    assert request.decider_role == "coop_chair" and request.steps.get(action=ApprovalAction.SUBMIT).details == {}
    approval_approve(actor=chair, request=request)


# -- payments split into parts --------------------------------------------------------------------------


def test_payments_to_one_payee_within_30_days_add_up(books, acc, chair, township, zhao, seed004):
    other = MemberFactory(cooperative=books, name="周大山")
    first = _submit(acc, books, JAN[5], "9000.00", payee(member=zhao))
    assert (
        first.kind == "expenditure_small"
        and first.reason == "支付 9,000.00 元，低于审批标准 10,000.00 元，由合作社理事长审批"
    )
    approval_approve(actor=chair, request=first)

    second = _submit(acc, books, JAN[8], "6000.00", payee(member=zhao))
    assert (second.kind, second.decider_role) == ("expenditure", "township_official")
    assert second.reason == "同一收款人30天内累计支付 15,000.00 元，达到审批标准 10,000.00 元，报乡镇审批"

    third = _submit(acc, books, JAN[11], "5000.00", payee(member=zhao))
    assert third.kind == "expenditure"
    assert third.reason == "同一收款人30天内累计支付 20,000.00 元，达到审批标准 10,000.00 元，报乡镇审批"
    # the township decides both; the chair's inbox never saw them
    assert list(approval_inbox(township)) == [second, third]
    assert not approval_inbox(chair).exists()

    # another payee is not affected
    elsewhere = _submit(acc, books, JAN[11], "4000.00", payee(member=other))
    assert elsewhere.kind == "expenditure_small"
    assert elsewhere.reason == "支付 4,000.00 元，低于审批标准 10,000.00 元，由合作社理事长审批"


def test_a_payment_31_days_later_is_not_added(books, acc, chair, zhao, seed004):
    approval_approve(actor=chair, request=_submit(acc, books, JAN[5], "9000.00", payee(member=zhao)))
    # 5 Feb is 31 days after 5 Jan: 6,000.00 alone
    later = _submit(acc, books, datetime.date(2026, 2, 5), "6000.00", payee(member=zhao))
    assert later.kind == "expenditure_small"
    # 4 Feb is 30 days after 5 Jan: 9,000.00 + 1,000.00 = 10,000.00, at the threshold
    edge = _submit(acc, books, datetime.date(2026, 2, 4), "1000.00", payee(member=zhao))
    assert edge.kind == "expenditure"
    assert edge.reason == "同一收款人30天内累计支付 10,000.00 元，达到审批标准 10,000.00 元，报乡镇审批"


def test_a_part_dated_back_is_added_to_the_later_ones(books, acc, chair, seed004):
    # 9,000.00 on 20 Jan is submitted first; 6,000.00 dated 10 Jan still adds up with it
    approval_approve(actor=chair, request=_submit(acc, books, JAN[20], "9000.00", payee(name="沂水县农资公司")))
    back = _submit(acc, books, JAN[10], "6000.00", payee(name="沂水县农资公司"))
    assert back.kind == "expenditure" and "15,000.00" in back.reason


def test_returned_and_draft_payments_do_not_count(books, acc, chair, zhao, seed004):
    first = _submit(acc, books, JAN[5], "9000.00", payee(member=zhao))
    approval_return(actor=chair, request=first, comment="附上发票")  # a draft again
    _pay(acc, books, JAN[6], "9000.00", payee(member=zhao))  # entered, never submitted
    second = _submit(acc, books, JAN[8], "6000.00", payee(member=zhao))
    assert second.kind == "expenditure_small"
    # submitted again, the first now adds 6,000.00 to its own 9,000.00
    with translation.override("zh-hans"):
        again = voucher_submit(actor=acc, voucher=Voucher.objects.get(pk=first.subject_id))
    assert again.kind == "expenditure" and "15,000.00" in again.reason


def test_one_payee_is_known_by_name_number_or_account(books, acc, chair, zhao, seed004):
    uscc = collective_uscc("371323104201")
    approval_approve(
        actor=chair, request=_submit(acc, books, JAN[5], "9000.00", payee(name="东安村股份经济合作社", code=uscc))
    )
    # the same credit code under another name
    assert _submit(acc, books, JAN[6], "1000.00", payee(name="东安村经济合作社", code=uscc)).kind == "expenditure"
    # the same account
    approval_approve(
        actor=chair, request=_submit(acc, books, JAN[5], "9000.00", payee(name="李四", account="622848001"))
    )
    assert _submit(acc, books, JAN[6], "1000.00", payee(name="李四（代收）", account="622848001")).kind == (
        "expenditure"
    )
    # a member and a named party of the member's name
    approval_approve(actor=chair, request=_submit(acc, books, JAN[5], "9000.00", payee(member=zhao)))
    assert _submit(acc, books, JAN[6], "1000.00", payee(name="赵德明")).kind == "expenditure"
    # two members of one name are two people
    a, b = MemberFactory(cooperative=books, name="王秀兰"), MemberFactory(cooperative=books, name="王秀兰")
    approval_approve(actor=chair, request=_submit(acc, books, JAN[5], "9000.00", payee(member=a)))
    assert _submit(acc, books, JAN[6], "1000.00", payee(member=b)).kind == "expenditure_small"


def test_the_window_follows_the_county_profile(books, acc, chair, zhao, seed004):
    from core.models import PolicyProfile

    assert seed004.profile.payee_window_days == 30
    seed004.profile = PolicyProfile.objects.create(
        code="county-a", name="县定", county=seed004.county, based_on=seed004.profile, payee_window_days=7
    )
    seed004.save()
    approval_approve(actor=chair, request=_submit(acc, books, JAN[5], "9000.00", payee(member=zhao)))
    assert _submit(acc, books, JAN[13], "6000.00", payee(member=zhao)).kind == "expenditure_small"  # 8 days
    assert _submit(acc, books, JAN[12], "1000.00", payee(member=zhao)).kind == "expenditure"  # 7 days


def test_posting_a_split_payment_says_why_it_needs_the_township(books, acc, chair, zhao, seed004):
    approval_approve(actor=chair, request=_submit(acc, books, JAN[5], "9000.00", payee(member=zhao)))
    draft = _pay(acc, books, JAN[8], "6000.00", payee(member=zhao))
    assert approval_route(draft).is_split
    with translation.override("zh-hans"), pytest.raises(BusinessError) as refused:
        voucher_post(actor=acc, voucher=draft)
    assert refused.value.code == "approval_required"
    assert refused.value.message == (
        "同一收款人30天内累计支付 15,000.00 元，达到审批标准 10,000.00 元，报乡镇审批，请提交审批。"
    )


# -- the API and the pages --------------------------------------------------------------------------------


def test_the_api_takes_and_shows_the_payee(api_client, books, world, zhao, seed004):
    api_client.force_authenticate(world.acc_v11)
    url = "/api/v1/finance/vouchers/"
    lines = [
        {"account": account(books, "211").pk, "debit": "860.00", "credit": "0"},
        {"account": account(books, "102").pk, "debit": "0", "credit": "860.00"},
    ]
    body = {"cooperative": books.pk, "date": "2026-01-12", "summary": "报销差旅费", "lines": lines}
    bare = api_client.post(url, body, format="json").json()
    with translation.override("zh-hans"):
        refused = api_client.post(f"{url}{bare['id']}/submit/", {}, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "payee_required"
    assert "收款人" in refused.json()["detail"]
    person = "37132319680412001X"
    named = api_client.post(
        url, {**body, "payee_name": "赵明", "payee_code": person, "payee_account": "622848001"}, format="json"
    ).json()
    assert (named["payee"], named["payee_name"], named["payee_code"]) == ("赵明", "赵明", person)
    both = api_client.post(url, {**body, "payee_member": zhao.pk, "payee_name": "赵德明"}, format="json")
    assert both.status_code == 400 and both.json()["code"] == "payee_ambiguous"
    created = api_client.put(f"{url}{bare['id']}/", {**body, "payee_member": zhao.pk}, format="json").json()
    assert created["payee_member"] == zhao.pk and created["payee"] == f"赵德明（成员 {zhao.number} 号）"
    assert api_client.post(f"{url}{bare['id']}/submit/", {}, format="json").json()["status"] == "pending"
    approval = api_client.get("/api/v1/approvals/", {"kind": "expenditure_small"}).json()["results"][0]
    assert approval["reason"] == "支付 860.00 元，低于审批标准 10,000.00 元，由合作社理事长审批"
    # a person's ID number: in full to the accountant, masked to the township
    api_client.force_authenticate(world.twp_t1)
    assert api_client.get(f"{url}{named['id']}/").json()["payee_code"] == "371323********001X"
    # another village's member is no choice
    api_client.force_authenticate(world.acc_v12)
    assert api_client.get(f"{url}{named['id']}/").status_code == 404


def test_the_pages_take_and_show_the_payee(client, books, world, zhao, seed004):
    chair = UserFactory(username="zhao_chair", full_name="赵德明", roles=[(Role.COOP_CHAIR, world.v11)])
    client.force_login(world.acc_v11)
    form = client.get(f"/finance/cooperatives/{books.pk}/vouchers/new/").content.decode()
    assert 'name="payee_member"' in form and 'name="payee_name"' in form and "data-payee" in form
    assert f'<option value="{zhao.pk}">{zhao.number} 赵德明</option>' in form
    data = {
        "date": "2026-01-12",
        "summary": "报销赵德明差旅费",
        "attachment_count": "2",
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "0",
        "lines-0-account": "523",
        "lines-0-debit": "860.00",
        "lines-1-account": "101",
        "lines-1-credit": "860.00",
    }
    both = client.post(
        f"/finance/cooperatives/{books.pk}/vouchers/new/", {**data, "payee_member": zhao.pk, "payee_name": "赵德明"}
    )
    assert both.status_code == 200 and "选择成员或填写收款人名称，二者选一" in both.content.decode()
    response = client.post(f"/finance/cooperatives/{books.pk}/vouchers/new/", {**data, "payee_member": zhao.pk})
    assert response.status_code == 302
    draft = Voucher.objects.get(summary="报销赵德明差旅费")
    assert draft.payee_member == zhao
    detail = client.get(draft.get_absolute_url()).content.decode()
    assert f"赵德明（成员 {zhao.number} 号）" in detail
    edit = client.get(f"/finance/vouchers/{draft.pk}/edit/").content.decode()
    assert f'<option value="{zhao.pk}" selected>' in edit

    assert client.post(f"/finance/vouchers/{draft.pk}/action/", {"action": "submit"}).status_code == 302
    request = ApprovalRequest.objects.get(subject_id=draft.pk)
    assert request.decider_role == "township_official"
    # the approval page shows who is paid, why these deciders, and why the chair was passed over
    client.force_login(world.twp_t1)
    page = client.get(f"/approvals/{request.pk}/").content.decode()
    assert "收款人" in page and f"赵德明（成员 {zhao.number} 号）" in page
    assert "支付 860.00 元，低于审批标准 10,000.00 元，由合作社理事长审批" in page
    assert "申请人或收款人持有本级审批角色，由上一级审批（越过：理事长）" in page
    client.force_login(chair)
    assert client.post(f"/approvals/{request.pk}/act/", {"action": "approve"}).status_code == 403


def test_the_page_refuses_a_payment_without_payee(client, books, world, seed004):
    client.force_login(world.acc_v11)
    draft = _pay(fresh(world.acc_v11), books, JAN[8], "800.00", None)
    response = client.post(f"/finance/vouchers/{draft.pk}/action/", {"action": "submit"}, follow=True)
    assert "提交审批前请写明收款人" in response.content.decode()
    detail = client.get(draft.get_absolute_url()).content.decode()
    assert "提交审批前请写明收款人。" in detail
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_split_payment_shows_its_reason_on_the_voucher(client, books, acc, chair, zhao, world, seed004):
    approval_approve(actor=chair, request=_submit(acc, books, JAN[5], "9000.00", payee(member=zhao)))
    draft = _pay(acc, books, JAN[8], "6000.00", payee(member=zhao))
    client.force_login(world.acc_v11)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "同一收款人30天内累计支付 15,000.00 元，达到审批标准 10,000.00 元，报乡镇审批" in page
    assert "提交乡镇审核" in page


def test_a_persons_number_is_masked_on_the_approval_page(client, books, acc, world, seed004):
    request = _submit(acc, books, JAN[12], "300.00", payee(name="赵明", code="37132319680412001X", account="622848001"))
    client.force_login(world.twp_t1)
    page = client.get(f"/approvals/{request.pk}/").content.decode()
    assert "赵明" in page and "371323********001X" in page and "37132319680412001X" not in page
    assert "622848001" in page
    client.force_login(world.acc_v11)  # the roster keeper of the village reads it in full
    assert "37132319680412001X" in client.get(f"/approvals/{request.pk}/").content.decode()
