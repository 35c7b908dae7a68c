"""Writes of assessment: schemes with their items and rewards, copying a scheme to the next
year, manual adjustments with their evidence, scoring runs and publication. Each checks the
right (a supervisor or admin over the scheme's owner), validates, then saves with its audit
entry in one transaction."""

import logging
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django_tasks import task

from xuanwen.accounts.models import User
from xuanwen.accounts.permissions import can_approve
from xuanwen.audit.models import Action
from xuanwen.audit.services import audit_record, snapshot
from xuanwen.core import clock, files, tree
from xuanwen.core.jobs import STALE_AFTER
from xuanwen.indicators.registry import get_indicators
from xuanwen.records.services import creator, save_created, store_upload
from xuanwen.units.models import Level, Unit

from . import scoring
from .models import (
    MAX_ITEMS,
    MAX_REWARDS,
    POINTS_MAX,
    YEAR_MAX,
    YEAR_MIN,
    Adjustment,
    Grade,
    ItemRule,
    Reward,
    RewardBasis,
    Run,
    RunState,
    Scheme,
    SchemeItem,
    UnitResult,
)

logger = logging.getLogger(__name__)
AMOUNT_MAX = Decimal("100000000")


def can_set(user: User, owner_code: str) -> bool:
    """A supervisor (or an admin) sets, scores and publishes the schemes of their subtree."""
    return can_approve(user, owner_code)


def _refuse(user: User, owner_code: str) -> None:
    if not can_set(user, owner_code):
        raise PermissionDenied(_("只有主管单位可以设置考核方案和发布考核结果。"))


# --- Schemes ---------------------------------------------------------------------------------


@dataclass
class ItemData:
    name: str
    indicator: str
    rule: str
    points: Decimal
    target: Decimal | None = None
    per: Decimal | None = None
    floor: Decimal = Decimal(0)


@dataclass
class RewardData:
    grade: str = ""
    top_rank: int | None = None
    amount: Decimal | None = None
    title: str = ""


@dataclass
class SchemeData:
    owner: Unit
    name: str
    year: int
    level: int
    excellent_min: Decimal = Decimal(90)
    good_min: Decimal = Decimal(80)
    pass_min: Decimal = Decimal(60)
    reward_by: str = RewardBasis.GRADE
    items: list[ItemData] = field(default_factory=list)
    rewards: list[RewardData] = field(default_factory=list)


def _in_points(value: Decimal | None, low: Decimal = Decimal(0)) -> bool:
    return value is None or (value.is_finite() and low <= value <= POINTS_MAX)


def _item_errors(i: int, item: ItemData, known: set[str]) -> list[str]:
    where = _("第 %(n)d 项") % {"n": i}
    out = []
    if not item.name.strip() or len(item.name.strip()) > 100:
        out.append(_("%(w)s：请填写考核内容（不超过 100 个字）。") % {"w": where})
    if item.indicator not in known:
        out.append(_("%(w)s：没有这个指标。") % {"w": where})
    if item.rule not in ItemRule.values:
        out.append(_("%(w)s：请选择计分方法。") % {"w": where})
    if not _in_points(item.points) or item.points <= 0:
        out.append(_("%(w)s：分值应大于 0 且不超过 10000。") % {"w": where})
    needs_target = item.rule in (ItemRule.PROPORTIONAL, ItemRule.THRESHOLD)
    if needs_target and (item.target is None or not item.target.is_finite() or item.target <= 0):
        out.append(_("%(w)s：请填写大于 0 的目标值。") % {"w": where})
    elif item.target is not None and (not item.target.is_finite() or abs(item.target) >= 10**10):
        out.append(_("%(w)s：目标值有误。") % {"w": where})
    needs_per = item.rule in (ItemRule.PER_OCCURRENCE, ItemRule.DEDUCTION)
    if needs_per and (item.per is None or not _in_points(item.per) or item.per <= 0):
        out.append(_("%(w)s：请填写每次的分值（大于 0）。") % {"w": where})
    if not _in_points(item.floor, -POINTS_MAX) or item.floor > (item.points or 0):
        out.append(_("%(w)s：最低得分应不高于分值。") % {"w": where})
    return out


def _reward_errors(data: SchemeData) -> list[str]:
    out = []
    for i, r in enumerate(data.rewards, 1):
        where = _("第 %(n)d 档奖励") % {"n": i}
        if data.reward_by == RewardBasis.GRADE and r.grade not in Grade.values:
            out.append(_("%(w)s：请选择等次。") % {"w": where})
        if data.reward_by == RewardBasis.RANK and not (r.top_rank and 1 <= r.top_rank <= 10000):
            out.append(_("%(w)s：请填写名次（1 至 10000）。") % {"w": where})
        if r.amount is not None and not (r.amount.is_finite() and 0 <= r.amount < AMOUNT_MAX):
            out.append(_("%(w)s：金额有误。") % {"w": where})
        if r.amount is None and not r.title.strip():
            out.append(_("%(w)s：请填写金额或称号。") % {"w": where})
        if len(r.title) > 50:
            out.append(_("%(w)s：称号不能超过 50 个字。") % {"w": where})
    return out


def scheme_check(data: SchemeData) -> dict[str, str]:
    errors: dict[str, str] = {}
    name = data.name.strip()
    if not name or len(name) > 100:
        errors["name"] = _("请填写方案名称（不超过 100 个字）。")
    if not isinstance(data.year, int) or not YEAR_MIN <= data.year <= YEAR_MAX:
        errors["year"] = _("年度应在 %(a)d 至 %(b)d 之间。") % {"a": YEAR_MIN, "b": YEAR_MAX}
    if data.level not in Level.values or data.level <= tree.level_of(data.owner.code):
        errors["level"] = _("请选择主管单位以下的考核单位层级。")
    bands = (data.excellent_min, data.good_min, data.pass_min)
    if not all(_in_points(b) for b in bands) or not bands[0] >= bands[1] >= bands[2]:
        errors["excellent_min"] = _("分数线应为 0 至 10000，且优秀 ≥ 良好 ≥ 合格。")
    if data.reward_by not in RewardBasis.values:
        errors["reward_by"] = _("请选择奖励依据。")
    if not data.items or len(data.items) > MAX_ITEMS:
        errors["items"] = _("请设置 1 至 %(n)d 个考核项目。") % {"n": MAX_ITEMS}
    else:
        known = set(get_indicators({item.indicator[:100] for item in data.items}))
        problems = [p for i, item in enumerate(data.items, 1) for p in _item_errors(i, item, known)]
        if problems:
            errors["items"] = " ".join(problems[:5])
    if len(data.rewards) > MAX_REWARDS:
        errors["rewards"] = _("奖励不能超过 %(n)d 档。") % {"n": MAX_REWARDS}
    elif problems := _reward_errors(data):
        errors["rewards"] = " ".join(problems[:5])
    return errors


def _apply(scheme: Scheme, data: SchemeData) -> None:
    scheme.owner = data.owner
    scheme.name = data.name.strip()
    scheme.year = data.year
    scheme.level = data.level
    scheme.excellent_min = data.excellent_min
    scheme.good_min = data.good_min
    scheme.pass_min = data.pass_min
    scheme.reward_by = data.reward_by


def _save_parts(scheme: Scheme, data: SchemeData) -> None:
    """Replace the scheme's items and rewards (inside the caller's transaction)."""
    scheme.items.all().delete()
    scheme.rewards.all().delete()
    SchemeItem.objects.bulk_create(
        SchemeItem(
            scheme=scheme,
            position=i,
            name=item.name.strip(),
            indicator=item.indicator,
            rule=item.rule,
            points=item.points,
            target=item.target,
            per=item.per,
            floor=item.floor,
        )
        for i, item in enumerate(data.items)
    )
    Reward.objects.bulk_create(
        Reward(
            scheme=scheme,
            grade=r.grade if data.reward_by == RewardBasis.GRADE else "",
            top_rank=r.top_rank if data.reward_by == RewardBasis.RANK else None,
            amount=r.amount,
            title=r.title.strip(),
        )
        for r in data.rewards
    )


def _parts_snapshot(scheme: Scheme) -> dict[str, Any]:
    return {
        **snapshot(scheme),
        "items": [
            f"{i.name} {i.indicator} {i.rule} {i.points}/{i.target}/{i.per}/{i.floor}"
            for i in scheme.items.all()
        ],
        "rewards": [
            f"{r.grade}{r.top_rank or ''} {r.amount} {r.title}" for r in scheme.rewards.all()
        ],
    }


def scheme_create(*, user: User, data: SchemeData) -> Scheme:
    _refuse(user, data.owner.code)
    if errors := scheme_check(data):
        raise ValidationError(errors)
    scheme = Scheme()
    _apply(scheme, data)
    with transaction.atomic():
        save_created(user=user, record=scheme, unit_code=scheme.owner_id)
        _save_parts(scheme, data)
    return scheme


def scheme_update(*, user: User, scheme: Scheme, data: SchemeData) -> Scheme:
    _refuse(user, scheme.owner_id)
    _refuse(user, data.owner.code)
    if errors := scheme_check(data):
        raise ValidationError(errors)
    before = _parts_snapshot(scheme)
    _apply(scheme, data)
    with transaction.atomic():
        scheme.save()
        _save_parts(scheme, data)
        audit_record(
            actor=user,
            obj=scheme,
            unit_code=scheme.owner_id,
            before=before,
            after=_parts_snapshot(scheme),
        )
    return scheme


def scheme_data(scheme: Scheme, **changes: Any) -> SchemeData:
    """A stored scheme as data (to copy it, or to change a part of it through the API)."""
    values: dict[str, Any] = {
        "owner": scheme.owner,
        "name": scheme.name,
        "year": scheme.year,
        "level": scheme.level,
        "excellent_min": scheme.excellent_min,
        "good_min": scheme.good_min,
        "pass_min": scheme.pass_min,
        "reward_by": scheme.reward_by,
        "items": [
            ItemData(i.name, i.indicator, i.rule, i.points, i.target, i.per, i.floor)
            for i in scheme.items.all()
        ],
        "rewards": [
            RewardData(r.grade, r.top_rank, r.amount, r.title) for r in scheme.rewards.all()
        ],
    }
    return SchemeData(**(values | changes))


def scheme_copy(*, user: User, scheme: Scheme) -> Scheme:
    """The scheme again for the next year (items, bands and rewards; no adjustments, no results)."""
    year = scheme.year + 1
    name = scheme.name.replace(str(scheme.year), str(year))
    if name == scheme.name:
        name = f"{year}年{scheme.name}"[:100]
    return scheme_create(user=user, data=scheme_data(scheme, year=year, name=name))


# --- Manual adjustments ----------------------------------------------------------------------


@dataclass
class AdjustmentData:
    unit: Unit
    points: Decimal
    reason: str


def adjustment_add(
    *, user: User, scheme: Scheme, data: AdjustmentData, evidence: UploadedFile | None
) -> Adjustment:
    """A bonus or deduction for a scored unit: a reason and a piece of evidence are required."""
    _refuse(user, scheme.owner_id)
    errors: dict[str, str] = {}
    if not data.reason.strip():
        errors["reason"] = _("请填写加减分理由。")
    elif len(data.reason.strip()) > 300:
        errors["reason"] = _("理由不能超过 300 个字。")
    if not data.points.is_finite() or data.points == 0 or abs(data.points) > POINTS_MAX:
        errors["points"] = _("分数应为非零数（加分为正，扣分为负），绝对值不超过 10000。")
    length = tree.LEVEL_LENGTHS[scheme.level - 1]
    if not data.unit.code.startswith(scheme.owner_id) or len(data.unit.code) != length:
        errors["unit"] = _("该单位不在本方案的考核范围内。")
    if evidence is None:
        errors["evidence"] = _("请上传佐证材料。")
    if errors:
        raise ValidationError(errors)
    assert evidence is not None
    checked = files.check_upload(evidence)  # by its content, like every upload
    record = Adjustment(
        scheme=scheme, unit=data.unit, points=data.points, reason=data.reason.strip()
    )
    return store_upload(user=user, record=record, upload=checked, unit_code=scheme.owner_id)


# --- Scoring runs ----------------------------------------------------------------------------


def score_request(*, user: User, scheme: Scheme, background: bool = True) -> Run:
    """Queue a scoring of the scheme and return its run at once; a background task computes it
    (or this call, without `background`: the demo data, which no worker may be running for).

    The latest unpublished version is computed again; after a publication, scoring makes the
    next version, and the published ones stay as they were.
    """
    _refuse(user, scheme.owner_id)
    with transaction.atomic():
        Scheme.objects.select_for_update().filter(pk=scheme.pk).first()
        latest = scheme.runs.order_by("-version").first()
        if latest is not None:
            check_stale(latest)
        if latest is not None and latest.state in (RunState.QUEUED, RunState.RUNNING):
            raise ValidationError(_("该方案正在计算中，请稍后再试。"))
        if latest is not None and not latest.published:
            run = latest
            UnitResult.objects.filter(run=run).delete()
            run.state, run.done, run.total, run.error = RunState.QUEUED, 0, 0, ""
            run.created_by = creator(user)
            run.computed_at = None
            run.moved_at = clock.now()
            run.save()
        else:
            top = scheme.runs.aggregate(top=Max("version"))["top"] or 0
            run = Run.objects.create(
                scheme=scheme, version=top + 1, created_by=creator(user), moved_at=clock.now()
            )
        audit_record(
            actor=user, obj=run, unit_code=scheme.owner_id, action=Action.UPDATE,
            title=_("计算考核结果：%(s)s 第 %(v)d 版") % {"s": scheme.name, "v": run.version},
        )  # fmt: skip
    # Queued once the run's row is there for the worker (an immediate backend runs it now).
    if background:
        run_scoring.enqueue(run.pk)
    else:
        run_scoring.call(run.pk)
    run.refresh_from_db()
    return run


@task()
def run_scoring(run_id: int) -> None:
    """Compute a queued run and store its lines; a failure is recorded on the run."""
    run = Run.objects.select_related("scheme", "scheme__owner").filter(pk=run_id).first()
    if run is None or run.state != RunState.QUEUED:
        return
    Run.objects.filter(pk=run.pk).update(state=RunState.RUNNING, moved_at=clock.now())
    try:
        compute_and_store(run)
    except Exception:
        logger.exception("assessment run %s failed", run.pk)
        Run.objects.filter(pk=run.pk).update(
            state=RunState.FAILED, error=_("计算失败，请稍后重试或联系管理员。")
        )


def check_stale(run: Run) -> None:
    """A queued or running run that stopped moving lost its worker (or none was running):
    record it as failed, so that its page says so and the scheme can be scored again. Its
    results are written in one transaction, so a dead run left none behind."""
    if run.state not in (RunState.QUEUED, RunState.RUNNING):
        return
    if clock.now() - (run.moved_at or run.created_at) <= STALE_AFTER:
        return
    run.state = RunState.FAILED
    run.error = _("后台计算中断或没有开始（后台任务进程可能没有运行），请重新计算。")
    Run.objects.filter(pk=run.pk).update(state=run.state, error=run.error)


def compute_and_store(run: Run) -> None:
    """Score the run's scheme and store every unit's result and lines in one transaction."""

    def step(done: int, total: int) -> None:
        # The progress, one step per source of records, written outside the saving
        # transaction so that the status page (another connection) sees it.
        Run.objects.filter(pk=run.pk).update(done=done, total=total + 1, moved_at=clock.now())

    scores = scoring.compute(run.scheme, step)
    with transaction.atomic():
        UnitResult.objects.filter(run=run).delete()
        UnitResult.objects.bulk_create(
            UnitResult(
                run=run,
                unit=s.unit,
                total=s.total,
                rank=s.rank,
                grade=s.grade,
                reward_amount=s.reward_amount,
                reward_title=s.reward_title,
                lines=[line.stored() for line in s.lines],
            )
            for s in scores
        )
        run.state = RunState.DONE
        run.done = run.total = max(run.total, 1)
        run.computed_at = clock.now()
        run.save(update_fields=["state", "done", "total", "computed_at"])


def run_publish(*, user: User, run: Run) -> Run:
    """Publish a computed version: its stored lines are from now on the result, frozen."""
    _refuse(user, run.scheme.owner_id)
    if run.state != RunState.DONE:
        raise ValidationError(_("结果尚未计算完成，不能发布。"))
    if run.published:
        raise ValidationError(_("该版本已经发布。"))
    before = snapshot(run)
    run.published_at = clock.now()
    run.published_by = creator(user)
    with transaction.atomic():
        run.save(update_fields=["published_at", "published_by"])
        audit_record(
            actor=user, obj=run, unit_code=run.scheme.owner_id, action=Action.APPROVE,
            before=before, after=snapshot(run),
            title=_("发布考核结果：%(s)s 第 %(v)d 版") % {"s": run.scheme.name, "v": run.version},
        )  # fmt: skip
    return run
