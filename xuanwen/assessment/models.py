"""Year-end assessment (年底考核): schemes of scored items, manual adjustments, and results.

A scheme (考核方案) is owned by a supervising unit and scores the units of one level in its
subtree (the county's townships) for one year. Each item scores one indicator of the registry
(with the indicator's own time rule, over the scheme's year) against a target by a rule. A
scoring run computes every unit's lines and stores them: a run is a version of the result;
published, it is frozen, and scoring again makes the next version.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from xuanwen.core.models import StoredFile
from xuanwen.units.models import Level, Unit

MAX_ITEMS = 60
MAX_REWARDS = 20
POINTS_MAX = Decimal("10000")
YEAR_MIN, YEAR_MAX = 2000, 2100


def points_field(label: Any, **kwargs: Any) -> Any:
    """Points as a county writes them: up to 99,999.99, two decimals."""
    return models.DecimalField(label, max_digits=7, decimal_places=2, **kwargs)


class ItemRule(models.TextChoices):
    """How an item turns an indicator's value into points."""

    PROPORTIONAL = "proportional", _("按完成比例（封顶）")
    THRESHOLD = "threshold", _("达标得分")
    PER_OCCURRENCE = "per_occurrence", _("按次计分（封顶）")
    DEDUCTION = "deduction", _("按次扣分")


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    GOOD = "good", _("良好")
    PASS = "pass", _("合格")
    FAIL = "fail", _("不合格")


class RewardBasis(models.TextChoices):
    GRADE = "grade", _("按等次")
    RANK = "rank", _("按名次")


class Scheme(models.Model):
    """A year's assessment of the units of one level below `owner` (考核方案)."""

    owner = models.ForeignKey(
        Unit, verbose_name=_("主管单位"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("名称"), max_length=100)
    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(YEAR_MIN), MaxValueValidator(YEAR_MAX)]
    )
    level = models.PositiveSmallIntegerField(_("考核单位层级"), choices=Level.choices)
    # Grade bands: a total at or above a band's minimum earns it; below 合格 is 不合格.
    excellent_min = points_field(_("优秀分数线"), default=Decimal(90))
    good_min = points_field(_("良好分数线"), default=Decimal(80))
    pass_min = points_field(_("合格分数线"), default=Decimal(60))
    reward_by = models.CharField(
        _("奖励依据"), max_length=10, choices=RewardBasis.choices, default=RewardBasis.GRADE
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "owner_id", "name", "pk"]
        verbose_name = _("考核方案")
        verbose_name_plural = _("考核方案")

    def __str__(self) -> str:
        return self.name


class SchemeItem(models.Model):
    """One scored item: an indicator against a target by a rule, worth `points` at most."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("考核内容"), max_length=100)
    indicator = models.CharField(_("指标"), max_length=100)
    rule = models.CharField(_("计分方法"), max_length=20, choices=ItemRule.choices)
    points = points_field(_("分值"))
    # Proportional and threshold: the value that earns all points.
    target = models.DecimalField(
        _("目标值"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    # Per occurrence: points per unit of the value; deduction: points off per unit.
    per = points_field(_("每次分值"), null=True, blank=True)
    # Deduction: the lowest the item may fall to (0: 扣完为止; negative: may cost other items).
    floor = points_field(_("最低得分"), default=Decimal(0))

    class Meta:
        ordering = ["scheme_id", "position", "pk"]
        verbose_name = _("考核项目")
        verbose_name_plural = _("考核项目")

    def __str__(self) -> str:
        return self.name


class Reward(models.Model):
    """What a grade (or the ranks down to `top_rank`) earns: an amount in 元 and/or a title."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="rewards")
    grade = models.CharField(_("等次"), max_length=10, choices=Grade.choices, blank=True)
    top_rank = models.PositiveSmallIntegerField(_("名次（前几名）"), null=True, blank=True)
    amount = models.DecimalField(
        _("奖励金额（元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    title = models.CharField(_("称号"), max_length=50, blank=True)

    class Meta:
        ordering = ["scheme_id", "top_rank", "pk"]
        verbose_name = _("奖励")
        verbose_name_plural = _("奖励")

    def __str__(self) -> str:
        return self.title or str(self.amount)


class Adjustment(StoredFile):
    """A manual bonus (加分) or deduction (扣分) for one unit, with its reason and evidence."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="adjustments")
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    points = points_field(_("分数（加分为正，扣分为负）"))
    reason = models.CharField(_("理由"), max_length=300)
    file = models.FileField(_("佐证材料"), upload_to="assessment/%Y/%m/")
    thumbnail = models.FileField(upload_to="assessment/thumbs/%Y/%m/", blank=True)

    class Meta(StoredFile.Meta):
        verbose_name = _("加减分")
        verbose_name_plural = _("加减分")

    def __str__(self) -> str:
        return self.reason

    def audit_title(self) -> str:
        return _("%(unit)s的加减分") % {"unit": self.unit.name}


class RunState(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("计算中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class Run(models.Model):
    """One version of a scheme's result: computed by a background task, then published."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="runs")
    version = models.PositiveIntegerField(_("版本"))
    state = models.CharField(
        _("状态"), max_length=10, choices=RunState.choices, default=RunState.QUEUED
    )
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The task's last sign of life (queued, started, a step done): a run that stops moving for
    # core.jobs.STALE_AFTER lost its worker and is recorded as failed when next looked at.
    moved_at = models.DateTimeField(null=True, blank=True)
    computed_at = models.DateTimeField(_("计算时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["scheme_id", "-version"]
        verbose_name = _("考核结果")
        verbose_name_plural = _("考核结果")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "version"], name="assessment_one_version")
        ]

    def __str__(self) -> str:
        return f"{self.scheme.name} v{self.version}"

    @property
    def published(self) -> bool:
        return self.published_at is not None

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.done / self.total)) if self.total else 0


@dataclass(frozen=True)
class ScoredLine:
    """One line of a unit's breakdown: an item (or an adjustment) as it was scored. Stored as
    JSON on the unit's result, so a result is one row however many items its scheme has."""

    name: str
    indicator: str
    rule: str  # blank: a manual adjustment
    actual: float | int | None
    target: Decimal | None
    max_points: Decimal | None
    points: Decimal
    # The records behind the value (the indicator's list filtered to unit and year), or the
    # adjustment's evidence.
    url: str

    @property
    def rule_label(self) -> str:
        return (
            str(ItemRule(self.rule).label) if self.rule in ItemRule.values else str(_("人工加减分"))
        )

    def stored(self) -> dict[str, Any]:
        def text(d: Decimal | None) -> str | None:
            return None if d is None else str(d)

        return {
            "name": self.name,
            "indicator": self.indicator,
            "rule": self.rule,
            "actual": self.actual,
            "target": text(self.target),
            "max_points": text(self.max_points),
            "points": str(self.points),
            "url": self.url,
        }

    @classmethod
    def from_stored(cls, d: dict[str, Any]) -> "ScoredLine":
        def number(v: str | None) -> Decimal | None:
            return None if v is None else Decimal(v)

        return cls(
            name=d["name"],
            indicator=d["indicator"],
            rule=d["rule"],
            actual=d["actual"],
            target=number(d["target"]),
            max_points=number(d["max_points"]),
            points=Decimal(d["points"]),
            url=d["url"],
        )


class LinesField(models.JSONField):
    """A JSON column that PostgreSQL's bulk insert writes as plain VALUES: without a
    placeholder of its own, Django 5.2 sends the rows as arrays for UNNEST, and psycopg quotes
    every double quote of every array element in Python (7 of the 8 seconds a 1,400-township
    scoring run took to save)."""

    def get_placeholder(self, value: Any, compiler: Any, connection: Any) -> str:
        return "%s"


class UnitResult(models.Model):
    """A unit's total, rank, grade and reward in one run (stored, so publication freezes it)."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="results")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    total = points_field(_("总分"))
    rank = models.PositiveIntegerField(_("名次"))
    grade = models.CharField(_("等次"), max_length=10, choices=Grade.choices)
    reward_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    reward_title = models.CharField(max_length=50, blank=True)
    # ScoredLine.stored() of each line, in order.
    lines = LinesField(default=list)

    class Meta:
        ordering = ["run_id", "rank", "unit_id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "unit"], name="assessment_one_result")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.total}"

    @property
    def breakdown(self) -> list[ScoredLine]:
        return [ScoredLine.from_stored(d) for d in self.lines]
