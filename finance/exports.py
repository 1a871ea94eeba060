"""Statements and books as xlsx, in the standard's layout: title, form number, unit, line numbers."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO
from urllib.parse import quote

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from core.exports import MONEY_FORMAT, XLSX, as_text
from finance.choices import StatementBasis

THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


class Sheet:
    """A small helper over openpyxl: a title block, a header row, bordered rows, money formats."""

    def __init__(self, title: str):
        self.wb = Workbook()
        self.ws = self.wb.active
        self.ws.title = title[:31]
        self.row = 1

    def title_block(self, title: str, width: int, *, form_no: str = "", unit_line: str = "") -> None:
        ws = self.ws
        as_text(ws.cell(self.row, 1, title)).font = Font(bold=True, size=14)
        ws.cell(self.row, 1).alignment = Alignment(horizontal="center")
        ws.merge_cells(start_row=self.row, start_column=1, end_row=self.row, end_column=width)
        self.row += 1
        if form_no:
            as_text(ws.cell(self.row, width, form_no)).alignment = Alignment(horizontal="right")
            self.row += 1
        if unit_line:
            as_text(ws.cell(self.row, 1, unit_line))
            ws.merge_cells(start_row=self.row, start_column=1, end_row=self.row, end_column=width)
            self.row += 1

    def header(self, labels: list[str]) -> None:
        for col, label in enumerate(labels, start=1):
            cell = as_text(self.ws.cell(self.row, col, label))
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.border = BOX
        self.row += 1

    def line(self, values: list, *, bold: bool = False) -> None:
        for col, value in enumerate(values, start=1):
            cell = as_text(self.ws.cell(self.row, col, value))
            cell.border = BOX
            if isinstance(value, Decimal):
                cell.number_format = MONEY_FORMAT
                cell.alignment = Alignment(horizontal="right")
            if bold:
                cell.font = Font(bold=True)
        self.row += 1

    def widths(self, widths: list[int]) -> None:
        for col, width in enumerate(widths, start=1):
            self.ws.column_dimensions[get_column_letter(col)].width = width

    def response(self, filename: str) -> HttpResponse:
        self.ws.page_setup.paperSize = self.ws.PAPERSIZE_A4
        buffer = BytesIO()
        self.wb.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX)
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
        return response


def _v(value):
    return value if value is not None else None


def statement_sheet(result) -> Sheet:
    """One statement (balance sheet, surplus statement, equity changes) in its official layout."""
    sheet = Sheet(result.title)
    unit = f"编制单位：{result.cooperative.name}　　{result.range.label}　　单位：元"
    if result.basis == StatementBasis.BALANCE:
        sheet.title_block(result.title, 8, form_no=result.form_no, unit_line=unit)
        labels = [c.label for c in result.columns]
        sheet.header(["资产", "行次", *labels, "负债和所有者权益", "行次", *labels])
        for left, right in result.halves():
            row = []
            for half in (left, right):
                if half is None:
                    row += [None, None, None, None]
                else:
                    row += [half.label, half.number, _v(half.values[0]), _v(half.values[1])]
            sheet.line(row, bold=bool((left and left.style == "t") or (right and right.style == "t")))
        sheet.widths([26, 6, 16, 16, 26, 6, 16, 16])
    elif result.basis == StatementBasis.MOVEMENT:
        sheet.title_block(result.title, 4, form_no=result.form_no, unit_line=unit)
        sheet.header(["项目", "行次", *[c.label for c in result.columns]])
        for line in result.lines:
            sheet.line([line.label, line.number, *line.values], bold=line.style == "t")
        sheet.widths([30, 6, 18, 18])
    else:
        width = 2 + len(result.columns)
        sheet.title_block(result.title, width, form_no=result.form_no, unit_line=unit)
        sheet.header(["项目", "行次", *[c.label for c in result.columns]])
        for line in result.lines:
            sheet.line([line.label, line.number, *line.values], bold=line.style == "t")
        sheet.widths([28, 6, *([16] * len(result.columns))])
    return sheet


def trial_balance_sheet(cooperative, tb) -> Sheet:
    sheet = Sheet("科目余额表")
    sheet.title_block("科目余额表", 8, unit_line=f"编制单位：{cooperative.name}　　{tb.range.label}　　单位：元")
    sheet.header(["科目编码", "科目名称", "期初借方", "期初贷方", "本期借方", "本期贷方", "期末借方", "期末贷方"])
    for r in tb.rows:
        sheet.line(
            [r.account.code, r.account.name, r.opening_dr, r.opening_cr, r.debit, r.credit, r.closing_dr, r.closing_cr]
        )
    t = tb.totals
    sheet.line(
        [
            "",
            "合计",
            t["opening_debit"],
            t["opening_credit"],
            t["debit"],
            t["credit"],
            t["closing_debit"],
            t["closing_credit"],
        ],
        bold=True,
    )
    sheet.widths([10, 24, 15, 15, 15, 15, 15, 15])
    return sheet


def ledger_sheet(cooperative, title: str, rng, data: dict, direction) -> Sheet:
    sheet = Sheet(title)
    account = data["account"]
    sheet.title_block(title, 7, unit_line=f"编制单位：{cooperative.name}　　科目：{account}　　{rng.label}　　单位：元")
    sheet.header(["日期", "凭证号", "摘要", "借方", "贷方", "方向", "余额"])
    sheet.line(["", "", "期初余额", None, None, direction(data["opening"]), abs(data["opening"])])
    for line in data["lines"]:
        balance = data["opening"] + line.running
        sheet.line(
            [
                line.voucher.date,
                f"{line.period.number}月 {line.voucher.display_number}",
                line.summary,
                line.debit or None,
                line.credit or None,
                direction(balance),
                abs(balance),
            ]
        )
    sheet.line(
        ["", "", "本期合计", data["debit"], data["credit"], direction(data["closing"]), abs(data["closing"])], bold=True
    )
    for row in sheet.ws.iter_rows(min_row=1, max_col=1):
        for cell in row:
            cell.number_format = "yyyy-mm-dd"
    sheet.widths([12, 14, 36, 15, 15, 6, 15])
    return sheet


def general_ledger_sheet(cooperative, rng, data: dict, direction) -> Sheet:
    sheet = Sheet("总账")
    sheet.title_block(
        "总账", 6, unit_line=f"编制单位：{cooperative.name}　　科目：{data['account']}　　{rng.label}　　单位：元"
    )
    sheet.header(["月份", "摘要", "借方", "贷方", "方向", "余额"])
    sheet.line(["", "年初余额", None, None, direction(data["opening"]), abs(data["opening"])])
    for m in data["months"]:
        sheet.line([m["period"].label, "本月合计", m["debit"], m["credit"], direction(m["balance"]), abs(m["balance"])])
        sheet.line(["", "本年累计", m["year_debit"], m["year_credit"], direction(m["balance"]), abs(m["balance"])])
    sheet.widths([12, 14, 16, 16, 6, 16])
    return sheet


def member_account_sheet(cooperative, account: dict, columns: list[tuple[str, str]]) -> Sheet:
    member = account["member"]
    sheet = Sheet("成员账户")
    width = 3 + len(columns)
    sheet.title_block(
        "成员账户",
        width,
        unit_line=(
            f"{cooperative.name}　　成员姓名（名称）：{member.name}　　"
            f"联系地址：{member.address or ''}　　{account['year']}年"
        ),
    )
    sheet.header(["编号", "日期", "摘要", *[label for _, label in columns]])
    sheet.line(["", "", "年初余额", *[account["opening"].get(k) for k, _ in columns]], bold=True)
    for n, row in enumerate(account["rows"], start=1):
        sheet.line([n, row["date"], row["summary"], *[row["values"].get(k) for k, _ in columns]])
    sheet.line(["", "", "年末余额/总额", *[account["closing"].get(k) for k, _ in columns]], bold=True)
    sheet.widths([6, 12, 24, *([14] * len(columns))])
    return sheet
