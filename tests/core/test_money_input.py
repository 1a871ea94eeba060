"""Numbers enter as plain decimals only (issue: hardening, finding 9): ``1e5``, ``１２３``, ``NaN`` and
``Infinity`` are refused with a message that says what to write, through the API (as text and as JSON
numbers) and through the pages; ``1234.50`` is stored as typed. One rule (``core.money.plain_decimal``)
behind every serializer and every form of the project, which the last two tests walk."""

import importlib
import pkgutil
from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from rest_framework import serializers

from core.api.fields import PlainDecimalField
from core.api.parsers import JSONNumber
from core.forms import PlainDecimalField as PlainDecimalFormField
from core.money import plain_decimal
from finance.models import Voucher, VoucherLine
from shares.models import Contribution
from tests.dividends.factories import cooperative, worked_members
from tests.factories import CooperativeFactory
from tests.finance.factories import account, open_books
from tests.members.factories import MemberFactory, resident_id

D = Decimal
REFUSED = ["1e5", "1E+5", "１２３", "NaN", "Infinity", "-Infinity", "+5", "1_000", ".5", "5.", "0x10", "1,000.00"]
REFUSED_IDS = ["exponent", "exponent-sign", "full-width", "nan", "infinity", "-infinity", "plus", "underscore",
               "bare-point", "trailing-point", "hex", "comma"]  # fmt: skip
# the four of the issue, through every door
FOUR = ["1e5", "１２３", "NaN", "Infinity"]
PLAIN_MESSAGE = "只能写普通的数字，如 1234.50"
APPS = ["core", "cooperatives", "members", "shares", "finance", "dividends", "supervision"]


# -- the rule ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [("1234.50", "1234.50"), ("-3.10", "-3.10"), ("0", "0"), (" 7 ", "7"), ("007.5", "7.5"), ("-0", "-0")],
)
def test_plain_decimals_are_read_as_written(text, value):
    assert str(plain_decimal(text)) == value


@pytest.mark.parametrize("text", REFUSED, ids=REFUSED_IDS)
def test_anything_else_is_refused_with_a_message(text):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as info:
        plain_decimal(text)
    assert info.value.code == "plain_decimal" and PLAIN_MESSAGE in info.value.messages[0]


@pytest.mark.parametrize(
    ("text", "value"), [("1,234.50", "1234.50"), ("-1,234,567.89", "-1234567.89"), ("999", "999"), ("1,000", "1000")]
)
def test_pages_also_read_thousands_separators_in_their_place(text, value):
    assert str(plain_decimal(text, grouped=True)) == value


@pytest.mark.parametrize("text", ["1,23", "12,34.5", "1,2345", ",100", "1,000,00", "1.000,50", "1，000"])
def test_a_comma_out_of_place_is_refused_even_on_pages(text):
    with pytest.raises(ValidationError):
        plain_decimal(text, grouped=True)


def test_json_numbers_are_judged_by_the_text_they_were_written_as():
    assert plain_decimal(JSONNumber("100000.0")) == D("100000.0")
    assert plain_decimal(JSONNumber("-3.10")) == D("-3.10")
    assert plain_decimal(12) == D(12)
    for literal in ("1e5", "1E+5", "1.5e-3"):
        with pytest.raises(ValidationError):
            plain_decimal(JSONNumber(literal))
    with pytest.raises(ValidationError):
        plain_decimal(True)


# -- through the API -----------------------------------------------------------------------------


@pytest.fixture
def api(api_client, world):
    api_client.force_authenticate(world.acc_v11)
    return api_client


@pytest.fixture
def books(world):
    coop = CooperativeFactory(village=world.v11)
    open_books(world.acc_v11, coop, 2026)
    return coop


def _voucher(coop, rows):
    lines = [{"account": account(coop, c).pk, "debit": d, "credit": k} for c, d, k in rows]
    return {"cooperative": coop.pk, "date": "2026-01-05", "summary": "测试", "lines": lines}


@pytest.mark.parametrize("text", FOUR)
def test_a_voucher_line_amount_that_is_not_plain_is_refused(api, books, text):
    # the bad amount is on the second line: the message is still the first thing the answer says
    rows = [("101", "1.00", "0"), ("101", text, "0"), ("501", "0", "1.00")]
    with translation.override("zh-hans"):
        response = api.post("/api/v1/finance/vouchers/", _voucher(books, rows), format="json")
    body = response.json()
    assert response.status_code == 400 and body["code"] == "invalid", body
    assert PLAIN_MESSAGE in body["detail"]
    assert PLAIN_MESSAGE in body["errors"]["lines"]["1"]["debit"][0]
    assert not Voucher.objects.filter(cooperative=books).exists()


def test_a_voucher_line_amount_is_stored_as_written(api, books):
    rows = [("101", "1234.50", "0"), ("501", "0", "1234.50")]
    response = api.post("/api/v1/finance/vouchers/", _voucher(books, rows), format="json")
    assert response.status_code == 201, response.content
    assert list(VoucherLine.objects.filter(voucher__cooperative=books).values_list("debit", "credit")) == [
        (D("1234.50"), D("0.00")),
        (D("0.00"), D("1234.50")),
    ]


def _raw_voucher(coop, debit_literal: str, credit_literal: str) -> str:
    """The JSON body written by hand, so the numbers reach the server exactly as these literals."""
    return (
        f'{{"cooperative": {coop.pk}, "date": "2026-01-05", "summary": "测试", "lines": ['
        f'{{"account": {account(coop, "101").pk}, "debit": {debit_literal}, "credit": 0}}, '
        f'{{"account": {account(coop, "501").pk}, "debit": 0, "credit": {credit_literal}}}]}}'
    )


def test_a_plain_json_number_is_accepted(api, books):
    response = api.generic(
        "POST", "/api/v1/finance/vouchers/", _raw_voucher(books, "100000.0", "100000"), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert VoucherLine.objects.get(voucher__cooperative=books, line_no=1).debit == D("100000.00")


@pytest.mark.parametrize("literal", ["1e5", "1E+5", "100000e0"])
def test_a_json_number_in_exponent_form_is_refused(api, books, literal):
    with translation.override("zh-hans"):
        response = api.generic(
            "POST", "/api/v1/finance/vouchers/", _raw_voucher(books, literal, "100000"), content_type="application/json"
        )
    assert response.status_code == 400 and PLAIN_MESSAGE in response.json()["detail"], response.content
    assert not Voucher.objects.filter(cooperative=books).exists()


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_as_json_constants_are_refused_in_words(api, books, constant):
    with translation.override("zh-hans"):
        response = api.generic(
            "POST", "/api/v1/finance/vouchers/", _raw_voucher(books, constant, "1"), content_type="application/json"
        )
    body = response.json()
    assert response.status_code == 400 and body["code"] == "parse_error"
    assert f"“{constant}”不是可接受的数字" in body["detail"]


@pytest.fixture
def member(world):
    coop = CooperativeFactory(village=world.v11, status="operating")
    return MemberFactory(cooperative=coop, id_number=resident_id(901))


@pytest.mark.parametrize("text", FOUR)
def test_a_contribution_amount_that_is_not_plain_is_refused(api, member, text):
    with translation.override("zh-hans"):
        response = api.post("/api/v1/contributions/", {"member": member.pk, "kind": "cash", "amount": text})
    body = response.json()
    assert response.status_code == 400 and PLAIN_MESSAGE in body["errors"]["amount"][0], body
    assert not Contribution.objects.exists()


def test_a_contribution_area_from_the_model_is_read_by_the_same_rule(api, member):
    # area_mu is mapped from the model (no field declared on the serializer)
    body = {"member": member.pk, "kind": "land", "area_mu": "1e1", "value_per_mu": "800"}
    with translation.override("zh-hans"):
        response = api.post("/api/v1/contributions/", body, format="json")
    assert response.status_code == 400 and PLAIN_MESSAGE in response.json()["errors"]["area_mu"][0]


def test_a_contribution_amount_is_stored_as_written(api, member):
    response = api.post(
        "/api/v1/contributions/", {"member": member.pk, "kind": "cash", "amount": "1234.50"}, format="json"
    )
    assert response.status_code == 201, response.content
    assert Contribution.objects.get().amount == D("1234.50")


@pytest.mark.parametrize("text", FOUR)
def test_a_dividend_preview_surplus_that_is_not_plain_is_refused(api, world, text):
    coop = cooperative(world)
    payload = {"cooperative": coop.pk, "year": 2025, "policy": "217", "surplus": text}
    with translation.override("zh-hans"):
        response = api.post("/api/v1/dividends/plans/preview/", payload, format="json")
    assert response.status_code == 400 and PLAIN_MESSAGE in response.json()["errors"]["surplus"][0]


def test_a_dividend_preview_reads_plain_surpluses_negative_too(api, world):
    coop = cooperative(world)
    worked_members(world, coop)
    payload = {"cooperative": coop.pk, "year": 2025, "policy": "217", "surplus": "1234.50"}
    preview = api.post("/api/v1/dividends/plans/preview/", payload, format="json")
    # "217": 70% by shares of the distributable 1,234.50 = 864.15
    assert preview.status_code == 200 and preview.json()["surplus"] == "1234.50"
    assert sum(D(m["total"]) for m in preview.json()["members"]) == D("864.15")
    # a loss is read as written; the rule that refuses it is the plan's, with its own code
    loss = api.post("/api/v1/dividends/plans/preview/", {**payload, "surplus": "-3.10"}, format="json")
    assert loss.status_code == 400 and loss.json()["code"] == "no_surplus"


# -- through the pages ---------------------------------------------------------------------------


def _grid(rows):
    data = {"lines-TOTAL_FORMS": str(len(rows)), "lines-INITIAL_FORMS": "0"}
    for i, (code, debit, credit) in enumerate(rows):
        data.update({f"lines-{i}-account": code, f"lines-{i}-debit": debit, f"lines-{i}-credit": credit})
    return data


@pytest.mark.parametrize("text", FOUR)
def test_the_voucher_entry_grid_refuses_an_amount_that_is_not_plain(client, world, books, text):
    client.force_login(world.acc_v11)
    data = {"date": "2026-01-05", "summary": "测试", "attachment_count": "0"}
    data.update(_grid([("101", text, ""), ("501", "", "100.00")]))
    with translation.override("zh-hans"):
        response = client.post(f"/finance/cooperatives/{books.pk}/vouchers/new/", data)
    assert response.status_code == 200 and PLAIN_MESSAGE in response.content.decode()
    assert not Voucher.objects.filter(cooperative=books).exists()


def test_the_voucher_entry_grid_stores_amounts_as_typed_with_or_without_separators(client, world, books):
    client.force_login(world.acc_v11)
    data = {"date": "2026-01-05", "summary": "测试", "attachment_count": "0"}
    data.update(_grid([("101", "1,234.50", ""), ("102", "1234.50", ""), ("501", "", "2,469.00")]))
    response = client.post(f"/finance/cooperatives/{books.pk}/vouchers/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(VoucherLine.objects.filter(voucher__cooperative=books).values_list("debit", "credit")) == [
        (D("1234.50"), D("0.00")),
        (D("1234.50"), D("0.00")),
        (D("0.00"), D("2469.00")),
    ]


@pytest.mark.parametrize("text", [*FOUR, "1,23"])
def test_the_contribution_form_refuses_an_amount_that_is_not_plain(client, world, member, text):
    client.force_login(world.acc_v11)
    data = {"member": member.pk, "kind": "cash", "amount": text, "contributed_on": "2024-03-01"}
    with translation.override("zh-hans"):
        response = client.post(f"/shares/contributions/new/?member={member.pk}", data)
    assert response.status_code == 200 and PLAIN_MESSAGE in response.content.decode()
    assert not Contribution.objects.exists()


@pytest.mark.parametrize(("text", "stored"), [("1234.50", "1234.50"), ("1,234.50", "1234.50"), (" 800 ", "800.00")])
def test_the_contribution_form_stores_the_amount_as_typed(client, world, member, text, stored):
    client.force_login(world.acc_v11)
    data = {"member": member.pk, "kind": "cash", "amount": text, "contributed_on": "2024-03-01"}
    response = client.post(f"/shares/contributions/new/?member={member.pk}", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Contribution.objects.get().amount == D(stored)


def test_a_form_shows_a_stored_decimal_as_plain_digits_so_it_goes_back_unchanged():
    field = PlainDecimalFormField(max_digits=12, decimal_places=8)
    shown = field.prepare_value(D("0E-8"))
    assert shown == "0.00000000" and field.clean(shown) == D("0E-8")
    assert field.prepare_value(D("1E+5")) == "100000"
    assert 'inputmode="decimal"' in field.widget.render("x", "1") and 'type="text"' in field.widget.render("x", "1")


# -- nothing slips past --------------------------------------------------------------------------


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _leaves(field, path):
    """Every field of a serializer, through nested serializers, lists and dicts."""
    if isinstance(field, serializers.ListSerializer | serializers.ListField | serializers.DictField):
        yield from _leaves(field.child, f"{path}[]")
    elif isinstance(field, serializers.Serializer):
        for name, child in field.fields.items():
            yield from _leaves(child, f"{path}.{name}")
    else:
        yield path, field


def _import_all(package: str) -> None:
    for app in APPS:
        try:
            module = importlib.import_module(f"{app}.{package}")
        except ModuleNotFoundError:
            continue
        for info in pkgutil.iter_modules(getattr(module, "__path__", [])):
            importlib.import_module(f"{app}.{package}.{info.name}")


def test_every_decimal_field_of_every_serializer_is_plain():
    _import_all("api")
    classes = sorted(
        (c for c in _subclasses(serializers.BaseSerializer) if c.__module__.split(".")[0] in APPS),
        key=lambda c: (c.__module__, c.__qualname__),
    )
    concrete = [c for c in classes if not (issubclass(c, serializers.ModelSerializer) and not hasattr(c, "Meta"))]
    assert len(concrete) > 100  # every app's serializers were found
    decimals, wrong = 0, []
    for cls in concrete:
        for path, field in _leaves(cls(context={}), f"{cls.__module__}.{cls.__qualname__}"):
            if isinstance(field, serializers.DecimalField):
                decimals += 1
                if not isinstance(field, PlainDecimalField):
                    wrong.append(path)
    assert decimals > 100 and wrong == []


def test_every_decimal_field_of_every_form_is_plain():
    for app in APPS:
        for name in ("forms", "forms_oversight", "views"):
            try:
                importlib.import_module(f"{app}.{name}")
            except ModuleNotFoundError:
                continue
    _import_all("views")
    classes = [c for c in _subclasses(forms.BaseForm) if c.__module__.split(".")[0] in APPS]
    assert len(classes) > 50
    decimals, wrong = 0, []
    for cls in classes:
        for name, field in cls.base_fields.items():
            if isinstance(field, forms.DecimalField):
                decimals += 1
                if not isinstance(field, PlainDecimalFormField):
                    wrong.append(f"{cls.__module__}.{cls.__qualname__}.{name}")
    assert decimals > 30 and wrong == []
