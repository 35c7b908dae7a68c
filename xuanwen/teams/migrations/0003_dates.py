"""Real-world dates for the time rules (issue #12): a team's founding year becomes its
founding date (1 January of that year) beside a new disbanding date; an honour keeps its
year, may say its month and day, and stores the first day of that span (`awarded_on`)."""

import datetime

from django.db import migrations, models


def years_to_dates(apps, schema_editor):
    Team = apps.get_model("teams", "Team")
    teams = Team._base_manager.exclude(founded_year__isnull=True)
    for year in teams.values_list("founded_year", flat=True).distinct():
        teams.filter(founded_year=year).update(founded_on=datetime.date(year, 1, 1))
    Honour = apps.get_model("teams", "Honour")
    for year in Honour._base_manager.values_list("year", flat=True).distinct():
        Honour._base_manager.filter(year=year).update(awarded_on=datetime.date(year, 1, 1))


def dates_to_years(apps, schema_editor):
    Team = apps.get_model("teams", "Team")
    for pk, founded in Team._base_manager.exclude(founded_on__isnull=True).values_list(
        "pk", "founded_on"
    ):
        Team._base_manager.filter(pk=pk).update(founded_year=founded.year)


class Migration(migrations.Migration):
    dependencies = [("teams", "0002_default_genres")]

    operations = [
        migrations.AddField(
            model_name="team",
            name="founded_on",
            field=models.DateField(blank=True, null=True, verbose_name="成立日期"),
        ),
        migrations.AddField(
            model_name="team",
            name="disbanded_on",
            field=models.DateField(blank=True, null=True, verbose_name="解散日期"),
        ),
        migrations.AddField(
            model_name="honour",
            name="month",
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="月"),
        ),
        migrations.AddField(
            model_name="honour",
            name="day",
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="日"),
        ),
        migrations.AddField(
            model_name="honour",
            name="awarded_on",
            field=models.DateField(editable=False, null=True, verbose_name="授予日期"),
        ),
        migrations.RunPython(years_to_dates, dates_to_years),
        migrations.AlterField(
            model_name="honour",
            name="awarded_on",
            field=models.DateField(editable=False, verbose_name="授予日期"),
        ),
        migrations.RemoveField(model_name="team", name="founded_year"),
        migrations.AlterModelOptions(
            name="honour",
            options={
                "base_manager_name": "all_objects",
                "default_manager_name": "objects",
                "ordering": ["-awarded_on", "-id"],
                "verbose_name": "荣誉",
                "verbose_name_plural": "荣誉",
            },
        ),
    ]
