from django.db import migrations

# The national defaults (code, name). The codes name the indicators households.kind.<code> and
# households.new.<code>; the station plan template's "培育4—8户文化大户" reads
# households.new.major.
DEFAULT_KINDS = [
    ("household", "文化户"),
    ("major", "文化大户"),
    ("centre", "文化中心户"),
]


def add_kinds(apps, schema_editor):
    HouseholdKind = apps.get_model("households", "HouseholdKind")
    for i, (code, name) in enumerate(DEFAULT_KINDS):
        HouseholdKind.objects.get_or_create(
            code=code, defaults={"name": name, "ordering": (i + 1) * 10}
        )


class Migration(migrations.Migration):
    dependencies = [("households", "0001_initial")]
    operations = [migrations.RunPython(add_kinds, migrations.RunPython.noop)]
