"""A payout is held to its allocation's plan and member by one composite foreign key (one key check
per payout where there were three)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("dividends", "0007_policies_inside_the_law"),
        ("members", "0002_history_foreign_keys_unindexed"),
    ]

    operations = [
        migrations.AlterField(
            model_name="payout",
            name="allocation",
            field=models.OneToOneField(
                db_constraint=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="payout",
                to="dividends.memberallocation",
                verbose_name="allocation",
            ),
        ),
        migrations.AlterField(
            model_name="payout",
            name="member",
            field=models.ForeignKey(
                db_constraint=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="members.member",
                verbose_name="member",
            ),
        ),
        migrations.AlterField(
            model_name="payout",
            name="plan",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="payouts",
                to="dividends.distributionplan",
                verbose_name="plan",
            ),
        ),
        migrations.AddConstraint(
            model_name="memberallocation",
            constraint=models.UniqueConstraint(fields=("id", "plan", "member"), name="dividends_allocation_payout_key"),
        ),
        migrations.RunSQL(
            "ALTER TABLE dividends_payout ADD CONSTRAINT dividends_payout_of_its_allocation FOREIGN KEY (allocation_id, plan_id, member_id) "
            "REFERENCES dividends_memberallocation (id, plan_id, member_id) DEFERRABLE INITIALLY DEFERRED",
            "ALTER TABLE dividends_payout DROP CONSTRAINT dividends_payout_of_its_allocation",
        ),
    ]
