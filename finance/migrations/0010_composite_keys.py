"""Composite foreign keys for the books: a voucher line is held to its voucher's cooperative and
month, and a line's or a member-account entry's member to the same cooperative, one key check per
row where there were two or three (the single-column keys are dropped; the ORM keeps its fields)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cooperatives", "0005_charter_reserve_and_leavers"),
        ("finance", "0009_books_follow_the_charts"),
        ("members", "0003_composite_keys"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="memberaccountentry",
            name="cooperative",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="cooperatives.cooperative",
                verbose_name="cooperative",
            ),
        ),
        migrations.AlterField(
            model_name="memberaccountentry",
            name="member",
            field=models.ForeignKey(
                db_constraint=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="account_entries",
                to="members.member",
                verbose_name="member",
            ),
        ),
        migrations.AlterField(
            model_name="voucherline",
            name="cooperative",
            field=models.ForeignKey(
                db_constraint=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="cooperatives.cooperative",
                verbose_name="cooperative",
            ),
        ),
        migrations.AlterField(
            model_name="voucherline",
            name="member",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="voucher_lines",
                to="members.member",
                verbose_name="member",
            ),
        ),
        migrations.AlterField(
            model_name="voucherline",
            name="period",
            field=models.ForeignKey(
                db_constraint=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="finance.period",
                verbose_name="period",
            ),
        ),
        migrations.AlterField(
            model_name="voucherline",
            name="voucher",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="lines",
                to="finance.voucher",
                verbose_name="voucher",
            ),
        ),
        migrations.AddConstraint(
            model_name="voucher",
            constraint=models.UniqueConstraint(
                fields=("id", "cooperative", "period"), name="finance_voucher_books_key"
            ),
        ),
        migrations.RunSQL(
            "ALTER TABLE finance_voucherline ADD CONSTRAINT finance_line_in_its_voucher FOREIGN KEY (voucher_id, cooperative_id, period_id) "
            "REFERENCES finance_voucher (id, cooperative_id, period_id) DEFERRABLE INITIALLY DEFERRED",
            "ALTER TABLE finance_voucherline DROP CONSTRAINT finance_line_in_its_voucher",
        ),
        migrations.RunSQL(
            "ALTER TABLE finance_voucherline ADD CONSTRAINT finance_line_member_of_the_books FOREIGN KEY (member_id, cooperative_id) "
            "REFERENCES members_member (id, cooperative_id) DEFERRABLE INITIALLY DEFERRED",
            "ALTER TABLE finance_voucherline DROP CONSTRAINT finance_line_member_of_the_books",
        ),
        migrations.RunSQL(
            "ALTER TABLE finance_memberaccountentry ADD CONSTRAINT finance_macc_member_of_the_books FOREIGN KEY (member_id, cooperative_id) "
            "REFERENCES members_member (id, cooperative_id) DEFERRABLE INITIALLY DEFERRED",
            "ALTER TABLE finance_memberaccountentry DROP CONSTRAINT finance_macc_member_of_the_books",
        ),
    ]
