"""Hostile roster workbooks: wrong types, formulas, 100,000 rows, zip bombs, renamed and oversized
files. Each is refused with a clear message and writes nothing (not even the import batch when the
file itself is refused)."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import Workbook

from core import spreadsheets
from core.exceptions import BusinessError
from members.models import Household, Member
from shares.choices import ImportState
from shares.importing import COLUMNS, SHEET
from shares.models import Contribution, ImportBatch
from shares.services.imports import ImportInvalid, import_start
from tests.core.hostile_xlsx import bomb, many_rows_xml, not_a_zip, replace_sheet_xml
from tests.shares.workbooks import person_rows, workbook

KEYS = [c.key for c in COLUMNS]


def counts():
    return (
        ImportBatch.objects.count(),
        Member.objects.count(),
        Household.objects.count(),
        Contribution.objects.count(),
    )


def roster(rows: list[dict], *, literal: bool = False) -> SimpleUploadedFile:
    """Like tests.shares.workbooks.workbook, but cells may hold formulas or text that looks like one."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append([c.header for c in COLUMNS])
    for r, row in enumerate(rows, start=2):
        for c, key in enumerate(KEYS, start=1):
            cell = ws.cell(row=r, column=c, value=row.get(key))
            if literal and isinstance(row.get(key), str) and row[key].startswith("="):
                cell.data_type = "s"
    buffer = BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("roster.xlsx", buffer.getvalue())


def refused(coop, acc, file) -> BusinessError:
    before = counts()
    with pytest.raises(BusinessError) as info:
        import_start(actor=acc, cooperative=coop, file=file)
    assert counts() == before or counts()[1:] == before[1:]
    return info.value


def test_wrong_types_are_reported_per_cell_and_nothing_is_written(coop, acc):
    rows = person_rows(3)
    rows[0]["amount"] = "一千"  # row 2: text in a number column (cash row: i=1 is cash, i=0 land)
    rows[1]["amount"] = "abc"  # row 3: cash amount not a number
    rows[1]["joined_on"] = "明年"  # row 3: not a date
    rows[2]["household_size"] = "2.5"  # row 4: not a whole number
    rows[2]["is_farmer"] = "也许"  # row 4: neither 是 nor 否
    exc = refused(coop, acc, roster(rows))
    assert isinstance(exc, ImportInvalid)
    cells = {(e.row, e.column) for e in exc.errors}
    assert {(3, "入社日期"), (4, "农民")} <= cells
    assert (Member.objects.count(), Household.objects.count(), Contribution.objects.count()) == (0, 0, 0)


@pytest.mark.parametrize("literal", [False, True], ids=["formula", "text-looking-like-a-formula"])
def test_formulas_are_refused_never_evaluated(coop, acc, literal):
    rows = person_rows(2)
    rows[0]["name"] = '=HYPERLINK("http://evil.example/","村民0")'  # row 2
    rows[1]["amount"] = "=1+1"  # row 3
    exc = refused(coop, acc, roster(rows, literal=literal))
    assert isinstance(exc, ImportInvalid)
    assert [(e.row, e.column) for e in exc.errors] == [(2, "姓名或名称"), (3, "出资金额（元）")]
    assert "=1+1" in exc.errors[1].message
    batch = ImportBatch.objects.get()
    assert batch.state == ImportState.INVALID
    assert (Member.objects.count(), Contribution.objects.count()) == (0, 0)


def test_100000_rows_are_refused_before_anything_is_stored(coop, acc):
    data = replace_sheet_xml(workbook(person_rows(1)).read(), many_rows_xml(100_000, [c.header for c in COLUMNS]))
    exc = refused(coop, acc, SimpleUploadedFile("big.xlsx", data))
    assert exc.code == "xlsx_rows" and "20,000" in exc.message
    assert counts() == (0, 0, 0, 0)


def test_a_zip_bomb_is_refused_before_anything_is_stored(coop, acc):
    exc = refused(coop, acc, SimpleUploadedFile("bomb.xlsx", bomb(workbook(person_rows(1)).read())))
    assert exc.code == "xlsx_expansion"
    assert counts() == (0, 0, 0, 0)


@pytest.mark.parametrize(("label", "data"), not_a_zip())
def test_renamed_and_broken_files_are_refused(coop, acc, label, data):
    exc = refused(coop, acc, SimpleUploadedFile("roster.xlsx", data))
    assert exc.code == "xlsx_content", label
    assert counts() == (0, 0, 0, 0)


def test_an_oversized_upload_and_a_wrong_extension_are_refused(coop, acc):
    big = SimpleUploadedFile("roster.xlsx", b"PK\x03\x04" + b"\0" * spreadsheets.MAX_UPLOAD_BYTES)
    assert refused(coop, acc, big).code == "xlsx_size"
    assert refused(coop, acc, workbook(person_rows(1), name="roster.xls")).code == "xlsx_type"
    assert counts() == (0, 0, 0, 0)


def test_numbers_typed_in_excel_keep_their_decimal_value(coop, acc):
    rows = person_rows(2, start=1, land_every=99)  # two cash rows
    rows[0]["amount"] = 0.1 + 0.2  # stored as 0.30000000000000004 → 0.30
    rows[1]["amount"] = 1234.5  # stored as 1234.5 → 1234.50
    try:
        batch = import_start(actor=acc, cooperative=coop, file=workbook(rows))
    except ImportInvalid as exc:
        raise AssertionError(exc.errors) from exc
    assert batch.state == ImportState.DONE
    assert sorted(str(a) for a in Contribution.objects.values_list("amount", flat=True)) == ["0.30", "1234.50"]


def test_amounts_typed_as_text_follow_the_plain_rule(coop, acc):
    # (hardening, finding 9) a text cell "1e5" was read as 100,000.00, "１２３" as 123, and
    # "Infinity" stopped the import with a server error; thousands separators in place are read
    rows = person_rows(6, start=1, land_every=99)  # six cash rows, rows 2 to 7 of the sheet
    for row, typed in zip(rows, ["1e5", "１２３", "NaN", "Infinity", "1,23", "1,234.50"], strict=True):
        row["amount"] = typed
    with translation.override("zh-hans"):
        exc = refused(coop, acc, roster(rows))
    assert isinstance(exc, ImportInvalid)
    assert [(e.row, e.column) for e in exc.errors] == [(r, "出资金额（元）") for r in (2, 3, 4, 5, 6)]
    assert all("只能写普通的数字" in e.message for e in exc.errors), exc.errors
    assert (Member.objects.count(), Contribution.objects.count()) == (0, 0)
    good = person_rows(1, start=1, land_every=99)
    good[0]["amount"] = "1,234.50"
    batch = import_start(actor=acc, cooperative=coop, file=roster(good))
    assert batch.state == ImportState.DONE and Contribution.objects.get().amount == Decimal("1234.50")


def test_the_page_and_the_api_say_why_a_file_is_refused(client, api_client, world, coop):
    client.force_login(world.acc_v11)
    response = client.post("/shares/import/", {"cooperative": coop.pk, "file": SimpleUploadedFile("r.xlsx", b"a,b")})
    with translation.override("zh-hans"):
        message = gettext("This file is not an Excel workbook.")
    assert response.status_code == 200 and message in response.content.decode()
    api_client.force_authenticate(world.acc_v11)
    response = api_client.post(
        "/api/v1/imports/",
        {"cooperative": coop.pk, "file": SimpleUploadedFile("r.xlsx", bomb(workbook(person_rows(1)).read()))},
        format="multipart",
    )
    assert response.status_code == 400 and response.json()["code"] == "xlsx_expansion"
    assert counts() == (0, 0, 0, 0)


def _wide_sheet_xml(rows: int, column: str, *, declared: bool) -> bytes:
    """The roster's header and ``rows`` rows whose second cell sits at ``column`` (ZZZZZ is column
    12,356,630), optionally with a <dimension> that claims the same width."""
    head = "".join(f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{c.header}</t></is></c>' for i, c in enumerate(COLUMNS))
    body = "".join(
        f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>张三</t></is></c>'
        f'<c r="{column}{r}" t="inlineStr"><is><t>x</t></is></c></row>'
        for r in range(2, rows + 2)
    )
    dimension = f'<dimension ref="A1:{column}{rows + 1}"/>' if declared else ""
    return (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'{dimension}<sheetData><row r="1">{head}</row>{body}</sheetData></worksheet>'
    ).encode()


@pytest.mark.parametrize("declared", [True, False])
def test_a_sheet_that_claims_column_zzzzz_is_refused_before_anything_is_allocated(coop, acc, declared):
    # (hardening, finding 5) 8 rows with a cell at ZZZZZ took a worker from 251 MB to 1,034 MB: the
    # reader made a list of 12 million cells per row. The shared check reads the references first.
    import tracemalloc

    assert spreadsheets.column_number(b"ZZZZZ") == 12_356_630  # 26⁵ + 26⁴ + 26³ + 26² + 26 by hand
    data = replace_sheet_xml(workbook(person_rows(1)).read(), _wide_sheet_xml(8, "ZZZZZ", declared=declared))
    assert len(data) < 20_000  # a file of a few kilobytes
    tracemalloc.start()
    try:
        with translation.override("zh-hans"):
            error = refused(coop, acc, SimpleUploadedFile("roster.xlsx", data))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert error.code == "xlsx_columns"
    assert "200" in error.message and "列" in error.message, error.message
    assert peak < 200 * 1024 * 1024, f"{peak / 1024 / 1024:.0f} MB"


def test_a_sheet_within_the_column_limit_is_read(coop, acc):
    # column GR is the 200th (7 × 26 + 18): allowed; GS, the 201st, is not
    assert spreadsheets.column_number(b"GR") == 200
    ok = replace_sheet_xml(workbook(person_rows(1)).read(), _wide_sheet_xml(1, "GR", declared=True))
    info = spreadsheets.workbook_check(BytesIO(ok), name="roster.xlsx")
    assert info.rows == 1
    too_wide = replace_sheet_xml(workbook(person_rows(1)).read(), _wide_sheet_xml(1, "GS", declared=False))
    with pytest.raises(spreadsheets.SpreadsheetRefused):
        spreadsheets.workbook_check(BytesIO(too_wide), name="roster.xlsx")
