"""Hostile .xlsx files built in the tests (never committed as binaries): renamed files, broken zips,
zip bombs, sheets of 100,000 rows, formula cells."""

from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook

from core import spreadsheets


def xlsx_bytes(rows: list[list], *, sheet: str = "Sheet", literal: bool = False) -> bytes:
    """A workbook with ``rows``; ``literal`` stores text starting with "=" as text, not as a formula."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c, value=value)
            if literal and isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def replace_sheet_xml(data: bytes, body: bytes | None = None, *, extra: dict[str, bytes] | None = None) -> bytes:
    """``data`` with its first sheet's XML replaced by ``body`` and/or extra parts added (deflated)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if body is not None and info.filename == "xl/worksheets/sheet1.xml":
                content = body
            dst.writestr(info.filename, content)
        for name, content in (extra or {}).items():
            dst.writestr(name, content)
    return out.getvalue()


def many_rows_xml(n: int, header: list[str]) -> bytes:
    """A sheet of a header and ``n`` rows, written as XML directly (100,000 rows in a fraction of a second)."""
    head = "".join(f'<c t="inlineStr"><is><t>{h}</t></is></c>' for h in header)
    row = '<c t="inlineStr"><is><t>个人</t></is></c><c t="inlineStr"><is><t>村民</t></is></c>'
    rows = "".join(f'<row r="{i}">{row}</row>' for i in range(2, n + 2))
    return (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        f'<row r="1">{head}</row>{rows}</sheetData></worksheet>'
    ).encode()


def bomb(data: bytes) -> bytes:
    """``data`` plus a part of 50 MB of spaces that deflates to about 50 KB (a ratio of 1,000)."""
    return replace_sheet_xml(data, extra={"xl/media/padding.xml": b" " * (50 * 1024 * 1024)})


def not_a_zip() -> list[tuple[str, bytes]]:
    """Files named .xlsx that are not workbooks: CSV text, an old .xls, a zip of something else,
    a truncated zip."""
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as z:
        z.writestr("readme.txt", "hello")
    good = xlsx_bytes([["a"]])
    return [
        ("csv", "成员类型,姓名或名称\n个人,张三\n".encode()),
        ("xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512),
        ("other zip", plain_zip.getvalue()),
        ("truncated", good[: len(good) // 2]),
        ("empty", b""),
    ]


ROW_LIMIT = spreadsheets.MAX_ROWS
