"""A facility's real-world dates replace its built year (issue #12): `opened_on` is the
1 January of the year it was built, where that was known; `closed_on` is new."""

import datetime

from django.db import migrations, models


def built_year_to_opened_on(apps, schema_editor):
    Facility = apps.get_model("facilities", "Facility")
    years = Facility._base_manager.exclude(built_year__isnull=True)
    for year in years.values_list("built_year", flat=True).distinct():
        years.filter(built_year=year).update(opened_on=datetime.date(year, 1, 1))


def opened_on_to_built_year(apps, schema_editor):
    Facility = apps.get_model("facilities", "Facility")
    for pk, opened in Facility._base_manager.exclude(opened_on__isnull=True).values_list(
        "pk", "opened_on"
    ):
        Facility._base_manager.filter(pk=pk).update(built_year=opened.year)


class Migration(migrations.Migration):
    dependencies = [("facilities", "0003_default_kinds")]

    operations = [
        migrations.AddField(
            model_name="facility",
            name="opened_on",
            field=models.DateField(blank=True, null=True, verbose_name="建成日期"),
        ),
        migrations.AddField(
            model_name="facility",
            name="closed_on",
            field=models.DateField(blank=True, null=True, verbose_name="停用日期"),
        ),
        migrations.RunPython(built_year_to_opened_on, opened_on_to_built_year),
        migrations.RemoveField(model_name="facility", name="built_year"),
    ]
