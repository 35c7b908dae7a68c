"""Reporting up (上报): report sets, the submissions of the units that owe them, the checks a
submission passes, approval and its unlocking.

A report set (报表) is what a supervisor asks of the units of some levels below it, every
month (quarter, half, year): the values of a few indicators, computed from the records by the
indicators' own rules. A unit submits a period; the level above approves it or sends it back.
An approved period locks that unit's records of the period (reporting.locks).
"""

from datetime import date, timedelta

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuanwen.accounts.models import by_user
from xuanwen.indicators.periods import Period, PeriodKind, parse_period, period_of
from xuanwen.units.models import Level, Unit

# The longest deadline and lock a report set may set, in days after the period's end.
MAX_DAYS = 366
MAX_INDICATORS = 30


class Frequency(models.TextChoices):
    MONTH = PeriodKind.MONTH, _("每月")
    QUARTER = PeriodKind.QUARTER, _("每季度")
    HALF = PeriodKind.HALF, _("每半年")
    YEAR = PeriodKind.YEAR, _("每年")


# Periods of each frequency in a year.
PERIODS_A_YEAR = {Frequency.MONTH: 12, Frequency.QUARTER: 4, Frequency.HALF: 2, Frequency.YEAR: 1}


class ReportSet(models.Model):
    """What units of some levels report to `owner` and how often (报表)."""

    owner = models.ForeignKey(
        Unit, verbose_name=_("主管单位"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("名称"), max_length=100)
    # The levels of the units that report (乡镇街道; 县 too for the county's own summary).
    levels = models.JSONField(_("上报单位层级"), default=list)
    frequency = models.CharField(
        _("频率"), max_length=10, choices=Frequency.choices, default=Frequency.MONTH
    )
    deadline_days = models.PositiveSmallIntegerField(
        _("截止天数"), default=10, validators=[MaxValueValidator(MAX_DAYS)]
    )
    # 0: entry never closes by itself (only an approval locks).
    lock_days = models.PositiveSmallIntegerField(
        _("锁定天数"), default=0, validators=[MaxValueValidator(MAX_DAYS)]
    )
    indicators = models.JSONField(_("指标"), default=list)
    active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["owner_id", "name", "pk"]
        verbose_name = verbose_name_plural = _("报表")

    def __str__(self) -> str:
        return self.name

    @property
    def level_labels(self) -> str:
        return "、".join(str(Level(n).label) for n in sorted(self.levels) if n in Level.values)

    @property
    def code_lengths(self) -> list[int]:
        from xuanwen.core.tree import LEVEL_LENGTHS

        return [LEVEL_LENGTHS[n - 1] for n in self.levels if 1 <= n <= len(LEVEL_LENGTHS)]

    def owes(self, code: str) -> bool:
        """Whether the unit of `code` reports this set: in the owner's subtree, at a level."""
        return code.startswith(self.owner_id) and len(code) in self.code_lengths

    def periods(self, year: int) -> list[Period]:
        count = PERIODS_A_YEAR[Frequency(self.frequency)]
        if self.frequency == Frequency.YEAR:
            return [period_of(self.frequency, year)]
        return [period_of(self.frequency, year, i) for i in range(1, count + 1)]

    @property
    def first_day(self) -> date:
        """The day the set was made: periods whose deadline had passed by then are not owed."""
        return timezone.localdate(self.created_at) if self.created_at else date.min

    def deadline(self, period: Period) -> date:
        return period.end + timedelta(days=self.deadline_days)


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已上报")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("已批准")


RECEIVED = (SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED)


class Submission(models.Model):
    """A unit's report of one period of a report set."""

    report_set = models.ForeignKey(
        ReportSet, verbose_name=_("报表"), on_delete=models.PROTECT, related_name="submissions"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    period_key = models.CharField(_("期间"), max_length=24)
    period_start = models.DateField()
    period_end = models.DateField()
    status = models.CharField(
        _("状态"), max_length=10, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("上报时间"), null=True, blank=True)
    submitted_by = by_user(blank=True)
    # Derived when submitted: the submission day (the one clock) against the deadline.
    on_time = models.BooleanField(_("按时"), null=True, blank=True)
    approved_at = models.DateTimeField(_("批准时间"), null=True, blank=True)
    approved_by = by_user(blank=True)
    return_reason = models.CharField(_("退回原因"), max_length=500, blank=True)
    # The indicator values as submitted: code → value (what the approver approved).
    values = models.JSONField(_("上报数据"), default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["report_set_id", "-period_start", "unit_id"]
        verbose_name = verbose_name_plural = _("上报")
        constraints = [
            models.UniqueConstraint(
                fields=["report_set", "unit", "period_key"], name="reporting_one_per_period"
            )
        ]
        indexes = [models.Index(fields=["status", "period_start", "period_end"])]

    def __str__(self) -> str:
        return f"{self.unit.name} {self.period.label} {self.report_set.name}"

    @property
    def period(self) -> Period:
        return parse_period(self.period_key)


class RuleKind(models.TextChoices):
    NOT_ABOVE_INDICATOR = "le_indicator", _("指标不超过另一指标")
    NOT_ABOVE_LIMIT = "le_limit", _("指标不超过上限")


class Severity(models.TextChoices):
    WARNING = "warning", _("警告")
    BLOCKING = "blocking", _("阻止上报")


class ValidationRule(models.Model):
    """A check of a submission's figures: `left` ≤ `right` (another indicator) or ≤ `limit`
    (for units of `level`, every level when empty)."""

    report_set = models.ForeignKey(
        ReportSet, verbose_name=_("报表"), on_delete=models.CASCADE, related_name="rules"
    )
    kind = models.CharField(_("类型"), max_length=20, choices=RuleKind.choices)
    left = models.CharField(_("指标"), max_length=100)
    right = models.CharField(_("比较指标"), max_length=100, blank=True)
    limit = models.DecimalField(_("上限"), max_digits=12, decimal_places=2, null=True, blank=True)
    level = models.PositiveSmallIntegerField(
        _("单位层级"), choices=Level.choices, null=True, blank=True
    )
    severity = models.CharField(
        _("级别"), max_length=10, choices=Severity.choices, default=Severity.WARNING
    )
    enabled = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["report_set_id", "pk"]
        verbose_name = verbose_name_plural = _("校验规则")

    def __str__(self) -> str:
        other = self.right if self.kind == RuleKind.NOT_ABOVE_INDICATOR else str(self.limit)
        return f"{self.left} ≤ {other}"

    def audit_title(self) -> str:
        """What the audit log calls it: its report set's rule, not indicator codes."""
        return _("%(set)s的校验规则") % {"set": self.report_set.name}


class SubmissionWarning(models.Model):
    """A warning a submission went through with, as it read when submitted."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="warnings")
    rule = models.ForeignKey(ValidationRule, null=True, on_delete=models.SET_NULL, related_name="+")
    message = models.CharField(_("提示"), max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["submission_id", "pk"]

    def __str__(self) -> str:
        return self.message


class Unlock(models.Model):
    """An approved submission unlocked by an approver, and why (the audit log has it too)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="unlocks")
    by = by_user()
    at = models.DateTimeField()
    reason = models.CharField(_("解锁原因"), max_length=500)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return self.reason
