"""Bring the shipped charts and every cooperative's books up to the one-ledger charts.

* the charts get their roles (the account each posting service uses);
* 股金 (both charts) and 盈余公积 (cooperative chart) are kept per member; the 各项分配 sub-accounts
  are not (the member dimension lives on the payables and the capital);
* 311 专项基金 of the cooperative chart gets its two sources, 31101 国家财政直接补助 and 31102 他人
  捐赠, in books where 311 has no entries yet (a 311 with entries keeps them and stays a leaf).
"""

from django.db import migrations

PER_MEMBER = {"coop-2023": {"301": True, "322": True, "3320102": False, "3320103": False, "3320104": False},
              "village-collective-2023": {"301": True, "3220102": False}}
FUND_SOURCES = [("31101", "国家财政直接补助", "GJCZZJBZ"), ("31102", "他人捐赠", "TRJZ")]


def forward(apps, schema_editor):
    from finance.charts import ensure_chart_templates

    ChartTemplate = apps.get_model("finance", "ChartTemplate")
    ensure_chart_templates(
        ChartTemplate,
        apps.get_model("finance", "TemplateAccount"),
        apps.get_model("finance", "StatementTemplate"),
        apps.get_model("finance", "StatementLineTemplate"),
    )
    Account = apps.get_model("finance", "Account")
    Books = apps.get_model("finance", "CooperativeBooks")
    VoucherLine = apps.get_model("finance", "VoucherLine")
    OpeningBalance = apps.get_model("finance", "OpeningBalance")
    for chart_code, flags in PER_MEMBER.items():
        coops = Books.objects.filter(chart__code=chart_code).values_list("cooperative_id", flat=True)
        for code, tracks in flags.items():
            Account.objects.filter(cooperative_id__in=coops, code=code).update(tracks_members=tracks)
    coop_books = Books.objects.filter(chart__code="coop-2023").values_list("cooperative_id", flat=True)
    for fund in Account.objects.filter(cooperative_id__in=coop_books, code="311", is_leaf=True):
        used = VoucherLine.objects.filter(account=fund).exists() or OpeningBalance.objects.filter(account=fund).exists()
        if used:
            continue
        for code, name, pinyin in FUND_SOURCES:
            Account.objects.get_or_create(
                cooperative_id=fund.cooperative_id,
                code=code,
                defaults={
                    "region_code": fund.region_code,
                    "name": name,
                    "parent": fund,
                    "level": 2,
                    "category": fund.category,
                    "balance_side": fund.balance_side,
                    "is_standard": True,
                    "pinyin": pinyin,
                },
            )
        fund.is_leaf = False
        fund.save(update_fields=["is_leaf"])


class Migration(migrations.Migration):
    dependencies = [("finance", "0008_one_ledger_roles_and_share_bookings")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
