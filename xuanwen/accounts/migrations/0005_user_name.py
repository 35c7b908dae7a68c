from typing import Any

from django.db import migrations, models


def fill_names(apps: Any, schema_editor: Any) -> None:
    """Existing users are named by what they had: the name the command stored as first_name,
    otherwise their login name, until an administrator gives them their 姓名."""
    User = apps.get_model("accounts", "User")
    for user in User.objects.only("pk", "username", "first_name", "last_name").iterator():
        full = f"{user.last_name}{user.first_name}".strip()
        user.name = (full or user.username)[:30]
        user.save(update_fields=["name"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_token_expiry_required"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="name",
            field=models.CharField(blank=True, max_length=30, verbose_name="姓名"),
        ),
        migrations.RunPython(fill_names, migrations.RunPython.noop),
    ]
