"""The pivot (透视表): one indicator by unit × period, drilled down the tree and the calendar.

Rows are the children of a unit (the country's provinces, a province's cities … a township's
villages), plus the records held at the unit itself and the total; columns are the parts of a
period (a year's quarters, a half's quarters, a quarter's months) and the whole period last.
Each value follows the indicator's own time rule per column, so the whole period is never the
sum of its parts (an activity across two months counts in both, a rate is not additive).

The whole table is `selectors.tables_by_child`: the children, then one GROUP BY per source
with one aggregate per column, however many units and columns.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from xuanwen.units.models import Unit

from . import selectors
from .periods import Period, PeriodKind, month_period, quarter_period, year_period
from .registry import Indicator, Number


def columns_of(period: Period) -> list[Period]:
    """The parts a period drills into: a year's or a half's quarters, a quarter's months; none
    for a month or a date range (the table then has the whole period only)."""
    year = period.start.year
    if period.kind in (PeriodKind.YEAR, PeriodKind.HALF):
        first = (period.start.month - 1) // 3 + 1
        last = (period.end.month - 1) // 3 + 1
        return [quarter_period(year, q) for q in range(first, last + 1)]
    if period.kind == PeriodKind.QUARTER:
        return [month_period(year, m) for m in range(period.start.month, period.end.month + 1)]
    return []


def period_above(period: Period) -> Period | None:
    """The period one drill up: a month's quarter, a quarter's or a half's year; none above a
    year or a date range."""
    year = period.start.year
    if period.kind == PeriodKind.MONTH:
        return quarter_period(year, (period.start.month - 1) // 3 + 1)
    if period.kind in (PeriodKind.QUARTER, PeriodKind.HALF):
        return year_period(year)
    return None


@dataclass
class Line:
    """A row of the pivot: a child unit (or the unit's own records), its value per column and
    then for the whole period."""

    code: str
    name: str
    values: list[Number]
    drills: bool  # whether the row's unit has children to drill into


@dataclass
class Pivot:
    indicator: Indicator
    unit: Unit
    period: Period
    columns: list[Period]  # the parts, then the whole period
    lines: list[Line]
    own: Line | None  # records of the unit itself, when it holds any
    total: Line

    def records_url(self, code: str, column: int) -> str:
        """The records behind one cell (the indicators' own record links)."""
        return self.indicator.records_url(code, self.columns[column])


def build(indicator: Indicator, unit: Unit, period: Period) -> Pivot:
    """The pivot of one indicator under `unit` for `period` (see the module)."""
    columns = [*columns_of(period), period]
    tables = selectors.tables_by_child([indicator], unit.code, columns)
    code = indicator.code
    leaf = len(unit.code) >= 9  # a township's children are villages, which have none
    lines = [
        Line(row.unit.code, row.unit.name, [t.rows[i].values[code] for t in tables], not leaf)
        for i, row in enumerate(tables[0].rows)
    ]
    own_values = [t.own[code] for t in tables]
    own = Line(unit.code, _("本级"), own_values, False) if any(own_values) else None
    total = Line(unit.code, _("合计"), [t.total[code] for t in tables], False)
    return Pivot(indicator, unit, period, columns, lines, own, total)
