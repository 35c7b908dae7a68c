from django.db import models
from django.utils.translation import gettext_lazy as _

from xuanwen.accounts.models import by_user
from xuanwen.core.models import Recorded
from xuanwen.indicators.periods import Period, PeriodKind, period_of
from xuanwen.units.models import record_unit


class PlanKind(models.TextChoices):
    YEAR = PeriodKind.YEAR, _("年度")
    HALF = PeriodKind.HALF, _("半年")
    QUARTER = PeriodKind.QUARTER, _("季度")
    MONTH = PeriodKind.MONTH, _("月度")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    APPROVED = "approved", _("已批准")


class ItemStyle(models.TextChoices):
    """How the items of a section are numbered: (一)(二)… or 1. 2. …"""

    PAREN = "paren", _("（一）（二）")
    ARABIC = "arabic", _("1. 2.")


class WorkPlan(Recorded):
    """A unit's work plan (工作计划) for a year, half, quarter or month; one revision of it."""

    detail_url = "plans:detail"

    unit = record_unit(_("单位"))
    kind = models.CharField(_("计划类型"), max_length=10, choices=PlanKind.choices)
    year = models.PositiveSmallIntegerField(_("年份"))
    # 0 for a year plan, 1–2 for a half, 1–4 for a quarter, 1–12 for a month.
    index = models.PositiveSmallIntegerField(_("序号"), default=0)
    title = models.CharField(_("标题"), max_length=200)
    preamble = models.TextField(_("前言"), blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    # Revisions of one plan share unit and period; an approved plan is changed only by copying
    # it into the next revision, so what was approved stays readable as it was.
    revision = models.PositiveSmallIntegerField(_("修订版本"), default=1)
    replaces = models.ForeignKey(
        "self",
        verbose_name=_("取代的版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="successors",
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    submitted_by = by_user(blank=True)
    approved_at = models.DateTimeField(_("批准时间"), null=True, blank=True)
    approved_by = by_user(_("批准人"), blank=True)
    # Why it was sent back to draft, shown until it is submitted again.
    return_note = models.CharField(_("退回意见"), max_length=500, blank=True)

    class Meta(Recorded.Meta):
        ordering = ["-year", "kind", "index", "unit_id", "-revision"]
        verbose_name = verbose_name_plural = _("工作计划")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "kind", "year", "index", "revision"],
                condition=models.Q(deleted_at__isnull=True),
                name="plans_one_live_revision_per_unit_period",
            )
        ]
        indexes = [models.Index(fields=["unit", "year"])]

    def __str__(self) -> str:
        return self.title

    @property
    def period(self) -> Period:
        return period_of(self.kind, self.year, self.index)

    @property
    def editable(self) -> bool:
        """Only a draft's content changes; a submitted or approved plan is locked."""
        return self.status == PlanStatus.DRAFT


class PlanSection(models.Model):
    """A numbered part of a plan (一、二、三…), holding its items in order."""

    plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    title = models.CharField(_("标题"), max_length=200)
    item_style = models.CharField(
        _("条目编号"), max_length=10, choices=ItemStyle.choices, default=ItemStyle.ARABIC
    )

    class Meta:
        ordering = ["order", "id"]
        verbose_name = verbose_name_plural = _("计划部分")

    def __str__(self) -> str:
        return self.title


class PlanItem(models.Model):
    """One task of a plan, optionally with a measurable target computed from an indicator."""

    section = models.ForeignKey(PlanSection, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    text = models.TextField(_("内容"))
    # A registered indicator code (xuanwen.indicators.registry), e.g. activities.type.3. The
    # target is met at its minimum; a maximum only records a range such as 3–5 期.
    indicator = models.CharField(_("指标"), max_length=100, blank=True)
    target_min = models.DecimalField(
        _("目标（下限）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    target_max = models.DecimalField(
        _("目标（上限）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    deadline = models.DateField(_("完成期限"), null=True, blank=True)
    owner = models.CharField(_("责任人"), max_length=100, blank=True)
    # Items without an indicator are marked done by hand, with evidence.
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    done_note = models.TextField(_("完成情况"), blank=True)
    evidence = models.ManyToManyField(
        "activities.Activity", verbose_name=_("佐证活动"), blank=True, related_name="+"
    )

    class Meta:
        ordering = ["order", "id"]
        verbose_name = verbose_name_plural = _("计划条目")

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def has_target(self) -> bool:
        return self.target_min is not None
