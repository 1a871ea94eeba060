"""The shipped distribution policies name their source documents by title (they read "seed 000")."""

from django.db import migrations


def refresh(apps, schema_editor):
    from dividends.policies import SHIPPED

    policies = apps.get_model("dividends", "DistributionPolicy")
    for code, (_name, source, _law_applies, _steps) in SHIPPED.items():
        policies.objects.filter(code=code).update(source=source)


class Migration(migrations.Migration):
    dependencies = [("dividends", "0004_history_and_redundant_indexes_dropped")]

    operations = [migrations.RunPython(refresh, migrations.RunPython.noop)]
