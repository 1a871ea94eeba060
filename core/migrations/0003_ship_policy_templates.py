"""Ship the read-only policy templates (law, seeds 001, 002, 004)."""

from django.db import migrations


def ship(apps, schema_editor):
    from core.policies import ensure_templates

    ensure_templates(apps.get_model("core", "PolicyProfile"))


def unship(apps, schema_editor):
    from core.policies import TEMPLATES

    apps.get_model("core", "PolicyProfile").objects.filter(code__in=list(TEMPLATES), county=None).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0002_policy_profiles")]

    operations = [migrations.RunPython(ship, unship)]
