"""Duty pages: list, detail with its periods, entry form, defaults, compliance of a subtree.

Reads go through scoped selectors and writes through services, as records.pages describes.
Completions and their evidence are in views_completions.py.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_POST

from xuanwen.accounts.models import User
from xuanwen.accounts.permissions import can_write, request_user
from xuanwen.core import clock
from xuanwen.indicators.periods import Period, period_asked, period_choices, range_period
from xuanwen.records.pages import RecordPages, list_page
from xuanwen.units.models import Unit
from xuanwen.units.pickers import unit_choices as filter_unit_choices
from xuanwen.units.selectors import UnknownUnit, get_unit_for_user, unit_in_box

from . import compliance, cycles, selectors, services
from .filters import duty_filters
from .forms import DefaultsForm, DutyForm, default_window, may_create
from .models import Cycle, Duty


@login_required
@require_GET
def duty_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    today = clock.today()
    rows: list[tuple[Duty, Any, int]] = []

    def judge(page: list[Duty]) -> None:
        # Each duty's current period and how many periods it has missed, over the window the
        # home page counts overdue periods in (so the two pages tell the same story): one
        # query for the whole page.
        first = today - timedelta(days=compliance.HOME_LOOKBACK_DAYS)
        done = compliance.completion_dates([d.pk for d in page], first, today)
        for d in page:
            judged = compliance.judge(d, done.get(d.pk, {}), first, today, today)
            rows.append((d, judged.current, len(judged.overdue)))

    context = {
        "rows": rows,
        "cycles": Cycle.choices,
        "unit_choices": filter_unit_choices(user),
        "may_create": may_create(user),
        "defaults_form": DefaultsForm(initial={"unit": user.unit_id, "start_date": today}),
    }
    return list_page(
        request,
        duty_filters(user, request.GET),
        template="duties/list.html",
        title=_("常规工作"),
        partial="duties/_results.html",
        context=context,
        rows=judge,
    )


def _detail_context(user: User, duty: Duty) -> dict[str, Any]:
    today = clock.today()
    first, last = default_window(today)
    judged = compliance.judge_all(Duty.objects.filter(pk=duty.pk), first, last, today)[0]
    recent = list(
        selectors.completions_for(user)
        .filter(duty=duty)
        .select_related("done_by")
        .order_by("-done_on", "-id")[:20]
    )
    return {
        "duty": duty,
        "judged": judged,
        "periods": list(reversed(judged.periods)),
        "recent": recent,
        "assignees": list(duty.assignees.all()),
        "can_write": can_write(user, duty.unit_id),
        "grace": cycles.MONTH_DAY_GRACE_DAYS,
        "year": today.year,
    }


PAGES = RecordPages(
    name="duty",
    get=selectors.get_duty_for_user,
    form=DutyForm,
    initial=lambda user: {"unit": user.unit_id, "start_date": clock.today(), "active": True},
    create=services.duty_create,
    update=services.duty_update,
    delete=services.duty_delete,
    template="duties/form.html",
    list_url="duties:list",
    may_create=may_create,
    cannot_create=_lazy("您的角色只能查看，不能设置常规工作。"),
    cannot_edit=_lazy("您不能修改该常规工作。"),
    created=lambda duty: _("已添加常规工作“%(name)s”。") % {"name": duty.name},
    label=lambda duty: duty.name,
    crumb=_lazy("常规工作"),
    heading=(_lazy("新增常规工作"), _lazy("编辑常规工作")),
    picker=False,
)
duty_detail = PAGES.detail("duties/detail.html", _detail_context)


@login_required
@require_POST
def duty_defaults(request: HttpRequest) -> HttpResponse:
    """添加常规工作默认项: the seed's duties for one unit."""
    user = request_user(request)
    form = DefaultsForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择单位并填写开始日期。"))
        return redirect("duties:list")
    unit = get_unit_for_user(user, form.cleaned_data["unit"])  # outside the scope: 404
    created = services.duty_defaults_add(
        user=user, unit=unit, start_date=form.cleaned_data["start_date"]
    )
    if created:
        names = "、".join(d.name for d in created)
        messages.success(
            request, _("已为%(unit)s添加：%(names)s。") % {"unit": unit.name, "names": names}
        )
    else:
        messages.success(request, _("%(unit)s已有全部默认项。") % {"unit": unit.name})
    return redirect(f"{reverse('duties:list')}?unit={unit.code}")


def compliance_period(request: HttpRequest) -> tuple[Period, str]:
    """The period asked for (the picker's, or a key such as 2026-Q1), or this year up to today;
    and an error."""
    first, last = default_window(clock.today())
    return period_asked(request.GET, range_period(first, last))


@dataclass
class CompliancePage:
    """What the compliance page and its export read from the query."""

    unit: Unit | None
    unknown: UnknownUnit | None
    period: Period
    error: str
    result: compliance.Compliance


def compliance_query(request: HttpRequest) -> CompliancePage:
    user = request_user(request)
    typed = request.GET.get("unit", "").strip()
    # A name is looked up in the scope (an unknown one is said beside the box); a code outside
    # the scope is a 404, as a guessed id is.
    code = typed if typed.isdigit() else unit_in_box(user.scope, typed)
    code = code or user.scope.unit_code or ""
    unknown = code if isinstance(code, UnknownUnit) else None
    unit = get_unit_for_user(user, code) if code and unknown is None else None
    period, error = compliance_period(request)
    result = (
        compliance.compliance(unit.code, period.start, period.end)
        if unit is not None
        else compliance.Compliance([], compliance.Tally(), compliance.Tally(), [])
    )
    return CompliancePage(unit, unknown, period, error, result)


@login_required
@require_GET
def compliance_page(request: HttpRequest) -> HttpResponse:
    """Compliance of a subtree: totals, by child unit, and every overdue period."""
    user = request_user(request)
    q = compliance_query(request)
    result = q.result
    return render(
        request,
        "duties/compliance.html",
        {
            "unit": q.unit,
            "selected": q.unknown or (q.unit.code if q.unit else ""),
            "period": q.period,
            "period_groups": period_choices(clock.today(), q.period),
            "error": q.error,
            "result": result,
            "overdue": result.overdue,
            "duty_rows": duty_rows(result),
            "unit_choices": filter_unit_choices(user),
            "export_query": request.GET.urlencode(),
        },
    )


def duty_rows(result: compliance.Compliance) -> list[compliance.DutyCompliance]:
    """The duties as the page lists them: the worst rate first."""
    return sorted(result.duties, key=lambda d: (d.tally.rate or 0, d.duty.unit_id, d.duty.name))
