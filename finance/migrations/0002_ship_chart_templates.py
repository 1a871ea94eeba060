"""Ship the two standard charts of accounts and their statement layouts (finance.charts)."""

from django.db import migrations


def forward(apps, schema_editor):
    from finance.charts import ensure_chart_templates

    ensure_chart_templates(
        apps.get_model("finance", "ChartTemplate"),
        apps.get_model("finance", "TemplateAccount"),
        apps.get_model("finance", "StatementTemplate"),
        apps.get_model("finance", "StatementLineTemplate"),
    )


def backward(apps, schema_editor):
    apps.get_model("finance", "ChartTemplate").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("finance", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
