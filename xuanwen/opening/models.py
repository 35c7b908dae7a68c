from django.db import models
from django.utils.translation import gettext_lazy as _

from xuanwen.core.models import Recorded


class OpeningLog(Recorded):
    """One opening session of a facility (开放登记): when it was open, for how many hours,
    and the visitors received. A facility may open several times a day (morning and
    afternoon): each session is a row, and a day's hours are the sum of its sessions.

    A session has a start and an end, and its hours are derived from them. Rows recorded
    before sessions existed, and the week grid's entries, have no times: such a *whole-day
    entry* gives only the day's hours, and stands alone on its day (it overlaps any session).
    """

    detail_url = "opening:edit"

    # The facility's unit is the record's place in the tree (subtree = facility__unit_id range).
    facility = models.ForeignKey(
        "facilities.Facility",
        verbose_name=_("阵地"),
        on_delete=models.PROTECT,
        related_name="opening_logs",
    )
    date = models.DateField(_("日期"))
    # Both or neither (see the class); the end is later than the start on the same day.
    start = models.TimeField(_("开始时间"), null=True, blank=True)
    end = models.TimeField(_("结束时间"), null=True, blank=True)
    hours = models.DecimalField(_("开放时长（小时）"), max_digits=3, decimal_places=1)
    visitors = models.PositiveIntegerField(_("接待人次"), default=0)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta(Recorded.Meta):
        ordering = ["-date", "facility_id", "start"]
        verbose_name = verbose_name_plural = _("开放登记")
        constraints = [
            # Sessions of one facility and day must not overlap (services check it, naming
            # the other session); the database holds what it can say without ranges: one
            # whole-day entry a day, one live session per start time, times in pairs.
            models.UniqueConstraint(
                fields=["facility", "date"],
                condition=models.Q(start__isnull=True, deleted_at__isnull=True),
                name="opening_one_whole_day",
            ),
            models.UniqueConstraint(
                fields=["facility", "date", "start"],
                condition=models.Q(deleted_at__isnull=True),
                name="opening_session_start",
            ),
            models.CheckConstraint(
                condition=models.Q(start__isnull=True, end__isnull=True)
                | models.Q(start__isnull=False, end__isnull=False, end__gt=models.F("start")),
                name="opening_times_pair",
            ),
        ]
        indexes = [
            models.Index(fields=["date"]),
            models.Index(fields=["facility", "date"], name="opening_facility_day"),
        ]

    @property
    def times(self) -> str:
        """ "08:30–11:30", or "" for a whole-day entry."""
        if self.start is None or self.end is None:
            return ""
        return f"{self.start:%H:%M}–{self.end:%H:%M}"

    def __str__(self) -> str:
        if self.facility_id is None:
            # An import's audit entry names its batch through an unsaved stand-in.
            return self.note
        times = f" {self.times}" if self.times else ""
        return f"{self.facility} {self.date:%Y-%m-%d}{times}"
