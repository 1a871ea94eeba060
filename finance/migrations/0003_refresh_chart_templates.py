"""Refresh the shipped layouts: 会农社03表 line 11 (本年盈余) also counts entries made to 331 directly."""

from django.db import migrations


def forward(apps, schema_editor):
    from finance.charts import ensure_chart_templates

    ensure_chart_templates(
        apps.get_model("finance", "ChartTemplate"),
        apps.get_model("finance", "TemplateAccount"),
        apps.get_model("finance", "StatementTemplate"),
        apps.get_model("finance", "StatementLineTemplate"),
    )


class Migration(migrations.Migration):
    dependencies = [("finance", "0002_ship_chart_templates")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
