"""The official working-day calendar for years the chinesecalendar package does not know.

The State Council publishes each year's holidays and make-up workdays (调休上班日) late in the
year before; until a new release of the package carries them, an admin enters them here.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xuanwen.accounts.models import by_user


class YearSchedule(models.Model):
    """One year's official holiday schedule (节假日安排) as entered by an admin."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    # Where it comes from, e.g. 国办发明电〔2026〕7号, so a reader can check it.
    source = models.CharField(_("依据"), max_length=200, blank=True)
    entered_by = by_user(_("录入人"))
    entered_at = models.DateTimeField(_("录入时间"), auto_now=True)

    class Meta:
        ordering = ["year"]
        verbose_name = verbose_name_plural = _("年度节假日安排")

    def __str__(self) -> str:
        return _("%(year)d年节假日安排") % {"year": self.year}

    def get_absolute_url(self) -> str:
        return reverse("workdays:year", args=[self.year])


class EntryKind(models.TextChoices):
    HOLIDAY = "holiday", _("放假")
    WORKDAY = "workday", _("调休上班")


class ScheduleEntry(models.Model):
    """A holiday (a date range with its name, e.g. 春节) or a make-up workday of a schedule."""

    schedule = models.ForeignKey(YearSchedule, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(_("类别"), max_length=10, choices=EntryKind.choices)
    name = models.CharField(_("名称"), max_length=50)
    start = models.DateField(_("开始日期"))
    # A make-up workday is one day: start = end.
    end = models.DateField(_("结束日期"))

    class Meta:
        ordering = ["start", "kind"]
        verbose_name = verbose_name_plural = _("节假日安排条目")
        indexes = [models.Index(fields=["start", "end"])]

    def __str__(self) -> str:
        return f"{self.name} {self.start:%Y-%m-%d}–{self.end:%Y-%m-%d}"
