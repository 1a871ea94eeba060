"""Region tree import: a CSV or xlsx of division codes, validated whole before anything is written."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import spreadsheets
from core.choices import RegionLevel
from core.exceptions import BusinessError
from core.models import Region

HEADERS = {
    "code": "code",
    "区划代码": "code",
    "name": "name",
    "名称": "name",
    "households": "households",
    "户数": "households",
    "urban_rural_class": "urban_rural_class",
    "城乡分类代码": "urban_rural_class",
}


@dataclass
class RowError:
    row: int
    column: str
    message: str


class RegionImportError(BusinessError):
    code = "import_invalid"

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        lines = "; ".join(
            _("row %(row)d, column %(column)s: %(message)s") % {"row": e.row, "column": e.column, "message": e.message}
            for e in errors[:20]
        )
        summary = ngettext(
            "The file has %(n)d bad row; nothing was imported.",
            "The file has %(n)d bad rows; nothing was imported.",
            len(errors),
        ) % {"n": len(errors)}
        super().__init__(f"{summary} {lines}")


def normalise_code(raw: str) -> tuple[str, RegionLevel]:
    """Accept natural-length (6/9/12) or zero-padded 12-digit codes; return (code, level)."""
    code = str(raw).strip()
    if code.endswith(".0"):  # a code read from an xlsx number cell
        code = code[:-2]
    if not code.isdigit() or len(code) not in (6, 9, 12):
        raise ValueError(_("a division code must have 6, 9 or 12 digits"))
    if len(code) == 12 and code.endswith("000000"):
        code = code[:6]
    elif len(code) == 12 and code.endswith("000"):
        code = code[:9]
    if len(code) == 6:
        if code[4:] == "00" and code[2:4] != "00":
            return code, RegionLevel.PREFECTURE
        if code[2:] == "0000":
            raise ValueError(_("province-level codes are not loaded"))
        return code, RegionLevel.COUNTY
    if len(code) == 9:
        return code, RegionLevel.TOWNSHIP
    return code, RegionLevel.VILLAGE


def _parent_code(code: str, level: RegionLevel) -> str | None:
    if level == RegionLevel.VILLAGE:
        return code[:9]
    if level == RegionLevel.TOWNSHIP:
        return code[:6]
    if level == RegionLevel.COUNTY:
        return code[:4] + "00"
    return None


MAX_ROWS = 50_000  # a prefecture-level city has a few thousand villages; a province is split by city


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return spreadsheets.number_text(repr(value))
    return str(value)


def _xlsx_rows(file, name: str) -> list[list[str]]:
    """The first sheet's cells as text, after the shared checks; a formula is refused, never evaluated."""
    from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

    spreadsheets.workbook_check(file, name=name, max_rows=MAX_ROWS)
    with spreadsheets.opened(file) as wb:
        rows = []
        errors = []
        for number, values in enumerate(wb.worksheets[0].iter_rows(values_only=True), start=1):
            row = []
            for value in values:
                if spreadsheets.is_formula_text(value) or isinstance(value, ArrayFormula | DataTableFormula):
                    errors.append(RowError(number, "", spreadsheets.formula_error(str(value))))
                    value = None
                row.append(_cell_text(value))
            rows.append(row)
    if errors:
        raise RegionImportError(errors)
    return rows


def read_rows(path_or_file, filename: str | None = None) -> list[dict]:
    """Rows of a CSV (UTF-8, with or without BOM) or xlsx file as dicts keyed by canonical names."""
    name = filename or str(path_or_file)
    if name.lower().endswith(".xlsx"):
        if isinstance(path_or_file, str | Path):
            with open(path_or_file, "rb") as fh:
                rows = _xlsx_rows(fh, name)
        else:
            rows = _xlsx_rows(path_or_file, name)
    else:
        if isinstance(path_or_file, str | Path):
            text = Path(path_or_file).read_text(encoding="utf-8-sig")
        else:
            data = path_or_file.read()
            text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
        rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        return []
    header = [HEADERS.get(h.strip(), h.strip()) for h in rows[0]]
    return [dict(zip(header, r, strict=False)) for r in rows[1:] if any(c.strip() for c in r)]


@transaction.atomic
def regions_import(*, rows: list[dict]) -> dict[str, int]:
    """Create or update regions from rows with code, name, households (optional urban_rural_class).

    Every row is checked first (code format, name, household count, parent present in the file or
    the database); if any row is bad nothing is written. Rows may come in any order.
    Returns counts of created and updated regions.
    """
    errors: list[RowError] = []
    parsed: dict[str, dict] = {}
    for i, row in enumerate(rows, start=2):  # row 1 is the header
        try:
            code, level = normalise_code(row.get("code", ""))
        except ValueError as exc:
            errors.append(RowError(i, "code", str(exc)))
            continue
        name = (row.get("name") or "").strip()
        if not name:
            errors.append(RowError(i, "name", _("the name is empty")))
        raw_households = str(row.get("households") or "0").strip()
        if raw_households.endswith(".0"):
            raw_households = raw_households[:-2]
        if not raw_households.isdigit():
            errors.append(RowError(i, "households", _("the household count must be a whole number")))
            raw_households = "0"
        if code in parsed:
            errors.append(RowError(i, "code", _("the code %(code)s appears twice") % {"code": code}))
        parsed[code] = {
            "row": i,
            "level": level,
            "name": name,
            "households": int(raw_households),
            "urban_rural_class": (row.get("urban_rural_class") or "").strip()[:3],
        }
    existing = {
        r.code: r
        for r in Region.objects.filter(
            code__in=[c for code, p in parsed.items() for c in (code, _parent_code(code, p["level"])) if c]
        )
    }
    for code, p in parsed.items():
        parent = _parent_code(code, p["level"])
        if (
            p["level"] in (RegionLevel.TOWNSHIP, RegionLevel.VILLAGE)
            and parent not in parsed
            and parent not in existing
        ):
            errors.append(
                RowError(
                    p["row"], "code", _("its parent %(parent)s is neither in the file nor loaded") % {"parent": parent}
                )
            )
    if errors:
        raise RegionImportError(errors)
    created = updated = 0
    level_order = [RegionLevel.PREFECTURE, RegionLevel.COUNTY, RegionLevel.TOWNSHIP, RegionLevel.VILLAGE]
    for level in level_order:
        for code, p in sorted(parsed.items()):
            if p["level"] != level:
                continue
            parent = existing.get(_parent_code(code, level) or "")
            region = existing.get(code)
            if region is None:
                region = Region(code=code, level=level)
                created += 1
            else:
                updated += 1
            region.name = p["name"]
            region.households = p["households"]
            region.urban_rural_class = p["urban_rural_class"]
            region.parent = parent
            region.save()
            existing[code] = region
    return {"created": created, "updated": updated}
