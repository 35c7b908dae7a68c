"""Tokens made before named tokens expire 90 days after the upgrade (see 0002)."""

from datetime import timedelta

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from xuanwen.core import clock

# Fixed here rather than read from accounts.models: a migration must do tomorrow what it does
# today, whatever the default for new tokens becomes.
OLD_TOKEN_DAYS = 90


def expire_old_tokens(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    ApiToken = apps.get_model("accounts", "ApiToken")
    ApiToken.objects.filter(expires_at__isnull=True).update(
        expires_at=clock.now() + timedelta(days=OLD_TOKEN_DAYS)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_named_tokens"),
    ]

    operations = [
        migrations.RunPython(expire_old_tokens, migrations.RunPython.noop),
    ]
