"""The asset register (fixed and productive biological assets, their monthly depreciation) and
the charts' roles of the accumulated depreciation accounts."""

import django.core.validators
import django.db.models.deletion
import pgtrigger.compiler
import pgtrigger.migrations
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


def refresh_charts(apps, schema_editor):
    from finance.charts import ensure_chart_templates

    ensure_chart_templates(
        apps.get_model("finance", "ChartTemplate"),
        apps.get_model("finance", "TemplateAccount"),
        apps.get_model("finance", "StatementTemplate"),
        apps.get_model("finance", "StatementLineTemplate"),
    )


class Migration(migrations.Migration):

    dependencies = [
        ('cooperatives', '0005_charter_reserve_and_leavers'),
        ('finance', '0010_composite_keys'),
        ('pghistory', '0007_auto_20250421_0444'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='voucher',
            name='kind',
            field=models.CharField(choices=[('manual', 'Journal voucher'), ('reversal', 'Red-ink reversal'), ('period_close', 'Period-end transfer'), ('year_close', 'Year-end transfer'), ('shares', 'Share register entry'), ('distribution', 'Surplus distribution entry'), ('payout', 'Distribution paid out'), ('depreciation', 'Monthly depreciation voucher')], default='manual', max_length=16, verbose_name='kind'),
        ),
        migrations.AlterField(
            model_name='voucherevent',
            name='kind',
            field=models.CharField(choices=[('manual', 'Journal voucher'), ('reversal', 'Red-ink reversal'), ('period_close', 'Period-end transfer'), ('year_close', 'Year-end transfer'), ('shares', 'Share register entry'), ('distribution', 'Surplus distribution entry'), ('payout', 'Distribution paid out'), ('depreciation', 'Monthly depreciation voucher')], default='manual', max_length=16, verbose_name='kind'),
        ),
        migrations.CreateModel(
            name='DepreciationEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('region_code', models.CharField(db_index=True, max_length=12, validators=[django.core.validators.RegexValidator('^\\d{12}$', 'A village code must have 12 digits.')], verbose_name='region code')),
                ('amount', models.DecimalField(decimal_places=2, max_digits=18, verbose_name='amount')),
                ('period', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='finance.period', verbose_name='month')),
                ('voucher', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='finance.voucher', verbose_name='voucher')),
            ],
            options={
                'verbose_name': 'depreciation entry',
                'verbose_name_plural': 'depreciation entries',
                'ordering': ['asset_id', 'period_id'],
            },
        ),
        migrations.CreateModel(
            name='FixedAsset',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('region_code', models.CharField(db_index=True, max_length=12, validators=[django.core.validators.RegexValidator('^\\d{12}$', 'A village code must have 12 digits.')], verbose_name='region code')),
                ('number', models.CharField(max_length=20, verbose_name='card number')),
                ('name', models.CharField(max_length=100, verbose_name='name')),
                ('kind', models.CharField(choices=[('fixed', 'Fixed asset'), ('biological', 'Productive biological asset')], default='fixed', max_length=12, verbose_name='register')),
                ('category', models.CharField(choices=[('buildings', 'Buildings and structures'), ('machinery', 'Machinery and equipment'), ('vehicles', 'Vehicles'), ('tools', 'Tools and furniture'), ('livestock', 'Breeding and draught livestock'), ('orchards', 'Orchards and economic forests'), ('other', 'Other')], max_length=12, verbose_name='category')),
                ('source', models.CharField(choices=[('purchased', 'Purchased'), ('built', 'Built or raised by the cooperative'), ('contributed', 'Contributed by a member'), ('subsidy', 'Fiscal subsidy'), ('poverty_project', 'Poverty-alleviation project'), ('donation', 'Donation'), ('other', 'Other')], default='purchased', max_length=16, verbose_name='source')),
                ('acquired_on', models.DateField(verbose_name='acquired on')),
                ('depreciation_from', models.DateField(help_text='The first day of the first month depreciated: the month after acquisition, or for a biological asset the month after it first produces.', verbose_name='depreciation from')),
                ('original_value', models.DecimalField(decimal_places=2, max_digits=18, validators=[django.core.validators.MinValueValidator(Decimal('0.01'))], verbose_name='original value')),
                ('useful_life_months', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(1200)], verbose_name='useful life (months)')),
                ('residual_rate', models.DecimalField(decimal_places=2, default=Decimal('5.00'), max_digits=5, validators=[django.core.validators.MinValueValidator(Decimal('0.00')), django.core.validators.MaxValueValidator(Decimal('100'))], verbose_name='residual value rate (%)')),
                ('opening_depreciation', models.DecimalField(decimal_places=2, default=0, help_text='Accumulated depreciation of an asset taken over with the books.', max_digits=18, verbose_name='depreciation before the books')),
                ('opening_months', models.PositiveSmallIntegerField(default=0, verbose_name='months depreciated before the books')),
                ('location', models.CharField(blank=True, max_length=100, verbose_name='location')),
                ('custodian', models.CharField(blank=True, max_length=50, verbose_name='custodian')),
                ('status', models.CharField(choices=[('in_use', 'In use'), ('disposed', 'Disposed of')], default='in_use', max_length=10, verbose_name='status')),
                ('disposed_on', models.DateField(blank=True, null=True, verbose_name='disposed of on')),
                ('note', models.TextField(blank=True, verbose_name='note')),
                ('acquisition_voucher', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='finance.voucher', verbose_name='acquisition voucher')),
                ('cooperative', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='assets', to='cooperatives.cooperative', verbose_name='cooperative')),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='entered by')),
                ('expense_account', models.ForeignKey(help_text='Administrative expenses, or production costs for an asset used in production.', on_delete=django.db.models.deletion.PROTECT, related_name='+', to='finance.account', verbose_name='depreciation charged to')),
                ('project', models.ForeignKey(blank=True, help_text='The subsidy or poverty-alleviation project the asset was formed by.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='assets', to='finance.project', verbose_name='project')),
            ],
            options={
                'verbose_name': 'asset card',
                'verbose_name_plural': 'asset cards',
                'ordering': ['cooperative_id', 'number'],
            },
        ),
        migrations.CreateModel(
            name='DepreciationEntryEvent',
            fields=[
                ('pgh_id', models.AutoField(primary_key=True, serialize=False)),
                ('pgh_created_at', models.DateTimeField(auto_now_add=True)),
                ('pgh_label', models.TextField(help_text='The event label.')),
                ('id', models.BigIntegerField()),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('region_code', models.CharField(max_length=12, validators=[django.core.validators.RegexValidator('^\\d{12}$', 'A village code must have 12 digits.')], verbose_name='region code')),
                ('amount', models.DecimalField(decimal_places=2, max_digits=18, verbose_name='amount')),
                ('period', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='finance.period', verbose_name='month')),
                ('pgh_context', models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='pghistory.context')),
                ('pgh_obj', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='events', to='finance.depreciationentry')),
                ('voucher', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='finance.voucher', verbose_name='voucher')),
                ('asset', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='finance.fixedasset', verbose_name='asset')),
            ],
            options={
                'abstract': False,
            },
        ),
        migrations.AddField(
            model_name='depreciationentry',
            name='asset',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='entries', to='finance.fixedasset', verbose_name='asset'),
        ),
        migrations.CreateModel(
            name='FixedAssetEvent',
            fields=[
                ('pgh_id', models.AutoField(primary_key=True, serialize=False)),
                ('pgh_created_at', models.DateTimeField(auto_now_add=True)),
                ('pgh_label', models.TextField(help_text='The event label.')),
                ('id', models.BigIntegerField()),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('region_code', models.CharField(max_length=12, validators=[django.core.validators.RegexValidator('^\\d{12}$', 'A village code must have 12 digits.')], verbose_name='region code')),
                ('number', models.CharField(max_length=20, verbose_name='card number')),
                ('name', models.CharField(max_length=100, verbose_name='name')),
                ('kind', models.CharField(choices=[('fixed', 'Fixed asset'), ('biological', 'Productive biological asset')], default='fixed', max_length=12, verbose_name='register')),
                ('category', models.CharField(choices=[('buildings', 'Buildings and structures'), ('machinery', 'Machinery and equipment'), ('vehicles', 'Vehicles'), ('tools', 'Tools and furniture'), ('livestock', 'Breeding and draught livestock'), ('orchards', 'Orchards and economic forests'), ('other', 'Other')], max_length=12, verbose_name='category')),
                ('source', models.CharField(choices=[('purchased', 'Purchased'), ('built', 'Built or raised by the cooperative'), ('contributed', 'Contributed by a member'), ('subsidy', 'Fiscal subsidy'), ('poverty_project', 'Poverty-alleviation project'), ('donation', 'Donation'), ('other', 'Other')], default='purchased', max_length=16, verbose_name='source')),
                ('acquired_on', models.DateField(verbose_name='acquired on')),
                ('depreciation_from', models.DateField(help_text='The first day of the first month depreciated: the month after acquisition, or for a biological asset the month after it first produces.', verbose_name='depreciation from')),
                ('original_value', models.DecimalField(decimal_places=2, max_digits=18, validators=[django.core.validators.MinValueValidator(Decimal('0.01'))], verbose_name='original value')),
                ('useful_life_months', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(1200)], verbose_name='useful life (months)')),
                ('residual_rate', models.DecimalField(decimal_places=2, default=Decimal('5.00'), max_digits=5, validators=[django.core.validators.MinValueValidator(Decimal('0.00')), django.core.validators.MaxValueValidator(Decimal('100'))], verbose_name='residual value rate (%)')),
                ('opening_depreciation', models.DecimalField(decimal_places=2, default=0, help_text='Accumulated depreciation of an asset taken over with the books.', max_digits=18, verbose_name='depreciation before the books')),
                ('opening_months', models.PositiveSmallIntegerField(default=0, verbose_name='months depreciated before the books')),
                ('location', models.CharField(blank=True, max_length=100, verbose_name='location')),
                ('custodian', models.CharField(blank=True, max_length=50, verbose_name='custodian')),
                ('status', models.CharField(choices=[('in_use', 'In use'), ('disposed', 'Disposed of')], default='in_use', max_length=10, verbose_name='status')),
                ('disposed_on', models.DateField(blank=True, null=True, verbose_name='disposed of on')),
                ('note', models.TextField(blank=True, verbose_name='note')),
                ('acquisition_voucher', models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='finance.voucher', verbose_name='acquisition voucher')),
                ('cooperative', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='cooperatives.cooperative', verbose_name='cooperative')),
                ('created_by', models.ForeignKey(db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to=settings.AUTH_USER_MODEL, verbose_name='entered by')),
                ('expense_account', models.ForeignKey(db_constraint=False, db_index=False, help_text='Administrative expenses, or production costs for an asset used in production.', on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='finance.account', verbose_name='depreciation charged to')),
                ('pgh_context', models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='pghistory.context')),
                ('pgh_obj', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='events', to='finance.fixedasset')),
                ('project', models.ForeignKey(blank=True, db_constraint=False, db_index=False, help_text='The subsidy or poverty-alleviation project the asset was formed by.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='finance.project', verbose_name='project')),
            ],
            options={
                'abstract': False,
            },
        ),
        migrations.AddConstraint(
            model_name='fixedasset',
            constraint=models.UniqueConstraint(fields=('cooperative', 'number'), name='finance_asset_number_unique'),
        ),
        migrations.AddConstraint(
            model_name='fixedasset',
            constraint=models.CheckConstraint(condition=models.Q(('opening_depreciation__gte', 0), ('opening_depreciation__lte', models.F('original_value')), ('residual_rate__gte', 0), ('residual_rate__lte', 100)), name='finance_asset_amounts'),
        ),
        migrations.AddConstraint(
            model_name='fixedasset',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('disposed_on__isnull', True), ('status', 'in_use')), models.Q(('disposed_on__isnull', False), ('status', 'disposed')), _connector='OR'), name='finance_asset_disposal_dated'),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='fixedasset',
            trigger=pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "finance_fixedassetevent" ("acquired_on", "acquisition_voucher_id", "category", "cooperative_id", "created_at", "created_by_id", "custodian", "depreciation_from", "disposed_on", "expense_account_id", "id", "kind", "location", "name", "note", "number", "opening_depreciation", "opening_months", "original_value", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "project_id", "region_code", "residual_rate", "source", "status", "updated_at", "useful_life_months") VALUES (NEW."acquired_on", NEW."acquisition_voucher_id", NEW."category", NEW."cooperative_id", NEW."created_at", NEW."created_by_id", NEW."custodian", NEW."depreciation_from", NEW."disposed_on", NEW."expense_account_id", NEW."id", NEW."kind", NEW."location", NEW."name", NEW."note", NEW."number", NEW."opening_depreciation", NEW."opening_months", NEW."original_value", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."project_id", NEW."region_code", NEW."residual_rate", NEW."source", NEW."status", NEW."updated_at", NEW."useful_life_months"); RETURN NULL;', hash='3ffb62fa9b477d2d912099b04155cecd090c98ef', operation='INSERT', pgid='pgtrigger_insert_insert_57304', table='finance_fixedasset', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='fixedasset',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD.* IS DISTINCT FROM NEW.*)', func='INSERT INTO "finance_fixedassetevent" ("acquired_on", "acquisition_voucher_id", "category", "cooperative_id", "created_at", "created_by_id", "custodian", "depreciation_from", "disposed_on", "expense_account_id", "id", "kind", "location", "name", "note", "number", "opening_depreciation", "opening_months", "original_value", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "project_id", "region_code", "residual_rate", "source", "status", "updated_at", "useful_life_months") VALUES (NEW."acquired_on", NEW."acquisition_voucher_id", NEW."category", NEW."cooperative_id", NEW."created_at", NEW."created_by_id", NEW."custodian", NEW."depreciation_from", NEW."disposed_on", NEW."expense_account_id", NEW."id", NEW."kind", NEW."location", NEW."name", NEW."note", NEW."number", NEW."opening_depreciation", NEW."opening_months", NEW."original_value", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."project_id", NEW."region_code", NEW."residual_rate", NEW."source", NEW."status", NEW."updated_at", NEW."useful_life_months"); RETURN NULL;', hash='83a71a3e0f85c1f2576bb944447ab9de5e32b1b6', operation='UPDATE', pgid='pgtrigger_update_update_2ce50', table='finance_fixedasset', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='fixedasset',
            trigger=pgtrigger.compiler.Trigger(name='delete_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "finance_fixedassetevent" ("acquired_on", "acquisition_voucher_id", "category", "cooperative_id", "created_at", "created_by_id", "custodian", "depreciation_from", "disposed_on", "expense_account_id", "id", "kind", "location", "name", "note", "number", "opening_depreciation", "opening_months", "original_value", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "project_id", "region_code", "residual_rate", "source", "status", "updated_at", "useful_life_months") VALUES (OLD."acquired_on", OLD."acquisition_voucher_id", OLD."category", OLD."cooperative_id", OLD."created_at", OLD."created_by_id", OLD."custodian", OLD."depreciation_from", OLD."disposed_on", OLD."expense_account_id", OLD."id", OLD."kind", OLD."location", OLD."name", OLD."note", OLD."number", OLD."opening_depreciation", OLD."opening_months", OLD."original_value", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."project_id", OLD."region_code", OLD."residual_rate", OLD."source", OLD."status", OLD."updated_at", OLD."useful_life_months"); RETURN NULL;', hash='e6d55f5839a45674c2c1ea631c8e7cb7fb83e9c8', operation='DELETE', pgid='pgtrigger_delete_delete_2f9ae', table='finance_fixedasset', when='AFTER')),
        ),
        migrations.AddConstraint(
            model_name='depreciationentry',
            constraint=models.UniqueConstraint(fields=('asset', 'period'), name='finance_depreciation_once_a_month'),
        ),
        migrations.AddConstraint(
            model_name='depreciationentry',
            constraint=models.CheckConstraint(condition=models.Q(('amount__gt', 0)), name='finance_depreciation_positive'),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='depreciationentry',
            trigger=pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "finance_depreciationentryevent" ("amount", "asset_id", "created_at", "id", "period_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "region_code", "updated_at", "voucher_id") VALUES (NEW."amount", NEW."asset_id", NEW."created_at", NEW."id", NEW."period_id", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."region_code", NEW."updated_at", NEW."voucher_id"); RETURN NULL;', hash='f21729cf8d4bb0a93978bd187ac4e32c55874cea', operation='INSERT', pgid='pgtrigger_insert_insert_e3f74', table='finance_depreciationentry', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='depreciationentry',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD.* IS DISTINCT FROM NEW.*)', func='INSERT INTO "finance_depreciationentryevent" ("amount", "asset_id", "created_at", "id", "period_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "region_code", "updated_at", "voucher_id") VALUES (NEW."amount", NEW."asset_id", NEW."created_at", NEW."id", NEW."period_id", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."region_code", NEW."updated_at", NEW."voucher_id"); RETURN NULL;', hash='427d9bce57238ed317704c1116c58dbcbb09dcfe', operation='UPDATE', pgid='pgtrigger_update_update_ed785', table='finance_depreciationentry', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='depreciationentry',
            trigger=pgtrigger.compiler.Trigger(name='delete_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "finance_depreciationentryevent" ("amount", "asset_id", "created_at", "id", "period_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "region_code", "updated_at", "voucher_id") VALUES (OLD."amount", OLD."asset_id", OLD."created_at", OLD."id", OLD."period_id", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."region_code", OLD."updated_at", OLD."voucher_id"); RETURN NULL;', hash='6334477207197fbf37abdfb4b83c68649096c3c4', operation='DELETE', pgid='pgtrigger_delete_delete_ef379', table='finance_depreciationentry', when='AFTER')),
        ),
            migrations.RunPython(refresh_charts, migrations.RunPython.noop),
    ]
