"""Clear errors, never 500 (issue: hardening, finding 9): each input that crashed a request now
answers 400 (or 403) with the error envelope and a message that says what to do."""

import pytest
from django.utils import translation

from core.validators import clean_name
from finance.models import Voucher
from tests.factories import CooperativeFactory
from tests.finance.factories import account, open_books
from tests.members.factories import HouseholdFactory

VALID_ID = "11010519491231002X"


@pytest.fixture
def books(world):
    coop = CooperativeFactory(village=world.v11)
    open_books(world.acc_v11, coop, 2026)
    return coop


@pytest.fixture
def api(api_client, world):
    api_client.force_authenticate(world.acc_v11)
    return api_client


def _voucher(coop, rows):
    lines = [{"account": account(coop, c).pk, "debit": d, "credit": k} for c, d, k in rows]
    return {"cooperative": coop.pk, "date": "2026-01-05", "summary": "测试", "lines": lines}


def test_a_voucher_of_1001_lines_is_refused_at_once(api, books):
    rows = [("101", "1.00", "0")] * 1000 + [("501", "0", "1000.00")]
    with translation.override("zh-hans"):
        response = api.post("/api/v1/finance/vouchers/", _voucher(books, rows), format="json")
    assert response.status_code == 400 and response.json()["code"] == "too_many_lines"
    assert "1,000" in response.json()["detail"] and "拆分" in response.json()["detail"]
    assert not Voucher.objects.filter(cooperative=books).exists()


def test_a_voucher_total_beyond_the_column_is_refused(api, books):
    # two debits of 999,999,999,999,999.99 (each allowed) sum to 1,999,999,999,999,999.98 ≥ 10¹⁵
    big = "999999999999999.99"
    rows = [("101", big, "0"), ("101", big, "0"), ("501", "0", big), ("501", "0", big)]
    response = api.post("/api/v1/finance/vouchers/", _voucher(books, rows), format="json")
    assert response.status_code == 400 and response.json()["code"] == "invalid_amount", response.content


def test_json_nested_too_deep_is_a_bad_request(api, books):
    body = "[" * 100_000 + "]" * 100_000
    with translation.override("zh-hans"):
        response = api.generic("POST", "/api/v1/finance/vouchers/", body, content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "parse_error"
    assert "嵌套" in response.json()["detail"]


def test_a_member_asking_for_the_rankings_is_refused_not_crashed(api_client, world):
    api_client.force_authenticate(world.member_v11)
    response = api_client.get("/api/v1/supervision/rankings/")
    assert response.status_code == 403 and response.json()["code"]


@pytest.mark.parametrize(
    "name", ["\u200b", "张\u200b三", "\u202e三张", "李四\u0007"], ids=["zero-width", "inside", "rtl", "bell"]
)
def test_a_name_with_invisible_characters_is_refused(api, world, name):
    coop = CooperativeFactory(village=world.v11, status="operating")
    household = HouseholdFactory(village=world.v11, number="0001", head_name="张三")
    body = {"cooperative": coop.pk, "kind": "person", "name": name, "household": household.pk, "id_number": VALID_ID}
    response = api.post("/api/v1/members/", body, format="json")
    assert response.status_code == 400 and response.json()["code"] == "name_hidden_characters", response.content
    assert list(response.json()["errors"]) == ["name"]


def test_names_are_kept_as_typed_otherwise():
    assert clean_name("  欧阳 娜娜 ") == "欧阳 娜娜"
    assert clean_name("e\u0301") == "\u00e9"  # NFC: one character, as every other page compares it
