"""The issue's "done when", walked through the real pages with the Django test client:

An accountant opens the books and enters January's vouchers in the browser; one payment over the
threshold goes to the township's inbox and is approved, a small one to the chair's; the month
closes; the balance sheet and the surplus statement export to xlsx with the numbers worked out
below.

Opening balances (1 January 2026): 101 5,000 Dr; 10201 120,000 Dr; 114 甲 2,000 Dr, 乙 3,000 Cr;
121 30,000 Dr; 151 200,000 Dr; 152 40,000 Cr; 211 14,000 Cr; 301 250,000 Cr; 322 10,000 Cr;
33202 40,000 Cr (debit = credit = 357,000).
January: sale 50,000 into the bank; fertiliser 8,000 on credit; cost of sales 20,000; wages 3,000
in cash (the chair approves); 12,000 paid to the supplier from the bank (the township approves).
  货币资金 = (5,000 − 3,000) + (120,000 + 50,000 − 12,000) = 160,000
  应收款项 = 甲's 2,000; 存货 = 30,000 + 8,000 − 20,000 = 18,000; 固定资产净值 = 160,000
  资产总计 = 160,000 + 2,000 + 18,000 + 160,000 = 340,000
  应付款项 = 211 (14,000 + 8,000 − 12,000) + 乙's 3,000 = 13,000
  本年盈余 = 50,000 − 20,000 − 3,000 = 27,000; 未分配盈余 = 40,000 + 27,000 = 67,000
  权益 = 250,000 + 10,000 + 67,000 = 327,000; 负债和所有者权益总计 = 13,000 + 327,000 = 340,000
"""

from io import BytesIO

from openpyxl import load_workbook

from core.models import ApprovalRequest
from finance.models import Account, FiscalYear, Period, Voucher
from tests.finance.factories import MemberFactory


def _grid(rows, prefix="lines"):
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": "0"}
    for i, row in enumerate(rows):
        account, debit, credit, *rest = row
        data.update({f"{prefix}-{i}-account": account, f"{prefix}-{i}-debit": debit, f"{prefix}-{i}-credit": credit})
        if rest:
            data[f"{prefix}-{i}-member"] = rest[0]
    return data


def _cells(response) -> dict:
    """Line number → values from an exported statement (the number is the column after the label)."""
    ws = load_workbook(BytesIO(response.content)).active
    found = {}
    for row in ws.iter_rows(values_only=True):
        for i in range(1, len(row)):
            if isinstance(row[i], int) and isinstance(row[i - 1], str):
                found[row[i]] = row[i + 1 : i + 3]
    return found


def test_an_accountant_enters_a_month_and_the_statements_export(world, client, coop, seed004):
    a, b = MemberFactory(cooperative=coop, name="甲"), MemberFactory(cooperative=coop, name="乙")
    client.force_login(world.acc_v11)
    base = f"/finance/cooperatives/{coop.pk}/"

    # open the books and add the bank account
    assert 'name="year"' in client.get(base).content.decode()  # the open-the-books form
    assert client.post(base + "open/", {"year": 2026}).status_code == 302
    bank = Account.objects.get(cooperative=coop, code="102")
    response = client.post(base + "accounts/new/", {"parent": bank.pk, "code": "10201", "name": "农商银行"})
    assert response.status_code == 302

    # opening balances in the entry grid
    fy = FiscalYear.objects.get(cooperative=coop, year=2026)
    opening = _grid(
        [
            ("101 库存现金", "5000", ""), ("10201", "120000", ""), ("114", "2000", "", a.pk), ("114", "", "3000", b.pk),
            ("121", "30000", ""), ("151", "200000", ""), ("152", "", "40000"), ("211", "", "14000"),
            ("301", "", "250000"), ("322", "", "10000"), ("33202", "", "40000"),
        ]
    )  # fmt: skip
    assert client.post(f"/finance/years/{fy.pk}/opening/", opening).status_code == 302

    def enter(day, summary, *rows, payee=""):
        data = {"date": f"2026-01-{day:02d}", "summary": summary, "attachment_count": "1", **_grid(rows)}
        data["payee_name"] = payee
        response = client.post(base + "vouchers/new/", data)
        assert response.status_code == 302, response.content.decode()[:2000]
        return Voucher.objects.get(cooperative=coop, summary=summary)

    # an unbalanced voucher is refused on the page and nothing is written
    response = client.post(
        base + "vouchers/new/",
        {
            "date": "2026-01-03",
            "summary": "不平",
            "attachment_count": "0",
            **_grid([("101", "100", ""), ("501", "", "99.99")]),
        },
    )
    assert response.status_code == 200 and "0.01" in response.content.decode()

    for v in (
        enter(10, "销售苹果", ("10201", "50000", ""), ("501", "", "50000")),
        enter(15, "赊购化肥", ("121", "8000", ""), ("211", "", "8000")),
        enter(31, "结转销售成本", ("521", "20000", ""), ("121", "", "20000")),
    ):
        assert client.post(f"/finance/vouchers/{v.pk}/action/", {"action": "post"}).status_code == 302
    wages = enter(20, "发放工资", ("523", "3000", ""), ("101", "", "3000"), payee="管理人员（工资表）")
    supplier = enter(25, "支付化肥款", ("211", "12000", ""), ("10201", "", "12000"), payee="沂水县农资公司")
    client.post(f"/finance/vouchers/{supplier.pk}/action/", {"action": "post"})  # refused: needs the township
    supplier.refresh_from_db()
    assert supplier.status == "draft"
    for v in (wages, supplier):
        assert client.post(f"/finance/vouchers/{v.pk}/action/", {"action": "submit"}).status_code == 302

    # January cannot close while two payments wait
    january = Period.objects.get(fiscal_year=fy, number=1)
    client.post(f"/finance/periods/{january.pk}/close/")
    january.refresh_from_db()
    assert january.status == "open"

    # the chair approves the wages, the township the 12,000.00 payment, each from their inbox
    client.force_login(world.chair_v11)
    small = ApprovalRequest.objects.get(kind="expenditure_small")
    assert "发放工资" in client.get("/approvals/").content.decode()
    client.post(f"/approvals/{small.pk}/act/", {"action": "approve", "comment": "同意"})
    client.force_login(world.twp_t1)
    inbox = client.get("/approvals/").content.decode()
    assert "支付化肥款" in inbox and "发放工资" not in inbox
    big = ApprovalRequest.objects.get(kind="expenditure")
    client.post(f"/approvals/{big.pk}/act/", {"action": "approve", "comment": "同意"})
    assert set(Voucher.objects.filter(cooperative=coop).values_list("status", flat=True)) == {"posted"}

    # the accountant closes January
    client.force_login(world.acc_v11)
    assert client.post(f"/finance/periods/{january.pk}/close/").status_code == 302
    january.refresh_from_db()
    assert january.status == "closed"

    bs = _cells(client.get(base + "balance-sheet/", {"year": 2026, "period_to": 1, "format": "xlsx"}))
    assert bs[1][0] == 160000 and bs[2][0] == 2000 and bs[3][0] == 18000 and bs[12][0] == 160000
    assert bs[22] == (340000, 317000)
    assert bs[24][0] == 13000 and bs[36][0] == 250000 and bs[39][0] == 10000 and bs[40][0] == 67000
    assert bs[42] == (340000, 317000)
    ss = _cells(client.get(base + "surplus-statement/", {"year": 2026, "period_to": 1, "format": "xlsx"}))
    assert ss[1][0] == 50000 and ss[3][0] == 20000 and ss[5][0] == 3000 and ss[7][0] == 27000
    assert ss[12][0] == 27000 and ss[13][0] == 40000 and ss[16][0] == 67000 and ss[20][0] == 67000
    # the pages show the same statements, printable
    page = client.get(base + "balance-sheet/", {"year": 2026, "period_to": 1}).content.decode()
    assert "会农社01表" in page and "340,000.00" in page and "data-print" in page
