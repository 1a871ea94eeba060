"""Risk alerts: every rule fires on a crafted case and not on a clean one; alerts are deduplicated
per rule, subject and period, resolve themselves when the condition clears, reopen when it returns,
and are worked to closure by people."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from core.exceptions import BusinessError, StateConflict
from supervision.choices_oversight import AlertStatus
from supervision.models import Alert
from supervision.services import alerts as svc
from tests.conftest import fresh
from tests.finance.factories import voucher

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 24)


def fires(coop, rule, today=TODAY):
    return svc.rule_hits(coop, today=today, rules=[rule])[rule]


def _profile(world, **fields):
    from core.models import CountyPolicy, PolicyProfile

    profile = PolicyProfile.objects.create(code="test-county", name="test", **fields)
    CountyPolicy.objects.update_or_create(county=world.county_a, defaults={"profile": profile})
    return profile


def _members_with_shares(acc, coop, amounts):
    from shares.services import contribution_create, contributions_confirm
    from tests.members.factories import MemberFactory

    members = [MemberFactory(cooperative=coop) for _ in amounts]
    rows = [
        contribution_create(actor=acc, member=m, kind="cash", amount=Decimal(a))
        for m, a in zip(members, amounts, strict=True)
    ]
    contributions_confirm(actor=acc, cooperative=coop, contributions=rows)
    return members


def test_every_rule_is_registered():
    assert set(svc.RULES) == {
        "share_structure",
        "single_member_cap",
        "unapproved_expenditure",
        "disclosure_overdue",
        "no_audit",
        "new_debt",
        "withdrawals",
        "collective_income_falling",
        "contract_overdue",
    }


def test_share_structure_rule(world, coop, acc):
    # clean: every rule off
    profile = _profile(world)
    _members_with_shares(acc, coop, ["1000.00", "500.00"])
    assert fires(coop, "share_structure") == []
    # crafted: the collective must hold 10% (warned), it holds 0 of 1,500.00
    profile.collective_min, profile.collective_min_enforcement = Decimal("0.10"), "warn"
    profile.save()
    hits = fires(coop, "share_structure")
    assert [h.subject_key for h in hits] == [f"cooperative:{coop.pk}:collective_min"]
    assert hits[0].severity == "low"


def test_single_member_cap_rule(world, coop, acc):
    _profile(world, single_member_max=Decimal("0.20"), single_member_max_enforcement="warn")
    # clean: five members of 100.00 each hold exactly 20%, not above
    _members_with_shares(acc, coop, ["100.00"] * 5)
    assert fires(coop, "single_member_cap") == []
    # crafted: a sixth member with 400.00 of 900.00 = 44.44% > 20%
    big = _members_with_shares(acc, coop, ["400.00"])[0]
    hits = fires(coop, "single_member_cap")
    assert [h.subject_key for h in hits] == [f"member:{big.pk}"]
    assert "44.44%" in hits[0].title


def test_unapproved_expenditure_rule(world, seed004, books, acc, township):
    from core.services.approvals import approval_approve
    from finance.services.vouchers import post_voucher_row, voucher_create, voucher_submit
    from tests.finance.factories import lines, payee

    coop = books

    def payment(amount, summary):
        return voucher_create(
            actor=acc,
            cooperative=coop,
            date=datetime.date(2026, 5, 6),
            summary=summary,
            lines=lines(coop, ("521", amount, 0), ("102", 0, amount)),
            payee=payee(name="沂水县农机公司"),
        )

    # clean: 12,000.00 approved by the township (≥ 10,000.00) before posting
    approved = payment("12000.00", "购置分拣设备")
    request = voucher_submit(actor=acc, voucher=approved)
    approval_approve(actor=township, request=request)
    assert fires(coop, "unapproved_expenditure") == []
    # crafted: 15,000.00 posted around the workflow
    bypass = post_voucher_row(payment("15000.00", "支付工程款"), actor=acc)
    assert [h.subject_key for h in fires(coop, "unapproved_expenditure")] == [f"voucher:{bypass.pk}"]


def test_disclosure_overdue_rule(world, coop, supervisor, acc):
    from cooperatives.models import Cooperative
    from supervision.services.disclosures import disclosure_generate, disclosure_publish, disclosure_update

    Cooperative.objects.filter(pk=coop.pk).update(created_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
    coop.refresh_from_db()
    # crafted: 2026-11-24, nothing published; Q1–Q3 2026 are past their deadlines (quarter end + 15
    # days: 04-15, 07-15, 10-15); Q4 2025 ended before the cooperative was entered
    assert sorted(h.period for h in fires(coop, "disclosure_overdue")) == ["2026Q1", "2026Q2", "2026Q3"]
    # on 2026-10-10 Q3 is not yet due (10-15)
    assert sorted(h.period for h in fires(coop, "disclosure_overdue", datetime.date(2026, 10, 10))) == [
        "2026Q1",
        "2026Q2",
    ]
    # clean: all three published
    for quarter in (1, 2, 3):
        d, _ = disclosure_generate(cooperative=coop, year=2026, quarter=quarter)
        disclosure_update(actor=acc, disclosure=d, plan_summary="", operations_summary="经营正常")
        disclosure_publish(actor=fresh(supervisor), disclosure=d)
    assert fires(coop, "disclosure_overdue") == []


def test_no_audit_rule(world, coop, township):
    from supervision.services.audits import audit_create

    # crafted: in the last quarter of 2026, no annual audit (2025 predates the cooperative)
    assert [h.period for h in fires(coop, "no_audit")] == ["2026"]
    # before October nothing is due yet for the current year
    assert fires(coop, "no_audit", datetime.date(2026, 6, 1)) == []
    audit_create(actor=township, cooperative=coop, kind="annual", year=2026, scope="财务收支")
    assert fires(coop, "no_audit") == []


def test_new_debt_rule(world, seed004, books, acc):
    coop = books
    # clean: 150,000.00 borrowed ≤ the 200,000.00 limit
    voucher(acc, coop, datetime.date(2026, 3, 1), "信用社贷款", ("102", "150000.00", 0), ("201", 0, "150000.00"))
    assert fires(coop, "new_debt") == []
    # crafted: another 60,000.00 long-term → 210,000.00 > 200,000.00
    voucher(acc, coop, datetime.date(2026, 4, 1), "长期借款", ("102", "60000.00", 0), ("231", 0, "60000.00"))
    hits = fires(coop, "new_debt")
    assert len(hits) == 1 and "210,000.00" in hits[0].title


def test_withdrawals_rule(world, coop, acc):
    from shares.services import share_withdrawal_apply

    _profile(world)  # withdrawal_alert_rate defaults to 10%
    first, second = _members_with_shares(acc, coop, ["1000.00", "500.00"])
    # clean: 100.00 of 1,500.00 = 6.67% ≤ 10%
    share_withdrawal_apply(actor=acc, member=second, amount=Decimal("100.00"), reason="外出务工")
    assert fires(coop, "withdrawals") == []
    # crafted: another 100.00 → 200.00 / 1,500.00 = 13.33% > 10%
    share_withdrawal_apply(actor=acc, member=first, amount=Decimal("100.00"), reason="家庭困难")
    hits = fires(coop, "withdrawals")
    assert len(hits) == 1 and "13.33%" in hits[0].title


def test_collective_income_falling_rule(world, coop, acc):
    from finance.services.collective import collective_income_record

    def record(year, amount):
        collective_income_record(
            actor=acc, village=world.v11, received_on=datetime.date(year, 12, 20), amount=Decimal(amount)
        )

    record(2024, "80000.00")
    record(2025, "90000.00")
    # clean: 2025 (90,000.00) ≥ 2024 (80,000.00)
    assert fires(coop, "collective_income_falling") == []
    # crafted: on 2027-02-01, 2026 (50,000.00) < 2025 (90,000.00)
    record(2026, "50000.00")
    hits = fires(coop, "collective_income_falling", datetime.date(2027, 2, 1))
    assert [(h.subject_key, h.period) for h in hits] == [(f"village:{world.v11.code}", "2026")]


def test_contract_overdue_rule(world, books, acc):
    from finance.models import Contract
    from finance.services.contracts import InstalmentInput, contract_create

    coop = books
    contract = contract_create(
        actor=acc,
        cooperative=coop,
        instalments=[
            InstalmentInput(due_date=datetime.date(2026, 6, 30), amount=Decimal("3000.00")),
            InstalmentInput(due_date=datetime.date(2026, 12, 31), amount=Decimal("2000.00")),
        ],
        number="HT-1",
        subject="土地租赁",
        counterparty="王某",
        amount=Decimal("5000.00"),
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 12, 31),
    )
    # filed and effective (finance's workflow, shortened for the test)
    Contract.objects.filter(pk=contract.pk).update(
        status="effective", filed_at=datetime.datetime(2026, 1, 2, tzinfo=datetime.UTC)
    )
    # clean: on 2026-06-01 nothing is due yet
    assert fires(coop, "contract_overdue", datetime.date(2026, 6, 1)) == []
    # crafted: on 2026-11-24, 3,000.00 was due on 06-30 and nothing is paid
    hits = fires(coop, "contract_overdue")
    assert [h.subject_key for h in hits] == [f"contract:{contract.pk}"] and "3,000.00" in hits[0].title


def test_evaluation_deduplicates_resolves_and_reopens(world, coop, township):
    from supervision.services.audits import audit_create

    svc.alerts_evaluate(cooperative=coop, today=TODAY, rules=["no_audit"])
    svc.alerts_evaluate(cooperative=coop, today=TODAY, rules=["no_audit"])
    alert = Alert.objects.get()
    assert (alert.rule, alert.period, alert.status) == ("no_audit", "2026", AlertStatus.OPEN)
    # the condition clears: resolved by itself
    audit = audit_create(actor=township, cooperative=coop, kind="annual", year=2026, scope="财务收支")
    svc.alerts_evaluate(cooperative=coop, today=TODAY, rules=["no_audit"])
    assert Alert.objects.get().status == AlertStatus.RESOLVED
    # it comes back: the same alert reopens, no second row
    from django.db import connection

    with connection.cursor() as cursor:  # test setup: the audit is removed (history kept by triggers)
        cursor.execute("DELETE FROM supervision_audit WHERE id = %s", [audit.pk])
    svc.alerts_evaluate(cooperative=coop, today=TODAY, rules=["no_audit"])
    assert Alert.objects.count() == 1 and Alert.objects.get().status == AlertStatus.OPEN


def test_a_problem_resolved_by_hand_stays_resolved_while_the_figures_stay_the_same(world, coop, township):
    """The ten-minute check used to reopen what the township had just resolved, and wrote a history
    row for every alert at every run."""
    from pghistory.models import Events

    svc.alerts_evaluate(cooperative=coop, today=TODAY, rules=["no_audit"])
    alert = svc.alert_resolve(actor=township, alert=Alert.objects.get(), note="年底前安排审计，已记录")
    events = Events.objects.filter(pgh_obj_model="supervision.Alert", pgh_obj_id=str(alert.pk)).count()
    svc.alerts_evaluate(cooperative=coop, today=TODAY, rules=["no_audit"])
    svc.alerts_evaluate(cooperative=coop, today=TODAY, rules=["no_audit"])
    alert.refresh_from_db()
    assert alert.status == AlertStatus.RESOLVED and alert.resolved_by == township
    assert alert.last_seen_at > alert.resolved_at  # still seen, and said so
    # the runs that only saw it again left nothing in the audit trail
    assert Events.objects.filter(pgh_obj_model="supervision.Alert", pgh_obj_id=str(alert.pk)).count() == events


def test_people_work_the_problem_list_to_closure(world, coop, acc, township):
    svc.alerts_evaluate(cooperative=coop, today=TODAY, rules=["no_audit"])
    alert = Alert.objects.get()
    alert = svc.alert_acknowledge(actor=acc, alert=alert, note="已联系镇审计")
    assert alert.status == AlertStatus.ACKNOWLEDGED and alert.assignee == acc
    with pytest.raises(StateConflict):
        svc.alert_acknowledge(actor=acc, alert=alert)
    svc.alert_assign(actor=township, alert=alert, assignee=township)
    with pytest.raises(BusinessError):
        svc.alert_assign(actor=township, alert=alert, assignee=fresh(world.twp_t2))
    with pytest.raises(BusinessError):
        svc.alert_resolve(actor=township, alert=alert, note="")
    alert = svc.alert_resolve(actor=township, alert=alert, note="已安排年度审计")
    assert alert.status == AlertStatus.RESOLVED and alert.resolved_by == township


def test_nightly_and_on_change_runs(world, coop):
    from supervision.models import AlertRun
    from supervision.tasks_oversight import alerts_nightly, alerts_on_change

    assert alerts_nightly() >= 1
    assert Alert.objects.filter(cooperative=coop, rule="no_audit").exists()
    # nothing changed since: the on-change run has nothing to do
    assert alerts_on_change() == 0
    coop.save()  # a cooperative row is not among the watched tables
    assert alerts_on_change() == 0
    assert AlertRun.objects.count() == 3


def test_problem_list_page_and_figures(client, world, coop):
    from supervision import oversight_figures as figures

    svc.alerts_evaluate(cooperative=coop, today=TODAY, rules=["no_audit"])
    client.force_login(world.twp_t1)
    page = client.get("/supervision/alerts/")
    assert page.status_code == 200 and Alert.objects.get().title in page.content.decode()
    assert figures.open_alerts_count(["371323104"]) == 1
    assert figures.open_alerts_count(["371323105"]) == 0
    assert figures.open_problems(["371323"])[0]["rule"] == "no_audit"
    client.force_login(world.twp_t2)
    assert Alert.objects.get().title not in client.get("/supervision/alerts/").content.decode()


def test_api_problem_list_acknowledge_and_resolve(api_client, world, coop):
    svc.alerts_evaluate(cooperative=coop, today=TODAY, rules=["no_audit"])
    alert = Alert.objects.get()
    api_client.force_authenticate(fresh(world.twp_t2))
    assert api_client.post(f"/api/v1/supervision/alerts/{alert.pk}/acknowledge/", {}).status_code == 404
    api_client.force_authenticate(fresh(world.twp_t1))
    listing = api_client.get("/api/v1/supervision/alerts/")
    assert [row["id"] for row in listing.json()["results"]] == [alert.pk]
    assert (
        api_client.post(f"/api/v1/supervision/alerts/{alert.pk}/acknowledge/", {"note": "已知悉"}).json()["status"]
        == "acknowledged"
    )
    response = api_client.post(f"/api/v1/supervision/alerts/{alert.pk}/resolve/", {"note": ""}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "required"
    response = api_client.post(f"/api/v1/supervision/alerts/{alert.pk}/resolve/", {"note": "已审计"}, format="json")
    assert response.json()["status"] == "resolved"


def _message(response) -> str:
    """The message the request added (earlier ones wait unread in the cookie)."""
    from django.contrib.messages import get_messages

    return [f"{m.level_tag}:{m}" for m in get_messages(response.wsgi_request)][-1]


def test_alert_page_hands_the_problem_to_someone_who_covers_it(client, world, coop):
    svc.alerts_evaluate(cooperative=coop, today=TODAY, rules=["no_audit"])
    alert = Alert.objects.get()
    url = f"/supervision/alerts/{alert.pk}/assign/"
    # the choices: staff whose jurisdiction contains 东安村; not its members, nobody from the other
    # village, township or county
    assert set(svc.assignees(alert)) == {world.acc_v11, world.chair_v11, world.twp_t1, world.county_a_off}
    client.force_login(world.twp_t1)
    page = client.get(alert.get_absolute_url())
    assert page.context["assign_form"].fields["assignee"].queryset.count() == 4
    assert url in page.content.decode()

    response = client.post(url, {"assignee": world.acc_v11.pk})
    assert response.status_code == 302 and response["Location"] == alert.get_absolute_url()
    assert Alert.objects.get().assignee == world.acc_v11
    message = _message(response)
    assert message.startswith("success:") and world.acc_v11.display_name in message
    # someone outside the alert's region is not a choice and changes nothing
    assert _message(client.post(url, {"assignee": world.twp_t2.pk})).startswith("error:")
    assert Alert.objects.get().assignee == world.acc_v11
    # empty: nobody in particular
    assert _message(client.post(url, {"assignee": ""})).startswith("success:")
    assert Alert.objects.get().assignee is None


def test_only_the_supervising_levels_assign_alerts(client, api_client, world, coop):
    svc.alerts_evaluate(cooperative=coop, today=TODAY, rules=["no_audit"])
    alert = Alert.objects.get()
    url = f"/supervision/alerts/{alert.pk}/assign/"
    # the village's accountant works the alert (acknowledge, resolve) but does not hand it out
    client.force_login(world.acc_v11)
    assert "assign_form" not in client.get(alert.get_absolute_url()).context
    assert client.post(url, {"assignee": world.acc_v11.pk}).status_code == 403
    api_client.force_authenticate(fresh(world.acc_v11))
    response = api_client.post(f"/api/v1/supervision/alerts/{alert.pk}/assign/", {"assignee": world.acc_v11.pk})
    assert response.status_code == 403
    # another township's official and another village's accountant do not find it
    for outsider in (world.twp_t2, world.acc_v12):
        client.force_login(outsider)
        assert client.post(url, {"assignee": outsider.pk}).status_code == 404
    # the county official covering it does
    client.force_login(world.county_a_off)
    assert client.post(url, {"assignee": world.twp_t1.pk}).status_code == 302
    assert Alert.objects.get().assignee == world.twp_t1


def test_problem_list_shows_the_assignee_and_filters_to_mine(client, world, coop, township):
    from tests.factories import CooperativeFactory

    for cooperative in (coop, CooperativeFactory(village=world.v11, status="operating")):
        svc.alerts_evaluate(cooperative=cooperative, today=TODAY, rules=["no_audit"])
    mine, *others = Alert.objects.order_by("pk")
    svc.alert_assign(actor=township, alert=mine, assignee=world.acc_v11)
    client.force_login(world.acc_v11)
    page = client.get("/supervision/alerts/", {"assigned": "me"})
    assert [a.pk for a in page.context["object_list"]] == [mine.pk]
    assert world.acc_v11.display_name in page.content.decode()
    unassigned = client.get("/supervision/alerts/", {"assigned": "nobody"}).context["object_list"]
    assert sorted(a.pk for a in unassigned) == sorted(a.pk for a in others)
    client.force_login(world.twp_t1)
    assert list(client.get("/supervision/alerts/", {"assigned": "me"}).context["object_list"]) == []
