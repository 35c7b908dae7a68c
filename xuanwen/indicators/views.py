from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from xuanwen.accounts.permissions import request_user
from xuanwen.core import clock
from xuanwen.core.scope import Scope
from xuanwen.units.models import Unit, country
from xuanwen.units.selectors import UnknownUnit, get_unit_or_country_for_user, unit_in_box

from . import selectors
from .periods import (
    Period,
    half_period,
    period_asked,
    period_choices,
    quarter_period,
    year_period,
)
from .registry import Indicator, Number, all_indicators


@dataclass
class Cell:
    """A number on a page and the link to the records behind it."""

    value: Number
    url: str

    @property
    def empty(self) -> bool:
        return not self.value


def period_from(request: HttpRequest) -> tuple[Period, str]:
    """The period asked for (this year by default), and an error message if it was mistyped."""
    return period_asked(request.GET, year_period(clock.today().year))


def unit_from(request: HttpRequest) -> tuple[Unit, UnknownUnit | None]:
    """The unit asked for by code or name (the user's own by default), and what was typed when
    it named no unit of the scope (the page then shows the user's own unit and says why). A code
    outside the scope is a 404, as a guessed id is."""
    user = request_user(request)
    typed = request.GET.get("unit", "").strip()
    if user.scope.is_country and typed == country().name:
        typed = ""  # the box shows the country by its name (全国): asked again, it is the same
    code = typed if typed.isdigit() else unit_in_box(user.scope, typed)
    unknown = code if isinstance(code, UnknownUnit) else None
    code = ("" if unknown else code) or user.unit_id or ""
    if not code and not user.scope.is_country:
        raise Http404(unknown.unknown if unknown else _("请指定单位。"))
    # A national user bound to no unit is answered for the whole country, by province.
    return get_unit_or_country_for_user(user, code), unknown


def exact_query(request: HttpRequest) -> tuple[Unit, Period]:
    """The unit and period asked for, where naming none is a 404 (the table falls back to
    the user's unit and this year and says so; a list of records or a file cannot)."""
    unit, unknown = unit_from(request)
    if unknown:
        raise Http404(unknown.unknown)
    period, period_error = period_from(request)
    if period_error:
        raise Http404(period_error)
    return unit, period


def _quick_periods(period: Period) -> list[Period]:
    year = period.start.year
    return [
        year_period(year - 1),
        year_period(year),
        half_period(year, 1),
        half_period(year, 2),
        *(quarter_period(year, q) for q in range(1, 5)),
    ]


def picked_indicators(request: HttpRequest, indicators: list[Indicator]) -> list[Indicator]:
    """The columns of the table by child: those asked for by `indicator=`, or three."""
    chosen = request.GET.getlist("indicator")
    # A phone shows three columns well; more are one tap away through `indicator=`.
    return [i for i in indicators if i.code in chosen] or [
        i
        for i in indicators
        if i.code in ("activities.count", "activities.participants", "activities.audience")
    ]


def has_default_unit(request: HttpRequest) -> bool:
    """Whether a page asked for no unit has one to show: the user's own, or the country for a
    national user."""
    user = request_user(request)
    return bool(user.unit_id) or user.scope.is_country


@login_required
def indicator_table(request: HttpRequest) -> HttpResponse:
    """All indicators for a unit and period; `?by=child` one row per child unit."""
    if not request.GET.get("unit", "").strip() and not has_default_unit(request):
        # Bound to no unit and none asked for: an empty page that says why, not an error.
        return render(request, "no_unit.html", {"heading": _("指标")})
    unit, unknown = unit_from(request)
    period, period_error = period_from(request)
    # The kinds' indicators of the unit shown: national kinds and its own units' (see
    # records.models); the unit is in the user's scope already.
    indicators = all_indicators(Scope.unit(unit.code))
    by_child = request.GET.get("by") == "child"
    picked = picked_indicators(request, indicators)

    def build() -> str:
        context: dict[str, Any] = {
            "unit": unit,
            "period": period,
            "period_error": period_error,
            "unit_error": unknown.unknown if unknown else "",
            "quick_periods": _quick_periods(period),
            "by_child": by_child,
            "indicators": indicators,
        }
        if by_child:
            context.update(_by_child_context(picked, unit, period))
        else:
            vals = selectors.values(indicators, unit.code, period)
            context["rows"] = [
                (ind, Cell(vals[ind.code], ind.records_url(unit.code, period)))
                for ind in indicators
            ]
        return render_to_string("indicators/_table.html", context, request)

    table_html = mark_safe(build())  # noqa: S308 — rendered by our template
    if request.headers.get("HX-Request"):
        return HttpResponse(table_html)
    context = {
        "unit": unit,
        # The box shows a name, or what named no unit (the table above says so, htmx or not).
        "typed": str(unknown) if unknown else unit.name,
        "period_groups": period_choices(clock.today(), period),
        "period": period,
        "by_child": by_child,
        "picked_codes": [i.code for i in picked],
        "table_html": table_html,
    }
    return render(request, "indicators/table.html", context)


def _by_child_context(picked: list[Indicator], unit: Unit, period: Period) -> dict[str, Any]:
    table = selectors.table_by_child(picked, unit.code, period)
    return {
        "picked": picked,
        "picked_codes": [i.code for i in picked],
        "rows": [
            (
                row.unit,
                [Cell(row.values[i.code], i.records_url(row.unit.code, period)) for i in picked],
            )
            for row in table.rows
        ],
        "own": [Cell(table.own[i.code], "") for i in picked],
        "has_own": any(table.own[i.code] for i in picked),
        "total": [Cell(table.total[i.code], i.records_url(unit.code, period)) for i in picked],
    }


@login_required
def indicator_records(request: HttpRequest) -> HttpResponse:
    """Exactly the records behind one indicator value, for indicators with no list of their own."""
    code = request.GET.get("indicator", "")
    if not code:
        return redirect("indicators:table")
    unit, period = exact_query(request)
    indicator: Indicator = selectors.get_indicator_or_404(code, Scope.unit(unit.code))
    related = indicator.source.select_related
    qs = indicator.records(unit.code, period).select_related(*related)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    # A stock or new record without its start date counts in no period: listed apart, so a
    # clerk sees what to fill in (待补日期). The first 50; the count says if there are more.
    undated = indicator.source.undated(unit.code)
    if undated is not None and indicator.where is not None:
        undated = undated.filter(indicator.where)
    undated_rows = (
        [indicator.source.row(r) for r in undated.select_related(*related)[:50]]
        if undated is not None
        else []
    )
    return render(
        request,
        "indicators/records.html",
        {
            "indicator": indicator,
            "unit": unit,
            "period": period,
            "page": page,
            "rows": [indicator.source.row(r) for r in page],
            "value": selectors.value(indicator, unit.code, period),
            "undated": undated_rows,
            "undated_count": undated.count() if undated_rows and undated is not None else 0,
        },
    )
