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


def replace_parts(data: bytes, parts: dict[str, bytes], *, drop: tuple[str, ...] = ()) -> bytes:
    """``data`` with the named parts' content replaced (or left out), the archive itself sound."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename not in drop:
                dst.writestr(info.filename, parts.get(info.filename, src.read(info.filename)))
    return out.getvalue()


def corrupt_part(data: bytes, name: str) -> bytes:
    """``data`` with bytes inside one part's compressed data flipped: the central directory still
    reads, the part does not inflate (or fails its CRC)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        offset = z.getinfo(name).header_offset
        size = z.getinfo(name).compress_size
    damaged = bytearray(data)
    # the local header: 30 bytes, then the name and the extra field, whose lengths it gives
    start = offset + 30 + int.from_bytes(damaged[offset + 26 : offset + 28], "little")
    start += int.from_bytes(damaged[offset + 28 : offset + 30], "little")
    for i in range(start + 2, start + min(size, 40)):
        damaged[i] ^= 0x5A
    return bytes(damaged)


NO_SHEETS = (
    b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets/></workbook>'
)


def malformed(good: bytes) -> list[tuple[str, bytes, str]]:
    """(label, file, the refusal's code): files named .xlsx that cannot be imported, from ``good``."""
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as z:
        z.writestr("readme.txt", "hello")
    sheet = "xl/worksheets/sheet1.xml"
    missing_string = (  # a cell that points at shared string 9999 of a workbook that has none so far up
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="1"><c r="A1" t="s"><v>9999</v></c></row></sheetData></worksheet>'
    )
    return [
        ("random bytes", bytes(range(256)) * 8, "xlsx_content"),
        ("zip of something else", plain_zip.getvalue(), "xlsx_content"),
        ("truncated", good[: len(good) * 9 // 10], "xlsx_content"),
        ("no sheets", replace_parts(good, {"xl/workbook.xml": NO_SHEETS}), "xlsx_content"),
        ("workbook part damaged", corrupt_part(good, "xl/workbook.xml"), "xlsx_content"),
        ("content types not XML", replace_parts(good, {"[Content_Types].xml": b"garbage"}), "xlsx_damaged"),
        ("styles not XML", replace_parts(good, {"xl/styles.xml": b"<styleSheet"}), "xlsx_damaged"),
        ("styles part damaged", corrupt_part(good, "xl/styles.xml"), "xlsx_damaged"),
        ("sheet XML cut short", replace_parts(good, {sheet: b"<worksheet><sheetData><row"}), "xlsx_damaged"),
        ("missing shared string", replace_parts(good, {sheet: missing_string}), "xlsx_damaged"),
    ]
