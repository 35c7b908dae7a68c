from django.db import models
from django.utils.translation import gettext_lazy as _

from xuanwen.core.models import Recorded


class OpeningLog(Recorded):
    """One day's opening of a facility (开放登记): hours open and visitors received."""

    detail_url = "opening:edit"

    # The facility's unit is the record's place in the tree (subtree = facility__unit_id range).
    facility = models.ForeignKey(
        "facilities.Facility",
        verbose_name=_("阵地"),
        on_delete=models.PROTECT,
        related_name="opening_logs",
    )
    date = models.DateField(_("日期"))
    hours = models.DecimalField(_("开放时长（小时）"), max_digits=3, decimal_places=1)
    visitors = models.PositiveIntegerField(_("接待人次"), default=0)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta(Recorded.Meta):
        ordering = ["-date", "facility_id"]
        verbose_name = _("开放登记")
        verbose_name_plural = _("开放登记")
        constraints = [
            # One row per facility and day, deleted ones included: recording a day whose row
            # was deleted brings that row back (services.opening_record), so that restoring it
            # from the audit page can never meet a second row for the same day.
            models.UniqueConstraint(fields=["facility", "date"], name="opening_one_per_day"),
        ]
        indexes = [models.Index(fields=["date"])]

    def __str__(self) -> str:
        if self.facility_id is None:
            # An import's audit entry names its batch through an unsaved stand-in.
            return self.note
        return f"{self.facility} {self.date:%Y-%m-%d}"
