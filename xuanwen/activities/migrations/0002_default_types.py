from django.db import migrations

DEFAULT_TYPES = [
    "文艺演出",
    "展览",
    "培训",
    "讲座",
    "比赛",
    "宣讲",
    "节庆活动",
    "送戏下乡",
    "阅读推广",
    "广场文化",
    "理论学习",
]


def add_types(apps, schema_editor):
    ActivityType = apps.get_model("activities", "ActivityType")
    for i, name in enumerate(DEFAULT_TYPES):
        ActivityType.objects.get_or_create(name=name, defaults={"ordering": (i + 1) * 10})


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial")]
    operations = [migrations.RunPython(add_types, migrations.RunPython.noop)]
