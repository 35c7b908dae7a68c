"""Opening logs and compliance in the JSON API.

Reads go through the scoped selectors and writes through the services, as on the pages: a log,
facility or unit outside the caller's subtree is a 404, a write the role does not allow a 403,
and a broken rule a 400 whose `errors` name the field in Chinese.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, PatchDict, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from xuanwen.accounts.models import User
from xuanwen.accounts.permissions import can_write, request_user
from xuanwen.core import clock, tree
from xuanwen.indicators.periods import Period, parse_period, year_period
from xuanwen.units.models import Unit
from xuanwen.units.selectors import get_unit_for_user

from . import compliance, selectors, services
from .models import OpeningLog

router = Router(tags=["opening 开放登记"])


class LogIn(Schema):
    """A day's opening as the client writes it (create, PUT; PATCH sends any subset)."""

    facility: int = Field(..., description="阵地编号")
    date: date
    hours: Decimal = Field(..., description="开放时长（小时），如 3.5")
    visitors: int = 0
    note: str = ""


class LogOut(Schema):
    id: int
    facility: int
    facility_name: str
    unit: str
    unit_name: str
    date: date
    hours: Decimal
    visitors: int
    note: str
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_facility(obj: OpeningLog) -> int:
        return obj.facility_id

    @staticmethod
    def resolve_facility_name(obj: OpeningLog) -> str:
        return obj.facility.name

    @staticmethod
    def resolve_unit(obj: OpeningLog) -> str:
        return obj.facility.unit_id

    @staticmethod
    def resolve_unit_name(obj: OpeningLog) -> str:
        return obj.facility.unit.name


class ListFilter(Schema):
    unit: str | None = Field(None, description="只看该单位及其下级（区划代码）")
    facility: int | None = Field(None, description="阵地编号")
    start: date | None = Field(None, description="从该日期起")
    end: date | None = Field(None, description="到该日期止")


def _data(user: User, values: dict[str, Any]) -> services.OpeningData:
    facility = selectors.get_facility_for_user(user, values["facility"])  # outside: 404
    if not can_write(user, facility.unit_id):
        raise PermissionDenied(_("您不能为该阵地登记开放。"))
    return services.OpeningData(
        facility=facility,
        date=values["date"],
        hours=values["hours"],
        visitors=values.get("visitors") or 0,
        note=values.get("note") or "",
    )


@router.get("logs/", response=list[LogOut], summary="开放登记列表（本单位及下级）")
@paginate(PageNumberPagination)
def log_list(request: HttpRequest, filters: Query[ListFilter]) -> Any:
    user = request_user(request)
    if filters.unit:
        get_unit_for_user(user, filters.unit)  # a unit outside the scope is a 404
    if filters.facility:
        selectors.get_facility_for_user(user, filters.facility)
    return selectors.log_search(
        user,
        selectors.LogFilter(
            unit=filters.unit or "",
            facility_id=filters.facility,
            start=filters.start,
            end=filters.end,
        ),
    )


@router.get("logs/{int:log_id}/", response=LogOut, summary="开放登记详情")
def log_detail(request: HttpRequest, log_id: int) -> OpeningLog:
    return selectors.get_log_for_user(request_user(request), log_id)


@router.post("logs/", response={201: LogOut}, summary="登记一天的开放（该天已有登记则更新）")
def log_create(request: HttpRequest, payload: LogIn) -> OpeningLog:
    user = request_user(request)
    log, _created = services.opening_record(user=user, data=_data(user, payload.model_dump()))
    return selectors.get_log_for_user(user, log.pk)


@router.put("logs/{int:log_id}/", response=LogOut, summary="修改开放登记（全部字段）")
def log_replace(request: HttpRequest, log_id: int, payload: LogIn) -> OpeningLog:
    user = request_user(request)
    log = selectors.get_log_for_user(user, log_id)
    services.opening_update(user=user, log=log, data=_data(user, payload.model_dump()))
    return selectors.get_log_for_user(user, log_id)


@router.patch("logs/{int:log_id}/", response=LogOut, summary="修改开放登记（部分字段）")
def log_patch(request: HttpRequest, log_id: int, payload: PatchDict[LogIn]) -> OpeningLog:
    user = request_user(request)
    log = selectors.get_log_for_user(user, log_id)
    nulls = [k for k, v in payload.items() if v is None]
    if nulls:
        raise ValidationError({k: _("不能为空。") for k in nulls})
    values = {
        "facility": log.facility_id,
        "date": log.date,
        "hours": log.hours,
        "visitors": log.visitors,
        "note": log.note,
    }
    values.update(payload)
    services.opening_update(user=user, log=log, data=_data(user, values))
    return selectors.get_log_for_user(user, log_id)


@router.delete(
    "logs/{int:log_id}/", response={204: None}, summary="删除开放登记（可在操作记录中恢复）"
)
def log_delete(request: HttpRequest, log_id: int) -> None:
    user = request_user(request)
    log = selectors.get_log_for_user(user, log_id)
    services.opening_delete(user=user, log=log)


# --- Compliance ----------------------------------------------------------------------------


class WeekOut(Schema):
    monday: date
    sunday: date
    status: str = Field(
        ...,
        description="ok 达标 / fail 未达标 / missing 日历缺失 / running 未结束 / before 未启用",
    )
    required: int
    qualifying: int
    open_days: int
    workdays: int | None
    reasons: list[str]


class FacilityComplianceOut(Schema):
    facility: int
    name: str
    unit: str
    unit_name: str
    kind: str
    judged: int
    compliant: int
    failing: int
    missing: int
    rate: float | None
    weeks: list[WeekOut] | None = None


class BranchOut(Schema):
    unit: str
    name: str
    facilities: int
    judged: int
    compliant: int
    failing: int
    missing: int
    rate: float | None


class UnitComplianceOut(Schema):
    unit: str
    name: str
    period: str
    period_label: str
    total: BranchOut
    children: list[BranchOut] | None = None
    facilities: list[FacilityComplianceOut]


def _period(text: str | None) -> Period:
    if not text:
        return year_period(clock.today().year)
    try:
        return parse_period(text)
    except ValueError as exc:
        raise ValidationError({"period": str(exc)}) from exc


def _facility_out(r: compliance.FacilityCompliance, weeks: bool) -> dict[str, Any]:
    f = r.facility
    out: dict[str, Any] = {
        "facility": f.pk,
        "name": f.name,
        "unit": f.unit_id,
        "unit_name": f.unit.name,
        "kind": f.kind.name,
        "judged": r.judged,
        "compliant": r.compliant,
        "failing": r.failing,
        "missing": r.missing,
        "rate": r.rate,
    }
    if weeks:
        out["weeks"] = [
            {
                "monday": w.monday,
                "sunday": w.sunday,
                "status": str(w.status),
                "required": w.required,
                "qualifying": w.qualifying,
                "open_days": w.open_days,
                "workdays": w.workdays,
                "reasons": w.reasons,
            }
            for w in r.weeks
        ]
    return out


def _branch_out(unit: Unit, row: compliance.BranchRow) -> dict[str, Any]:
    return {
        "unit": unit.code,
        "name": unit.name,
        "facilities": row.facilities,
        "judged": row.judged,
        "compliant": row.compliant,
        "failing": row.failing,
        "missing": row.missing,
        "rate": row.rate,
    }


@router.get(
    "compliance/", response=UnitComplianceOut, summary="单位的开放达标情况（by=child 按下级）"
)
def compliance_unit(
    request: HttpRequest, unit: str | None = None, period: str | None = None, by: str | None = None
) -> dict[str, Any]:
    """`unit` defaults to the caller's unit, `period` to this year (2026, 2026-Q1, 2026-05,
    2026-03-02..2026-03-08); each facility with its counts of weeks, and with `by=child` one
    row per child unit."""
    user = request_user(request)
    the_unit = get_unit_for_user(user, unit or user.unit_id or "")
    the_period = _period(period)
    results = compliance.compliance(the_unit.code, the_period)
    total = compliance.by_branch(results, len(the_unit.code)).get(
        the_unit.code, compliance.BranchRow(the_unit.code)
    )
    out: dict[str, Any] = {
        "unit": the_unit.code,
        "name": the_unit.name,
        "period": the_period.key,
        "period_label": the_period.label,
        "total": _branch_out(the_unit, total),
        "facilities": [_facility_out(r, weeks=False) for r in results],
    }
    child_len = tree.child_length(the_unit.code)
    if by == "child" and child_len is not None:
        branches = compliance.by_branch(results, child_len)
        out["children"] = [
            _branch_out(child, branches.get(child.code, compliance.BranchRow(child.code)))
            for child in Unit.objects.filter(parent_id=the_unit.code).order_by("code")
        ]
    return out


@router.get(
    "compliance/facility/{int:facility_id}/",
    response=FacilityComplianceOut,
    summary="阵地的开放达标情况（逐周，含未达标原因）",
)
def compliance_facility(
    request: HttpRequest, facility_id: int, period: str | None = None
) -> dict[str, Any]:
    user = request_user(request)
    facility = selectors.get_facility_for_user(user, facility_id)
    results = compliance.compliance(facility.unit_id, _period(period), facility_id=facility.pk)
    if not results:
        raise ValidationError(_("该类型的阵地没有开放天数要求，不作判定。"))
    return _facility_out(results[0], weeks=True)
