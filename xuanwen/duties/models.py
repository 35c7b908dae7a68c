from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xuanwen.accounts.models import Role, by_user
from xuanwen.core.models import Recorded, StoredFile
from xuanwen.units.models import record_unit


class Cycle(models.TextChoices):
    """How often a duty recurs; its periods and due dates are computed (see cycles.py)."""

    WEEKLY = "weekly", _("每周")
    HALF_MONTHLY = "half_monthly", _("每半月")
    MONTHLY = "monthly", _("每月")
    QUARTERLY = "quarterly", _("每季度")
    YEARLY = "yearly", _("每年")
    MONTH_DAY = "month_day", _("每月固定日")


class Duty(Recorded):
    """A recurring duty (常规工作) of a unit: 黑板报 every half month, the Monday meeting …"""

    detail_url = "duties:detail"

    unit = record_unit(_("单位"))
    name = models.CharField(_("名称"), max_length=100)
    cycle = models.CharField(_("周期"), max_length=20, choices=Cycle.choices)
    # Only for Cycle.MONTH_DAY: the day of the month it falls due (31 means the month's last).
    due_day = models.PositiveSmallIntegerField(_("每月几日"), null=True, blank=True)
    description = models.TextField(_("说明"), blank=True)
    # The evidence a completion must carry; at least one of them.
    needs_photo = models.BooleanField(_("需要照片"), default=False)
    needs_note = models.BooleanField(_("需要文字记录"), default=False)
    needs_file = models.BooleanField(_("需要文件"), default=False)
    needs_inspections = models.BooleanField(_("需要检查记录"), default=False)
    # Who does it: named people, and/or everyone of a role at the duty's own unit.
    assignees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("责任人"), blank=True, related_name="duties"
    )
    role = models.CharField(_("责任角色"), max_length=20, choices=Role.choices, blank=True)
    start_date = models.DateField(_("开始日期"))
    active = models.BooleanField(_("启用"), default=True)

    class Meta(Recorded.Meta):
        ordering = ["unit_id", "name", "id"]
        verbose_name = verbose_name_plural = _("常规工作")
        indexes = [models.Index(fields=["unit", "deleted_at"], name="duty_unit_live_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def cycle_label(self) -> str:
        if self.cycle == Cycle.MONTH_DAY and self.due_day:
            if self.due_day >= 31:
                return str(_("每月最后一天"))
            return str(_("每月%(day)d日")) % {"day": self.due_day}
        return str(self.get_cycle_display())

    @property
    def evidence_labels(self) -> list[str]:
        pairs = [
            (self.needs_photo, _("照片")),
            (self.needs_note, _("文字记录")),
            (self.needs_file, _("文件")),
            (self.needs_inspections, _("检查记录")),
        ]
        return [str(label) for needed, label in pairs if needed]


class DutyCompletion(Recorded):
    """One time a duty was done (完成记录), with the period it fulfils and its evidence."""

    detail_url = "duties:completion"

    duty = models.ForeignKey(Duty, on_delete=models.PROTECT, related_name="completions")
    done_on = models.DateField(_("完成日期"))
    # Derived by the service from done_on (or an earlier overdue period named when recording
    # it late), never typed: the first day of the period of the duty's cycle.
    period_start = models.DateField(_("所属期间"))
    note = models.TextField(_("记录"), blank=True)
    done_by = by_user(_("完成人"))

    class Meta(Recorded.Meta):
        ordering = ["-done_on", "-id"]
        verbose_name = verbose_name_plural = _("完成记录")
        indexes = [
            models.Index(fields=["duty", "period_start"]),
            models.Index(fields=["done_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.duty.name} {self.done_on:%Y-%m-%d}"


class EvidenceKind(models.TextChoices):
    PHOTO = "photo", _("照片")
    FILE = "file", _("文件")


class Evidence(StoredFile):
    """A photo or file proving a completion; served only by a scoped view."""

    completion = models.ForeignKey(
        DutyCompletion, on_delete=models.CASCADE, related_name="evidence"
    )
    kind = models.CharField(_("类别"), max_length=10, choices=EvidenceKind.choices)
    file = models.FileField(_("文件"), upload_to="duties/%Y/%m/")
    thumbnail = models.FileField(upload_to="duties/thumbs/%Y/%m/", blank=True)

    class Meta(StoredFile.Meta):
        verbose_name = verbose_name_plural = _("佐证材料")


class BusinessKind(models.TextChoices):
    INTERNET_CAFE = "internet_cafe", _("网吧")
    KARAOKE = "karaoke", _("歌舞娱乐")
    GAMES = "games", _("游艺娱乐")
    BOOKSHOP = "bookshop", _("书店")
    PRINTING = "printing", _("印刷")
    AUDIOVISUAL = "audiovisual", _("音像")
    PERFORMANCE = "performance", _("演出场所")
    OTHER = "other", _("其他")


class InspectedBusiness(models.Model):
    """A business checked in a cultural-market inspection (文化市场检查) and what was found."""

    completion = models.ForeignKey(
        DutyCompletion, on_delete=models.CASCADE, related_name="businesses"
    )
    name = models.CharField(_("经营单位"), max_length=100)
    kind = models.CharField(_("类别"), max_length=20, choices=BusinessKind.choices)
    findings = models.TextField(_("检查情况"), blank=True)
    rectification_required = models.BooleanField(_("需要整改"), default=False)
    rectified = models.BooleanField(_("已整改"), default=False)
    rectified_on = models.DateField(_("整改日期"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = _("检查对象")

    def __str__(self) -> str:
        return self.name
