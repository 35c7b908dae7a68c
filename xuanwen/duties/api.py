"""Duties in the JSON API: duties and completions (list, detail, create, update, delete) and
compliance per duty and per subtree.

Reads go through the scoped selectors and writes through the services, as on the pages: a
record or unit outside the caller's subtree is a 404, a write the role does not allow a 403,
a broken rule a 400 naming the field in Chinese. Evidence photos and files travel inside the
JSON as base64 (`evidence`), checked by content exactly like an upload on the page.
"""

import base64
import binascii
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from xuanwen.accounts.models import User
from xuanwen.accounts.permissions import can_write, request_user
from xuanwen.core import clock, files
from xuanwen.indicators.periods import parse_period, year_period
from xuanwen.records.api import RecordApi, Values, data_as, values_of, writable_unit
from xuanwen.records.schemas import Id, RecordOut, ScopeFilter, SmallInt
from xuanwen.units.selectors import get_unit_for_user

from . import compliance, cycles, selectors, services
from .filters import completion_filters, duty_filters
from .models import Duty, DutyCompletion

router = Router(tags=["duties 常规工作"])


class DutyIn(Schema):
    """A duty as the client writes it (create, PUT; PATCH sends any subset)."""

    unit: str = Field(..., description="单位的区划代码（本单位或下级）")
    name: str
    cycle: str = Field(
        ...,
        description="weekly 每周 / half_monthly 每半月 / monthly 每月 / quarterly 每季度 / "
        "yearly 每年 / month_day 每月固定日",
    )
    due_day: SmallInt | None = Field(None, description="每月固定日的日（1–31），其余周期不填")
    start_date: date
    description: str = ""
    needs_photo: bool = False
    needs_note: bool = False
    needs_file: bool = False
    needs_inspections: bool = False
    role: str = Field("", description="责任角色：staff、village_admin …（该单位中该角色的人）")
    assignees: list[Id] = Field([], description="责任人的用户编号")
    active: bool = True


class DutyOut(RecordOut):
    name: str
    cycle: str
    cycle_name: str
    due_day: int | None
    start_date: date
    description: str
    needs_photo: bool
    needs_note: bool
    needs_file: bool
    needs_inspections: bool
    role: str
    assignees: list[int]
    active: bool
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_cycle_name(obj: Duty) -> str:
        return obj.cycle_label

    @staticmethod
    def resolve_assignees(obj: Duty) -> list[int]:
        return [u.pk for u in obj.assignees.all()]


class BusinessIn(Schema):
    name: str
    kind: str = Field(..., description="internet_cafe 网吧 / karaoke 歌舞娱乐 / bookshop 书店 …")
    findings: str = ""
    rectification_required: bool = False
    rectified: bool = False
    rectified_on: date | None = None


class BusinessOut(BusinessIn):
    id: int
    kind_name: str = Field(alias="get_kind_display")


class EvidenceIn(Schema):
    name: str = Field(..., description="原文件名，如 黑板报.jpg")
    content: str = Field(..., description="文件内容的 base64")


class EvidenceOut(Schema):
    id: int
    kind: str
    original_name: str
    content_type: str
    size: int


class CompletionIn(Schema):
    duty: Id = Field(..., description="常规工作编号")
    done_on: date
    note: str = ""
    period_start: date | None = Field(None, description="补记以前某期时填该期第一天")
    businesses: list[BusinessIn] = []
    evidence: list[EvidenceIn] = []


class CompletionPatch(Schema):
    done_on: date
    note: str = ""
    period_start: date | None = None


class CompletionOut(Schema):
    id: int
    duty: int = Field(alias="duty_id")
    duty_name: str = Field(alias="duty.name")
    unit: str = Field(alias="duty.unit_id")
    done_on: date
    period_start: date
    period_name: str
    note: str
    done_by: int | None = Field(alias="done_by_id")
    businesses: list[BusinessOut]
    evidence: list[EvidenceOut]
    created_at: datetime

    @staticmethod
    def resolve_period_name(obj: DutyCompletion) -> str:
        return cycles.period_of(obj.duty.cycle, obj.duty.due_day, obj.period_start).label


class DutyPeriodOut(Schema):
    start: date
    end: date
    due: date
    label: str
    status: str
    status_name: str
    done_on: list[date]


class TallyOut(Schema):
    on_time: int
    late: int
    overdue: int
    pending: int
    due: int
    rate: float | None


class DutyComplianceOut(Schema):
    duty: int
    name: str
    unit: str
    tally: TallyOut
    periods: list[DutyPeriodOut]


class ChildOut(Schema):
    unit: str
    unit_name: str
    tally: TallyOut


class OverdueOut(Schema):
    duty: int
    name: str
    unit: str
    period: str
    due: date


class ComplianceOut(Schema):
    unit: str
    period: str
    total: TallyOut
    own: TallyOut
    by_child: list[ChildOut]
    overdue: list[OverdueOut]


def _tally(t: compliance.Tally) -> dict[str, Any]:
    return {**t.parts(), "rate": t.rate}


def _periods(d: compliance.DutyCompliance) -> list[dict[str, Any]]:
    return [
        {
            "start": p.period.start,
            "end": p.period.end,
            "due": p.period.due,
            "label": p.period.label,
            "status": p.status.value,
            "status_name": p.status.label,
            "done_on": p.done_on,
        }
        for p in d.periods
    ]


def _duty_data(user: User, values: Values, current: Duty | None) -> services.DutyData:
    unit = writable_unit(user, values["unit"], _("您不能为该单位管理常规工作。"))
    ids = values.get("assignees") or []
    # Only people of the caller's subtree: another unit's user is "not found", never named.
    people = list(User.objects.filter(user.scope.q("unit_id"), pk__in=ids))
    if len(people) != len(set(ids)):
        raise ValidationError({"assignees": _("有的责任人不存在或不在您的管辖范围内。")})
    return data_as(services.DutyData, values, unit=unit, assignees=people)


def _values(duty: Duty, change: Mapping[str, Any]) -> Values:
    return values_of(duty, DutyIn, assignees=[u.pk for u in duty.assignees.all()])


class DutyFilter(ScopeFilter):
    cycle: str | None = Field(None, description="周期")
    q: str | None = Field(None, description="名称包含")


def _duty_search(user: User, f: DutyFilter) -> QuerySet[Duty]:
    # The API lists inactive duties too unless asked otherwise; the page ticks nothing.
    data = {"inactive": True, **f.model_dump(exclude_none=True)}
    return duty_filters(user, data).qs.prefetch_related("assignees")


def _decoded(items: list[Values]) -> list[files.CheckedUpload]:
    out = []
    for i, item in enumerate(items, start=1):
        try:
            raw = base64.b64decode(item["content"], validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ValidationError(
                {"evidence": _("第 %(n)d 个材料不是有效的 base64。") % {"n": i}}
            ) from exc
        out.append(files.check_upload(SimpleUploadedFile(item["name"], raw)))
    return out


def _duty_to_write(user: User, pk: int) -> Duty:
    duty = selectors.get_duty_for_user(user, pk)  # outside the scope: 404
    if not can_write(user, duty.unit_id):
        raise PermissionDenied(_("您不能为该单位登记常规工作的完成情况。"))
    return duty


def _completion_data(
    user: User, values: Values, current: DutyCompletion | None
) -> services.CompletionData:
    duty = _duty_to_write(user, values["duty"])
    businesses = [services.BusinessData(**b) for b in values["businesses"]]
    return data_as(services.CompletionData, values, duty=duty, businesses=businesses)


def _evidence(user: User, values: Values) -> Values:
    # The right to write is asked before the files are read, so a reader gets a 403 whatever
    # they hold.
    _duty_to_write(user, values["duty"])
    return {"uploads": _decoded(values["evidence"])}


duties: RecordApi[Duty, services.DutyData] = RecordApi(
    router, __name__, "{int:duty_id}/", selectors.get_duty_for_user,
    arg="duty", data=_duty_data, values=_values, nullable={"due_day"},
)  # fmt: skip
completions: RecordApi[DutyCompletion, services.CompletionData] = RecordApi(
    router, __name__, "completions/{int:completion_id}/", selectors.get_completion_for_user,
    arg="completion", data=_completion_data, nullable={"period_start"},
    values=lambda c, change: {"done_on": c.done_on, "note": c.note, "period_start": None},
)  # fmt: skip
duties.list(
    "", DutyOut, DutyFilter, _duty_search, name="duty_list", summary="常规工作列表（本单位及下级）"
)


@router.get("compliance/", response=ComplianceOut, summary="一个单位及其下级的常规工作完成情况")
def subtree_compliance(request: HttpRequest, unit: str, period: str = "") -> dict[str, Any]:
    user = request_user(request)
    target = get_unit_for_user(user, unit)
    try:
        p = parse_period(period) if period else year_period(clock.today().year)
    except ValueError as exc:
        raise ValidationError({"period": str(exc)}) from exc
    result = compliance.compliance(target.code, p.start, p.end)
    return {
        "unit": target.code,
        "period": p.key,
        "total": _tally(result.total),
        "own": _tally(result.own),
        "by_child": [
            {"unit": c.unit.code, "unit_name": c.unit.name, "tally": _tally(c.tally)}
            for c in result.by_child
        ],
        "overdue": [
            {
                "duty": o.duty.pk,
                "name": o.duty.name,
                "unit": o.duty.unit_id,
                "period": o.period.label,
                "due": o.period.due,
            }
            for o in result.overdue
        ],
    }


# Completions come before "{duty_id}/" so that their fixed path is matched first.
class CompletionFilter(Schema):
    unit: str | None = Field(None, description="只看该单位及其下级")
    duty: Id | None = Field(None, description="常规工作编号")
    start: date | None = Field(None, description="完成日期不早于")
    end: date | None = Field(None, description="完成日期不晚于")


def _completion_search(user: User, f: CompletionFilter) -> QuerySet[DutyCompletion]:
    if f.duty:
        selectors.get_duty_for_user(user, f.duty)  # outside the scope: 404
    data = f.model_dump(exclude_none=True)
    return completion_filters(user, data).qs.prefetch_related("businesses", "evidence")


completions.list(
    "completions/", CompletionOut, CompletionFilter, _completion_search,
    name="completion_list", summary="完成记录列表",
)  # fmt: skip
completions.detail(CompletionOut, name="completion_detail", summary="完成记录详情")


completions.create(
    CompletionIn, CompletionOut, services.completion_create, parts=_evidence,
    name="completion_create", summary="登记完成（含佐证材料）",
)  # fmt: skip
completions.patch(
    CompletionPatch, CompletionOut, services.completion_update,
    fields=lambda user, values, completion: values,  # completion_update takes them as they are
    name="completion_patch", summary="修改完成日期或记录",
)  # fmt: skip


completions.delete(
    services.completion_delete, name="completion_delete", summary="删除完成记录（可恢复）"
)
duties.detail(DutyOut, name="duty_detail", summary="常规工作详情")


@router.get(
    "{int:duty_id}/compliance/", response=DutyComplianceOut, summary="一项常规工作逐期完成情况"
)
def duty_compliance(request: HttpRequest, duty_id: int, period: str = "") -> dict[str, Any]:
    user = request_user(request)
    duty = selectors.get_duty_for_user(user, duty_id)
    try:
        p = parse_period(period) if period else year_period(clock.today().year)
    except ValueError as exc:
        raise ValidationError({"period": str(exc)}) from exc
    judged = compliance.judge_all(Duty.objects.filter(pk=duty.pk), p.start, p.end)[0]
    return {
        "duty": duty.pk,
        "name": duty.name,
        "unit": duty.unit_id,
        "tally": _tally(judged.tally),
        "periods": _periods(judged),
    }


duties.create(DutyIn, DutyOut, services.duty_create, name="duty_create", summary="新增常规工作")
duties.update(DutyIn, DutyOut, services.duty_update, name="duty", summary="修改常规工作")
duties.delete(services.duty_delete, name="duty_delete", summary="删除常规工作（可恢复）")
