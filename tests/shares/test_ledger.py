"""The share ledger: contributions into entries, holdings cached in the same transaction, reversals,
append-only triggers, the drift check, withdrawals (law Arts. 25, 28), gifts and certificates."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import DatabaseError, IntegrityError, connection, transaction

from core.exceptions import BusinessError
from shares.choices import CertificateState, ContributionState
from shares.models import Contribution, Holding, ShareCertificate, ShareEntry
from shares.services import (
    certificates_issue,
    contribution_cancel,
    contribution_confirm,
    contribution_create,
    entry_reverse,
    share_gift,
    share_reserve_convert,
    share_transfer,
    share_withdrawal_apply,
    share_withdrawal_execute,
    withdrawal_effective_on,
)
from tests.members.factories import CollectiveFactory, EnterpriseFactory, MemberFactory
from tests.shares.conftest import subscribe

D = Decimal


@pytest.fixture
def trio(coop, acc, use_profile):
    """collective 30,000 · 甲 (branch member) 40,000 · 乙 30,000 (丙, poverty-registered, holds nothing
    yet) — with the county's rules off: these tests are about the ledger, not the structure."""
    use_profile("off")
    m = {
        "collective": CollectiveFactory(cooperative=coop),
        "甲": MemberFactory(cooperative=coop, name="甲", is_branch_member=True),
        "乙": MemberFactory(cooperative=coop, name="乙"),
        "丙": MemberFactory(cooperative=coop, name="丙", is_poverty_registered=True),
    }
    subscribe(acc, {m["collective"]: "30000", m["甲"]: "40000", m["乙"]: "30000"})
    return m


def held(member, share_class="ordinary"):
    h = Holding.objects.filter(member=member, share_class=share_class).first()
    return h.amount if h else D("0.00")


def test_land_value_is_area_times_value_per_mu_half_up_to_the_fen(coop, acc):
    member = MemberFactory(cooperative=coop)
    c = contribution_create(
        actor=acc,
        member=member,
        kind="land",
        area_mu=D("2.5"),
        value_per_mu=D("800.01"),
        location="村东洼",
        term_years=10,
        appraiser="县农经站",
        appraisal_date=datetime.date(2024, 3, 1),
    )
    # 2.5 × 800.01 = 2,000.025 → 2,000.03 (half up; banker's rounding would give 2,000.02)
    assert c.amount == D("2000.03") and c.share_class == "ordinary" and c.state == ContributionState.DRAFT
    with pytest.raises(BusinessError) as exc:
        contribution_create(
            actor=acc,
            member=member,
            kind="land",
            area_mu=D("2.5"),
            value_per_mu=D("800.01"),
            amount=D("2000.02"),
            location="x",
            term_years=5,
            appraiser="x",
            appraisal_date=datetime.date(2024, 3, 1),
        )
    assert exc.value.code == "land_value_mismatch" and "2,000.03" in exc.value.message
    # the database holds the same rule
    with pytest.raises(IntegrityError), transaction.atomic():
        Contribution.objects.filter(pk=c.pk).update(amount=D("2000.02"))


def test_non_cash_contributions_need_their_appraisal(coop, acc):
    member = MemberFactory(cooperative=coop)
    with pytest.raises(BusinessError) as exc:
        contribution_create(actor=acc, member=member, kind="goods", amount=D("5000"))
    assert exc.value.code == "appraiser_required"


def test_evidence_attachment_type_and_content_are_checked(coop, acc):
    member = MemberFactory(cooperative=coop)
    common = {"kind": "goods", "amount": D("5000"), "appraiser": "评估所", "appraisal_date": datetime.date(2024, 1, 2)}
    fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(BusinessError) as exc:
        contribution_create(actor=acc, member=member, evidence=fake, **common)
    assert exc.value.code == "evidence_content" and exc.value.field == "evidence"
    exe = SimpleUploadedFile("report.exe", b"MZ", content_type="application/octet-stream")
    with pytest.raises(BusinessError) as exc:
        contribution_create(actor=acc, member=member, evidence=exe, **common)
    assert exc.value.code == "evidence_type"
    pdf = SimpleUploadedFile("report.pdf", b"%PDF-1.7\n...", content_type="application/pdf")
    c = contribution_create(actor=acc, member=member, evidence=pdf, **common)
    assert c.evidence.name.endswith(".pdf")


def test_fiscal_funds_become_poverty_shares_of_poverty_households_only(coop, acc):
    poor = MemberFactory(cooperative=coop, is_poverty_registered=True)
    c = contribution_create(actor=acc, member=poor, kind="fiscal_funds", amount=D("10000"))
    assert c.share_class == "poverty"
    with pytest.raises(BusinessError) as exc:
        contribution_create(actor=acc, member=MemberFactory(cooperative=coop), kind="fiscal_funds", amount=D("1"))
    assert exc.value.code == "poverty_class_holder"


def test_confirming_writes_the_subscription_and_the_holding_in_one_go(coop, acc):
    member = MemberFactory(cooperative=coop)
    c = contribution_create(actor=acc, member=member, kind="cash", amount=D("12345.67"))
    result = contribution_confirm(actor=acc, contribution=c)
    (entry,) = result.entries
    assert entry.entry_type == "subscribe" and entry.amount == D("12345.67") and entry.balance_after == D("12345.67")
    assert entry.contribution_id == c.pk
    assert held(member) == D("12345.67")
    c.refresh_from_db()
    assert c.state == "confirmed" and c.confirmed_at is not None
    with pytest.raises(BusinessError) as exc:
        contribution_confirm(actor=acc, contribution=c)
    assert exc.value.code == "not_draft"
    with pytest.raises(BusinessError):
        contribution_cancel(actor=acc, contribution=c, reason="错")


def test_a_draft_can_be_cancelled_and_then_never_confirmed(coop, acc):
    c = contribution_create(actor=acc, member=MemberFactory(cooperative=coop), kind="cash", amount=D("100"))
    contribution_cancel(actor=acc, contribution=c, reason="重复录入")
    with pytest.raises(BusinessError):
        contribution_confirm(actor=acc, contribution=c)
    assert not ShareEntry.objects.exists()


def test_transfer_writes_both_legs_under_one_transfer_id(trio, acc):
    result = share_transfer(actor=acc, source=trio["甲"], target=trio["乙"], share_class="ordinary", amount=D("500"))
    out, into = result.entries
    assert out.operation == into.operation == result.operation
    assert (out.amount, out.balance_after, into.amount, into.balance_after) == (
        D("-500.00"),
        D("39500.00"),
        D("500.00"),
        D("30500.00"),
    )
    assert out.counterparty == trio["乙"] and into.counterparty == trio["甲"]


def test_cannot_transfer_more_than_held(trio, acc):
    with pytest.raises(BusinessError) as exc:
        share_transfer(actor=acc, source=trio["乙"], target=trio["甲"], share_class="ordinary", amount=D("30000.01"))
    assert exc.value.code == "insufficient_holding"
    assert held(trio["乙"]) == D("30000.00")


def test_reversal_restores_holdings_and_links_to_what_it_reverses(trio, acc):
    result = share_transfer(actor=acc, source=trio["甲"], target=trio["乙"], share_class="ordinary", amount=D("1000"))
    reversal = entry_reverse(actor=acc, entry=result.entries[1], reason="录错金额")
    assert held(trio["甲"]) == D("40000.00") and held(trio["乙"]) == D("30000.00")
    assert {e.reverses_id for e in reversal.entries} == {e.pk for e in result.entries}
    assert all(e.entry_type == "reversal" for e in reversal.entries)
    with pytest.raises(BusinessError) as exc:
        entry_reverse(actor=acc, entry=result.entries[0], reason="again")
    assert exc.value.code == "already_reversed"
    with pytest.raises(BusinessError) as exc:
        entry_reverse(actor=acc, entry=reversal.entries[0], reason="undo the undo")
    assert exc.value.code == "cannot_reverse_reversal"


def test_reversal_of_a_subscription_whose_shares_were_passed_on_is_refused(trio, acc, coop):
    newcomer = MemberFactory(cooperative=coop, name="丁")
    c = contribution_create(actor=acc, member=newcomer, kind="cash", amount=D("1000"))
    sub = contribution_confirm(actor=acc, contribution=c)
    share_transfer(actor=acc, source=newcomer, target=trio["乙"], share_class="ordinary", amount=D("600"))
    with pytest.raises(BusinessError) as exc:
        entry_reverse(actor=acc, entry=sub.entries[0], reason="入股作废")
    assert exc.value.code == "insufficient_holding"
    assert held(newcomer) == D("400.00")


@pytest.mark.parametrize(
    "statement",
    ["UPDATE shares_shareentry SET amount = 1 WHERE id = %s", "DELETE FROM shares_shareentry WHERE id = %s"],
)
def test_the_database_refuses_update_and_delete_of_ledger_entries(trio, statement):
    entry = ShareEntry.objects.first()
    with pytest.raises(DatabaseError) as exc, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, [entry.pk])
    assert "pgtrigger" in str(exc.value) or "Cannot" in str(exc.value)
    assert ShareEntry.objects.get(pk=entry.pk).amount == entry.amount


def test_check_ledgers_finds_a_corrupted_cached_holding(trio, capsys):
    call_command("check_ledgers")
    assert "match" in capsys.readouterr().out
    holding = Holding.objects.get(member=trio["乙"], share_class="ordinary")
    with connection.cursor() as cursor:  # a cached holding may be updated; here it is corrupted on purpose
        cursor.execute("UPDATE shares_holding SET amount = amount + 0.01 WHERE id = %s", [holding.pk])
    with pytest.raises(CommandError) as exc:
        call_command("check_ledgers")
    assert exc.value.returncode == 1
    err = capsys.readouterr().err
    assert f"holding {holding.pk}" in err and "cached 30000.01, ledger 30000.00" in err


def test_holdings_never_go_negative_even_by_hand(trio):
    with pytest.raises(IntegrityError), transaction.atomic():
        Holding.objects.filter(member=trio["乙"]).update(amount=D("-1"))


# -- withdrawals ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("applied", "kind", "effective"),
    [
        # a person: 30 Sep + 3 months = 30 Dec ≤ 31 Dec → this year's end; 1 Oct + 3 months = 1 Jan → next year's
        ("2024-09-30", "person", "2024-12-31"),
        ("2024-10-01", "person", "2025-12-31"),
        # an enterprise: six months' notice, cut-off 30 June
        ("2024-06-30", "enterprise", "2024-12-31"),
        ("2024-07-01", "enterprise", "2025-12-31"),
    ],
)
def test_withdrawal_takes_effect_at_the_accounting_year_end(coop, applied, kind, effective):
    member = MemberFactory(cooperative=coop) if kind == "person" else EnterpriseFactory(cooperative=coop)
    assert withdrawal_effective_on(datetime.date.fromisoformat(applied), member) == datetime.date.fromisoformat(
        effective
    )


def test_withdrawal_is_applied_then_refunded_at_the_year_end(trio, acc):
    member = trio["乙"]
    w = share_withdrawal_apply(
        actor=acc, member=member, amount=D("10000"), applied_on=datetime.date(2024, 9, 1), reason="外出务工"
    )
    assert w.effective_on == datetime.date(2024, 12, 31) and w.state == "pending"
    # 30,000 held, 10,000 already applied for: at most 20,000 more
    with pytest.raises(BusinessError) as exc:
        share_withdrawal_apply(actor=acc, member=member, amount=D("20000.01"), applied_on=datetime.date(2024, 9, 2))
    assert exc.value.code == "withdraw_more_than_held"
    with pytest.raises(BusinessError) as exc:
        share_withdrawal_execute(actor=acc, withdrawal=w, on=datetime.date(2024, 12, 30))
    assert exc.value.code == "withdrawal_not_due"
    result = share_withdrawal_execute(actor=acc, withdrawal=w, on=datetime.date(2025, 1, 2))
    (entry,) = result.entries
    assert entry.entry_type == "withdraw" and entry.amount == D("-10000.00")
    assert entry.effective_on == datetime.date(2024, 12, 31)
    assert held(member) == D("20000.00")


def test_only_ordinary_shares_are_refunded(trio, acc):
    with pytest.raises(BusinessError) as exc:
        share_withdrawal_apply(
            actor=acc,
            member=trio["collective"],
            amount=D("1"),
            share_class="collective",
            applied_on=datetime.date(2024, 1, 5),
        )
    assert exc.value.code == "withdraw_class_not_refundable"


def test_a_member_leaving_withdraws_everything_and_the_membership_ends(trio, acc):
    member = trio["乙"]
    with pytest.raises(BusinessError) as exc:
        share_withdrawal_apply(
            actor=acc, member=member, amount=D("100"), applied_on=datetime.date(2024, 3, 1), leaves_cooperative=True
        )
    assert exc.value.code == "leaving_withdraws_all"
    w = share_withdrawal_apply(
        actor=acc, member=member, amount=D("30000"), applied_on=datetime.date(2024, 3, 1), leaves_cooperative=True
    )
    share_withdrawal_execute(actor=acc, withdrawal=w, on=datetime.date(2025, 1, 1))
    member.refresh_from_db()
    assert member.left_on == datetime.date(2024, 12, 31) and member.leave_reason == "withdrawal"


def test_a_member_holding_shares_cannot_simply_leave(trio, acc):
    from members.services import member_leave

    with pytest.raises(BusinessError) as exc:
        member_leave(actor=acc, member=trio["乙"], left_on=datetime.date(2024, 12, 31), reason="death")
    assert exc.value.code == "member_still_holds_shares"


# -- gifts and conversions ------------------------------------------------------------------------
def test_gift_goes_to_a_vulnerable_household_and_collective_shares_become_poverty_shares(trio, acc):
    with pytest.raises(BusinessError) as exc:
        share_gift(actor=acc, source=trio["甲"], target=trio["乙"], share_class="ordinary", amount=D("100"))
    assert exc.value.code == "gift_target_not_vulnerable"
    result = share_gift(
        actor=acc, source=trio["collective"], target=trio["丙"], share_class="collective", amount=D("3000")
    )
    assert [(e.share_class, e.amount) for e in result.entries] == [
        ("collective", D("-3000.00")),
        ("poverty", D("3000.00")),
    ]
    assert held(trio["丙"], "poverty") == D("3000.00") and held(trio["collective"], "collective") == D("27000.00")


def test_reserve_conversion_needs_the_assembly_resolution(trio, acc, coop):
    with pytest.raises(BusinessError) as exc:
        share_reserve_convert(actor=acc, cooperative=coop, allocations={trio["乙"]: D("150")}, note="")
    assert exc.value.code == "resolution_required"
    result = share_reserve_convert(
        actor=acc,
        cooperative=coop,
        allocations={trio["乙"]: D("150"), trio["collective"]: D("100")},
        note="2024年成员大会决议第3号",
    )
    assert {(e.member_id, e.share_class, e.amount) for e in result.entries} == {
        (trio["乙"].pk, "ordinary", D("150.00")),
        (trio["collective"].pk, "collective", D("100.00")),
    }


# -- certificates ---------------------------------------------------------------------------------
def test_certificates_are_numbered_and_reissued_when_a_holding_changes(trio, acc, coop):
    issued = certificates_issue(actor=acc, cooperative=coop, on=datetime.date(2026, 1, 5))
    assert [c.number for c in issued] == ["东安-2026-0001", "东安-2026-0002", "东安-2026-0003"]
    old = ShareCertificate.objects.get(member=trio["乙"])
    assert old.total_amount == D("30000.00") and old.cooperative_total == D("100000.00")
    share_transfer(actor=acc, source=trio["甲"], target=trio["乙"], share_class="ordinary", amount=D("500"))
    old.refresh_from_db()
    assert old.state == CertificateState.VOID
    new = ShareCertificate.objects.get(member=trio["乙"], state=CertificateState.VALID)
    assert new.replaces == old and new.total_amount == D("30500.00") and new.number != old.number
    assert ShareCertificate.objects.filter(member=trio["甲"], state="valid").get().total_amount == D("39500.00")
    with pytest.raises(BusinessError) as exc:
        certificates_issue(actor=acc, cooperative=coop)
    assert exc.value.code == "nothing_to_issue"
