from django.db import migrations

# The national defaults (code, name). The codes are stable: they name the indicators
# designations.kind.<code> and designations.new.<code>, which the shipped plan template uses
# ("建好一个文化示范村。" → designations.new.model_village).
DEFAULT_KINDS = [
    ("model_village", "文化示范村"),
    ("advanced_village", "文化先进村"),
    ("feature_village", "文化特色村"),
    ("model_community", "文化示范社区"),
    ("strong_township", "文化强镇"),
]


def add_kinds(apps, schema_editor):
    DesignationKind = apps.get_model("designations", "DesignationKind")
    for i, (code, name) in enumerate(DEFAULT_KINDS):
        DesignationKind.objects.get_or_create(
            code=code, defaults={"name": name, "ordering": (i + 1) * 10}
        )


class Migration(migrations.Migration):
    dependencies = [("designations", "0001_initial")]
    operations = [migrations.RunPython(add_kinds, migrations.RunPython.noop)]
