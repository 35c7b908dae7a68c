from django.db import models
from django.utils.translation import gettext_lazy as _

from xuanwen.core.models import Level, Recorded
from xuanwen.records.models import OwnedCatalogue
from xuanwen.units.models import record_unit


class DesignationKind(OwnedCatalogue):
    """A kind of designation (命名类型), e.g. 文化示范村 or 文化强镇. Its code is stable: it
    names the indicators designations.kind.<code> and designations.new.<code>, which plans
    point at."""

    code = models.SlugField(_("代码"), max_length=30, unique=True)

    class Meta(OwnedCatalogue.Meta):
        verbose_name = verbose_name_plural = _("命名类型")


class Designation(Recorded):
    """命名（文化示范村等）: a village, community or township named by a higher level, on a
    date, by a document; revocable. One unit may hold the same kind at several levels (county
    in 2019, city in 2024), so a designation is a record of its own, not a flag on the unit."""

    detail_url = "designations:detail"

    unit = record_unit(_("被命名单位"))
    kind = models.ForeignKey(DesignationKind, verbose_name=_("命名类型"), on_delete=models.PROTECT)
    level = models.CharField(_("级别"), max_length=10, choices=Level.choices)
    # The real-world dates the designation stood between: the standing count at a period's end
    # and the "designated in the period" count read them, never when the row was typed in.
    # Without designated_on it counts in no period and is listed as 待补日期.
    designated_on = models.DateField(_("命名日期"), null=True, blank=True)
    revoked_on = models.DateField(_("撤销日期"), null=True, blank=True)
    document_no = models.CharField(_("文号"), max_length=100, blank=True)
    awarded_by = models.CharField(_("授予单位"), max_length=100, blank=True)
    note = models.TextField(_("备注"), blank=True)
    # Full pinyin and initials of the unit's name, for the list's text filter.
    search_pinyin = models.CharField(max_length=500, blank=True, editable=False)

    class Meta(Recorded.Meta):
        ordering = ["unit_id", "kind__ordering", "-designated_on", "pk"]
        verbose_name = verbose_name_plural = _("命名")
        indexes = [
            models.Index(fields=["unit", "kind"]),
            # Covers the list's count (live rows of a subtree) without reading the table.
            models.Index(fields=["unit", "deleted_at"], name="designation_unit_live_idx"),
            models.Index(fields=["designated_on"], name="designation_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.unit.name} {self.kind.name}"
