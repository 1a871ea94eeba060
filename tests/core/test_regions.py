"""The region tree and its import from CSV/xlsx."""

import io

import pytest
from openpyxl import Workbook

from core.choices import RegionLevel
from core.models import Region
from core.services.regions import RegionImportError, normalise_code, read_rows, regions_import

CSV = """code,name,households
371323,沂水县,0
371323104,许家湖镇,0
371323104201,东安村,386
371323104202,西岭村,412
"""


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("371300", ("371300", RegionLevel.PREFECTURE)),
        ("371323", ("371323", RegionLevel.COUNTY)),
        ("371323000000", ("371323", RegionLevel.COUNTY)),
        ("371323104", ("371323104", RegionLevel.TOWNSHIP)),
        ("371323104000", ("371323104", RegionLevel.TOWNSHIP)),
        ("371323104201", ("371323104201", RegionLevel.VILLAGE)),
        ("371323104201.0", ("371323104201", RegionLevel.VILLAGE)),
    ],
)
def test_code_levels(raw, expected):
    assert normalise_code(raw) == expected


@pytest.mark.parametrize("raw", ["37132", "3713231042011", "37132A", "370000", ""])
def test_bad_codes(raw):
    with pytest.raises(ValueError):
        normalise_code(raw)


@pytest.mark.django_db
def test_csv_import_builds_the_tree_and_prefixes():
    result = regions_import(rows=read_rows(io.BytesIO(("\ufeff" + CSV).encode()), "regions.csv"))
    assert result == {"created": 4, "updated": 0}
    village = Region.objects.get(code="371323104201")
    assert village.parent.code == "371323104" and village.parent.parent.code == "371323"
    assert (village.level, village.prefix, village.households) == ("village", "371323104201", 386)
    assert Region.objects.get(code="371323").prefix == "371323"
    # a second import updates in place
    assert regions_import(rows=read_rows(io.BytesIO(CSV.encode()), "regions.csv")) == {"created": 0, "updated": 4}


@pytest.mark.django_db
def test_xlsx_import_with_chinese_headers_and_padded_codes(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["区划代码", "名称", "户数"])
    ws.append(["371323000000", "沂水县", None])
    ws.append(["371323105000", "院东头镇", 0])
    ws.append([371323105201, "北岭村", 530])  # a code typed as a number
    path = tmp_path / "regions.xlsx"
    wb.save(path)
    regions_import(rows=read_rows(path))
    assert Region.objects.get(code="371323105201").households == 530
    assert Region.objects.get(code="371323105").level == "township"


@pytest.mark.django_db
def test_one_bad_row_writes_nothing_and_names_the_row():
    bad = CSV + "37132310420X,坏村,10\n371323104203,南坪村,many\n371399101201,孤村,5\n"
    with pytest.raises(RegionImportError) as exc:
        regions_import(rows=read_rows(io.BytesIO(bad.encode()), "regions.csv"))
    errors = {(e.row, e.column) for e in exc.value.errors}
    assert errors == {(6, "code"), (7, "households"), (8, "code")}
    assert Region.objects.count() == 0


@pytest.mark.django_db
def test_level_and_code_length_are_enforced_by_the_database():
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        Region.objects.create(code="371323104", level=RegionLevel.VILLAGE, name="错")
