"""Every page and endpoint of members and shares, asked by an accountant of another village about
东安村's rows: 404 (existence does not leak), and nothing changes."""

import datetime
from decimal import Decimal

import pytest

from members.models import Household, Member
from shares.models import Contribution, Holding, ImportBatch, ShareCertificate, ShareEntry, ShareWithdrawal
from shares.services import certificates_issue, contribution_create, share_withdrawal_apply
from shares.services.imports import ImportInvalid, import_start
from tests.conftest import fresh
from tests.members.factories import CollectiveFactory, MemberFactory
from tests.shares.conftest import subscribe
from tests.shares.workbooks import person_rows, workbook


@pytest.fixture
def rows(coop, acc, use_profile):
    use_profile("off")
    collective = CollectiveFactory(cooperative=coop)
    member = MemberFactory(cooperative=coop, name="甲")
    subscribe(acc, {collective: "1000", member: "500"})
    draft = contribution_create(actor=acc, member=member, kind="cash", amount=Decimal("10"))
    withdrawal = share_withdrawal_apply(
        actor=acc, member=member, amount=Decimal("100"), applied_on=datetime.date(2024, 1, 2)
    )
    certificates_issue(actor=acc, cooperative=coop)
    bad = person_rows(1)
    bad[0]["id_number"] = "123"
    with pytest.raises(ImportInvalid):
        import_start(actor=acc, cooperative=coop, file=workbook(bad))
    return {
        "coop": coop.pk,
        "m": member.pk,
        "h": member.household_id,
        "c": draft.pk,
        "e": ShareEntry.objects.filter(member=member).first().pk,
        "hold": Holding.objects.get(member=member).pk,
        "w": withdrawal.pk,
        "cert": ShareCertificate.objects.get(member=member).pk,
        "b": ImportBatch.objects.get().pk,
    }


PAGES = [
    ("get", "/members/{m}/"),
    ("get", "/members/{m}/edit/"),
    ("post", "/members/{m}/edit/"),
    ("get", "/members/{m}/leave/"),
    ("post", "/members/{m}/leave/"),
    ("get", "/members/households/{h}/"),
    ("post", "/members/households/{h}/edit/"),
    ("get", "/members/new/?cooperative={coop}"),
    ("post", "/members/new/?cooperative={coop}"),
    ("get", "/shares/contributions/{c}/"),
    ("post", "/shares/contributions/{c}/edit/"),
    ("post", "/shares/contributions/{c}/confirm/"),
    ("post", "/shares/contributions/{c}/cancel/"),
    ("get", "/shares/contributions/{c}/evidence/"),
    ("get", "/shares/contributions/new/?member={m}"),
    ("post", "/shares/contributions/confirm/"),
    ("get", "/shares/ledger/{e}/reverse/"),
    ("post", "/shares/ledger/{e}/reverse/"),
    ("get", "/shares/transfer/?cooperative={coop}"),
    ("post", "/shares/gift/?cooperative={coop}"),
    ("post", "/shares/conversion/?cooperative={coop}"),
    ("get", "/shares/withdrawals/new/?cooperative={coop}"),
    ("get", "/shares/withdrawals/{w}/"),
    ("post", "/shares/withdrawals/{w}/refund/"),
    ("post", "/shares/withdrawals/{w}/cancel/"),
    ("get", "/shares/certificates/{cert}/"),
    ("post", "/shares/certificates/issue/"),
    ("get", "/shares/import/{b}/"),
    ("get", "/shares/import/{b}/progress/"),
    ("get", "/shares/import/{b}/report.xlsx"),
    ("get", "/shares/cooperatives/{coop}/structure/"),
]
API = [
    ("get", "/api/v1/members/{m}/"),
    ("patch", "/api/v1/members/{m}/"),
    ("delete", "/api/v1/members/{m}/"),
    ("post", "/api/v1/members/{m}/leave/"),
    ("get", "/api/v1/households/{h}/"),
    ("patch", "/api/v1/households/{h}/"),
    ("get", "/api/v1/contributions/{c}/"),
    ("post", "/api/v1/contributions/{c}/confirm/"),
    ("post", "/api/v1/contributions/{c}/cancel/"),
    ("get", "/api/v1/holdings/{hold}/"),
    ("get", "/api/v1/share-entries/{e}/"),
    ("post", "/api/v1/share-entries/{e}/reverse/"),
    ("get", "/api/v1/withdrawals/{w}/"),
    ("post", "/api/v1/withdrawals/{w}/execute/"),
    ("post", "/api/v1/withdrawals/{w}/cancel/"),
    ("get", "/api/v1/certificates/{cert}/"),
    ("get", "/api/v1/imports/{b}/"),
    ("get", "/api/v1/cooperatives/{coop}/compliance/"),
    ("post", "/api/v1/cooperatives/{coop}/compliance/"),
]
BODY = {
    "cooperative": "{coop}",
    "name": "改名",
    "reason": "越权",
    "left_on": "2024-12-31",
    "leave_reason": "death",
    "operation": "withdraw",
    "member": "{m}",
    "amount": "1.00",
}


def _snapshot():
    return (
        list(Member.objects.order_by("pk").values_list("pk", "name", "left_on")),
        list(Household.objects.order_by("pk").values_list("pk", "head_name")),
        list(Contribution.objects.order_by("pk").values_list("pk", "state")),
        list(Holding.objects.order_by("pk").values_list("pk", "amount")),
        ShareEntry.objects.count(),
        list(ShareWithdrawal.objects.order_by("pk").values_list("pk", "state")),
        list(ShareCertificate.objects.order_by("pk").values_list("pk", "state")),
    )


def _fill(template: str, ids: dict) -> str:
    return template.format(**ids)


@pytest.mark.parametrize(("method", "url"), PAGES)
def test_pages_answer_404_to_another_villages_accountant(client, world, rows, method, url):
    before = _snapshot()
    client.force_login(world.acc_v12)
    body = {k: _fill(v, rows) for k, v in BODY.items()}
    response = getattr(client, method)(_fill(url, rows), body) if method == "post" else client.get(_fill(url, rows))
    assert response.status_code == 404, response.status_code
    assert _snapshot() == before


@pytest.mark.parametrize(("method", "url"), API)
def test_api_answers_404_to_another_villages_accountant(api_client, world, rows, method, url):
    before = _snapshot()
    api_client.force_authenticate(fresh(world.acc_v12))
    body = {k: _fill(v, rows) for k, v in BODY.items()}
    call = getattr(api_client, method)
    response = call(_fill(url, rows), body, format="json") if method != "get" else call(_fill(url, rows))
    assert response.status_code == 404, (response.status_code, response.content[:200])
    assert _snapshot() == before


@pytest.mark.parametrize(("method", "url"), [p for p in PAGES if p[0] == "post"])
def test_write_pages_are_403_for_an_official_and_change_nothing(client, world, rows, method, url):
    before = _snapshot()
    client.force_login(world.twp_t1)  # the cooperative's own township: may read, not write
    response = client.post(_fill(url, rows), {k: _fill(v, rows) for k, v in BODY.items()})
    assert response.status_code == 403
    assert _snapshot() == before
