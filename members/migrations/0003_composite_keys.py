from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cooperatives", "0005_charter_reserve_and_leavers"),
        ("core", "0008_drop_plain_text_tokens"),
        ("members", "0002_history_foreign_keys_unindexed"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="member",
            constraint=models.UniqueConstraint(fields=("id", "cooperative"), name="members_member_books_key"),
        ),
    ]
