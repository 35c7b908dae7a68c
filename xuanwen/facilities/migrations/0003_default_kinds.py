from decimal import Decimal

from django.db import migrations

# (code, name, min days a week, min hours a day). The station's rule is the seed's
# (每周不低于三个工作日，每天不少于三个小时); the bookhouse's is the published standard
# (open at least 5 days a week, no hour minimum). Admins change them on the kinds page.
DEFAULT_KINDS = [
    ("station", "综合文化站", 3, Decimal("3.0")),
    ("room", "文化室", None, None),
    ("bookhouse", "农家书屋", 5, None),
    ("courtyard", "文化大院", None, None),
    ("square", "文化广场", None, None),
    ("centre", "文化活动中心", None, None),
    ("ereading", "电子阅览室", None, None),
]


def add_kinds(apps, schema_editor):
    FacilityKind = apps.get_model("facilities", "FacilityKind")
    for i, (code, name, days, hours) in enumerate(DEFAULT_KINDS):
        FacilityKind.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "min_days_per_week": days,
                "min_hours_per_day": hours,
                "ordering": (i + 1) * 10,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("facilities", "0002_photos")]
    operations = [migrations.RunPython(add_kinds, migrations.RunPython.noop)]
