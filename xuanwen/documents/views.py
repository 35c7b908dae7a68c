"""The summary's pages: a unit and period form with the preview under it (each figure a link
to its records), and the downloads (.docx in the unit's template, appendix .xlsx, next year's
plan draft, the statistics tables).

The unit comes through the indicators' unit box (a unit outside the user's scope is a 404)
and the period through their picker, limited to a year or a half.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from xuanwen.accounts.permissions import request_user
from xuanwen.assessment.selectors import runs_for
from xuanwen.core import clock
from xuanwen.indicators.periods import Period, PeriodKind, period_choices
from xuanwen.indicators.views import exact_query, period_from, unit_from
from xuanwen.units.models import Unit

from . import files, generate
from .build_template import TEMPLATE
from .checking import PLACEHOLDERS
from .facts import SummaryFacts
from .notice import NoNotice
from .writing import SummaryText

KINDS = (PeriodKind.YEAR, PeriodKind.HALF)
NOTICE_RUNS_MAX = 20  # the latest published runs the page offers a notice of
RUN_DIGITS_MAX = 12  # an id longer than this names no run: not worth a query


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


UnitPeriodView = Callable[[HttpRequest, Unit, Period], HttpResponseBase]


def unit_period(view: UnitPeriodView) -> Callable[[HttpRequest], HttpResponseBase]:
    """A file (or a job) of the unit and period the query names (see _asked); a user bound
    to no unit who names none is sent to the page that says why."""

    @wraps(view)
    def wrapped(request: HttpRequest) -> HttpResponseBase:
        if _unbound(request):
            return redirect("documents:summary")
        return view(request, *_asked(request))

    return wrapped


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
    if context["supervisor"]:
        # The notice is offered for each published assessment run the user sees.
        published = runs_for(request_user(request)).filter(published_at__isnull=False)
        context["notice_runs"] = list(published.order_by("-published_at")[:NOTICE_RUNS_MAX])
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
@unit_period
def summary_docx(request: HttpRequest, unit: Unit, period: Period) -> HttpResponseBase:
    title, data = generate.summary_docx(unit, period, clock.today())
    return files.data_response(data, title, "docx", files.DOCX_MIME)


@login_required
@require_GET
@unit_period
def plan_docx(request: HttpRequest, unit: Unit, period: Period) -> HttpResponseBase:
    """Next year's plan drafted from the unit's plan of the year asked for (period=2026
    gives the 2027 draft); a unit without that plan is a 404 saying so."""
    try:
        title, data = generate.draft_docx(unit, period, clock.today())
    except generate.NoDraft as exc:
        raise Http404(str(exc)) from exc
    return files.data_response(data, title, "docx", files.DOCX_MIME)


@login_required
@require_GET
@unit_period
def statistics(request: HttpRequest, unit: Unit, period: Period) -> HttpResponseBase:
    """The statistics tables of the unit's subtree, a sheet per domain, a row per child."""
    return generate.statistics_response(unit, period)


@login_required
@require_GET
@unit_period
def summary_appendix(request: HttpRequest, unit: Unit, period: Period) -> HttpResponseBase:
    return generate.appendix_response(unit, period, request.build_absolute_uri("/"))


NoticeView = Callable[[HttpRequest, int], HttpResponseBase]


def notice_run(view: NoticeView) -> Callable[[HttpRequest], HttpResponseBase]:
    """A notice file of the run the query names (`run`): none (or a malformed one) sends the
    user to the documents page, where the published runs are offered; a run that is not
    theirs is a 404 (generate.notice); one not published says why."""

    @wraps(view)
    def wrapped(request: HttpRequest) -> HttpResponseBase:
        run = request.GET.get("run", "")
        if not run.isdigit() or len(run) > RUN_DIGITS_MAX:
            return redirect("documents:summary")
        try:
            return view(request, int(run))
        except NoNotice as exc:
            context = {"heading": _("考核结果通报"), "error": str(exc)}
            return render(request, "documents/refused.html", context, status=400)

    return wrapped


@login_required
@require_GET
@notice_run
def notice_docx(request: HttpRequest, run: int) -> HttpResponseBase:
    """The assessment notice (考核结果通报) of a published run; an unpublished one is
    refused with why (no draft notice goes out)."""
    title, data = generate.notice_docx(request_user(request), run)
    return files.data_response(data, title, "docx", files.DOCX_MIME)


@login_required
@require_GET
@notice_run
def notice_appendix(request: HttpRequest, run: int) -> HttpResponseBase:
    """Every figure of the notice, each unit linked to its result breakdown."""
    base = request.build_absolute_uri("/")
    return generate.notice_appendix_response(request_user(request), run, base)
