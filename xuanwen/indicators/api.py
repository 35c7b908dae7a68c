from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from xuanwen.accounts.permissions import request_user
from xuanwen.core import clock
from xuanwen.units.selectors import get_unit_or_country_for_user

from . import pivot, selectors
from .periods import Period, parse_period
from .registry import all_indicators

router = Router(tags=["indicators 指标"])


class IndicatorOut(Schema):
    code: str
    name: str
    measure: str
    rollup: str
    rule: str = Field(description="时间规则：event 按发生时间、stock 期末存量、new 期内新增")
    rule_label: str
    group: str
    help: str


class PeriodOut(Schema):
    key: str
    label: str
    start: date
    end: date


class UnitValueOut(Schema):
    unit: str
    name: str
    value: int | float | None
    records_url: str


class ValuesOut(Schema):
    indicator: IndicatorOut
    period: PeriodOut
    unit: str
    name: str
    value: int | float | None
    records_url: str
    children: list[UnitValueOut] | None = None


def _indicator_out(ind: Any) -> dict[str, Any]:
    return {
        "code": ind.code,
        "name": str(ind.name),
        "measure": str(ind.measure),
        "rollup": str(ind.rollup),
        "rule": str(ind.rule),
        "rule_label": ind.rule.label,
        "group": str(ind.group),
        "help": str(ind.help),
    }


def _period(text: str | None) -> Period:
    if not text:
        return parse_period(str(clock.today().year))
    try:
        return parse_period(text)
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc


@router.get("", response=list[IndicatorOut], summary="指标列表")
def indicator_list(request: HttpRequest) -> list[dict[str, Any]]:
    # Per-kind indicators of the kinds the caller's scope sees only (see records.models).
    return [_indicator_out(ind) for ind in all_indicators(request_user(request).scope)]


@router.get(
    "{code}/values", response=ValuesOut, summary="指标数值（本单位合计，或 by=child 按下级）"
)
def indicator_values(
    request: HttpRequest,
    code: str,
    unit: str | None = None,
    period: str | None = None,
    by: str | None = None,
) -> dict[str, Any]:
    """`unit` defaults to the caller's unit, `period` to this year ("2026", "2026-H1",
    "2026-Q1", "2026-05", "2026-01-01..2026-03-31"); `by=child` adds one row per child unit,
    those with no records included. A unit outside the caller's scope is 404."""
    user = request_user(request)
    indicator = selectors.get_indicator_or_404(code, user.scope)
    # The country ("" or no unit, for a national user bound to none) answers by province.
    the_unit = get_unit_or_country_for_user(user, unit or user.unit_id or "")
    the_period = _period(period)
    out: dict[str, Any] = {
        "indicator": _indicator_out(indicator),
        "period": the_period,
        "unit": the_unit.code,
        "name": the_unit.name,
        "records_url": indicator.records_url(the_unit.code, the_period),
    }
    if by == "child":
        table = selectors.table_by_child([indicator], the_unit.code, the_period)
        out["value"] = table.total[indicator.code]
        out["children"] = [
            {
                "unit": row.unit.code,
                "name": row.unit.name,
                "value": row.values[indicator.code],
                "records_url": indicator.records_url(row.unit.code, the_period),
            }
            for row in table.rows
        ]
    else:
        out["value"] = selectors.value(indicator, the_unit.code, the_period)
    return out


class PivotLineOut(Schema):
    unit: str = Field(description="单位代码（全国为空）")
    name: str
    values: list[int | float | None] = Field(description="各列的数值，最后一列为整个期间")
    records_urls: list[str]


class PivotOut(Schema):
    indicator: IndicatorOut
    period: PeriodOut
    unit: str
    name: str
    columns: list[PeriodOut] = Field(description="年的各季度、季度的各月……最后为整个期间")
    rows: list[PivotLineOut]
    own: PivotLineOut | None = Field(description="本级（单位自身）的记录，没有则为空")
    total: PivotLineOut


def _line_out(table: pivot.Pivot, line: pivot.Line) -> dict[str, Any]:
    return {
        "unit": line.code,
        "name": line.name,
        "values": line.values,
        "records_urls": [table.records_url(line.code, k) for k in range(len(table.columns))],
    }


@router.get("{code}/pivot", response=PivotOut, summary="透视表：按下级单位 × 期间")
def indicator_pivot(
    request: HttpRequest,
    code: str,
    unit: str | None = Query(None, max_length=12),
    period: str | None = Query(None, max_length=22),
) -> dict[str, Any]:
    """One row per child unit (a national user's: per province), one column per part of the
    period (a year's quarters, a quarter's months) and the whole period last, each counted by
    the indicator's time rule. `unit` and `period` as in values; outside the scope is 404."""
    user = request_user(request)
    indicator = selectors.get_indicator_or_404(code, user.scope)
    the_unit = get_unit_or_country_for_user(user, unit or user.unit_id or "")
    table = pivot.build(indicator, the_unit, _period(period))
    return {
        "indicator": _indicator_out(indicator),
        "period": table.period,
        "unit": the_unit.code,
        "name": the_unit.name,
        "columns": table.columns,
        "rows": [_line_out(table, line) for line in table.lines],
        "own": _line_out(table, table.own) if table.own else None,
        "total": _line_out(table, table.total),
    }
