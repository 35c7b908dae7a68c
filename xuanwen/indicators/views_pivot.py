"""The pivot page (one indicator by unit × period, drilled with htmx) and its report .xlsx."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from xuanwen.accounts.permissions import request_user
from xuanwen.core import clock
from xuanwen.core.reports import ReportBook
from xuanwen.core.scope import Scope
from xuanwen.units.models import country
from xuanwen.units.selectors import ancestors_for

from . import pivot, selectors
from .periods import period_choices
from .registry import Indicator, all_indicators
from .views import Cell, exact_query, has_default_unit, period_from, unit_from

DEFAULT_INDICATOR = "activities.count"
CODE_MAX = 100  # longer than any indicator code: a longer one names none


def _indicator(request: HttpRequest, scope: Scope) -> Indicator:
    code = request.GET.get("indicator", "").strip()[:CODE_MAX] or DEFAULT_INDICATOR
    return selectors.get_indicator_or_404(code, scope)


def _cells(table: pivot.Pivot, line: pivot.Line) -> list[Cell]:
    return [Cell(value, table.records_url(line.code, k)) for k, value in enumerate(line.values)]


@login_required
@require_GET
def pivot_page(request: HttpRequest) -> HttpResponse:
    """`indicator`, `unit` and `period` as the indicator table reads them; a row's name drills
    into its unit, a column's heading into its period; htmx swaps the table alone."""
    if not request.GET.get("unit", "").strip() and not has_default_unit(request):
        return render(request, "no_unit.html", {"heading": _("透视表")})
    user = request_user(request)
    unit, unknown = unit_from(request)
    period, period_error = period_from(request)
    scope = Scope.unit(unit.code)
    indicator = _indicator(request, scope)
    table = pivot.build(indicator, unit, period)
    crumbs = ancestors_for(user, unit) if unit.code else []
    if user.scope.is_country and unit.code:
        crumbs.insert(0, country())
    context: dict[str, Any] = {
        "table": table,
        "unit": unit,
        "period": period,
        "indicator": indicator,
        "crumbs": crumbs,
        "above": pivot.period_above(period),
        "lines": [(line, _cells(table, line)) for line in table.lines],
        "own": _cells(table, table.own) if table.own else None,
        "total": _cells(table, table.total),
        "unit_error": unknown.unknown if unknown else "",
        "period_error": period_error,
    }
    if request.headers.get("HX-Request"):
        return render(request, "indicators/_pivot.html", context)
    context |= {
        "indicators": all_indicators(scope),
        "typed": str(unknown) if unknown else unit.name,
        "period_groups": period_choices(clock.today(), period),
    }
    return render(request, "indicators/pivot.html", context)


@login_required
@require_GET
def pivot_export(request: HttpRequest) -> HttpResponseBase:
    """The pivot of the same query as a report .xlsx: the title row names the indicator, the
    unit and the period, a row per child unit by name, the unit's own and the totals."""
    if not request.GET.get("unit", "").strip() and not has_default_unit(request):
        return redirect("indicators:pivot")
    unit, period = exact_query(request)
    indicator = _indicator(request, Scope.unit(unit.code))
    table = pivot.build(indicator, unit, period)
    book = ReportBook(
        title=_("%(name)s透视表") % {"name": indicator.name},
        unit=unit.name,
        period=period.label,
        # The last column is the whole period, counted by its own rule (not a sum).
        columns=[(_("下级单位"), 20)]
        + [(f"{c.label}（{indicator.measure}）", 16) for c in table.columns],
        sheet_title=_("透视表"),
    )
    for line in table.lines:
        book.row([line.name, *line.values])
    if table.own is not None:
        book.row([table.own.name, *table.own.values])
    book.total([table.total.name, *table.total.values])
    return book.response(stem=_("透视表"))
