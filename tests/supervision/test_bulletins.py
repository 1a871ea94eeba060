"""Bulletins: generated once per county, kind and period; printable; downloads scoped."""

import datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook

from supervision.models import Bulletin
from supervision.services.bulletins import bulletin_generate, period_for
from supervision.services.statistics import snapshots_refresh_all
from supervision.tasks import bulletins

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 9, 15)


def test_periods_of_the_three_kinds():
    assert period_for("weekly", DAY) == ("2026-W38", 2026, 3)
    assert period_for("monthly", DAY) == ("2026-09", 2026, 3)
    # the quarterly review in early October looks back at the third quarter
    assert period_for("quarterly", datetime.date(2026, 10, 5)) == ("2026Q3", 2026, 3)


def test_bulletin_reports_the_ranking_and_figures(county):
    snapshots_refresh_all(year=2026, quarter=3, prefix="371323")
    bulletin = bulletin_generate(county=county.county_a, kind="monthly", today=DAY)
    names = [t["name"] for t in bulletin.content["townships"]]
    assert names == ["许家湖镇", "院东头镇"]
    figures = {f["label"]: f["value"] for f in bulletin.content["figures"]}
    assert "420000.00" in figures.values()  # the county's collective income
    wb = load_workbook(BytesIO(bulletin.file.read()), read_only=True)
    assert len(wb.sheetnames) == 4


def test_bulletin_task_run_twice_makes_one_bulletin_per_county(county, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: DAY)
    first = bulletins("weekly")
    second = bulletins("weekly")
    assert first == second
    # two counties in the world → two bulletins, not four
    assert Bulletin.objects.filter(kind="weekly").count() == 2


def test_downloads_are_scoped(county, client):
    snapshots_refresh_all(year=2026, quarter=3, prefix="371323")
    bulletin = bulletin_generate(county=county.county_a, kind="monthly", today=DAY)
    client.force_login(county.county_b_off)
    assert client.get(f"/supervision/bulletins/{bulletin.pk}/download/").status_code == 404
    assert client.get(f"/supervision/bulletins/{bulletin.pk}/").status_code == 404
    client.force_login(county.twp_t1)
    assert client.get(f"/supervision/bulletins/{bulletin.pk}/download/").status_code == 403
    client.force_login(county.county_a_off)
    response = client.get(f"/supervision/bulletins/{bulletin.pk}/download/")
    assert response.status_code == 200
    page = client.get(f"/supervision/bulletins/{bulletin.pk}/").content.decode()
    assert "许家湖镇" in page


def test_open_problems_dates_are_stored_as_iso_text():
    """An open alert's ``since`` (a datetime) and a finding's ``deadline`` (a date) go into the
    bulletin's JSON content as ISO text; a datetime left as it is made "Prepare now" fail."""
    import json
    from decimal import Decimal

    from supervision.services.bulletins import _num

    since = datetime.datetime(2026, 11, 24, 3, 50, 27, tzinfo=datetime.UTC)
    problem = {"since": since, "deadline": datetime.date(2026, 12, 24), "amount": Decimal("12000.00"), "n": 3}
    ready = {k: _num(v) for k, v in problem.items()}
    assert ready == {"since": "2026-11-24T03:50:27+00:00", "deadline": "2026-12-24", "amount": "12000.00", "n": 3}
    json.dumps(ready)
