"""Every shipped policy makes up losses first; the law's reserve rate is the charter's; "217-law" is
217 inside the cooperative law. County copies of a profile whose default for farmer cooperatives
refunds nothing by transactions take the lawful counterpart, and keep the scheme they chose as the
default of their joint-stock economic cooperatives."""

from django.db import migrations

LAWFUL = {"217": "217-law", "reserve-cap-15": "law"}


def forward(apps, schema_editor):
    from dividends.policies import ensure_policies

    ensure_policies(apps.get_model("dividends", "DistributionPolicy"))
    profiles = apps.get_model("core", "PolicyProfile")
    for scheme, lawful in LAWFUL.items():
        for profile in profiles.objects.filter(county__isnull=False, default_distribution_policy=scheme):
            profile.default_distribution_policy = lawful
            profile.joint_stock_distribution_policy = profile.joint_stock_distribution_policy or scheme
            profile.save(update_fields=["default_distribution_policy", "joint_stock_distribution_policy"])


class Migration(migrations.Migration):
    dependencies = [
        ("dividends", "0006_law_by_kind_and_reserve_shares"),
        ("core", "0007_ship_profile_defaults_by_kind"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
