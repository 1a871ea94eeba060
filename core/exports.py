"""Excel export shared by every list: one header row, typed cells, amounts as numbers with two places."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal
from io import BytesIO
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from core.spreadsheets import is_formula_text

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = "#,##0.00"


def as_text(cell):
    """The one rule of every xlsx this site writes: text that a spreadsheet would run as a formula
    (a voucher summary "=HYPERLINK(…)", a name "=1+1") is written as text, never as a live formula."""
    if is_formula_text(cell.value):
        cell.data_type = "s"
    return cell


def workbook_bytes(title: str, headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """An xlsx with a bold header row; Decimal cells get the money format, dates the ISO format."""
    return workbook_sheets_bytes([(title, headers, rows)])


def workbook_sheets_bytes(sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence]]]) -> bytes:
    """Like ``workbook_bytes`` with several sheets: ``(title, headers, rows)`` each."""
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    for title, headers, rows in sheets:
        ws = wb.create_sheet(title=title[:31])
        header_cells = []
        for h in headers:
            cell = as_text(WriteOnlyCell(ws, value=str(h)))
            cell.font = Font(bold=True)
            header_cells.append(cell)
        ws.append(header_cells)
        for row in rows:
            ws.append([_cell(ws, value) for value in row])
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _cell(ws, value):
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, Promise):  # a choice's label, translated now
        value = str(value)
    if isinstance(value, Decimal):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = MONEY_FORMAT
        cell.alignment = Alignment(horizontal="right")
    elif isinstance(value, datetime.datetime):
        # a spreadsheet has no time zones: the time as read on the page (Asia/Shanghai), not UTC
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        cell = WriteOnlyCell(ws, value=local.replace(tzinfo=None))
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, datetime.date):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = "yyyy-mm-dd"
    else:
        # a lazily translated label (a choice's ``.label``) is written as the text it stands for
        text = str(value) if isinstance(value, Promise) else value
        cell = as_text(WriteOnlyCell(ws, value="" if text is None else text))
    return cell


def xlsx_response(filename: str, title: str, headers: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    response = HttpResponse(workbook_bytes(title, headers, rows), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
