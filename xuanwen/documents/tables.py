"""The year's statistics tables (统计报表) of a unit, as one .xlsx: a sheet per domain of the
summary (activities, facilities, opening, bookhouses, teams and training, designations,
duties), a row per child unit, the unit's own records, the totals.

Every figure is the indicator's (indicators.selectors.table_by_child: the same value the
indicator page, its by-child table and the API give, with each indicator's time rule), and
each sheet is a report (core.reports: title row, names, totals). The activities' sheet also
counts each activity type the unit sees. Queries: the children and one GROUP BY per source,
so the same for a county of 2 townships or of 40.
"""

from django.utils.translation import gettext as _

from xuanwen.activities.models import ActivityType
from xuanwen.core.reports import ReportBook
from xuanwen.core.scope import Scope
from xuanwen.indicators.periods import Period
from xuanwen.indicators.registry import Indicator, get_indicators
from xuanwen.indicators.selectors import table_by_child
from xuanwen.units.models import Unit

from .facts import DOMAINS, TYPE_PREFIX

NAME_WIDTH, VALUE_WIDTH = 20, 14


def _type_codes(unit: Unit) -> list[str]:
    kinds = ActivityType.objects.filter(Scope.unit(unit.code).sees_owned(), active=True)
    pks = kinds.order_by("ordering", "name").values_list("pk", flat=True)
    return [f"{TYPE_PREFIX}{pk}" for pk in pks]


def _header(ind: Indicator) -> tuple[str, int]:
    return f"{ind.name}（{ind.measure}）" if ind.measure else str(ind.name), VALUE_WIDTH


def statistics_book(unit: Unit, period: Period) -> ReportBook:
    """The statistics of the unit's subtree in the period, a sheet per domain."""
    types = _type_codes(unit)
    codes = [c for spec in DOMAINS for c in spec.codes]
    by_code = get_indicators([*codes, *types])
    first: ReportBook | None = None
    for spec in DOMAINS:
        wanted = [*spec.codes, *(types if spec.key == "activities" else ())]
        picked = [by_code[c] for c in wanted if c in by_code]
        if not picked:
            continue
        title = _("%(d)s统计表") % {"d": spec.title}
        columns = [(_("下级单位"), NAME_WIDTH), *(_header(i) for i in picked)]
        if first is None:
            sheet = first = ReportBook(
                title=title, unit=unit.name, period=period.label, columns=columns,
                sheet_title=spec.title,
            )  # fmt: skip
        else:
            sheet = first.add_sheet(title=title, columns=columns, sheet_title=spec.title)
        table = table_by_child(picked, unit.code, period)
        for row in table.rows:
            sheet.row([row.unit.name, *(row.values[i.code] for i in picked)])
        if any(table.own[i.code] for i in picked):
            sheet.row([_("本级"), *(table.own[i.code] for i in picked)])
        sheet.total([_("合计"), *(table.total[i.code] for i in picked)])
    if first is None:  # no indicator registered: an empty report still says what it is
        first = ReportBook(title=_("统计报表"), unit=unit.name, period=period.label, columns=[])
    return first
