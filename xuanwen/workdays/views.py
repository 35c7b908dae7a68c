"""The calendar pages: which years are known, a year's holidays, and an admin's entry form."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from xuanwen.accounts.models import User
from xuanwen.accounts.permissions import can_manage_scope, request_user
from xuanwen.core import clock

from . import selectors, services
from .forms import ScheduleForm
from .models import YearSchedule


def _may_enter(user: User) -> bool:
    return can_manage_scope(user)


def _year_or_404(year: int) -> int:
    if not (selectors.is_builtin(year) or selectors.YEAR_MIN <= year <= selectors.YEAR_MAX):
        raise Http404(_("没有这一年的日历。"))
    return year


def year_entries(year: int, schedule: YearSchedule | None) -> list[selectors.Entry]:
    if selectors.is_builtin(year):
        return selectors.builtin_entries(year)
    if schedule is None:
        return []
    return [
        selectors.Entry(kind=e.kind, name=e.name, start=e.start, end=e.end)
        for e in schedule.entries.all()
    ]


@login_required
@require_GET
def calendar_index(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    builtin = selectors.builtin_years()
    entered = {s.year: s for s in selectors.schedules()}
    this_year = clock.today().year
    # The years that matter next: after the package's last one, up to next year's plans.
    upcoming = [
        (year, entered.get(year))
        for year in range(builtin[-1] + 1, max(this_year + 2, builtin[-1] + 2))
    ]
    later = [s for year, s in sorted(entered.items()) if year not in dict(upcoming)]
    return render(
        request,
        "workdays/index.html",
        {
            "builtin_first": builtin[0],
            "builtin_last": builtin[-1],
            "upcoming": upcoming,
            "later": later,
            "may_enter": _may_enter(user),
            "today": selectors.days_between(clock.today(), clock.today())[clock.today()],
        },
    )


@login_required
@require_GET
def year_detail(request: HttpRequest, year: int) -> HttpResponse:
    user = request_user(request)
    _year_or_404(year)
    schedule = None if selectors.is_builtin(year) else selectors.get_schedule(year)
    entries = year_entries(year, schedule)
    days = selectors.days_between(date(year, 1, 1), date(year, 12, 31))
    known = selectors.is_builtin(year) or schedule is not None
    return render(
        request,
        "workdays/year.html",
        {
            "year": year,
            "builtin": selectors.is_builtin(year),
            "schedule": schedule,
            "known": known,
            "holidays": [e for e in entries if e.kind == "holiday"],
            "workdays": [e for e in entries if e.kind == "workday"],
            "workday_count": sum(1 for d in days.values() if d.workday) if known else None,
            "may_enter": _may_enter(user) and not selectors.is_builtin(year),
        },
    )


@login_required
def year_edit(request: HttpRequest, year: int) -> HttpResponse:
    user = request_user(request)
    _year_or_404(year)
    if not _may_enter(user):
        raise PermissionDenied(_("只有系统管理员可以录入节假日安排。"))
    if selectors.is_builtin(year):
        messages.info(request, _("%(year)d 年的节假日安排已内置，无需录入。") % {"year": year})
        return redirect("workdays:year", year=year)
    schedule = selectors.get_schedule(year)
    entries = year_entries(year, schedule)
    initial = {"source": schedule.source} if schedule else {}
    if request.method == "POST":
        form = ScheduleForm(request.POST, year=year, entries=entries)
        if form.is_valid():
            c = form.cleaned_data
            try:
                services.schedule_save(
                    user=user,
                    data=services.ScheduleData(
                        year=year,
                        holidays=c["holidays"],
                        workdays=c["workdays"],
                        source=c["source"],
                    ),
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("已保存 %(year)d 年的节假日安排。") % {"year": year})
                return redirect("workdays:year", year=year)
    else:
        form = ScheduleForm(initial=initial, year=year, entries=entries)
    return render(request, "workdays/edit.html", {"form": form, "year": year, "schedule": schedule})
