"""Building roster workbooks for the import tests and the benchmark."""

from __future__ import annotations

from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from shares.importing import COLUMNS, SHEET
from tests.members.factories import resident_id


def workbook(rows: list[dict], name: str = "roster.xlsx") -> SimpleUploadedFile:
    """An .xlsx in the template's layout; ``rows`` are dicts keyed by column key (see shares.importing)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(SHEET)
    ws.append([c.header for c in COLUMNS])
    for row in rows:
        ws.append([row.get(c.key) for c in COLUMNS])
    buffer = BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile(
        name, buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def person_rows(n: int, *, start: int = 0, land_every: int = 2) -> list[dict]:
    """``n`` villagers, one household each, every one with a cash or land contribution."""
    rows = []
    for i in range(start, start + n):
        row = {
            "kind": "个人",
            "name": f"村民{i}",
            "id_number": resident_id(1000 + i),
            "household_number": f"HH{i:05d}",
            "household_size": 3,
            "is_farmer": "是",
            "joined_on": "2024-03-01",
            "contributed_on": "2024-03-01",
        }
        if i % land_every == 0:
            row.update(
                contribution_kind="土地承包经营权",
                area_mu="2.5",
                value_per_mu="800",
                location="村东洼",
                term_years=10,
                appraiser="县农经站",
                appraisal_date="2024-02-20",
            )
        else:
            row.update(contribution_kind="现金", amount=1000 + i % 7 * 500)
        rows.append(row)
    return rows
