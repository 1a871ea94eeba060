"""The home page is the to-do list of the user's roles: each item says what it is, whose (the village
and cooperative), since when (waiting days) and opens the item; oldest first; one query per source.

Dates are written onto the rows and ``today`` is passed to ``core.todo.collect``; the pages compute
the waiting days from the real today, so the page tests date their rows back from it."""

from __future__ import annotations

import datetime
import re
from datetime import UTC
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from core import todo
from core.choices import ApprovalState, RegionLevel, Role
from core.models import ApprovalRequest
from core.services.approvals import approval_request_create, approval_return, approval_submit
from tests.conftest import fresh
from tests.cooperatives.factories import CharterFactory
from tests.factories import CooperativeFactory, DocumentFactory, UserFactory
from tests.finance.factories import open_books, voucher

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 3, 15)


def at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, 2, 0, tzinfo=UTC)  # 10:00 in Beijing


def _plan(coop, state, year=2025, version=1):
    from dividends.models import DistributionPlan, DistributionPolicy
    from dividends.policies import ensure_policies

    ensure_policies()
    return DistributionPlan.objects.create(
        cooperative=coop,
        region_code=coop.region_code,
        year=year,
        version=version,
        policy=DistributionPolicy.objects.get(code="217-law"),
        state=state,
        surplus=Decimal("50000.00"),
        record_date=datetime.date(year, 12, 31),
    )


def _dated(model, pk, **fields):
    model.objects.filter(pk=pk).update(**fields)


def _document_request(acc, region_code, title, submitted):
    doc = DocumentFactory(title=title, region_code=region_code)
    req = approval_request_create(actor=acc, subject=doc, kind="test_document", title=title, region_code=region_code)
    approval_submit(actor=acc, request=req)
    _dated(ApprovalRequest, req.pk, submitted_at=at(submitted))
    return req


@pytest.fixture
def village_world(world):
    """东安村 (v11) and 北岭村 (v21), each with a cooperative and pending work of every kind."""
    from supervision.models import Audit, AuditFinding, Disclosure

    w = world
    w.supervisor_v11 = UserFactory(username="sup_v11", roles=[(Role.SUPERVISOR, w.v11)])
    w.coop11 = CooperativeFactory(name="东安村富民果品种植专业合作社", village=w.v11, status="operating")
    w.coop21 = CooperativeFactory(name="北岭村茶叶专业合作社", village=w.v21, status="operating")
    for acc, coop in ((fresh(w.acc_v11), w.coop11), (fresh(w.acc_v21), w.coop21)):
        open_books(acc, coop, 2026)
        v = voucher(acc, coop, datetime.date(2026, 3, 2), f"{coop.village.name}购买化肥", ("101", "500.00", 0),
                    ("501", 0, "500.00"), post=False)  # fmt: skip
        _dated(type(v), v.pk, created_at=at(datetime.date(2026, 3, 3)))
        charter = CharterFactory(cooperative=coop, state="draft", version=2)
        _dated(type(charter), charter.pk, created_at=at(datetime.date(2026, 3, 1)))
        # a request the township returned for changes
        req = _document_request(acc, coop.region_code, f"{coop.village.name}修路合同", datetime.date(2026, 2, 1))
        township = fresh(w.twp_t1 if coop.village == w.v11 else w.twp_t2)
        approval_return(actor=township, request=req, comment="补充预算")
        _dated(ApprovalRequest, req.pk, decided_at=at(datetime.date(2026, 2, 10)))
        audit = Audit.objects.create(
            cooperative=coop,
            region_code=coop.region_code,
            kind="annual",
            year=2025,
            scope="2025年度财务收支",
            auditor_region=coop.village.parent,
            started_on=datetime.date(2026, 1, 5),
            reported_on=datetime.date(2026, 1, 20),
        )
        AuditFinding.objects.create(
            audit=audit,
            region_code=coop.region_code,
            title=f"{coop.village.name}现金日记账未逐日登记",
            rectification_deadline=datetime.date(2026, 3, 1),
        )
        disclosure = Disclosure.objects.create(
            cooperative=coop, region_code=coop.region_code, year=2025, quarter=4, deadline=datetime.date(2026, 1, 15)
        )
        _dated(Disclosure, disclosure.pk, created_at=at(datetime.date(2026, 1, 1)))  # the quarterly task
        plan = _plan(coop, "draft")
        _dated(type(plan), plan.pk, updated_at=at(datetime.date(2026, 3, 10)))
    # waiting for the chair: a plan to check (2024, version 1) and a payment below the threshold
    w.plan_to_check = _plan(w.coop11, "checking", year=2024)
    _dated(type(w.plan_to_check), w.plan_to_check.pk, updated_at=at(datetime.date(2026, 3, 5)))
    w.plan_before_assembly = _plan(w.coop11, "checked", year=2023)
    _dated(type(w.plan_before_assembly), w.plan_before_assembly.pk, updated_at=at(datetime.date(2026, 3, 6)))
    w.payment = ApprovalRequest.objects.create(
        kind="expenditure_small",
        subject_type_id=_ctype(w.coop11),
        subject_id=w.coop11.pk,
        title="东安村支付果袋款",
        region_code=w.v11.code,
        state=ApprovalState.SUBMITTED,
        stages=[{"role": Role.COOP_CHAIR, "level": RegionLevel.VILLAGE}],
        decider_role=Role.COOP_CHAIR,
        decider_prefix=w.v11.code,
        amount=Decimal("3200.00"),
        requested_by=w.acc_v11,
        submitted_at=at(datetime.date(2026, 3, 12)),
    )
    # waiting for the townships: 东安村 since 1 March (overdue), 西岭村 since 13 March, 北岭村 (T2)
    acc12 = fresh(w.acc_v12)
    w.old_request = _document_request(fresh(w.acc_v11), w.v11.code, "东安村仓库项目", datetime.date(2026, 3, 1))
    w.new_request = _document_request(acc12, w.v12.code, "西岭村水渠项目", datetime.date(2026, 3, 13))
    w.t2_request = _document_request(fresh(w.acc_v21), w.v21.code, "北岭村茶园项目", datetime.date(2026, 3, 2))
    return w


def _ctype(obj):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(obj).pk


def _collect(user, today=TODAY):
    return todo.collect(fresh(user), today)


def _kinds(found):
    return [i.kind for i in found.items]


def test_accountant_sees_drafts_returned_findings_months_and_disclosures_of_her_village_oldest_first(village_world):
    w = village_world
    with translation.override("zh-hans"):
        found = _collect(w.acc_v11)
    kinds = _kinds(found)
    assert set(kinds) == {
        "voucher_drafts",
        "charter_drafts",
        "returned",
        "findings",
        "disclosures_due",
        "months_to_close",
        "plan_drafts",
    }
    # every item is 东安村's, none 北岭村's
    assert all(i.village == "东安村" for i in found.items)
    assert not any("北岭村" in i.subject or "北岭村" in i.place for i in found.items)
    # oldest first, with the waiting days from the frozen today
    assert [i.since for i in found.items] == sorted(i.since for i in found.items)
    by_kind = {i.kind: i for i in found.items}
    assert by_kind["disclosures_due"].since == datetime.date(2026, 1, 1)
    assert by_kind["disclosures_due"].days == 73 and by_kind["disclosures_due"].overdue
    assert by_kind["findings"].since == datetime.date(2026, 1, 20) and by_kind["findings"].overdue
    assert by_kind["returned"].days == 33 and by_kind["returned"].subject == "东安村修路合同"
    assert by_kind["voucher_drafts"].days == 12
    assert by_kind["charter_drafts"].days == 14
    assert by_kind["plan_drafts"].days == 5
    months = by_kind["months_to_close"]
    assert months.since == datetime.date(2026, 2, 1) and "2026年1月–2026年2月" in months.subject
    counts = {c["key"]: c["count"] for c in found.counts}
    assert counts["months_to_close"] == 2 and counts["voucher_drafts"] == 1


def test_chair_sees_the_plan_waiting_for_his_check_and_the_payment(village_world):
    w = village_world
    found = _collect(w.chair_v11)
    assert _kinds(found) == ["plans_to_check", "decide"]
    plan, payment = found.items
    assert plan.url == w.plan_to_check.get_absolute_url() and plan.days == 10 and plan.village == "东安村"
    assert payment.subject == "东安村支付果袋款" and payment.days == 3
    # the plan's flow: an accountant's submitted draft reaches the chair's list at once
    from dividends.services.plans import plan_submit

    draft = _plan(w.coop11, "draft", year=2022)
    plan_submit(actor=fresh(w.acc_v11), plan=draft)
    assert draft.pk in {int(re.search(r"/(\d+)/$", i.url).group(1)) for i in _collect(w.chair_v11).items}


def test_supervisor_sees_disclosures_to_publish_and_plans_before_the_assembly(village_world):
    w = village_world
    found = _collect(w.supervisor_v11)
    # the plan waiting for the chair's check (5 March) and the one he checked (6 March)
    assert _kinds(found) == ["disclosures_due", "plans_for_opinion", "plans_for_opinion"]
    assert all(i.village == "东安村" for i in found.items)


def test_township_sees_its_villages_grouped_overdue_first_and_never_another_township(village_world, rf):
    w = village_world
    found = _collect(w.twp_t1)
    subjects = [i.subject for i in found.items]
    assert subjects == ["东安村仓库项目", "西岭村水渠项目"]  # not 北岭村 (T2), oldest first
    groups = found.by_village()
    assert [g["village"] for g in groups] == ["东安村", "西岭村"]
    assert groups[0]["overdue"] == 1 and groups[0]["items"][0].days == 14  # past the seven days
    assert groups[1]["overdue"] == 0 and groups[1]["items"][0].days == 2
    t2 = _collect(w.twp_t2)
    assert [i.subject for i in t2.items] == ["北岭村茶园项目"]


def test_county_sees_the_inbox_of_its_level_only_and_charters_to_file(village_world):
    w = village_world
    from cooperatives.models import Charter

    # 北岭村's charter version was adopted by its member assembly on 4 March
    Charter.objects.filter(cooperative=w.coop21).update(state="adopted", adopted_at=at(datetime.date(2026, 3, 4)))
    found = _collect(w.county_a_off)
    assert _kinds(found) == ["charters_to_file"]
    assert found.items[0].village == "北岭村" and found.items[0].days == 11 and found.items[0].overdue
    assert [g["village"] for g in found.by_village(with_township=True)] == ["院东头镇 · 北岭村"]
    assert _collect(w.county_b_off).items == []


def test_member_sees_new_disclosures_of_her_village(village_world):
    from supervision.models import Disclosure

    w = village_world
    Disclosure.objects.filter(cooperative__in=[w.coop11, w.coop21]).update(
        status="published", published_at=at(datetime.date(2026, 3, 10))
    )
    found = _collect(w.member_v11)
    assert _kinds(found) == ["disclosures_new"]
    assert found.items[0].news and found.items[0].village == "东安村" and found.items[0].days == 5
    # a statement of a plan filed two days ago comes first: news are newest first
    plan = _plan(w.coop11, "filed", year=2021)
    from dividends.models import MemberAllocation
    from tests.members.factories import MemberFactory

    member = MemberFactory(cooperative=w.coop11, user=w.member_v11, name="周大山")
    MemberAllocation.objects.create(plan=plan, member=member, region_code=w.coop11.region_code, total=Decimal("431.79"))
    _dated(type(plan), plan.pk, updated_at=at(datetime.date(2026, 3, 13)))
    found = _collect(w.member_v11)
    assert _kinds(found) == ["new_statements", "disclosures_new"]
    assert "2021" in found.items[0].subject and "431.79" in found.items[0].subject


def test_one_query_per_source(village_world, django_assert_max_num_queries):
    w = village_world
    for user in (w.acc_v11, w.chair_v11, w.twp_t1, w.county_a_off, w.supervisor_v11, w.member_v11):
        user = fresh(user)
        n = len(todo.sources_for(user))
        user.jurisdiction  # noqa: B018 - grants read before counting
        user._object_grant_ctypes = set()
        with django_assert_max_num_queries(n):
            todo.collect(user, TODAY)


# -- the pages ---------------------------------------------------------------------------------


def _back(days: int) -> datetime.datetime:
    return at(timezone.localdate() - datetime.timedelta(days=days))


def _item_rows(page: str) -> list[str]:
    return re.findall(r'<li class="list-group-item[^"]*" data-todo-item="[^"]+">.*?</li>', page, flags=re.S)


def test_accountant_home_lists_each_item_with_village_waiting_days_and_link(client, village_world):
    w = village_world
    ApprovalRequest.objects.filter(title="东安村修路合同").update(decided_at=_back(12))
    client.force_login(w.acc_v11)
    with translation.override("zh-hans"):
        page = client.get("/").content.decode()
    rows = _item_rows(page)
    returned = next(r for r in rows if "东安村修路合同" in r)
    assert "东安村" in returned and "已等待 12 天" in returned and "退回意见：补充预算" in returned
    link = re.search(r'href="([^"]+)"', returned).group(1)
    assert client.get(link).status_code == 200  # the link opens the item
    assert "北岭村" not in page
    assert "我的待办" in page and "退回修改" in page
    for row in rows:
        assert client.get(re.search(r'href="([^"]+)"', row).group(1)).status_code == 200


def test_chair_home_shows_the_plan_waiting_for_him(client, village_world):
    w = village_world
    client.force_login(w.chair_v11)
    with translation.override("zh-hans"):
        page = client.get("/").content.decode()
    assert w.plan_to_check.get_absolute_url() in page
    assert "待审核的分配方案" in page and "东安村" in page


def test_township_home_groups_by_village_with_the_overdue_first(client, village_world):
    w = village_world
    ApprovalRequest.objects.filter(pk=w.old_request.pk).update(submitted_at=_back(9))
    ApprovalRequest.objects.filter(pk=w.new_request.pk).update(submitted_at=_back(20))
    client.force_login(w.twp_t1)
    with translation.override("zh-hans"):
        page = client.get("/").content.decode()
    # both waited past the seven days: the village whose request waited longest comes first
    assert re.findall(r'data-todo-village="([^"]+)"', page) == ["西岭村", "东安村"]
    assert "已等待 20 天" in page and "已逾期" in page and "北岭村" not in page


def test_approval_inbox_page_shows_village_and_waiting_days(client, village_world):
    from django.urls import reverse

    w = village_world
    ApprovalRequest.objects.filter(pk=w.old_request.pk).update(submitted_at=_back(9))
    client.force_login(w.twp_t1)
    with translation.override("zh-hans"):
        page = client.get(reverse("core:approval_list")).content.decode()
    assert "东安村" in page and "已等待 9 天" in page and "村" in page
