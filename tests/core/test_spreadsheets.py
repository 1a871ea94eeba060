"""The shared checks on uploaded workbooks (core/spreadsheets.py) and the region import that uses them."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core import spreadsheets
from core.exceptions import BusinessError
from core.exports import workbook_bytes
from core.models import Region
from core.services.regions import read_rows, regions_import
from core.spreadsheets import SpreadsheetRefused, number_text, workbook_check
from tests.core.hostile_xlsx import bomb, many_rows_xml, not_a_zip, replace_sheet_xml, xlsx_bytes


def upload(data: bytes, name: str = "book.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def refused_code(data: bytes, name: str = "book.xlsx", **kwargs) -> str:
    with pytest.raises(SpreadsheetRefused) as info:
        workbook_check(upload(data, name), **kwargs)
    return info.value.code


def test_a_plain_workbook_passes_and_its_rows_are_counted():
    info = workbook_check(upload(xlsx_bytes([["h"], ["a"], ["b"]])))
    assert info.rows == 2 and info.part == "xl/worksheets/sheet1.xml"


@pytest.mark.parametrize(("label", "data"), not_a_zip())
def test_files_that_are_not_workbooks_are_refused(label, data):
    assert refused_code(data) == "xlsx_content", label


def test_a_workbook_with_another_extension_is_refused():
    assert refused_code(xlsx_bytes([["a"]]), name="book.xls") == "xlsx_type"
    assert refused_code(xlsx_bytes([["a"]]), name="book.csv") == "xlsx_type"


def test_an_oversized_upload_is_refused_before_it_is_opened():
    # 20 MB + 1 byte of zeros: refused on size alone (it is not even a zip)
    assert refused_code(b"\0" * (spreadsheets.MAX_UPLOAD_BYTES + 1)) == "xlsx_size"


def test_a_zip_bomb_is_refused_from_the_central_directory():
    data = bomb(xlsx_bytes([["a"]]))
    assert len(data) < 1024 * 1024  # 50 MB of spaces deflate to well under 1 MB: ratio above 200
    assert refused_code(data) == "xlsx_expansion"


def test_parts_expanding_beyond_the_total_limit_are_refused(monkeypatch):
    # an ordinary ratio, but together more than the (lowered) limit of 1 MB
    monkeypatch.setattr(spreadsheets, "MAX_EXPANDED_BYTES", 1024 * 1024)
    data = replace_sheet_xml(xlsx_bytes([["a"]]), extra={"xl/media/image.bin": bytes(range(256)) * 8192})
    assert refused_code(data) == "xlsx_expansion"


def test_100000_rows_are_refused_above_the_limit_without_reading_them_all():
    data = replace_sheet_xml(xlsx_bytes([["a"]]), many_rows_xml(100_000, ["成员类型", "姓名或名称"]))
    with pytest.raises(SpreadsheetRefused) as info:
        workbook_check(upload(data))
    assert info.value.code == "xlsx_rows" and "20,000" in info.value.message
    # the limit itself: 20,000 data rows pass, 20,001 do not
    at_limit = replace_sheet_xml(xlsx_bytes([["a"]]), many_rows_xml(20_000, ["h", "i"]))
    assert workbook_check(upload(at_limit)).rows == 20_000
    over = replace_sheet_xml(xlsx_bytes([["a"]]), many_rows_xml(20_001, ["h", "i"]))
    assert refused_code(over) == "xlsx_rows"


def test_row_count_is_streamed_and_stops_early():
    # 3 rows, the first tag straddling the border of the first 1 MB chunk: each counted once
    import zipfile

    body = b"<sheetData>" + b" " * (1024 * 1024 - 13) + b'<row r="1"/><row r="2"></row><x:row r="3">' + b"</sheetData>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("s.xml", body)
    with zipfile.ZipFile(buffer) as z:
        assert spreadsheets.count_rows(z, "s.xml", stop_after=10) == 3
    # 400,000 rows (3.2 MB): counting stops after the first 1 MB chunk once past the limit
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("s.xml", b"<row r/>" * 400_000)
    with zipfile.ZipFile(buffer) as z:
        counted = spreadsheets.count_rows(z, "s.xml", stop_after=10)
    assert 10 < counted < 400_000


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        ("1234.5", "1234.5"),  # typed 1234.5: stored as is
        ("1234.5600000000001", "1234.56"),  # 17 digits of the double for 1234.56 → 15 digits
        ("3.0000000000000004", "3"),  # =1.1+1.9 pasted as value: the sum's binary noise goes
        ("0.30000000000000004", "0.3"),  # 0.1 + 0.2
        ("1.1010519491231002E+17", "110105194912310000"),  # an 18-digit ID typed as a number: 15 digits, no exponent
        ("110105194912310020", "110105194912310020"),  # whole digits written by a program are exact
        ("1E-05", "0.00001"),
        ("2.5E+3", "2500"),
        ("-12.50", "-12.5"),
        ("abc", "abc"),  # not a number: left for the cell parser to refuse
    ],
)
def test_excel_numbers_become_plain_decimal_text(stored, expected):
    assert number_text(stored) == expected
    if expected != "abc":
        assert "E" not in number_text(stored).upper()
        Decimal(number_text(stored))  # parses


def test_formula_text_is_exported_as_text_not_as_a_formula():
    from openpyxl import load_workbook

    data = workbook_bytes("t", ["name"], [['=HYPERLINK("http://x","y")']])
    ws = load_workbook(io.BytesIO(data)).active
    assert ws["A2"].data_type == "s" and ws["A2"].value == '=HYPERLINK("http://x","y")'


# -- the region import ------------------------------------------------------------------------------------
REGION_HEADER = ["区划代码", "名称", "户数"]


def test_region_xlsx_numbers_arrive_without_float_artefacts(tmp_path):
    path = tmp_path / "regions.xlsx"
    path.write_bytes(xlsx_bytes([REGION_HEADER, [520502000000.0, "七星关区", 1200.0]]))
    assert read_rows(str(path)) == [{"code": "520502000000", "name": "七星关区", "households": "1200"}]


@pytest.mark.django_db
@pytest.mark.parametrize("literal", [False, True])
def test_region_xlsx_with_a_formula_is_refused_and_writes_nothing(tmp_path, literal):
    path = tmp_path / "regions.xlsx"
    path.write_bytes(
        xlsx_bytes([REGION_HEADER, ["520502", '=HYPERLINK("http://x","七星关区")', "=1+1"]], literal=literal)
    )
    before = Region.objects.count()
    with pytest.raises(BusinessError) as info:  # RegionImportError naming the cells
        regions_import(rows=read_rows(str(path)))
    assert "Formulas are not accepted" in info.value.message or "公式" in info.value.message
    assert Region.objects.count() == before


@pytest.mark.django_db
def test_region_import_of_a_bomb_or_a_renamed_file_writes_nothing(tmp_path):
    before = Region.objects.count()
    for data in (bomb(xlsx_bytes([REGION_HEADER])), b"code,name\n520502,x\n"):
        path = tmp_path / "regions.xlsx"
        path.write_bytes(data)
        with pytest.raises(SpreadsheetRefused):
            read_rows(str(path))
    assert Region.objects.count() == before
