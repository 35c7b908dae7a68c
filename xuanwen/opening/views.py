"""Opening pages: the day form, the week grid, the list, and compliance by unit and facility.

Reads go through scoped selectors and writes through services, as records.pages describes.
"""

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xuanwen.accounts.models import User
from xuanwen.accounts.permissions import can_write, request_user
from xuanwen.core import clock, tree
from xuanwen.facilities.models import Facility
from xuanwen.indicators.periods import (
    Period,
    month_period,
    parse_period,
    quarter_period,
    year_period,
)
from xuanwen.records.forms import initial_of
from xuanwen.records.pages import (
    deleted,
    entry_page,
    header,
    list_view,
    posted,
    require_write,
)
from xuanwen.units.models import Unit
from xuanwen.units.pickers import may_write_somewhere, unit_choices
from xuanwen.units.selectors import get_unit_for_user

from . import compliance, selectors, services
from .filters import log_filters
from .forms import OpeningForm, WeekForm, monday_of
from .models import OpeningLog
from .services import OpeningData

PAGE_SIZE = 50
# The unit page lists at most this many failing weeks; each facility's page has all of them.
FAILING_SHOWN = 200


# Whether the user may record openings at all (for their own unit or below).
may_record = may_write_somewhere


def _require_recorder(user: User) -> None:
    if not may_record(user):
        raise PermissionDenied(_("您的角色只能查看，不能登记开放。"))


def _facilities(request: HttpRequest, user: User) -> tuple[list[Facility] | None, Facility | None]:
    """The facilities the user may record for (None: too many for a select), and the one the
    page starts with: the one named by ?facility= (404 outside the scope), else the one the user
    last recorded for, else the first (their own unit's come first)."""
    value = request.GET.get("facility", "")
    picked = selectors.get_facility_for_user(user, int(value)) if value.isdigit() else None
    _require_recorder(user)
    facilities = selectors.writable_facilities(user)
    if picked is None and facilities:
        picked = selectors.last_used(user, facilities) or facilities[0]
    return facilities, picked


# --- Recording -----------------------------------------------------------------------------


def _day_form(
    request: HttpRequest,
    user: User,
    save: Callable[[OpeningData], tuple[OpeningLog, str]],
    *,
    facilities: list[Facility] | None,
    initial: Callable[[], dict[str, Any]],
    context: dict[str, Any],
    to: Callable[[OpeningLog], str] | None = None,
) -> HttpResponse:
    """The form of one session, new or recorded: a valid post is saved by `save(data)` (the
    service, with what to say about it) and `to(log)` follows (the list of that facility's
    sessions by default); else the form again, a rule error on its field."""
    data = posted(request)
    form = OpeningForm(
        data, initial=None if data is not None else initial(), user=user, facilities=facilities
    )
    return entry_page(
        request,
        form,
        lambda: save(form.to_data()),
        said=lambda saved: saved[1],
        to=lambda saved: (
            to(saved[0]) if to else f"{reverse('opening:list')}?facility={saved[0].facility_id}"
        ),
        template="opening/form.html",
        context=context,
    )


def _header(title: str) -> dict[str, Any]:
    """An entry page's header: its title after the list's crumb."""
    return header(title, ("opening:list", _("开放登记")))


def _day_asked(request: HttpRequest) -> date:
    """The day the entry form starts on: ?date= (after saving a session, that day again),
    else today."""
    try:
        return date.fromisoformat(request.GET.get("date", "")[:10])
    except ValueError:
        return clock.today()


@login_required
def opening_create(request: HttpRequest) -> HttpResponse:
    """Record a session: today, the user's own facility and its usual times are filled in.
    The day's sessions so far are listed with their total, so a second session (the
    afternoon's) is recorded on the same page the first one comes back to."""
    user = request_user(request)
    facilities, default = _facilities(request, user)
    day = _day_asked(request)

    def record(data: OpeningData) -> tuple[OpeningLog, str]:
        log = services.opening_record(user=user, data=data)
        message = _("已登记：%(facility)s %(day)s %(times)s，开放 %(hours)s 小时。")
        if log.start is None:
            message = _("已登记：%(facility)s %(day)s 开放 %(hours)s 小时。")
        return log, message % {
            "facility": log.facility.name,
            "day": compliance.day_label(log.date),
            "times": log.times,
            "hours": compliance.hours_text(log.hours),
        }

    sessions = selectors.day_sessions(default, day) if default is not None else []

    def initial() -> dict[str, Any]:
        values: dict[str, Any] = {"date": day, "visitors": 0}
        if default is not None:
            values["facility"] = default.pk
            last = selectors.usual_session(default) if not sessions else None
            if last is not None and last.start is not None:
                values.update(start=last.start, end=last.end)
            elif not sessions:
                values["hours"] = selectors.usual_hours(default)
        return values

    context = {
        **_header(_("登记开放")),
        "log": None,
        "no_facility": default is None,
        "picked": default,
        "day": day,
        "sessions": sessions,
        "total": sum((s.hours for s in sessions), Decimal(0)),
    }
    return _day_form(
        request,
        user,
        record,
        facilities=facilities,
        initial=initial,
        context=context,
        to=lambda log: (
            f"{reverse('opening:create')}?"
            + urlencode({"facility": str(log.facility_id), "date": log.date.isoformat()})
        ),
    )


@login_required
def opening_week(request: HttpRequest) -> HttpResponse:
    """Seven days of one facility on one page, for a keeper who writes the week up at once."""
    user = request_user(request)
    facilities, facility = _facilities(request, user)
    if facility is None:
        return render(
            request, "opening/week.html", {**_header(_("按周登记开放")), "facility": None}
        )
    require_write(user, facility.unit_id, _("您不能为该阵地登记开放。"))
    try:
        monday = monday_of(date.fromisoformat(request.GET.get("week", "")))
    except ValueError:
        monday = monday_of(clock.today())
    sunday = monday + timedelta(days=6)
    form = WeekForm(
        posted(request),
        monday=monday,
        existing=selectors.week_logs(facility, monday, sunday),
        default_hours=selectors.usual_hours(facility),
    )
    days: list[OpeningData] = []  # the days posted, which the service's problems index

    def save() -> tuple[int, int]:
        days.extend(form.days(facility))
        if not days:
            raise ValidationError(_("请至少填写一天的开放时长。"))
        return services.openings_record_many(user=user, rows=days)

    def context() -> dict[str, Any]:
        calendar = compliance.days_between(monday, sunday)
        return {
            **_header(_("按周登记开放")),
            "facility": facility,
            "facilities": facilities,
            "monday": monday,
            "sunday": sunday,
            "prev": (monday - timedelta(days=7)).isoformat(),
            "next": (monday + timedelta(days=7)).isoformat(),
            "rows": [
                (day, label, calendar[day], h, v, logs, total, _day_list(facility, day))
                for day, label, h, v, logs, total in form.rows()
            ],
        }

    week = urlencode({"facility": str(facility.pk), "week": monday.isoformat()})
    return entry_page(
        request,
        form,
        save,
        said=lambda saved: (
            _("已保存：新登记 %(c)d 天，更新 %(u)d 天。") % {"c": saved[0], "u": saved[1]}
        ),
        to=lambda saved: f"{reverse('opening:week')}?{week}",
        row_field=lambda i, name: form.field_of(days[i].date, name),
        template="opening/week.html",
        context=context,
    )


def _day_list(facility: Facility, day: date) -> str:
    """The list of one facility's sessions of one day."""
    query = urlencode({"facility": str(facility.pk), "start": str(day), "end": str(day)})
    return f"{reverse('opening:list')}?{query}"


def _writable_log(user: User, pk: int) -> OpeningLog:
    log = selectors.get_log_for_user(user, pk)
    require_write(user, log.facility.unit_id, _("您不能修改该开放登记。"))
    return log


@login_required
def opening_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    log = _writable_log(user, pk)
    return _day_form(
        request,
        user,
        lambda data: (services.opening_update(user=user, log=log, data=data), _("已保存。")),
        facilities=selectors.writable_facilities(user),
        initial=lambda: _edited(log),
        context={
            **_header(_("修改开放登记")),
            "log": log,
            "no_facility": False,
            "picked": log.facility,
        },
    )


def _edited(log: OpeningLog) -> dict[str, Any]:
    """A recorded session as its form starts: a timed session's hours are left to its times,
    so that moving a time does not contradict them."""
    values = initial_of(log, ("facility", "date", "start", "end", "hours", "visitors", "note"))
    if log.start is not None:
        values["hours"] = None
    return values


@login_required
@require_POST
def opening_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    log = _writable_log(user, pk)
    services.opening_delete(user=user, log=log)
    return deleted(request, str(log), "opening:list")


# --- The list ------------------------------------------------------------------------------


opening_list = list_view(
    log_filters,
    "opening/list.html",
    lambda user: {"units": unit_choices(user), "may_record": may_record(user)},
)


# --- Compliance ----------------------------------------------------------------------------


def period_from(request: HttpRequest) -> tuple[Period, str]:
    """The period asked for (this year by default), and an error message if it was mistyped."""
    text = request.GET.get("period", "").strip()
    this_year = year_period(clock.today().year)
    if not text:
        return this_year, ""
    try:
        return parse_period(text), ""
    except ValueError as exc:
        return this_year, str(exc)


def quick_periods(today: date) -> list[Period]:
    last_month = today.replace(day=1) - timedelta(days=1)
    return [
        year_period(today.year),
        quarter_period(today.year, (today.month - 1) // 3 + 1),
        month_period(today.year, today.month),
        month_period(last_month.year, last_month.month),
        year_period(today.year - 1),
    ]


def _missing_weeks(results: list[compliance.FacilityCompliance]) -> list[date]:
    return sorted(
        {w.monday for r in results for w in r.weeks if w.status == compliance.WeekStatus.MISSING}
    )


@login_required
@require_GET
def compliance_unit(request: HttpRequest) -> HttpResponse:
    """A unit's facilities judged week by week, rolled up by child, failing weeks named."""
    user = request_user(request)
    code = request.GET.get("unit", "").strip() or user.unit_id or ""
    if not code:
        # Bound to no unit and none asked for: an empty page that says why, not an error.
        return render(request, "no_unit.html", {"heading": _("开放达标")})
    unit = get_unit_for_user(user, code)
    period, period_error = period_from(request)
    results, children, total = unit_compliance(unit, period)
    failing = [(r.facility, w) for r in results for w in r.failing_weeks]
    return render(
        request,
        "opening/compliance.html",
        {
            "unit": unit,
            "period": period,
            "period_error": period_error,
            "quick_periods": quick_periods(clock.today()),
            "results": results,
            "children": children,
            "total": total,
            "failing": failing[:FAILING_SHOWN],
            "failing_hidden": max(len(failing) - FAILING_SHOWN, 0),
            "missing_weeks": _missing_weeks(results),
            "export_query": request.GET.urlencode(),
        },
    )


def unit_compliance(
    unit: Unit, period: Period
) -> tuple[
    list[compliance.FacilityCompliance],
    list[tuple[Unit, compliance.BranchRow]],
    compliance.BranchRow,
]:
    """A unit's facilities judged in the period, their roll-up by child and the total."""
    results = compliance.compliance(unit.code, period)
    child_len = tree.child_length(unit.code)
    children: list[tuple[Unit, compliance.BranchRow]] = []
    if child_len is not None:
        children = _with_children(unit, compliance.by_branch(results, child_len))
    total = compliance.by_branch(results, len(unit.code)).get(
        unit.code, compliance.BranchRow(unit.code)
    )
    return results, children, total


def children_compliance(unit: Unit, period: Period) -> list[tuple[Unit, compliance.BranchRow]]:
    """`unit_compliance`'s roll-up by child alone, counted without building each facility's
    weeks (for the home card: four queries, as the compliance page, but a fraction of its
    Python work)."""
    child_len = tree.child_length(unit.code)
    if child_len is None:
        return []
    return _with_children(unit, compliance.branch_rows(unit.code, period, child_len))


def _with_children(
    unit: Unit, branches: dict[str, compliance.BranchRow]
) -> list[tuple[Unit, compliance.BranchRow]]:
    """Every child of the unit by code with its row (an empty one when it has no facility)."""
    return [
        (child, branches.get(child.code, compliance.BranchRow(child.code)))
        for child in Unit.objects.children_of(unit.code)
    ]


@login_required
@require_GET
def compliance_facility(request: HttpRequest, facility_id: int) -> HttpResponse:
    """One facility's weeks: every day with its hours, and why a failing week failed."""
    user = request_user(request)
    facility = selectors.get_facility_for_user(user, facility_id)
    period, period_error = period_from(request)
    results = compliance.compliance(facility.unit_id, period, facility_id=facility.pk)
    result = results[0] if results else None
    return render(
        request,
        "opening/facility.html",
        {
            "facility": facility,
            "result": result,
            "weeks": list(reversed(result.weeks)) if result else [],
            "period": period,
            "period_error": period_error,
            "quick_periods": quick_periods(clock.today()),
            "may_record": can_write(user, facility.unit_id),
            "missing_weeks": _missing_weeks(results),
        },
    )
