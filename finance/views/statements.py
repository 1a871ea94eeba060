"""Statements and books of one cooperative: on screen, printable (A4), and as xlsx (?format=xlsx)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from core.exceptions import BusinessError
from finance import exports
from finance.forms import RangeForm
from finance.models import Account
from finance.selectors import ledgers, statements
from finance.selectors import members as member_selectors
from finance.views.base import CooperativeMixin, export_query

LEDGER_PAGE = 200


class _ReportView(CooperativeMixin, TemplateView):
    """Resolve the range from ``?year=&period_from=&period_to=``; a refused range shows its message."""

    report_title = ""

    def get(self, request, *args, **kwargs):
        ctx = self.get_context_data(**kwargs)
        if request.GET.get("format") == "xlsx" and ctx.get("ready"):
            return self.export(ctx)
        return self.render_to_response(ctx)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["report_title"] = self.report_title
        ctx["range_form"] = form = RangeForm(self.request.GET or None)
        ctx["export_query"] = export_query(self.request)
        ctx["ready"] = False
        if self.books is None:
            return ctx
        params = form.cleaned_data if form.is_valid() else {}
        try:
            rng = ledgers.resolve_range(
                self.cooperative,
                year=params.get("year"),
                period_from=params.get("period_from"),
                period_to=params.get("period_to"),
            )
            ctx["range"] = rng
            if not form.is_bound or form.is_valid():
                # the boxes show the months the report covers, defaults included
                ctx["range_form"] = RangeForm(
                    {
                        "year": rng.fiscal_year.year,
                        "period_from": rng.period_from,
                        "period_to": rng.period_to,
                    }
                )
            ctx["years"] = self.cooperative.fiscal_years.order_by("-year")
            self.fill(ctx, rng)
        except BusinessError as exc:
            ctx["error"] = exc.message
            return ctx
        ctx["ready"] = True
        return ctx

    def fill(self, ctx, rng) -> None:
        raise NotImplementedError

    def export(self, ctx):
        raise NotImplementedError

    def filename(self, ctx, stem: str) -> str:
        rng = ctx["range"]
        return f"{self.cooperative.name}-{stem}-{rng.fiscal_year.year}-{rng.period_from:02d}-{rng.period_to:02d}.xlsx"


class TrialBalanceView(_ReportView):
    template_name = "finance/trial_balance.html"
    report_title = "科目余额表"

    def fill(self, ctx, rng):
        level = self.request.GET.get("level", "1")
        level = int(level) if level in ("1", "2", "3") else 1
        ctx["level"] = level
        ctx["tb"] = ledgers.trial_balance(rng, level=level)

    def export(self, ctx):
        return exports.trial_balance_sheet(self.cooperative, ctx["tb"]).response(self.filename(ctx, "科目余额表"))


def _account_param(cooperative, code: str | None, default: str, *, within: str = "") -> Account:
    code = (code or "").strip() or default
    qs = Account.objects.filter(cooperative=cooperative, code=code)
    if within:
        qs = qs.filter(code__startswith=within)
    account = qs.first()
    if account is None:
        raise BusinessError(_("No account with this code."), code="no_account")
    return account


class GeneralLedgerView(_ReportView):
    template_name = "finance/general_ledger.html"
    report_title = "总账"

    def fill(self, ctx, rng):
        account = _account_param(self.cooperative, self.request.GET.get("account"), self.books.chart.cash_code)
        ctx["accounts"] = Account.objects.filter(cooperative=self.cooperative, level=1).order_by("code")
        ctx["gl"] = ledgers.general_ledger(rng, account)

    def export(self, ctx):
        sheet = exports.general_ledger_sheet(self.cooperative, ctx["range"], ctx["gl"], ledgers.direction)
        return sheet.response(self.filename(ctx, f"总账-{ctx['gl']['account'].code}"))


class LedgerView(_ReportView):
    """明细账 of any account (with its sub-accounts), optionally for one member or project."""

    template_name = "finance/ledger.html"
    report_title = "明细账"
    fixed_code = ""

    def default_code(self) -> str:
        return self.books.chart.cash_code

    def fill(self, ctx, rng):
        from members.models import Member

        within = self.fixed_code_value()
        account = _account_param(
            self.cooperative, self.request.GET.get("account"), within or self.default_code(), within=within
        )
        member = None
        member_id = self.request.GET.get("member", "")
        if member_id.isdigit():
            member = Member.objects.filter(cooperative=self.cooperative, pk=int(member_id)).first()
        ctx["member"] = member
        ctx["members"] = Member.objects.filter(cooperative=self.cooperative).order_by("number")
        accounts = Account.objects.filter(cooperative=self.cooperative).order_by("code")
        if within:
            accounts = accounts.filter(code__startswith=within)
        ctx["accounts"] = accounts
        data = ledgers.ledger_lines(rng, account, member=member)
        ctx["ledger"] = data
        page = Paginator(data["lines"], LEDGER_PAGE).get_page(self.request.GET.get("page"))
        ctx["page_obj"] = page
        ctx["rows"] = [(line, data["opening"] + line.running) for line in page.object_list]

    def fixed_code_value(self) -> str:
        return ""

    def export(self, ctx):
        sheet = exports.ledger_sheet(
            self.cooperative, self.report_title, ctx["range"], ctx["ledger"], ledgers.direction
        )
        return sheet.response(self.filename(ctx, f"{self.report_title}-{ctx['ledger']['account'].code}"))


class CashJournalView(LedgerView):
    report_title = "现金日记账"

    def fixed_code_value(self) -> str:
        return self.books.chart.cash_code


class BankJournalView(LedgerView):
    report_title = "银行存款日记账"

    def fixed_code_value(self) -> str:
        return self.books.chart.bank_code


class StatementView(_ReportView):
    template_name = "finance/statement.html"
    statement_key = "balance_sheet"

    def fill(self, ctx, rng):
        result = statements.statement(self.cooperative, self.statement_key, rng)
        ctx["statement"] = result
        ctx["report_title"] = result.title

    def export(self, ctx):
        result = ctx["statement"]
        return exports.statement_sheet(result).response(self.filename(ctx, result.title))


class BalanceSheetView(StatementView):
    statement_key = "balance_sheet"


class SurplusStatementView(StatementView):
    statement_key = "surplus"


class EquityStatementView(StatementView):
    statement_key = "equity_changes"

    def fill(self, ctx, rng):
        if not self.books.chart.statements.filter(key=self.statement_key).exists():
            raise Http404(_("This chart of accounts has no such statement."))
        super().fill(ctx, rng)


class MemberAccountView(_ReportView):
    """成员账户: ``?member=<id>&year=``; without a member, the members with their year's figures."""

    template_name = "finance/member_account.html"
    report_title = "成员账户"

    def fill(self, ctx, rng):
        from members.models import Member

        year = rng.fiscal_year.year
        member_id = self.request.GET.get("member", "")
        member = (
            Member.objects.filter(cooperative=self.cooperative, pk=int(member_id)).first()
            if member_id.isdigit()
            else None
        )
        ctx["year"] = year
        if member is None:
            import datetime

            amounts = member_selectors.patronage_amounts(self.cooperative, year)
            capital = member_selectors.contributions_by_member(self.cooperative, datetime.date(year, 12, 31))
            ctx["member_rows"] = [
                {"member": m, "transactions": amounts.get(m.pk), "capital": capital.get(m.pk)}
                for m in Member.objects.filter(cooperative=self.cooperative).order_by("number")
            ]
            return
        account = member_selectors.member_account(member, year)
        ctx["member"] = member
        ctx["account"] = account
        ctx["columns"] = member_selectors.member_account_columns(account["products"])
        ctx["opening_cells"] = [account["opening"].get(k) for k, _ in ctx["columns"]]
        ctx["closing_cells"] = [account["closing"].get(k) for k, _ in ctx["columns"]]
        ctx["row_cells"] = [(row, [row["values"].get(k) for k, _ in ctx["columns"]]) for row in account["rows"]]

    def export(self, ctx):
        if "account" not in ctx:
            raise Http404(_("Choose a member."))
        sheet = exports.member_account_sheet(self.cooperative, ctx["account"], ctx["columns"])
        return sheet.response(self.filename(ctx, f"成员账户-{ctx['member'].number}"))
