"""The shipped profiles name their source documents by title; they read "seed 001" and the like.
County copies that still carry a template's former text take the new one too."""

from django.db import migrations

FORMER = {
    "seed-001": "seed 001：党支部原则上占股不低于30%",
    "seed-002": "seed 002 §3、§7、§24",
    "seed-004": "seed 004（沂水县）",
}


def refresh(apps, schema_editor):
    from core.policies import TEMPLATES

    profiles = apps.get_model("core", "PolicyProfile")
    for code, (_name, source, _fields) in TEMPLATES.items():
        profiles.objects.filter(code=code, county=None).update(source=source)
        if code in FORMER:
            profiles.objects.filter(based_on__code=code, source=FORMER[code]).update(source=source)


class Migration(migrations.Migration):
    dependencies = [("core", "0004_history_foreign_keys_unindexed")]

    operations = [migrations.RunPython(refresh, migrations.RunPython.noop)]
