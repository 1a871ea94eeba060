from django.db import migrations


def forwards(apps, schema_editor):
    from dividends.policies import ensure_policies

    ensure_policies(apps.get_model("dividends", "DistributionPolicy"))


class Migration(migrations.Migration):
    dependencies = [("dividends", "0001_plans_and_policies")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
