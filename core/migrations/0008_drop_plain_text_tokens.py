"""API tokens moved to django-rest-knox (stored hashed, expiring): the table of DRF's plain-text
tokens is dropped, and every token in it with it. Clients sign in again (POST /api/v1/auth/token/)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("core", "0007_ship_profile_defaults_by_kind")]

    operations = [migrations.RunSQL("DROP TABLE IF EXISTS authtoken_token CASCADE", migrations.RunSQL.noop)]
