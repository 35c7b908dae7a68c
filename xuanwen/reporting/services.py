"""Writes of reporting: report sets and their rules, submitting, approving, returning and
unlocking a period. Each checks the right, validates, then saves with its audit entry in one
transaction."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from xuanwen.accounts.models import Role, User
from xuanwen.accounts.permissions import can_approve, can_write
from xuanwen.audit.models import Action
from xuanwen.audit.services import audit_record, snapshot
from xuanwen.core import clock, tree
from xuanwen.indicators import selectors as indicator_values
from xuanwen.indicators.periods import Period
from xuanwen.indicators.registry import Number, get_indicators
from xuanwen.records.services import save_changed, save_created
from xuanwen.units.models import Level, Unit

from .models import (
    MAX_DAYS,
    MAX_INDICATORS,
    Frequency,
    ReportSet,
    RuleKind,
    Severity,
    Submission,
    SubmissionStatus,
    SubmissionWarning,
    Unlock,
    ValidationRule,
)
from .selectors import owing_below

REASON_MAX = 500


# --- Report sets -------------------------------------------------------------------------


@dataclass
class ReportSetData:
    owner: Unit
    name: str
    levels: list[int]
    frequency: str = Frequency.MONTH
    deadline_days: int = 10
    lock_days: int = 0
    indicators: list[str] = field(default_factory=list)
    active: bool = True


def can_define(user: User, owner_code: str) -> bool:
    """A supervisor (or an admin) defines what the units below their own report."""
    return can_approve(user, owner_code)


def report_set_check(data: ReportSetData) -> dict[str, str]:
    errors: dict[str, str] = {}
    name = data.name.strip()
    if not name:
        errors["name"] = _("请填写报表名称。")
    elif len(name) > ReportSet._meta.get_field("name").max_length:  # type: ignore[operator]
        errors["name"] = _("报表名称不能超过 100 个字。")
    owner_level = tree.level_of(data.owner.code)
    if not data.levels or any(
        not isinstance(n, int) or n not in Level.values or n < owner_level for n in data.levels
    ):
        errors["levels"] = _("请选择主管单位本级或以下的上报单位层级。")
    if data.frequency not in Frequency.values:
        errors["frequency"] = _("请选择上报频率。")
    for name_, value in (("deadline_days", data.deadline_days), ("lock_days", data.lock_days)):
        if not isinstance(value, int) or not 0 <= value <= MAX_DAYS:
            errors[name_] = _("天数应在 0 至 %(max)d 之间。") % {"max": MAX_DAYS}
    if not data.indicators or len(data.indicators) > MAX_INDICATORS:
        errors["indicators"] = _("请选择 1 至 %(max)d 个指标。") % {"max": MAX_INDICATORS}
    else:
        known = get_indicators(data.indicators)
        unknown = [code[:100] for code in data.indicators if code not in known]
        if unknown:
            errors["indicators"] = _("没有这些指标：%(codes)s") % {"codes": "、".join(unknown)}
    return errors


def _report_set_apply(report_set: ReportSet, data: ReportSetData) -> None:
    report_set.owner = data.owner
    report_set.name = data.name.strip()
    report_set.levels = sorted(set(data.levels))
    report_set.frequency = data.frequency
    report_set.deadline_days = data.deadline_days
    report_set.lock_days = data.lock_days
    report_set.indicators = list(dict.fromkeys(data.indicators))
    report_set.active = data.active


def report_set_create(*, user: User, data: ReportSetData) -> ReportSet:
    if not can_define(user, data.owner.code):
        raise PermissionDenied(_("只有主管单位可以设置报表。"))
    if errors := report_set_check(data):
        raise ValidationError(errors)
    report_set = ReportSet()
    _report_set_apply(report_set, data)
    return save_created(user=user, record=report_set, unit_code=report_set.owner_id)


def report_set_update(*, user: User, report_set: ReportSet, data: ReportSetData) -> ReportSet:
    if not (can_define(user, report_set.owner_id) and can_define(user, data.owner.code)):
        raise PermissionDenied(_("只有主管单位可以设置报表。"))
    if errors := report_set_check(data):
        raise ValidationError(errors)
    before = snapshot(report_set)
    _report_set_apply(report_set, data)
    return save_changed(user=user, record=report_set, unit_code=report_set.owner_id, before=before)


# --- Validation rules ----------------------------------------------------------------------


@dataclass
class RuleData:
    kind: str
    left: str
    right: str = ""
    limit: Decimal | None = None
    level: int | None = None
    severity: str = Severity.WARNING
    enabled: bool = True


def rule_check(report_set: ReportSet, data: RuleData) -> dict[str, str]:
    errors: dict[str, str] = {}
    if data.kind not in RuleKind.values:
        errors["kind"] = _("请选择规则类型。")
    if data.severity not in Severity.values:
        errors["severity"] = _("请选择警告或阻止上报。")
    codes = [data.left] + ([data.right] if data.kind == RuleKind.NOT_ABOVE_INDICATOR else [])
    if any(code not in report_set.indicators for code in codes):
        errors["left"] = _("规则中的指标须是该报表的指标。")
    if data.kind == RuleKind.NOT_ABOVE_LIMIT:
        if data.limit is None or not Decimal(0) <= data.limit < Decimal(10) ** 10:
            errors["limit"] = _("请填写 0 至 9999999999 之间的上限。")
        if data.level is not None and data.level not in Level.values:
            errors["level"] = _("请选择单位层级。")
    return errors


def rule_create(*, user: User, report_set: ReportSet, data: RuleData) -> ValidationRule:
    if not can_define(user, report_set.owner_id):
        raise PermissionDenied(_("只有主管单位可以设置校验规则。"))
    if errors := rule_check(report_set, data):
        raise ValidationError(errors)
    rule = ValidationRule(
        report_set=report_set,
        kind=data.kind,
        left=data.left,
        right=data.right if data.kind == RuleKind.NOT_ABOVE_INDICATOR else "",
        limit=data.limit if data.kind == RuleKind.NOT_ABOVE_LIMIT else None,
        level=data.level if data.kind == RuleKind.NOT_ABOVE_LIMIT else None,
        severity=data.severity,
        enabled=data.enabled,
    )
    return save_created(user=user, record=rule, unit_code=report_set.owner_id)


# --- Checking a submission's figures -------------------------------------------------------


def _number(value: Number | Decimal) -> Decimal:
    return Decimal(str(value or 0))


def _shown(value: Number | Decimal, measure: str) -> str:
    number = _number(value).normalize()
    text = f"{number:f}"
    return f"{text} {measure}".strip()


@dataclass(frozen=True)
class Finding:
    rule: ValidationRule
    message: str

    @property
    def blocking(self) -> bool:
        return self.rule.severity == Severity.BLOCKING


def findings(
    report_set: ReportSet, rules: list[ValidationRule], unit_code: str, values: dict[str, Number]
) -> list[Finding]:
    """The enabled rules that the figures break, each with a message naming the figure."""
    named = get_indicators(
        [c for r in rules for c in (r.left, r.right) if c] + list(report_set.indicators)
    )
    out: list[Finding] = []
    for rule in rules:
        if not rule.enabled or rule.left not in named:
            continue
        left = named[rule.left]
        value = values.get(rule.left)
        if rule.kind == RuleKind.NOT_ABOVE_INDICATOR and rule.right in named:
            right = named[rule.right]
            other = values.get(rule.right)
            if _number(value) > _number(other):
                message = _("%(left)s（%(value)s）超过了%(right)s（%(other)s）。") % {
                    "left": left.name,
                    "value": _shown(value, str(left.measure)),
                    "right": right.name,
                    "other": _shown(other, str(right.measure)),
                }
                out.append(Finding(rule, message))
        elif rule.kind == RuleKind.NOT_ABOVE_LIMIT and rule.limit is not None:
            if rule.level is not None and tree.level_of(unit_code) != rule.level:
                continue
            if _number(value) > rule.limit:
                message = _("%(left)s（%(value)s）超过了上限 %(limit)s。") % {
                    "left": left.name,
                    "value": _shown(value, str(left.measure)),
                    "limit": _shown(rule.limit, str(left.measure)),
                }
                out.append(Finding(rule, message))
    return out


def figures(report_set: ReportSet, unit_code: str, period: Period) -> dict[str, Number]:
    """The report's values: each indicator of the set for the unit's subtree in the period,
    computed by the indicators themselves (their time rules), one query per source."""
    found = get_indicators(report_set.indicators)
    indicators = [found[code] for code in report_set.indicators if code in found]
    return indicator_values.values(indicators, unit_code, period)


# --- Submitting, approving, returning, unlocking ----------------------------------------------


def _unapproved_below(report_set: ReportSet, unit_code: str, period: Period) -> list[str]:
    """Names of the units below `unit_code` that owe this period and are not approved yet."""
    approved = set(
        Submission.objects.filter(
            report_set=report_set,
            period_key=period.key,
            status=SubmissionStatus.APPROVED,
            **{"unit_id__in": owing_below(report_set, unit_code).values("code")},
        ).values_list("unit_id", flat=True)
    )
    return [u.name for u in owing_below(report_set, unit_code) if u.code not in approved]


def _children_refusal(report_set: ReportSet, unit: Unit, period: Period, doing: str) -> None:
    if missing := _unapproved_below(report_set, unit.code, period):
        shown = "、".join(missing[:5]) + (
            _("等 %(n)d 个单位") % {"n": len(missing)} if len(missing) > 5 else ""
        )
        raise ValidationError(
            _("%(period)s%(unit)s还不能%(doing)s：%(units)s的上报尚未批准。")
            % {"period": period.label, "unit": unit.name, "doing": doing, "units": shown}
        )


def _audit(
    user: User, action: str, submission: Submission, before: dict[str, Any] | None, **after: Any
) -> None:
    audit_record(
        actor=user,
        action=action,
        obj=submission,
        unit_code=submission.unit_id,
        before=before,
        after={**snapshot(submission), **after},
        title=_("%(unit)s%(period)s%(set)s")
        % {
            "unit": submission.unit.name,
            "period": submission.period.label,
            "set": submission.report_set.name,
        },
    )


def submission_submit(
    *, user: User, report_set: ReportSet, unit: Unit, period: Period
) -> Submission:
    """Submit the unit's report of the period: its figures checked against the rules (a
    blocking one stops it, naming the figure; warnings are kept with it), frozen as they are."""
    if not can_write(user, unit.code):
        raise PermissionDenied(_("您不能为该单位上报。"))
    if not report_set.active or not report_set.owes(unit.code):
        raise ValidationError(_("该单位不需要上报“%(set)s”。") % {"set": report_set.name})
    if period.kind != report_set.frequency:
        raise ValidationError(_("该报表按%(f)s上报。") % {"f": report_set.get_frequency_display()})
    today = clock.today()
    if period.start > today:
        raise ValidationError(_("%(period)s尚未开始，不能上报。") % {"period": period.label})
    with transaction.atomic():
        submission = (
            Submission.objects.select_for_update()
            .filter(report_set=report_set, unit=unit, period_key=period.key)
            .first()
        )
        if submission is not None and submission.status in (
            SubmissionStatus.SUBMITTED,
            SubmissionStatus.APPROVED,
        ):
            raise ValidationError(
                _("%(period)s已经上报（%(status)s）。")
                % {"period": period.label, "status": submission.get_status_display()}
            )
        _children_refusal(report_set, unit, period, _("上报"))
        values = figures(report_set, unit.code, period)
        rules = list(report_set.rules.filter(enabled=True))
        found = findings(report_set, rules, unit.code, values)
        if blocking := [f.message for f in found if f.blocking]:
            raise ValidationError([_("未通过校验，不能上报：") + message for message in blocking])
        before = snapshot(submission) if submission is not None else None
        if submission is None:
            submission = Submission(
                report_set=report_set,
                unit=unit,
                period_key=period.key,
                period_start=period.start,
                period_end=period.end,
            )
        submission.status = SubmissionStatus.SUBMITTED
        submission.submitted_at = clock.now()
        submission.submitted_by = user if user.pk else None
        submission.on_time = today <= report_set.deadline(period)
        submission.return_reason = ""
        submission.values = {code: value for code, value in values.items()}
        submission.save()
        submission.warnings.all().delete()
        SubmissionWarning.objects.bulk_create(
            SubmissionWarning(submission=submission, rule=f.rule, message=f.message[:300])
            for f in found
        )
        _audit(user, Action.SUBMIT, submission, before, warnings=[f.message for f in found])
    return submission


def can_approve_submission(user: User, submission: Submission) -> bool:
    """The level above approves: an approver whose scope lies strictly above the unit, or the
    owner's own supervisor for the owner's own summary (nobody stands above it here)."""
    if not can_approve(user, submission.unit_id):
        return False
    if user.scope.level < tree.level_of(submission.unit_id):
        return True
    return (
        submission.unit_id == submission.report_set.owner_id
        and user.scope.root == submission.unit_id
        and user.role in (Role.SUPERVISOR, Role.ADMIN)
    )


def _check_approver(user: User, submission: Submission) -> None:
    if not can_approve_submission(user, submission):
        raise PermissionDenied(_("只有上级单位可以审核该上报。"))


def submission_approve(*, user: User, submission: Submission) -> Submission:
    """Approve a submitted report; its unit's records of the period are then locked."""
    _check_approver(user, submission)
    with transaction.atomic():
        submission = Submission.objects.select_for_update().get(pk=submission.pk)
        if submission.status != SubmissionStatus.SUBMITTED:
            raise ValidationError(_("只有已上报的报表可以批准。"))
        _children_refusal(submission.report_set, submission.unit, submission.period, _("批准"))
        before = snapshot(submission)
        submission.status = SubmissionStatus.APPROVED
        submission.approved_at = clock.now()
        submission.approved_by = user if user.pk else None
        submission.save()
        _audit(user, Action.APPROVE, submission, before)
    return submission


def _reason(text: str, what: str, limit: int = REASON_MAX) -> str:
    reason = (text or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写%(what)s原因。") % {"what": what}})
    if len(reason) > limit:
        raise ValidationError({"reason": _("原因不能超过 %(n)d 个字。") % {"n": limit}})
    return reason


def submission_return(*, user: User, submission: Submission, reason: str) -> Submission:
    """Send a submitted report back to its unit with a reason."""
    _check_approver(user, submission)
    reason = _reason(reason, _("退回"))
    with transaction.atomic():
        submission = Submission.objects.select_for_update().get(pk=submission.pk)
        if submission.status != SubmissionStatus.SUBMITTED:
            raise ValidationError(_("只有已上报、未批准的报表可以退回；已批准的请解锁。"))
        before = snapshot(submission)
        submission.status = SubmissionStatus.RETURNED
        submission.return_reason = reason
        submission.save()
        _audit(user, Action.RETURN, submission, before)
    return submission


def submission_unlock(*, user: User, submission: Submission, reason: str) -> Submission:
    """Unlock an approved report: it goes back to its unit (returned, with the reason), its
    records of the period can be changed again, and it must be submitted and approved anew."""
    _check_approver(user, submission)
    # The unit reads it as its report's return reason after "解锁：", within that field's size.
    prefix = _("解锁：")
    reason = _reason(reason, _("解锁"), limit=REASON_MAX - len(prefix))
    with transaction.atomic():
        submission = Submission.objects.select_for_update().get(pk=submission.pk)
        if submission.status != SubmissionStatus.APPROVED:
            raise ValidationError(_("只有已批准的报表需要解锁。"))
        # The owner's summary above it was built on this one: it must be unlocked first.
        above = [
            code
            for code in tree.ancestor_codes(submission.unit_id)
            if submission.report_set.owes(code)
        ]
        if Submission.objects.filter(
            report_set=submission.report_set_id,
            period_key=submission.period_key,
            unit_id__in=above,
            status=SubmissionStatus.APPROVED,
        ).exists():
            raise ValidationError(_("上级单位的同期上报已批准，请先解锁上级单位的上报。"))
        before = snapshot(submission)
        submission.status = SubmissionStatus.RETURNED
        submission.return_reason = prefix + reason
        submission.save()
        Unlock.objects.create(
            submission=submission, by=user if user.pk else None, at=clock.now(), reason=reason
        )
        _audit(user, Action.RETURN, submission, before, unlocked=reason)
    return submission
