"""Writing work plans. Pages, htmx partials and the API all come through here.

A plan's content changes only while it is a draft. Submitting locks it; approval keeps it
locked for good, and a later change is made on a copy (`plan_revise`), so the approved text
stays as it was approved. Marking an item done is progress, not a change of the plan, and is
allowed on the latest revision whatever its status.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from xuanwen.accounts.models import Role, User
from xuanwen.accounts.permissions import can_approve, can_write
from xuanwen.activities.models import Activity
from xuanwen.audit.models import Action
from xuanwen.audit.services import audit_record, snapshot
from xuanwen.core import clock, tree
from xuanwen.core.imports import Rejected
from xuanwen.core.scope import Scope
from xuanwen.indicators.periods import period_of
from xuanwen.indicators.registry import get_indicator
from xuanwen.records.services import (
    creator,
    delete_part,
    fits_column,
    save_changed,
    save_created,
    save_values,
)
from xuanwen.units.models import Unit

from .models import ItemStyle, PlanItem, PlanKind, PlanSection, PlanStatus, WorkPlan
from .signals import plan_status_changed
from .starters import starter_content, starters


@dataclass
class ItemData:
    """The editable fields of an item (and, when a plan is copied, its completion)."""

    text: str
    indicator: str = ""
    target_min: Decimal | None = None
    target_max: Decimal | None = None
    deadline: date | None = None
    owner: str = ""
    done_on: date | None = None
    done_note: str = ""
    evidence: list[int] = field(default_factory=list)


@dataclass
class SectionData:
    """A part of a plan with its items, in order."""

    title: str
    item_style: str = ItemStyle.ARABIC
    items: list[ItemData] = field(default_factory=list)

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> "SectionData":
        return cls(
            title=raw["title"],
            item_style=raw.get("item_style", ItemStyle.ARABIC),
            items=[ItemData(**i) for i in raw.get("items", [])],
        )


@dataclass
class PlanData:
    """Which unit and period a new plan is for, and its heading."""

    unit: Unit
    kind: str
    year: int
    index: int = 0
    title: str = ""
    preamble: str = ""


# Checks -----------------------------------------------------------------------------------


def can_edit_plan(user: User, plan: WorkPlan) -> bool:
    return plan.editable and can_write(user, plan.unit_id)


def can_approve_plan(user: User, plan: WorkPlan) -> bool:
    """An approver's scope must lie strictly above the plan's unit.

    Nobody in the system stands above a county's own bureau, so a county-level plan is
    approved by that county's supervisor. Nobody approves a plan they submitted themselves.
    """
    if not can_approve(user, plan.unit_id) or plan.submitted_by_id == user.pk:
        return False
    if user.scope.level < tree.level_of(plan.unit_id):
        return True
    return (
        user.scope.root == plan.unit_id
        and user.role == Role.SUPERVISOR
        and tree.level_of(plan.unit_id) <= 3
    )


def _check_write(user: User, plan: WorkPlan) -> None:
    if not can_write(user, plan.unit_id):
        raise PermissionDenied(_("您不能修改该单位的计划。"))


def _check_editable(user: User, plan: WorkPlan) -> None:
    _check_write(user, plan)
    if not plan.editable:
        if plan.status == PlanStatus.SUBMITTED:
            message = _("计划已提交，不能修改；如需修改，请先撤回或由上级退回。")
        else:
            message = _("计划已批准，不能修改；如需修改，请先“修订”生成新版本。")
        raise ValidationError(message, code="locked")


def has_successor(plan: WorkPlan) -> bool:
    """Whether a later live revision replaces this one."""
    return WorkPlan.objects.filter(replaces=plan).exists()


def item_check(data: ItemData, unit_code: str | None = None) -> dict[str, str]:
    """Rule errors by field name, in Chinese; empty when the item is acceptable. Given the
    plan's unit, a kind's indicator must be of a kind that unit sees (no other county's
    activity type: see records.models)."""
    errors: dict[str, str] = {}
    if not data.text.strip():
        errors["text"] = _("内容不能为空。")
    scope = Scope.unit(unit_code) if unit_code else None
    if data.indicator and get_indicator(data.indicator, scope) is None:
        errors["indicator"] = _("没有这个指标：%(code)s") % {"code": data.indicator}
    for name in ("target_min", "target_max"):
        value = getattr(data, name)
        if value is not None and not fits_column(value, PlanItem, name):
            errors[name] = _("目标最多 10 位整数、2 位小数。")
    if data.target_min is not None and data.target_min < 0:
        errors["target_min"] = _("目标不能为负数。")
    if data.target_max is not None and "target_max" not in errors:
        if data.target_min is None:
            errors["target_min"] = _("填写了上限，请同时填写下限。")
        elif data.target_max < data.target_min:
            errors["target_max"] = _("上限不能小于下限。")
    return errors


def _validate_items(sections: list[SectionData]) -> None:
    for s in sections:
        if not s.title.strip():
            raise ValidationError({"title": _("部分标题不能为空。")})
        for i in s.items:
            if errors := item_check(i):
                raise ValidationError(errors)


# Audit ------------------------------------------------------------------------------------


def outline(plan: WorkPlan) -> list[dict[str, Any]]:
    """The plan's content as plain data, kept with its audit entries (two queries)."""
    return [
        {
            "title": s.title,
            "item_style": s.item_style,
            "items": [
                {
                    "text": i.text,
                    "indicator": i.indicator,
                    "target_min": str(i.target_min) if i.target_min is not None else None,
                    "target_max": str(i.target_max) if i.target_max is not None else None,
                    "deadline": i.deadline.isoformat() if i.deadline else None,
                    "owner": i.owner,
                }
                for i in s.items.all()
            ],
        }
        for s in plan.sections.prefetch_related("items")
    ]


def _plan_snapshot(plan: WorkPlan, *, content: bool = False) -> dict[str, Any]:
    data = snapshot(plan)
    if content:
        data["sections"] = outline(plan)
    return data


def _audit(
    user: User,
    action: str,
    obj: Any,
    plan: WorkPlan,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    title = _revision_title(obj) if isinstance(obj, WorkPlan) else None
    audit_record(
        actor=user,
        action=action,
        obj=obj,
        unit_code=plan.unit_id,
        before=before,
        after=after,
        title=title,
    )


def _revision_title(plan: WorkPlan) -> str:
    """A plan as the log names it: its title, and which version past the first."""
    if plan.revision > 1:
        return _("%(title)s（第%(n)d版）") % {"title": plan.title, "n": plan.revision}
    return plan.title


# Plans ------------------------------------------------------------------------------------


def _save_new(user: User, plan: WorkPlan, sections: list[SectionData]) -> WorkPlan:
    """Save a new plan (a first one or a revision) with its sections, audited with its content,
    all or nothing."""
    with transaction.atomic():
        plan.save()
        _write_sections(plan, sections)
        _audit(user, Action.CREATE, plan, plan, after=_plan_snapshot(plan, content=True))
    return plan


def _write_sections(plan: WorkPlan, sections: list[SectionData]) -> None:
    """Add sections and items after the plan's existing ones: three queries, any size."""
    start = plan.sections.count()
    made = PlanSection.objects.bulk_create(
        [
            PlanSection(plan=plan, order=start + n, title=s.title.strip(), item_style=s.item_style)
            for n, s in enumerate(sections)
        ]
    )
    items: list[PlanItem] = []
    evidence: list[list[int]] = []
    for section, data in zip(made, sections, strict=True):
        for n, i in enumerate(data.items):
            items.append(
                PlanItem(
                    section=section,
                    order=n,
                    text=i.text.strip(),
                    indicator=i.indicator,
                    target_min=i.target_min,
                    target_max=i.target_max,
                    deadline=i.deadline,
                    owner=i.owner.strip(),
                    done_on=i.done_on,
                    done_note=i.done_note,
                )
            )
            evidence.append(i.evidence)
    PlanItem.objects.bulk_create(items)
    through = PlanItem.evidence.through
    through.objects.bulk_create(
        [
            through(planitem_id=item.pk, activity_id=a)
            for item, ids in zip(items, evidence, strict=True)
            for a in ids
        ]
    )


def _default_title(data: PlanData) -> str:
    return _("%(unit)s%(period)s工作计划") % {
        "unit": data.unit.name,
        "period": period_of(data.kind, data.year, data.index).label,
    }


def previous_plan(unit_code: str, kind: str, year: int, index: int) -> WorkPlan | None:
    """The latest live revision of the same unit's plan for the same period a year earlier."""
    return (
        WorkPlan.objects.filter(unit_id=unit_code, kind=kind, year=year - 1, index=index)
        .order_by("-revision")
        .first()
    )


def _copied_sections(plan: WorkPlan, *, years: int, keep_progress: bool) -> list[SectionData]:
    def shift(d: date | None) -> date | None:
        if d is None or not years:
            return d
        try:
            return d.replace(year=d.year + years)
        except ValueError:  # 29 February has no twin in the next year
            return d.replace(year=d.year + years, day=28)

    sections = plan.sections.prefetch_related("items__evidence")
    return [
        SectionData(
            title=s.title,
            item_style=s.item_style,
            items=[
                ItemData(
                    text=i.text,
                    indicator=i.indicator,
                    target_min=i.target_min,
                    target_max=i.target_max,
                    deadline=shift(i.deadline),
                    owner=i.owner,
                    done_on=i.done_on if keep_progress else None,
                    done_note=i.done_note if keep_progress else "",
                    evidence=[a.pk for a in i.evidence.all()] if keep_progress else [],
                )
                for i in s.items.all()
            ],
        )
        for s in sections
    ]


EXISTS = _lazy("该单位该期间已有计划，请在原计划上修改或修订。")


def plan_errors(data: PlanData) -> dict[str, str]:
    """The rules of a new plan's unit and period, by field (a year plan's index set to 0)."""
    if data.kind not in PlanKind.values:
        return {"kind": _("计划类型有误。")}
    if data.kind == PlanKind.YEAR:
        data.index = 0
    try:
        period_of(data.kind, data.year, data.index)
    except ValueError as exc:
        return {"index": str(exc)}
    if not 2000 <= data.year <= 2100:
        return {"year": _("年份有误。")}
    if WorkPlan.objects.filter(
        unit=data.unit, kind=data.kind, year=data.year, index=data.index
    ).exists():
        return {"year": str(EXISTS)}
    return {}


def plan_create(
    *, user: User, data: PlanData, template: str = "", from_previous: bool = False
) -> WorkPlan:
    """A new draft plan: blank, from a shipped template, or copied from last year's plan."""
    if not can_write(user, data.unit.code):
        raise PermissionDenied(_("您不能为该单位制定计划。"))
    if errors := plan_errors(data):
        exists = errors.get("year") == str(EXISTS)
        raise ValidationError(errors, code="exists" if exists else None)
    sections: list[SectionData] = []
    title, preamble = data.title.strip(), data.preamble.strip()
    if template:
        starter = starters().get(template)
        if starter is None:
            raise ValidationError({"template": _("没有这个模板。")})
        if starter.kind != data.kind:
            raise ValidationError({"template": _("模板与计划类型不符。")})
        content = starter_content(starter, year=data.year, unit_name=data.unit.name)
        sections = [SectionData.from_dict(s) for s in content["sections"]]
        title, preamble = title or content["title"], preamble or content["preamble"]
    elif from_previous:
        last = previous_plan(data.unit.code, data.kind, data.year, data.index)
        if last is None:
            raise ValidationError({"year": _("没有找到该单位上一年同期的计划。")})
        sections = _copied_sections(last, years=1, keep_progress=False)
        preamble = preamble or last.preamble
    plan = WorkPlan(
        unit=data.unit,
        kind=data.kind,
        year=data.year,
        index=data.index,
        title=title or _default_title(data),
        preamble=preamble,
        created_by=creator(user),
    )
    return _save_new(user, plan, sections)


def plan_update(
    *,
    user: User,
    plan: WorkPlan,
    title: str,
    preamble: str,
    sections: list[SectionData] | None = None,
) -> WorkPlan:
    """Change the heading; with `sections`, replace the whole content (the API's PUT of it)."""
    _check_editable(user, plan)
    if not title.strip():
        raise ValidationError({"title": _("标题不能为空。")})
    if sections is not None:
        _validate_items(sections)
    with transaction.atomic():
        before = _plan_snapshot(plan, content=sections is not None)
        plan.title, plan.preamble = title.strip(), preamble.strip()
        plan.save(update_fields=["title", "preamble", "updated_at"])
        if sections is not None:
            plan.sections.all().delete()
            _write_sections(plan, sections)
        _audit(
            user,
            Action.UPDATE,
            plan,
            plan,
            before=before,
            after=_plan_snapshot(plan, content=sections is not None),
        )
    return plan


def plan_delete(*, user: User, plan: WorkPlan) -> None:
    """Soft delete a draft; submitted and approved plans are records and stay."""
    _check_editable(user, plan)
    with transaction.atomic():
        before = _plan_snapshot(plan, content=True)
        plan.deleted_at = clock.now()
        plan.save(update_fields=["deleted_at"])
        _audit(user, Action.DELETE, plan, plan, before=before)


def _set_status(user: User, plan: WorkPlan, status: str, action: Action, **fields: Any) -> WorkPlan:
    """Move the plan to `status`, logged as `action` (提交, 退回 or 批准)."""
    with transaction.atomic():
        before = snapshot(plan)
        plan.status = status
        for name, value in fields.items():
            setattr(plan, name, value)
        plan.save(update_fields=["status", "updated_at", *fields])
        _audit(user, action, plan, plan, before=before, after=snapshot(plan))
        # Inside the transaction: a notice is stored with the change or not at all.
        plan_status_changed.send(sender=WorkPlan, plan=plan, actor=user, action=action)
    return plan


def plan_submit(*, user: User, plan: WorkPlan) -> WorkPlan:
    _check_editable(user, plan)
    if not plan.sections.filter(items__isnull=False).exists():
        raise ValidationError(_("计划还没有任何条目，不能提交。"))
    return _set_status(
        user,
        plan,
        PlanStatus.SUBMITTED,
        Action.SUBMIT,
        submitted_at=clock.now(),
        submitted_by=user,
        return_note="",
    )


def plan_return(*, user: User, plan: WorkPlan, note: str = "") -> WorkPlan:
    """Back to draft: sent back by an approver (with a reason), or withdrawn by its writer."""
    if plan.status != PlanStatus.SUBMITTED:
        raise ValidationError(_("只有已提交的计划可以退回或撤回。"))
    if not (can_approve_plan(user, plan) or can_write(user, plan.unit_id)):
        raise PermissionDenied(_("您不能退回该计划。"))
    return _set_status(user, plan, PlanStatus.DRAFT, Action.RETURN, return_note=note.strip()[:500])


def plan_approve(*, user: User, plan: WorkPlan) -> WorkPlan:
    if not can_approve_plan(user, plan):
        raise PermissionDenied(_("只有上级单位的主管可以批准该计划。"))
    if plan.status != PlanStatus.SUBMITTED:
        raise ValidationError(_("只有已提交的计划可以批准。"))
    return _set_status(
        user, plan, PlanStatus.APPROVED, Action.APPROVE, approved_at=clock.now(), approved_by=user
    )


def plan_revise(*, user: User, plan: WorkPlan) -> WorkPlan:
    """Copy an approved plan into a new draft revision; the approved one stays as it was."""
    _check_write(user, plan)
    if plan.status != PlanStatus.APPROVED:
        raise ValidationError(_("只有已批准的计划需要修订；草稿可直接修改。"))
    if has_successor(plan):
        raise ValidationError(_("该计划已有更新的版本。"))
    same = WorkPlan.objects.filter(
        unit_id=plan.unit_id, kind=plan.kind, year=plan.year, index=plan.index
    )
    new = WorkPlan(
        unit_id=plan.unit_id,
        kind=plan.kind,
        year=plan.year,
        index=plan.index,
        title=plan.title,
        preamble=plan.preamble,
        revision=(same.aggregate(m=Max("revision"))["m"] or plan.revision) + 1,
        replaces=plan,
        created_by=creator(user),
    )
    return _save_new(user, new, _copied_sections(plan, years=0, keep_progress=True))


# Sections and items -----------------------------------------------------------------------


def section_create(
    *, user: User, plan: WorkPlan, title: str, item_style: str = ItemStyle.ARABIC
) -> PlanSection:
    _check_editable(user, plan)
    if not title.strip():
        raise ValidationError({"title": _("标题不能为空。")})
    with transaction.atomic():
        section = PlanSection(
            plan=plan,
            order=(plan.sections.aggregate(m=Max("order"))["m"] or 0) + 1,
            title=title.strip(),
            item_style=item_style,
        )
        save_created(user=user, record=section, unit_code=plan.unit_id)
    return section


def section_update(*, user: User, section: PlanSection, title: str, item_style: str) -> PlanSection:
    _check_editable(user, section.plan)
    if not title.strip():
        raise ValidationError({"title": _("标题不能为空。")})
    values = {"title": title.strip(), "item_style": item_style}
    return save_values(user=user, record=section, values=values, unit_code=section.plan.unit_id)


def section_delete(*, user: User, section: PlanSection) -> None:
    _check_editable(user, section.plan)
    with transaction.atomic():
        before = snapshot(section)
        before["items"] = [snapshot(i) for i in section.items.all()]
        section.delete()
        _audit(user, Action.DELETE, section, section.plan, before=before)


def _swap(user: User, plan: WorkPlan, siblings: list[Any], obj: Any, up: bool) -> None:
    """Move `obj` one place up or down among its siblings, renumbering them all."""
    pos = next(n for n, s in enumerate(siblings) if s.pk == obj.pk)
    other = pos - 1 if up else pos + 1
    if not 0 <= other < len(siblings):
        return
    siblings[pos], siblings[other] = siblings[other], siblings[pos]
    with transaction.atomic():
        for n, s in enumerate(siblings):
            s.order = n
        type(obj).objects.bulk_update(siblings, ["order"])
        moved = siblings[other]
        _audit(user, Action.UPDATE, moved, plan, after=snapshot(moved))


def section_move(*, user: User, section: PlanSection, up: bool) -> None:
    _check_editable(user, section.plan)
    _swap(user, section.plan, list(section.plan.sections.all()), section, up)


def item_create(*, user: User, section: PlanSection, data: ItemData) -> PlanItem:
    _check_editable(user, section.plan)
    if errors := item_check(data, section.plan.unit_id):
        raise ValidationError(errors)
    with transaction.atomic():
        item = PlanItem(
            section=section, order=(section.items.aggregate(m=Max("order"))["m"] or 0) + 1
        )
        _apply_item(item, data)
        save_created(user=user, record=item, unit_code=section.plan.unit_id)
    return item


def _apply_item(item: PlanItem, data: ItemData) -> None:
    item.text = data.text.strip()
    item.indicator = data.indicator
    item.target_min, item.target_max = data.target_min, data.target_max
    item.deadline = data.deadline
    item.owner = data.owner.strip()


def item_update(*, user: User, item: PlanItem, data: ItemData) -> PlanItem:
    _check_editable(user, item.section.plan)
    if errors := item_check(data, item.section.plan.unit_id):
        raise ValidationError(errors)
    before = snapshot(item)
    _apply_item(item, data)
    return save_changed(user=user, record=item, unit_code=item.section.plan.unit_id, before=before)


def item_delete(*, user: User, item: PlanItem) -> None:
    plan = item.section.plan
    _check_editable(user, plan)
    delete_part(user=user, record=item, unit_code=plan.unit_id)


def item_move(*, user: User, item: PlanItem, up: bool) -> None:
    plan = item.section.plan
    _check_editable(user, plan)
    _swap(user, plan, list(item.section.items.all()), item, up)


def item_mark_done(
    *,
    user: User,
    item: PlanItem,
    done_on: date | None,
    note: str = "",
    activities: list[Activity] | None = None,
) -> PlanItem:
    """Record an item as done (or, with `done_on` None, as not done) with its evidence.

    Evidence is activities of the plan's unit subtree: a link to another unit's work would
    leak it to this plan's readers.
    """
    plan = item.section.plan
    _check_write(user, plan)
    if has_successor(plan):
        raise ValidationError(_("该版本已被新版本取代，请在最新版本上登记完成情况。"))
    activities = activities or []
    outside = [a for a in activities if not tree.in_subtree(a.unit_id, plan.unit_id)]
    if outside:
        raise ValidationError({"evidence": _("佐证活动必须是本计划单位及下级单位的活动。")})
    if done_on is None and (note.strip() or activities):
        raise ValidationError({"done_on": _("请填写完成日期。")})
    with transaction.atomic():
        before = snapshot(item)
        item.done_on, item.done_note = done_on, note.strip()
        item.save(update_fields=["done_on", "done_note"])
        item.evidence.set(activities)
        _audit(user, Action.UPDATE, item, plan, before=before, after=snapshot(item))
    return item


# Import of many plans at once (a data export read back) -------------------------------------


@dataclass
class PlanRow:
    """A plan as a sheet gives it: its unit and period, heading, and its sections with items."""

    data: PlanData
    sections: list[SectionData] = field(default_factory=list)

    @property
    def unit(self) -> Unit:
        return self.data.unit


def plans_import_problems(
    *, user: User, rows: Sequence[PlanRow], row_numbers: Sequence[int] | None = None
) -> dict[int, dict[str, str]]:
    """The rules of plan_create for each row, and a period given twice in the file."""
    problems: dict[int, dict[str, str]] = {}
    seen: dict[tuple[str, str, int, int], int] = {}
    for i, row in enumerate(rows):
        data = row.data
        if not can_write(user, data.unit.code):
            problems[i] = {"unit": _("您不能为该单位制定计划。")}
            continue
        if errors := plan_errors(data):
            problems[i] = errors
            continue
        key = (data.unit.code, data.kind, data.year, data.index)
        if key in seen:
            first = row_numbers[seen[key]] if row_numbers else seen[key] + 1
            problems[i] = {"year": _("与第 %(row)d 行是同一单位同一期间的计划。") % {"row": first}}
        seen.setdefault(key, i)
    return problems


def plans_import(
    *,
    user: User,
    rows: Sequence[PlanRow],
    row_numbers: Sequence[int] | None = None,
    source: str = "",
) -> list[WorkPlan]:
    """Create every plan of the batch as a draft with its sections and items, or none; each
    audited as created (with its content), like one entered on its page."""
    if not rows:
        raise ValidationError(_("没有可导入的计划。"))
    with transaction.atomic():
        problems = plans_import_problems(user=user, rows=rows, row_numbers=row_numbers)
        if problems:
            raise Rejected(problems, row_numbers)
        created = []
        for row in rows:
            data = row.data
            plan = WorkPlan(
                unit=data.unit, kind=data.kind, year=data.year, index=data.index,
                title=data.title.strip() or _default_title(data), preamble=data.preamble.strip(),
                created_by=creator(user),
            )  # fmt: skip
            created.append(_save_new(user, plan, row.sections))
    return created
