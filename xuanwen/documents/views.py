"""The summary's pages: a unit and period form with the preview under it (each figure a link
to its records), and the downloads (.docx in the unit's template, appendix .xlsx, next year's
plan draft, the statistics tables).

The unit comes through the indicators' unit box (a unit outside the user's scope is a 404)
and the period through their picker, limited to a year or a half.
"""

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from xuanwen.accounts.permissions import request_user
from xuanwen.core import clock
from xuanwen.indicators.periods import Period, PeriodKind, period_choices
from xuanwen.indicators.views import exact_query, period_from, unit_from
from xuanwen.units.models import Unit

from . import files, generate
from .build_template import TEMPLATE
from .checking import PLACEHOLDERS
from .facts import SummaryFacts
from .tables import statistics_book
from .writing import SummaryText

KINDS = (PeriodKind.YEAR, PeriodKind.HALF)


def _kind_error(period: Period) -> str:
    if period.kind in KINDS:
        return ""
    return _("工作总结按年度或半年生成，请选择“%(y)d年”或其上、下半年。") % {"y": period.start.year}


def _summary(unit: Unit, period: Period) -> tuple[SummaryText, SummaryFacts]:
    return generate.summary(unit, period, clock.today())


def _unbound(request: HttpRequest) -> bool:
    """Bound to no unit and none asked for: the page says why (no_unit.html)."""
    return not request.GET.get("unit", "").strip() and not request_user(request).unit_id


def _asked(request: HttpRequest) -> tuple[Unit, Period]:
    """The unit and period of a file: naming no unit or period that can be read is a 404 (a
    file cannot say why)."""
    unit, period = exact_query(request)
    if error := _kind_error(period):
        raise Http404(error)
    return unit, period


def _download(
    request: HttpRequest, make: Callable[[SummaryText, SummaryFacts], HttpResponseBase]
) -> HttpResponseBase:
    """A file of the summary asked for (see _asked); a user bound to no unit is sent to the
    page that says why."""
    if _unbound(request):
        return redirect("documents:summary")
    return make(*_summary(*_asked(request)))


@login_required
@require_GET
def summary(request: HttpRequest) -> HttpResponse:
    """The form and, for a unit and a year or half, the summary's preview."""
    if _unbound(request):
        return render(request, "no_unit.html", {"heading": _("生成总结")})
    unit, unknown = unit_from(request)
    period, period_error = period_from(request)
    period_error = period_error or _kind_error(period)
    groups = [
        (label, [p for p in periods if p.kind in KINDS])
        for label, periods in period_choices(clock.today(), period)
    ]
    context: dict[str, object] = {
        "unit": unit,
        "typed": str(unknown) if unknown else unit.name,
        "period": period,
        "period_groups": [(label, ps) for label, ps in groups if ps],
        "period_error": period_error,
        "query": f"unit={unit.code}&period={period.key}",
        "placeholders": [(name, str(text)) for name, text in PLACEHOLDERS.items()],
        "year": period.kind == PeriodKind.YEAR,
        "next_year": period.start.year + 1,
        "supervisor": unit.children.exists() if not unknown else False,
    }
    if not period_error and not unknown:
        text, facts = _summary(unit, period)
        context.update(text=text, facts=facts)
    return render(request, "documents/summary.html", context)


@login_required
@require_GET
def summary_template(request: HttpRequest) -> HttpResponseBase:
    """The default template, for a county to see its placeholders and edit it in Word."""
    return FileResponse(
        TEMPLATE.open("rb"),
        as_attachment=True,
        filename=_("工作总结模板.docx"),
        content_type=files.DOCX_MIME,
    )


@login_required
@require_GET
def summary_docx(request: HttpRequest) -> HttpResponseBase:
    if _unbound(request):
        return redirect("documents:summary")
    unit, period = _asked(request)
    title, data = generate.summary_docx(unit, period, clock.today())
    return files.data_response(data, title, "docx", files.DOCX_MIME)


@login_required
@require_GET
def plan_docx(request: HttpRequest) -> HttpResponseBase:
    """Next year's plan drafted from the unit's plan of the year asked for (period=2026
    gives the 2027 draft); a unit without that plan is a 404 saying so."""
    if _unbound(request):
        return redirect("documents:summary")
    unit, period = _asked(request)
    if period.kind != PeriodKind.YEAR:
        raise Http404(_("工作计划草稿按年度生成，请选择年度。"))
    made = generate.draft_docx(unit, period.start.year, clock.today())
    if made is None:
        raise Http404(
            _("%(u)s没有%(y)d年的年度工作计划，无法起草下一年的计划。")
            % {"u": unit.name, "y": period.start.year}
        )
    title, data = made
    return files.data_response(data, _("%(t)s（草稿）") % {"t": title}, "docx", files.DOCX_MIME)


@login_required
@require_GET
def statistics(request: HttpRequest) -> HttpResponseBase:
    """The statistics tables of the unit's subtree, a sheet per domain, a row per child."""
    if _unbound(request):
        return redirect("documents:summary")
    unit, period = _asked(request)
    book = statistics_book(unit, period)
    return book.response(stem=_("%(u)s%(p)s统计报表") % {"u": unit.name, "p": period.label})


@login_required
@require_GET
def summary_appendix(request: HttpRequest) -> HttpResponseBase:
    def make(text: SummaryText, facts: SummaryFacts) -> HttpResponseBase:
        book = files.appendix_book(facts, request.build_absolute_uri("/"))
        return book.response(stem=_("%(t)s数据附表") % {"t": text.title})

    return _download(request, make)
