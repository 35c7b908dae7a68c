from django.db import models
from django.utils.translation import gettext_lazy as _

from xuanwen.core.models import Recorded, StoredFile
from xuanwen.records.models import OwnedCatalogue
from xuanwen.units.models import record_unit


class FacilityKind(OwnedCatalogue):
    """A kind of facility (阵地类型), e.g. 综合文化站 or 农家书屋, with its opening rule."""

    code = models.SlugField(_("代码"), max_length=30, unique=True)
    # The free-opening rule (免费开放): at least this many days a week, each of at least this
    # many hours. None: the kind has no rule and is not judged.
    min_days_per_week = models.PositiveSmallIntegerField(
        _("每周至少开放天数"), null=True, blank=True
    )
    min_hours_per_day = models.DecimalField(
        _("每天至少开放小时数"), max_digits=4, decimal_places=1, null=True, blank=True
    )

    class Meta(OwnedCatalogue.Meta):
        verbose_name = verbose_name_plural = _("阵地类型")


class Facility(Recorded):
    """A cultural facility (文化阵地) of a unit: a station, a village room, a bookhouse …"""

    detail_url = "facilities:detail"

    unit = record_unit(_("所属单位"))
    kind = models.ForeignKey(FacilityKind, verbose_name=_("类型"), on_delete=models.PROTECT)
    name = models.CharField(_("名称"), max_length=200)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    area = models.DecimalField(
        _("面积（平方米）"), max_digits=9, decimal_places=1, null=True, blank=True
    )
    # The real-world dates a facility stood between: its standing count at a period's end and
    # the "built in the period" count read them (never when the row was typed in). Without
    # opened_on it counts in no period and is listed as 待补日期 until a clerk fills it in.
    opened_on = models.DateField(_("建成日期"), null=True, blank=True)
    closed_on = models.DateField(_("停用日期"), null=True, blank=True)
    # As posted on the door, e.g. "周二至周日 8:30-11:30，14:00-17:00".
    opening_schedule = models.CharField(_("开放时间"), max_length=200, blank=True)
    free_opening = models.BooleanField(_("免费开放"), default=True)
    keeper = models.CharField(_("管理员"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    notes = models.TextField(_("备注"), blank=True)
    # Full pinyin and initials of the name, for the list's text filter.
    search_pinyin = models.CharField(max_length=500, blank=True, editable=False)

    class Meta(Recorded.Meta):
        ordering = ["unit_id", "kind__ordering", "name"]
        verbose_name = verbose_name_plural = _("文化阵地")
        indexes = [
            models.Index(fields=["unit", "kind"]),
            # Covers the list's count (live rows of a subtree) without reading the table.
            models.Index(fields=["unit", "deleted_at"], name="facility_unit_live_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class Room(models.Model):
    """A room of a facility (功能室), e.g. 多功能厅 300 m²."""

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(_("名称"), max_length=100)
    area = models.DecimalField(
        _("面积（平方米）"), max_digits=9, decimal_places=1, null=True, blank=True
    )

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = _("功能室")

    def __str__(self) -> str:
        return self.name


class Condition(models.TextChoices):
    GOOD = "good", _("完好")
    WORN = "worn", _("老旧")
    BROKEN = "broken", _("损坏")


class Equipment(models.Model):
    """Equipment of a facility (设施设备): name, how many, in what condition."""

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="equipment")
    name = models.CharField(_("名称"), max_length=100)
    count = models.PositiveIntegerField(_("数量"), default=1)
    condition = models.CharField(
        _("状况"), max_length=10, choices=Condition.choices, default=Condition.GOOD
    )

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = _("设施设备")

    def __str__(self) -> str:
        return self.name


class FacilityPhoto(StoredFile):
    """A photo of a facility; stored under MEDIA_ROOT and served only by a scoped view."""

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("文件"), upload_to="facilities/%Y/%m/")
    thumbnail = models.FileField(upload_to="facilities/thumbs/%Y/%m/", blank=True)

    class Meta(StoredFile.Meta):
        verbose_name = verbose_name_plural = _("阵地照片")
