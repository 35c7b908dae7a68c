from django.db import migrations

# The troupes the seed names (秧歌队、锣鼓队、皮影剧团、艺术团 …) and their usual companions.
DEFAULT_GENRES = [
    "秧歌队",
    "锣鼓队",
    "腰鼓队",
    "舞蹈队",
    "广场舞队",
    "合唱团",
    "戏曲队",
    "皮影剧团",
    "艺术团",
    "器乐队",
    "其他",
]


def add_genres(apps, schema_editor):
    TeamGenre = apps.get_model("teams", "TeamGenre")
    for i, name in enumerate(DEFAULT_GENRES):
        TeamGenre.objects.get_or_create(name=name, defaults={"ordering": (i + 1) * 10})


class Migration(migrations.Migration):
    dependencies = [("teams", "0001_initial")]
    operations = [migrations.RunPython(add_genres, migrations.RunPython.noop)]
