"""The indicator table as a report .xlsx: by unit (every indicator) or by child (the picked
ones), with the page's unit, period and totals (core.reports)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from xuanwen.core.reports import ReportBook

from . import selectors
from .registry import all_indicators
from .views import exact_query, has_default_unit, picked_indicators


@login_required
@require_GET
def indicator_export(request: HttpRequest) -> HttpResponseBase:
    """What indicator_table shows for the same query, as .xlsx; a unit or period that names
    nothing is a 404 here (the page falls back and says so; a file cannot)."""
    if not request.GET.get("unit", "").strip() and not has_default_unit(request):
        return redirect("indicators:table")  # bound to no unit: the page says why
    unit, period = exact_query(request)
    indicators = all_indicators()
    if request.GET.get("by") == "child":
        picked = picked_indicators(request, indicators)
        table = selectors.table_by_child(picked, unit.code, period)
        book = ReportBook(
            title=_("指标（按下级单位）"),
            unit=unit.name,
            period=period.label,
            columns=[(_("下级单位"), 20)] + [(f"{i.name}（{i.measure}）", 14) for i in picked],
            sheet_title=_("指标"),
        )
        for row in table.rows:
            book.row([row.unit.name, *(row.values[i.code] for i in picked)])
        if any(table.own[i.code] for i in picked):
            book.row([_("本级"), *(table.own[i.code] for i in picked)])
        book.total([_("合计"), *(table.total[i.code] for i in picked)])
    else:
        vals = selectors.values(indicators, unit.code, period)
        book = ReportBook(
            title=_("指标"),
            unit=unit.name,
            period=period.label,
            columns=[(_("分组"), 12), (_("指标"), 24), (_("数值"), 12), (_("计量单位"), 10)],
        )
        for ind in indicators:
            book.row([str(ind.group), str(ind.name), vals[ind.code], str(ind.measure)])
    return book.response(stem=_("指标"))
