"""Culture households (文化户, 文化大户, 文化中心户): village households that host culture work.

A household is designated by a level on a date and may be revoked later; those two real-world
dates are what its standing and new counts read (see indicators). The head's phone is not kept:
a household is a private family, and nothing the register is used for needs it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from xuanwen.core.models import Level, Recorded
from xuanwen.records.models import OwnedCatalogue
from xuanwen.units.models import record_unit

# The national default kinds are created by migration 0002_default_kinds.


class HouseholdKind(OwnedCatalogue):
    """A kind of culture household (文化户类型): 文化户, 文化大户, 文化中心户 …"""

    # Names the kind's indicators (households.kind.<code>, households.new.<code>), so it stays
    # fixed when an admin renames the kind.
    code = models.SlugField(_("代码"), max_length=30, unique=True)

    class Meta(OwnedCatalogue.Meta):
        verbose_name = verbose_name_plural = _("文化户类型")


class Household(Recorded):  # 文化户
    """A household of a village (normally) designated a culture household of some kind."""

    detail_url = "households:detail"

    unit = record_unit(_("所属村（社区）"))
    kind = models.ForeignKey(HouseholdKind, verbose_name=_("类型"), on_delete=models.PROTECT)
    head = models.CharField(_("户主"), max_length=50)
    speciality = models.CharField(_("特长"), max_length=100, blank=True)
    # How many of the household take part in its culture work (not the household's size).
    members = models.PositiveSmallIntegerField(_("参与人数"), default=1)
    member_names = models.TextField(_("参与成员"), blank=True)
    level = models.CharField(_("认定级别"), max_length=10, choices=Level.choices, blank=True)
    # Without designated_on the household counts in no period and is listed as 待补日期.
    designated_on = models.DateField(_("认定日期"), null=True, blank=True)
    revoked_on = models.DateField(_("撤销日期"), null=True, blank=True)
    note = models.TextField(_("备注"), blank=True)
    # Full pinyin and initials of the head's name, so that "zs" finds 张三 in the list filter.
    search_pinyin = models.CharField(max_length=500, blank=True, editable=False)

    class Meta(Recorded.Meta):
        ordering = ["unit_id", "kind__ordering", "head", "id"]
        verbose_name = verbose_name_plural = _("文化户")
        indexes = [
            models.Index(fields=["unit", "kind"]),
            # Covers the list's count (live rows of a subtree) without reading the table.
            models.Index(fields=["unit", "deleted_at"], name="household_unit_live_idx"),
        ]

    def __str__(self) -> str:
        return self.head
