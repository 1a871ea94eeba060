"""``core.bulk.insert_columns``: rows of a model sent as columns, one statement, through every trigger."""

import datetime

import pytest
from django.apps import apps

from core.bulk import insert_columns
from core.models import Region

pytestmark = pytest.mark.django_db

TOWNSHIPS = {"code": ["371323901", "371323902", "371323903"], "name": ["甲镇", "乙镇", "丙镇"]}


def _write(county, **extra):
    return insert_columns(
        Region,
        {**TOWNSHIPS, "prefix": TOWNSHIPS["code"]},
        {"level": "township", "parent_id": county.pk},
        **extra,
    )


def test_rows_get_constants_defaults_and_timestamps(world):
    before = datetime.datetime.now(datetime.UTC)
    assert _write(world.county_a) == 3
    rows = list(
        Region.objects.filter(code__in=TOWNSHIPS["code"])
        .order_by("code")
        .values_list("code", "name", "level", "parent_id", "prefix", "households", "urban_rural_class")
    )
    county = world.county_a.pk
    # households and urban_rural_class were left out: their defaults, 0 and ""
    assert rows == [
        ("371323901", "甲镇", "township", county, "371323901", 0, ""),
        ("371323902", "乙镇", "township", county, "371323902", 0, ""),
        ("371323903", "丙镇", "township", county, "371323903", 0, ""),
    ]
    stamps = set(Region.objects.filter(code__in=TOWNSHIPS["code"]).values_list("created_at", "updated_at"))
    assert len(stamps) == 1  # one time for every row, auto_now and auto_now_add alike
    created, updated = stamps.pop()
    assert created == updated and created >= before


def test_position_numbers_the_rows_in_order_and_history_sees_them(world):
    _write(world.county_a, position="households")
    numbered = dict(Region.objects.filter(code__in=TOWNSHIPS["code"]).values_list("code", "households"))
    assert numbered == {"371323901": 1, "371323902": 2, "371323903": 3}
    events = apps.get_model("core", "RegionEvent").objects.filter(code__in=TOWNSHIPS["code"])
    assert sorted(events.values_list("code", "pgh_label")) == [(code, "insert") for code in TOWNSHIPS["code"]]


@pytest.mark.parametrize(
    ("model", "columns", "message"),
    [
        ("core.Region", {"code": ["1"], "nmae": ["x"]}, "Region has no field nmae"),
        ("core.Region", {"code": ["1", "2"], "name": ["x"]}, r"differ in length: \[1, 2\]"),
        # a key without a default cannot be left out (text could: it gets "", as with Django's insert)
        ("finance.VoucherLine", {"line_no": [1]}, "VoucherLine.voucher_id needs a value"),
    ],
)
def test_mistakes_are_refused_before_anything_is_written(world, model, columns, message):
    model = apps.get_model(model)
    rows = model._base_manager.count()
    with pytest.raises(ValueError, match=message):
        insert_columns(model, columns)
    assert model._base_manager.count() == rows


def test_no_rows_writes_nothing():
    assert insert_columns(Region, {"code": [], "name": []}, {"level": "township"}) == 0
