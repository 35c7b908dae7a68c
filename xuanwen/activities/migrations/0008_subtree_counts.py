from collections import Counter

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Count

from xuanwen.core import tree


def count_existing(apps, schema_editor):
    """The subtree counts of the activities already recorded (later, the services keep them):
    the same as counts.actual, written here with the historical models."""
    Activity = apps.get_model("activities", "Activity")
    ActivityCount = apps.get_model("activities", "ActivityCount")
    rows = (
        Activity.objects.filter(deleted_at__isnull=True)
        .values_list("unit_id", "type_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    counted = Counter()
    for unit, kind, n in rows.iterator(chunk_size=10_000):
        for path in [*tree.ancestor_codes(unit), unit]:
            counted[(path, kind)] += n
    ActivityCount.objects.bulk_create(
        [ActivityCount(path=path, type_id=kind, live=n) for (path, kind), n in counted.items()],
        batch_size=500,
    )


class Migration(migrations.Migration):
    """ActivityCount was per unit, so a county's list total summed thousands of rows (every
    village × type); it is now per subtree, like ActivityTally, and a total reads one row per
    type."""

    dependencies = [
        ("activities", "0007_tallies"),
    ]

    operations = [
        migrations.DeleteModel(name="ActivityCount"),
        migrations.CreateModel(
            name="ActivityCount",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("path", models.CharField(max_length=12)),
                ("live", models.BigIntegerField(default=0)),
                ("type", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="activities.activitytype")),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("path", "type"), name="activity_count_path_type")
                ],
            },
        ),
        migrations.RunPython(count_existing, migrations.RunPython.noop),
    ]
