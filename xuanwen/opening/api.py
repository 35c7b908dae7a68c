"""Opening logs and compliance in the JSON API.

Reads go through the scoped selectors and writes through the services, as on the pages: a log,
facility or unit outside the caller's subtree is a 404, a write the role does not allow a 403,
and a broken rule a 400 whose `errors` name the field in Chinese.
"""

from collections.abc import Mapping
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from xuanwen.accounts.models import User
from xuanwen.accounts.permissions import can_write, request_user
from xuanwen.core import clock, tree
from xuanwen.facilities.api import PerFacilityOut
from xuanwen.indicators.periods import Period, parse_period, year_period
from xuanwen.records.api import RecordApi, Values, data_as, values_of
from xuanwen.records.schemas import Id, Int, ScopeFilter
from xuanwen.units.models import Unit
from xuanwen.units.selectors import get_unit_for_user

from . import compliance, selectors, services
from .filters import log_filters
from .models import OpeningLog

router = Router(tags=["opening 开放登记"])


class LogIn(Schema):
    """One opening session as the client writes it (create, PUT; PATCH sends any subset).

    A facility may open several times a day: each session is a log, and a day's hours are
    the sum of its sessions. Sessions of one facility and day must not overlap (a 400 on
    `start` names the other session). Without `start` and `end` the log is a whole-day
    entry giving only `hours`, which stands alone on its day."""

    facility: Id = Field(..., description="阵地编号")
    date: date
    start: time | None = Field(None, description="开始时间，如 08:30（与 end 同填或同不填）")
    end: time | None = Field(None, description="结束时间，如 11:30，晚于开始时间")
    hours: Decimal | None = Field(
        None,
        description="开放时长（小时），如 3.5；有起止时间时可不填，按时间计算（填则须一致）",
    )
    visitors: Int = 0
    note: str = ""


class LogOut(PerFacilityOut):
    id: int
    facility: int
    facility_name: str
    unit: str
    unit_name: str
    date: date
    start: time | None
    end: time | None
    hours: Decimal
    visitors: int
    note: str
    created_at: datetime
    updated_at: datetime


class ListFilter(ScopeFilter):
    facility: Id | None = Field(None, description="阵地编号")
    start: date | None = Field(None, description="从该日期起")
    end: date | None = Field(None, description="到该日期止")


def _data(user: User, values: Values, current: OpeningLog | None) -> services.OpeningData:
    facility = selectors.get_facility_for_user(user, values["facility"])  # outside: 404
    if not can_write(user, facility.unit_id):
        raise PermissionDenied(_("您不能为该阵地登记开放。"))
    return data_as(services.OpeningData, values, facility=facility)


def _values(log: OpeningLog, change: Mapping[str, Any]) -> Values:
    values = values_of(log, LogIn)
    if log.start is not None and "hours" not in change:
        values["hours"] = None  # a timed session's hours follow its (perhaps changed) times
    return values


def _search(user: User, f: ListFilter) -> QuerySet[OpeningLog]:
    if f.facility:
        selectors.get_facility_for_user(user, f.facility)  # outside the scope: 404
    return log_filters(user, f.dict()).qs


def _record(*, user: User, data: services.OpeningData) -> OpeningLog:
    return services.opening_record(user=user, data=data)


logs: RecordApi[OpeningLog, services.OpeningData] = RecordApi(
    router, __name__, "logs/{int:log_id}/", selectors.get_log_for_user,
    arg="log", data=_data, values=_values,
)  # fmt: skip
logs.list(
    "logs/", LogOut, ListFilter, _search, name="log_list", summary="开放登记列表（本单位及下级）"
)
logs.detail(LogOut, name="log_detail", summary="开放登记详情")
logs.create(
    LogIn,
    LogOut,
    _record,
    name="log_create",
    summary="登记一场开放（同一阵地同一天可有多场，各场不能重叠；重复的一场被拒绝）",
)
logs.update(LogIn, LogOut, services.opening_update, name="log", summary="修改一场开放登记")
logs.delete(
    services.opening_delete, name="log_delete", summary="删除一场开放登记（可在操作记录中恢复）"
)


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
            for child in Unit.objects.children_of(the_unit.code)
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
