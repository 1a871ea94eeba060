"""The roster workbook: the template accountants fill in, reading it, and the error report.

The format is a data format, not UI text: column names and list values are fixed Chinese strings
(an accountant's workbook must import the same whatever the browser language). One row is one
member, optionally with one contribution; a row repeating an ID number (or credit code) seen on an
earlier row adds another contribution for that member. Rows whose 成员编号 is "示例" are the
template's example and are skipped.
"""

from __future__ import annotations

import datetime
import html
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from core import spreadsheets
from core.exports import as_text
from members.choices import MemberKind, Vulnerability
from shares.choices import ContributionKind

SHEET = "成员及出资"
MAX_ROWS = 20_000  # data rows of one workbook; the template offers 10,000
EXAMPLE_MARK = "示例"
YES, NO = "是", "否"

KIND_LABELS = {
    "个人": MemberKind.PERSON,
    "村集体": MemberKind.COLLECTIVE,
    "企业": MemberKind.ENTERPRISE,
    "其他组织": MemberKind.ORGANISATION,
}
VULNERABILITY_LABELS = {
    "孤寡老人": Vulnerability.ELDERLY_ALONE,
    "残疾人": Vulnerability.DISABLED,
    "其他困难": Vulnerability.OTHER,
}
CONTRIBUTION_LABELS = {
    "现金": ContributionKind.CASH,
    "土地承包经营权": ContributionKind.LAND,
    "林权": ContributionKind.FOREST,
    "知识产权": ContributionKind.INTELLECTUAL_PROPERTY,
    "实物": ContributionKind.GOODS,
    "地上附着物": ContributionKind.ATTACHMENTS,
    "财政扶贫资金量化": ContributionKind.FISCAL_FUNDS,
    "集体资源资产资金": ContributionKind.COLLECTIVE_ASSETS,
}


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: int = 12
    choices: tuple[str, ...] = ()
    text: bool = False  # formatted as text so Excel keeps 18-digit numbers and leading zeros
    note: str = ""


FLAG = (YES, NO)
COLUMNS = [
    Column("number", "成员编号", 9, note="可留空，自动编号；填“示例”的行不导入"),
    Column("kind", "成员类型", 10, tuple(KIND_LABELS), note="个人、村集体（股份经济合作社）、企业、其他组织"),
    Column("name", "姓名或名称", 14),
    Column("id_number", "身份证号码", 21, text=True, note="个人必填，18位"),
    Column("uscc", "统一社会信用代码", 21, text=True, note="村集体、企业必填，18位"),
    Column("phone", "联系电话", 14, text=True),
    Column("household_number", "户号", 12, text=True, note="个人必填；同一户填相同户号"),
    Column("household_head", "户主姓名", 10),
    Column("household_size", "家庭人口", 8),
    Column("address", "住址", 24),
    Column("is_party_member", "中共党员", 8, FLAG),
    Column("is_branch_member", "党支部成员", 8, FLAG),
    Column("is_village_cadre", "村干部", 8, FLAG),
    Column("is_poverty_registered", "建档立卡贫困户", 10, FLAG),
    Column("vulnerability", "弱势群体", 10, tuple(VULNERABILITY_LABELS)),
    Column("is_farmer", "农民", 8, FLAG, note="个人默认“是”"),
    Column("joined_on", "入社日期", 12, note="如 2024-03-01"),
    Column("contribution_kind", "出资方式", 16, tuple(CONTRIBUTION_LABELS)),
    Column("amount", "出资金额（元）", 14, note="土地按面积×每亩折价自动计算，可不填"),
    Column("area_mu", "土地面积（亩）", 12),
    Column("location", "土地坐落", 18),
    Column("term_years", "经营期限（年）", 10),
    Column("value_per_mu", "每亩折价（元）", 12),
    Column("appraiser", "评估人", 12, note="非现金出资必填"),
    Column("appraisal_date", "评估日期", 12),
    Column("contributed_on", "出资日期", 12, note="留空为今天"),
    Column("note", "备注", 20),
]
HEADERS = {c.header: c for c in COLUMNS}
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
REQUIRED_HEADERS = ("成员类型", "姓名或名称")
REASON_HEADER = "错误原因"

# service field → template column, so a BusinessError names the cell at fault
FIELD_COLUMNS = {
    "kind": "kind",
    "name": "name",
    "id_number": "id_number",
    "uscc": "uscc",
    "household": "household_number",
    "number": "number",
    "joined_on": "joined_on",
    "vulnerability": "vulnerability",
    "amount": "amount",
    "area_mu": "area_mu",
    "value_per_mu": "value_per_mu",
    "location": "location",
    "term_years": "term_years",
    "appraiser": "appraiser",
    "appraisal_date": "appraisal_date",
    "contributed_on": "contributed_on",
    "member": "contribution_kind",
}

EXAMPLE = {
    "number": EXAMPLE_MARK,
    "kind": "个人",
    "name": "张三",
    "id_number": "11010519491231002X",
    "phone": "13800000000",
    "household_number": "0001",
    "household_head": "张三",
    "household_size": 4,
    "address": "东安村一组",
    "is_party_member": NO,
    "is_branch_member": NO,
    "is_village_cadre": NO,
    "is_poverty_registered": NO,
    "is_farmer": YES,
    "joined_on": "2024-03-01",
    "contribution_kind": "土地承包经营权",
    "area_mu": "2.5",
    "location": "村东南洼",
    "term_years": 10,
    "value_per_mu": "800",
    "appraiser": "县农经站",
    "appraisal_date": "2024-02-20",
    "contributed_on": "2024-03-01",
    "note": "示例行，导入时跳过",
}

RED = PatternFill(start_color="FFF4CCCC", end_color="FFF4CCCC", fill_type="solid")
HEADER_FILL = PatternFill(start_color="FFB3261E", end_color="FFB3261E", fill_type="solid")


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def template_bytes(max_rows: int = 10001) -> bytes:
    """The template: header row, an example row, list validations and notes, and an instruction sheet."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append([c.header for c in COLUMNS])
    ws.append([EXAMPLE.get(c.key, "") for c in COLUMNS])
    ws.freeze_panes = "C2"
    for i, column in enumerate(COLUMNS, start=1):
        letter = _letter(i)
        cell = ws.cell(row=1, column=i)
        cell.font = Font(bold=True, color="FFFFFFFF")
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if column.note:
            cell.comment = Comment(column.note, "领办")
        ws.column_dimensions[letter].width = column.width
        if column.text:
            ws.column_dimensions[letter].number_format = "@"
            ws.cell(row=2, column=i).number_format = "@"
        if column.choices:
            dv = DataValidation(
                type="list",
                formula1='"' + ",".join(column.choices) + '"',
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=column.header,
                error="请从下拉列表中选择",
            )
            dv.add(f"{letter}2:{letter}{max_rows}")
            ws.add_data_validation(dv)
    help_ws = wb.create_sheet("填写说明")
    help_ws.column_dimensions["A"].width = 18
    help_ws.column_dimensions["B"].width = 80
    help_ws.append(["列", "说明"])
    for column in COLUMNS:
        help_ws.append([column.header, column.note or ("可选：" + "、".join(column.choices) if column.choices else "")])
    help_ws.append([])
    help_ws.append(["规则", "每行一名成员，可带一笔出资；同一身份证号（或信用代码）再次出现的行为该成员的另一笔出资。"])
    help_ws.append(["规则", "导入前逐行校验，任何一行有错则全部不导入，并给出错误报告。"])
    help_ws.append(["规则", "股金以元计，一股即一元出资，保留两位小数。"])
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@dataclass
class RowError:
    row: int
    column: str  # the column header (Chinese), "" for the whole row
    message: str
    person: str = ""  # the row's name, "" where the row gives none

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message, "person": self.person}


@dataclass
class ParsedSheet:
    rows: list[tuple[int, dict]]  # (row number in the workbook, key → raw value)
    errors: list[RowError]


class ExcelNumber(str):
    """A numeric cell's value as the text stored in the workbook (never converted through float)."""


class ExcelFormula(str):
    """A cell holding a formula, as ``=`` and the formula's text: refused, never evaluated."""


_ROW = re.compile(rb"<row\b([^>]*?)(?:/>|>(.*?)</row>)", re.S)
_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_ROW_NUMBER = re.compile(rb'\br="(\d+)"')
_CELL_REF = re.compile(rb'\br="([A-Z]+)\d+"')
_CELL_TYPE = re.compile(rb'\bt="(\w+)"')
_VALUE = re.compile(rb"<v>(.*?)</v>", re.S)
_FORMULA = re.compile(rb"<f\b[^>]*?(?:/>|>(.*?)</f>)", re.S)
_TEXT = re.compile(rb"<t\b[^>]*>(.*?)</t>", re.S)
_PHONETIC = re.compile(rb"<rPh\b.*?</rPh>", re.S)


def _column_index(letters: bytes) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + (ch - 64)
    return index - 1


def _fast_sheet_rows(ws, archive) -> list[tuple[int, list]] | None:
    """The sheet's rows parsed straight from its XML (several times faster than openpyxl's cell objects
    for 10,000-row rosters). None when the XML uses a form this reader does not handle."""
    path = getattr(ws, "_worksheet_path", None)
    shared = getattr(ws, "_shared_strings", None)
    if not path or shared is None:
        return None
    with zipfile.ZipFile(archive) as z:
        xml = z.read(path)
    if b"<sheetData" not in xml:  # a namespace prefix (<x:sheetData>): let openpyxl read it
        return None
    rows: list[tuple[int, list]] = []
    expected = 0
    for row_match in _ROW.finditer(xml):
        number_match = _ROW_NUMBER.search(row_match.group(1))
        expected = int(number_match.group(1)) if number_match else expected + 1
        body = row_match.group(2)
        values: list = []
        if body:
            column = -1
            for cell in _CELL.finditer(body):
                attrs, inner = cell.group(1), cell.group(2) or b""
                ref = _CELL_REF.search(attrs)
                column = _column_index(ref.group(1)) if ref else column + 1
                kind = _CELL_TYPE.search(attrs)
                kind = kind.group(1) if kind else b"n"
                formula = _FORMULA.search(inner)
                if formula is not None:
                    value = ExcelFormula("=" + html.unescape((formula.group(1) or b"").decode("utf-8")))
                elif kind == b"inlineStr":
                    value = html.unescape(b"".join(_TEXT.findall(_PHONETIC.sub(b"", inner))).decode("utf-8"))
                else:
                    v = _VALUE.search(inner)
                    if v is None:
                        continue
                    raw = html.unescape(v.group(1).decode("utf-8"))
                    if kind == b"s":
                        value = shared[int(raw)]
                    elif kind == b"n":
                        value = ExcelNumber(spreadsheets.number_text(raw))
                    elif kind == b"b":
                        value = "1" if raw == "1" else "0"
                    else:  # str (formula result), d (ISO date), e (error)
                        value = raw
                if column >= len(values):
                    values.extend([None] * (column + 1 - len(values)))
                values[column] = value
        rows.append((expected, values))
    return rows


def workbook_check(file, name: str | None = None) -> spreadsheets.SheetInfo:
    """The shared checks (type, size, zip bomb, row limit) on a roster workbook; see core.spreadsheets."""
    return spreadsheets.workbook_check(file, name=name, sheet=SHEET, max_rows=MAX_ROWS)


def _is_formula(value) -> bool:
    return isinstance(value, ExcelFormula | ArrayFormula | DataTableFormula) or spreadsheets.is_formula_text(value)


def read_rows(file, name: str | None = None) -> ParsedSheet:
    """Read the data rows of the first sheet by header name (column order is free).

    The file passes ``workbook_check`` first (``SpreadsheetRefused`` otherwise). Cells holding a
    formula, or text that a spreadsheet would run as one (``=HYPERLINK(…)``), are reported and their
    rows left out: a formula's cached result is not trusted, and such text must not be stored.
    A workbook that cannot be read (a damaged part) is refused with ``xlsx_damaged``.
    """
    workbook_check(file, name=name or "workbook.xlsx")
    with spreadsheets.opened(file) as wb:
        ws = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0]
        sheet_rows = _fast_sheet_rows(ws, file)
        if sheet_rows is None:
            sheet_rows = [(n, list(v)) for n, v in enumerate(ws.iter_rows(values_only=True), start=1)]
    if not sheet_rows or sheet_rows[0][0] != 1:
        return ParsedSheet([], [RowError(1, h, "缺少此列；请使用下载的模板") for h in REQUIRED_HEADERS])
    header = sheet_rows[0][1]
    positions = {}
    for index, value in enumerate(header):
        label = str(value).strip() if value is not None else ""
        if label in HEADERS:
            positions[HEADERS[label].key] = index
    missing = [h for h in REQUIRED_HEADERS if HEADERS[h].key not in positions]
    if missing:
        return ParsedSheet([], [RowError(1, h, "缺少此列；请使用下载的模板") for h in missing])
    rows = []
    errors = []
    for number, values in sheet_rows[1:]:
        if not values or all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        raw = {key: (values[i] if i < len(values) else None) for key, i in positions.items()}
        if str(raw.get("number") or "").strip() == EXAMPLE_MARK:
            continue
        formulas = [
            RowError(number, COLUMN_BY_KEY[key].header, spreadsheets.formula_error(str(value)))
            for key, value in raw.items()
            if _is_formula(value)
        ]
        if formulas:
            errors.extend(formulas)
            continue
        rows.append((number, raw))
    return ParsedSheet(rows, errors)


def report_bytes(file, errors: list[dict]) -> bytes:
    """The uploaded workbook with every bad cell filled red and a reason column at the end
    (``SpreadsheetRefused`` when the workbook cannot be opened for writing)."""
    with spreadsheets.opened(file, read_only=False) as wb:
        return _report(wb, errors)


def _report(wb, errors: list[dict]) -> bytes:
    ws = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0]
    header = [str(c.value).strip() if c.value is not None else "" for c in ws[1]]
    reason_col = len(header) + 1
    if REASON_HEADER in header:
        reason_col = header.index(REASON_HEADER) + 1
    head = ws.cell(row=1, column=reason_col, value=REASON_HEADER)
    head.font = Font(bold=True, color="FFB3261E")
    ws.column_dimensions[_letter(reason_col)].width = 60
    by_row: dict[int, list[dict]] = {}
    for e in errors:
        by_row.setdefault(e["row"], []).append(e)
    for row, row_errors in by_row.items():
        for e in row_errors:
            if e["column"] in header:
                ws.cell(row=row, column=header.index(e["column"]) + 1).fill = RED
        reasons = "；".join(f"{e['column']}：{e['message']}" if e["column"] else e["message"] for e in row_errors)
        person = row_errors[0].get("person")
        if person:
            reasons = f"{person}：{reasons}"
        cell = as_text(ws.cell(row=row, column=reason_col, value=reasons))
        cell.fill = RED
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# -- cell values -------------------------------------------------------------------------------
class CellError(ValueError):
    pass


EXCEL_EPOCH = datetime.date(1899, 12, 30)


def text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return spreadsheets.number_text(repr(value))
    return str(value).strip()


def code_text(value) -> str:
    """An ID number or credit code: must arrive as text (Excel turns 18 digits into 1.10105E+17)."""
    if isinstance(value, int | float | ExcelNumber) and not isinstance(value, bool):
        raise CellError("请把该列设为文本格式后重新填写（Excel 会把18位数字改成科学计数）")
    return text(value).upper()


def flag(value, default: bool = False) -> bool:
    if isinstance(value, bool):
        return value
    v = text(value)
    if not v:
        return default
    if v in (YES, "Y", "y", "1", "√", "true", "TRUE"):
        return True
    if v in (NO, "N", "n", "0", "×", "false", "FALSE"):
        return False
    raise CellError("请填“是”或“否”")


def choice(value, labels: dict, *, required: bool = False):
    v = text(value)
    if not v:
        if required:
            raise CellError("必填")
        return ""
    if v in labels:
        return labels[v]
    if v in labels.values():
        return v
    raise CellError("可选值：" + "、".join(labels))


def date(value) -> datetime.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, ExcelNumber | int | float) and not isinstance(value, bool):
        # a date cell is a day count from 1899-12-30 (Excel's 1900 date system)
        try:
            return EXCEL_EPOCH + datetime.timedelta(days=int(Decimal(str(value))))
        except (ArithmeticError, ValueError, OverflowError):
            raise CellError("日期格式应为 2024-03-01") from None
    v = text(value).replace("/", "-").replace(".", "-").replace("年", "-").replace("月", "-").rstrip("日")
    try:
        y, m, d = (int(p) for p in v.split("-"))
        return datetime.date(y, m, d)
    except (ValueError, TypeError):
        raise CellError("日期格式应为 2024-03-01") from None


def number_text(value) -> str | None:
    """A number as text for Decimal, built from the text Excel stored, never from a float's value
    (a float from openpyxl is taken by its shortest repr, then normalised as Excel's own text is).
    A number typed as text is kept as typed: the service reads it by the plain rule
    (``core.money.plain_decimal``, thousands separators only in their place)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise CellError("请填数字")
    if isinstance(value, int | float):
        return spreadsheets.number_text(repr(value)) if isinstance(value, float) else str(value)
    return text(value) or None


def integer(value) -> int | None:
    t = number_text(value)
    if t is None:
        return None
    t = t.replace(",", "").replace("，", "")
    try:
        f = t.split(".")
        if len(f) == 2 and f[1].strip("0"):
            raise ValueError
        return int(f[0])
    except ValueError:
        raise CellError("请填整数") from None
