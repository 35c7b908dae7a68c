from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from xuanwen.accounts.models import User
from xuanwen.accounts.permissions import request_user
from xuanwen.core import clock
from xuanwen.records.api import RecordApi, Values, data_as, page_filter
from xuanwen.records.schemas import SmallInt, UnitOut
from xuanwen.units.selectors import get_unit_for_user

from . import selectors, services
from .filters import plan_filters
from .models import WorkPlan

router = Router(tags=["plans 工作计划"])


class ItemIn(Schema):
    text: str
    indicator: str = ""
    target_min: Decimal | None = None
    target_max: Decimal | None = None
    deadline: date | None = None
    owner: str = ""


class SectionIn(Schema):
    title: str
    item_style: str = "arabic"
    items: list[ItemIn] = []


class PlanIn(Schema):
    unit: str
    kind: str = "year"
    year: SmallInt
    index: SmallInt = 0
    title: str = ""
    preamble: str = ""
    template: str = ""  # a shipped template's key, e.g. township_station_year
    from_previous: bool = False  # copy the unit's plan for the same period a year earlier


class PlanPatch(Schema):
    title: str | None = None
    preamble: str | None = None
    sections: list[SectionIn] | None = None  # replaces the whole content when given


class PlanReturnIn(Schema):
    note: str = ""


class ItemOut(Schema):
    id: int
    number: str
    text: str
    indicator: str
    indicator_name: str | None
    target_min: Decimal | None
    target_max: Decimal | None
    deadline: date | None
    owner: str
    done_on: date | None
    done_note: str
    evidence: list[int]


class SectionOut(Schema):
    id: int
    number: str
    title: str
    item_style: str
    items: list[ItemOut]


class PlanOut(UnitOut):
    id: int
    unit: str
    kind: str
    year: int
    index: int
    period: str = Field(alias="period.key")
    period_label: str = Field(alias="period.label")
    title: str
    status: str
    revision: int
    replaces: int | None = Field(alias="replaces_id")
    submitted_at: datetime | None
    approved_at: datetime | None
    updated_at: datetime


class PlanDetailOut(PlanOut):
    preamble: str
    sections: list[SectionOut]

    @staticmethod
    def resolve_sections(obj: WorkPlan) -> list[dict[str, Any]]:
        return [
            {
                "id": s.section.pk,
                "number": s.number,
                "title": s.section.title,
                "item_style": s.section.item_style,
                "items": [
                    {
                        "id": r.item.pk,
                        "number": r.number,
                        "text": r.item.text,
                        "indicator": r.item.indicator,
                        "indicator_name": str(r.indicator.name) if r.indicator else None,
                        "target_min": r.item.target_min,
                        "target_max": r.item.target_max,
                        "deadline": r.item.deadline,
                        "owner": r.item.owner,
                        "done_on": r.item.done_on,
                        "done_note": r.item.done_note,
                        "evidence": [a.pk for a in r.evidence],
                    }
                    for r in s.items
                ],
            }
            for s in selectors.plan_content(obj)
        ]


class ProgressOut(Schema):
    item: int
    number: str
    text: str
    indicator: str
    status: str = Field(
        description="not_started 未开始, on_track 进行中（正常）, behind 进行中（落后）, "
        "in_progress 进行中, met / done 已完成, missed 未完成（期间结束后）, "
        "no_target 未设目标, no_indicator 指标不可用"
    )
    status_label: str
    actual: int | float | None
    target_min: Decimal | None
    target_max: Decimal | None
    percent: float | None
    expected: float | None
    records_url: str


class PlanFilter(Schema):
    year: SmallInt | None = None
    status: str | None = None
    unit: str | None = None


def _data(user: User, values: Values, current: WorkPlan | None) -> services.PlanData:
    # The unit is looked up in scope (a 404 outside); the right to write is the service's.
    return data_as(services.PlanData, values, unit=get_unit_for_user(user, values["unit"]))


def _start(user: User, values: Values) -> Values:
    """What a new plan starts from: a shipped template, or last year's plan."""
    return {"template": values["template"], "from_previous": values["from_previous"]}


def _change(user: User, values: Values, plan: WorkPlan) -> Values:
    """plan_update's keywords: a heading left out or null stays; content only when given."""
    sections = values["sections"]
    if sections is not None:
        sections = [services.SectionData.from_dict(s) for s in sections]
    return {
        "title": plan.title if values["title"] is None else values["title"],
        "preamble": plan.preamble if values["preamble"] is None else values["preamble"],
        "sections": sections,
    }


plans: RecordApi[WorkPlan, services.PlanData] = RecordApi(
    router, __name__, "{int:plan_id}/", selectors.get_plan_for_user, arg="plan", data=_data,
    values=lambda plan, change: dict.fromkeys(PlanPatch.model_fields),  # None: as it is
    nullable={"title", "preamble", "sections"},
)  # fmt: skip
plans.list(
    "", PlanOut, PlanFilter, page_filter(plan_filters),
    name="plan_list", summary="计划列表（本单位及下级，各计划的最新版本）",
)  # fmt: skip
plans.create(
    PlanIn, PlanDetailOut, services.plan_create, parts=_start,
    name="plan_create", summary="新建计划（空白、模板或复制上一年）",
)  # fmt: skip
plans.detail(PlanDetailOut, name="plan_detail", summary="计划详情（含各部分和条目）")
plans.patch(
    PlanPatch, PlanDetailOut, services.plan_update, fields=_change,
    name="plan_update", summary="修改草稿（标题、前言，或整体替换内容）",
)  # fmt: skip
plans.delete(services.plan_delete, name="plan_delete", summary="删除草稿（可在审计中恢复）")


@router.post("{int:plan_id}/submit/", response=PlanOut, summary="提交审批")
def plan_submit(request: HttpRequest, plan_id: int) -> WorkPlan:
    user = request_user(request)
    return services.plan_submit(user=user, plan=selectors.get_plan_for_user(user, plan_id))


@router.post("{int:plan_id}/approve/", response=PlanOut, summary="批准（上级单位主管）")
def plan_approve(request: HttpRequest, plan_id: int) -> WorkPlan:
    user = request_user(request)
    return services.plan_approve(user=user, plan=selectors.get_plan_for_user(user, plan_id))


@router.post("{int:plan_id}/return/", response=PlanOut, summary="退回或撤回为草稿")
def plan_return(request: HttpRequest, plan_id: int, payload: PlanReturnIn) -> WorkPlan:
    user = request_user(request)
    plan = selectors.get_plan_for_user(user, plan_id)
    return services.plan_return(user=user, plan=plan, note=payload.note)


@router.post(
    "{int:plan_id}/revise/",
    response={201: PlanDetailOut},
    summary="修订已批准的计划（生成新版本草稿）",
)
def plan_revise(request: HttpRequest, plan_id: int) -> Status[WorkPlan]:
    user = request_user(request)
    new = services.plan_revise(user=user, plan=selectors.get_plan_for_user(user, plan_id))
    return Status(201, new)


@router.get("{int:plan_id}/progress/", response=list[ProgressOut], summary="完成进度")
def plan_progress(
    request: HttpRequest, plan_id: int, as_of: date | None = None
) -> list[dict[str, Any]]:
    plan = selectors.get_plan_for_user(request_user(request), plan_id)
    progress = selectors.plan_progress(plan, as_of or clock.today())
    return [
        {
            "item": p.row.item.pk,
            "number": f"{s.number}{p.row.number}",
            "text": p.row.item.text,
            "indicator": p.row.item.indicator,
            "status": p.status,
            "status_label": p.status_label,
            "actual": p.actual,
            "target_min": p.row.item.target_min,
            "target_max": p.row.item.target_max,
            "percent": p.percent,
            "expected": p.expected,
            "records_url": p.records_url,
        }
        for s, rows in progress.sections
        for p in rows
    ]
