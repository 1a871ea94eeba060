"""The shipped profiles name a default distribution policy per kind of cooperative and seed 002's
reserve cap (15%). County copies are brought in line by the dividends migration that ships the
policies they name."""

from django.db import migrations


def refresh(apps, schema_editor):
    from core.policies import ensure_templates

    ensure_templates(apps.get_model("core", "PolicyProfile"))


class Migration(migrations.Migration):
    dependencies = [("core", "0006_profile_defaults_by_kind")]

    operations = [migrations.RunPython(refresh, migrations.RunPython.noop)]
