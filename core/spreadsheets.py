"""Checks every Excel import passes before openpyxl opens the file.

An uploaded .xlsx is a zip archive of XML parts, and each of its properties can be hostile: a file
that is not a zip at all (a renamed .xls or .csv), a zip whose parts expand to gigabytes (a zip bomb),
a sheet of a million rows, cells holding formulas. ``workbook_check`` refuses all of them with a clear
message and a machine-readable code, reading only the zip's central directory and streaming the
sheet's XML, so nothing large is ever held in memory. Importers call it before they read a cell, and
reject formula cells with ``formula_error``; a refused file writes nothing.

Python's ``zipfile`` never yields more bytes from a part than the size the central directory declares
(it stops there and checks the CRC), so bounding the declared sizes bounds what openpyxl will inflate.

A file can pass these checks and still be damaged inside (a part that does not inflate, XML that does
not parse, a cell pointing at a shared string that is not there). Readers open it with ``opened``,
which turns any failure to read it into ``SpreadsheetRefused`` (code ``xlsx_damaged``) with a message
that says what to do, never a server error.
"""

from __future__ import annotations

import logging
import re
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Context, Decimal, InvalidOperation
from pathlib import Path

from django.utils.translation import gettext as _

from core.exceptions import BusinessError

MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # what a browser may send: a 50,000-row roster is about 5 MB
MAX_EXPANDED_BYTES = 200 * 1024 * 1024  # all parts together once unzipped
MAX_PART_RATIO = 200  # an XML sheet compresses 5-20×; hundreds of times is a bomb
MAX_PARTS = 2000
MAX_ROWS = 20_000  # data rows of an import sheet (the header is extra)
MAX_COLUMNS = 200  # columns an import sheet may use (a roster has about twenty): column GR
ZIP_SIGNATURE = b"PK\x03\x04"

_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,15}:)?row[\s/>]")
_ROW_TAG_MAX = 22  # the longest text _ROW_TAG can match, kept between streamed chunks
# a cell's reference (<c r="ZZZZZ8" …>) and the sheet's declared extent (<dimension ref="A1:ZZZZZ8"/>)
_COLUMN_REF = re.compile(
    rb'<(?:[A-Za-z_][\w.-]{0,15}:)?(?:c|dimension)\s[^>]*?\br(?:ef)?="(?:[A-Za-z]+\d+:)?([A-Za-z]+)\d'
)
_COLUMN_REF_MAX = 200  # kept between chunks so that a tag split by a chunk boundary is read whole
_CHUNK = 1024 * 1024
# what reading a damaged archive part raises
_ARCHIVE_ERRORS = (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError, ValueError, KeyError)

logger = logging.getLogger(__name__)


class SpreadsheetRefused(BusinessError):
    """The file is not a workbook we agree to read; nothing was written."""

    code = "spreadsheet_refused"


@dataclass(frozen=True)
class SheetInfo:
    """What the check learnt: the archive part of the sheet that was counted and its row count."""

    part: str
    rows: int


def _refuse(message: str, code: str) -> SpreadsheetRefused:
    return SpreadsheetRefused(message, code=code, field="file")


def _size(file) -> int:
    size = getattr(file, "size", None)
    if size is None:
        position = file.tell()
        file.seek(0, 2)
        size = file.tell()
        file.seek(position)
    return size


def _first_sheet_part(archive: zipfile.ZipFile, sheet: str | None) -> str | None:
    """The archive path of ``sheet`` (else the first sheet), read from workbook.xml and its rels."""
    try:
        workbook = archive.read("xl/workbook.xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return None
    sheets = []  # (name, relationship id) in workbook order
    for attrs in re.findall(rb"<(?:\w+:)?sheet\b([^>]*)>", workbook):
        name = re.search(rb'\bname="([^"]*)"', attrs)
        rid = re.search(rb'\br:id="([^"]*)"', attrs)
        if rid:
            sheets.append((name.group(1).decode("utf-8", "replace") if name else "", rid.group(1)))
    if not sheets:
        return None
    wanted = next((rid for name, rid in sheets if name == sheet), sheets[0][1])
    for rel in re.findall(rb"<(?:\w+:)?Relationship\b([^>]*)>", rels):
        if re.search(rb'\bId="' + re.escape(wanted) + rb'"', rel):
            target = re.search(rb'\bTarget="([^"]*)"', rel)
            if target:
                path = target.group(1).decode("utf-8")
                return path.lstrip("/") if path.startswith("/") else "xl/" + path
    return None


def column_number(letters: bytes) -> int:
    """A, Z, AA, … as 1, 26, 27, …"""
    number = 0
    for ch in letters.upper():
        number = number * 26 + (ch - 64)
    return number


def _widest(buffer: bytes, limit: int) -> int:
    return max((column_number(m.group(1)) for m in _COLUMN_REF.finditer(buffer) if m.start() < limit), default=0)


def scan_sheet(archive: zipfile.ZipFile, part: str, *, stop_after: int, max_columns: int) -> tuple[int, int]:
    """Row elements and the widest column of a sheet part (its cells' references and its declared
    dimension), streamed in 1 MB chunks; stops as soon as either limit is passed. Nothing per row
    or per column is allocated, so a sheet that claims column ZZZZZ costs what its bytes cost."""
    rows = widest = 0
    carry = b""
    with archive.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            buffer = carry + chunk
            limit = len(buffer) - max(_ROW_TAG_MAX, _COLUMN_REF_MAX)  # later matches: with the next chunk
            rows += sum(1 for m in _ROW_TAG.finditer(buffer) if m.start() < limit)
            widest = max(widest, _widest(buffer, limit))
            carry = buffer[max(limit, 0) :]
            if rows > stop_after or widest > max_columns:
                return rows, widest
    rows += len(_ROW_TAG.findall(carry))
    return rows, max(widest, _widest(carry, len(carry)))


def count_rows(archive: zipfile.ZipFile, part: str, *, stop_after: int) -> int:
    """Row elements of a sheet part (``scan_sheet`` without a column limit)."""
    return scan_sheet(archive, part, stop_after=stop_after, max_columns=1 << 30)[0]


def workbook_check(
    file,
    *,
    name: str | None = None,
    sheet: str | None = None,
    max_rows: int = MAX_ROWS,
    max_bytes: int = MAX_UPLOAD_BYTES,
    max_columns: int = MAX_COLUMNS,
) -> SheetInfo:
    """Refuse (``SpreadsheetRefused``) an upload that is not a reasonable .xlsx; the file is rewound.

    Checks, cheapest first: the name ends in .xlsx; at most ``max_bytes``; starts like a zip and its
    central directory reads; holds a workbook; the parts' declared sizes stay under the expansion
    limits; the sheet (``sheet`` by name, else the first) has at most ``max_rows`` rows after the header
    and uses at most ``max_columns`` columns (neither its cells nor its declared dimension go further).
    """
    name = name if name is not None else getattr(file, "name", "") or ""
    if Path(str(name)).suffix.lower() != ".xlsx":
        raise _refuse(_("Upload the workbook as an .xlsx file."), "xlsx_type")
    size = _size(file)
    if size > max_bytes:
        raise _refuse(_("The workbook is larger than %(mb)d MB.") % {"mb": max_bytes // (1024 * 1024)}, "xlsx_size")
    file.seek(0)
    head = file.read(4)
    file.seek(0)
    if not head.startswith(ZIP_SIGNATURE):
        raise _refuse(_("This file is not an Excel workbook."), "xlsx_content")
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError, ValueError):
        file.seek(0)
        raise _refuse(_("This file is not an Excel workbook."), "xlsx_content") from None
    try:
        parts = archive.infolist()
        names = {info.filename for info in parts}
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            raise _refuse(_("This file is not an Excel workbook."), "xlsx_content")
        expanded = sum(info.file_size for info in parts)
        bomb = (
            len(parts) > MAX_PARTS
            or expanded > MAX_EXPANDED_BYTES
            or any(info.file_size > MAX_PART_RATIO * max(info.compress_size, 1024) for info in parts)
        )
        if bomb:
            raise _refuse(
                _("The workbook would expand to more than %(mb)d MB when opened; it is refused.")
                % {"mb": MAX_EXPANDED_BYTES // (1024 * 1024)},
                "xlsx_expansion",
            )
        try:
            part = _first_sheet_part(archive, sheet)
        except _ARCHIVE_ERRORS as exc:  # workbook.xml or its relationships do not inflate
            raise _refuse(_("This file is not an Excel workbook."), "xlsx_content") from exc
        if part is None or part not in names:
            raise _refuse(_("This file is not an Excel workbook."), "xlsx_content")
        try:
            rows, widest = scan_sheet(archive, part, stop_after=max_rows + 1, max_columns=max_columns)
        except _ARCHIVE_ERRORS as exc:
            raise _refuse(_("This file is not an Excel workbook."), "xlsx_content") from exc
        if rows - 1 > max_rows:
            raise _refuse(
                _("The sheet has more than %(n)s data rows; split it into several workbooks of at most %(n)s rows.")
                % {"n": f"{max_rows:,}"},
                "xlsx_rows",
            )
        if widest > max_columns:
            raise _refuse(
                _("The sheet uses more than %(n)s columns; keep the template's columns and delete the others.")
                % {"n": max_columns},
                "xlsx_columns",
            )
        return SheetInfo(part=part, rows=max(rows - 1, 0))
    finally:
        archive.close()
        file.seek(0)


def damaged_message() -> str:
    return _(
        "The workbook is damaged and cannot be read. Open it in Excel or WPS, save it again as an .xlsx "
        "workbook and upload that file."
    )


@contextmanager
def opened(file, *, read_only: bool = True) -> Iterator:
    """The workbook (after ``workbook_check``) opened by openpyxl with formulas as written, closed on leaving.

    Any failure to read it — on opening or while the block reads its rows — is the file's: it is logged
    and raised as ``SpreadsheetRefused`` (code ``xlsx_damaged``). Reading a workbook touches only the
    uploaded bytes, so whatever openpyxl, zipfile or the XML parser raise on a damaged part (and they
    raise many kinds) means "this file cannot be read"; a ``BusinessError`` raised in the block passes.
    """
    from openpyxl import load_workbook

    workbook = None
    try:
        file.seek(0)
        workbook = load_workbook(file, read_only=read_only, data_only=False)
        yield workbook
    except (BusinessError, MemoryError):
        raise
    except Exception as exc:
        logger.warning("spreadsheets.damaged", exc_info=True)
        raise _refuse(damaged_message(), "xlsx_damaged") from exc
    finally:
        if workbook is not None:
            workbook.close()
        file.seek(0)


def open_check(file) -> None:
    """Refuse (``xlsx_damaged``) a workbook whose common parts — content types, workbook,
    relationships, styles, shared strings — cannot be read; the sheet itself is read later."""
    with opened(file):
        pass


def formula_error(value: str) -> str:
    """The message for a cell that holds a formula (never evaluated, never trusted)."""
    return _("Formulas are not accepted (%(formula)s); type the value itself or paste it as values.") % {
        "formula": value[:40]
    }


def is_formula_text(value) -> bool:
    """Text that a spreadsheet would run as a formula when the value is written back out."""
    return isinstance(value, str) and value.startswith("=") and len(value) > 1


EXCEL_DIGITS = 15  # Excel keeps 15 significant digits of what is typed; further digits are binary noise


def number_text(raw: str) -> str:
    """The number Excel stored as ``raw`` (a double's text), as plain decimal text for ``Decimal``.

    Excel stores doubles and may write them with 17 significant digits (1234.5600000000001, or
    3.0000000000000004 after a sum); rounding to the 15 digits Excel itself keeps gives back what
    was typed. Large values arrive in exponent form (1.1010519491231002E+17) and leave as digits,
    never as 1.1E+17. Plain digits (a whole number written by a program) are exact and kept as they
    are. Never goes through float. Text that is not a number is returned unchanged.
    """
    raw = raw.strip()
    if raw.lstrip("-").isdigit():
        return raw
    try:
        value = Decimal(raw)
    except InvalidOperation:
        return raw
    if not value.is_finite():
        return raw
    rounded = Context(prec=EXCEL_DIGITS).plus(value).normalize()
    return format(rounded, "f")
