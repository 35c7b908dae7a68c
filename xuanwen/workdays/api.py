"""The working-day calendar in the JSON API: known years, a year's schedule, days of a range,
and entering a year's schedule (admins). The calendar is the same for everyone."""

from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from xuanwen.accounts.permissions import request_user
from xuanwen.core import clock

from . import selectors, services
from .views import year_entries

router = Router(tags=["workdays 工作日历"])

DAYS_MAX = 366


class YearOut(Schema):
    year: int
    source: str
    entered_by: str | None
    entered_at: datetime


class CalendarOut(Schema):
    builtin_first: int = Field(..., description="内置日历（chinesecalendar）的第一年")
    builtin_last: int = Field(..., description="内置日历的最后一年")
    entered: list[YearOut]


class EntryOut(Schema):
    name: str
    start: date
    end: date


class ScheduleOut(Schema):
    year: int
    origin: str = Field(..., description="builtin 内置 / entered 已录入 / missing 日历缺失")
    source: str
    holidays: list[EntryOut]
    workdays: list[EntryOut]


class HolidayIn(Schema):
    name: str
    start: date
    end: date | None = Field(None, description="不填为一天")


class WorkdayIn(Schema):
    date: date
    name: str = ""


class ScheduleIn(Schema):
    source: str = ""
    holidays: list[HolidayIn]
    workdays: list[WorkdayIn] = []


class DayOut(Schema):
    date: date
    workday: bool | None = Field(..., description="null：该年日历缺失")
    name: str


def _year(year: int) -> int:
    if not (selectors.is_builtin(year) or selectors.YEAR_MIN <= year <= selectors.YEAR_MAX):
        raise Http404(_("没有这一年的日历。"))
    return year


def _schedule_out(year: int) -> dict[str, Any]:
    schedule = None if selectors.is_builtin(year) else selectors.get_schedule(year)
    entries = year_entries(year, schedule)
    origin = "entered" if schedule else "missing"
    if selectors.is_builtin(year):
        origin = "builtin"
    return {
        "year": year,
        "origin": origin,
        "source": schedule.source if schedule else "",
        "holidays": [e for e in entries if e.kind == "holiday"],
        "workdays": [e for e in entries if e.kind == "workday"],
    }


@router.get("", response=CalendarOut, summary="工作日历：内置年份与已录入的年份")
def calendar(request: HttpRequest) -> dict[str, Any]:
    builtin = selectors.builtin_years()
    return {
        "builtin_first": builtin[0],
        "builtin_last": builtin[-1],
        "entered": [
            {
                "year": s.year,
                "source": s.source,
                "entered_by": s.entered_by.username if s.entered_by else None,
                "entered_at": s.entered_at,
            }
            for s in selectors.schedules()
        ],
    }


@router.get("days/", response=list[DayOut], summary="一段日期内每天是否工作日（最多 366 天）")
def days(request: HttpRequest, start: date | None = None, end: date | None = None) -> list[Any]:
    """`start` defaults to this week's Monday, `end` to six days after `start`."""
    today = clock.today()
    start = start or today - timedelta(days=today.weekday())
    end = end or start + timedelta(days=6)
    if end < start:
        raise ValidationError({"end": _("结束日期不能早于开始日期。")})
    if end - start >= timedelta(days=DAYS_MAX):
        raise ValidationError({"end": _("一次最多查询 %(n)d 天。") % {"n": DAYS_MAX}})
    return list(selectors.days_between(start, end).values())


@router.get("{int:year}/", response=ScheduleOut, summary="某年的节假日与调休安排")
def year_schedule(request: HttpRequest, year: int) -> dict[str, Any]:
    return _schedule_out(_year(year))


@router.put("{int:year}/", response=ScheduleOut, summary="录入或替换某年的节假日安排（系统管理员）")
def year_schedule_save(request: HttpRequest, year: int, payload: ScheduleIn) -> dict[str, Any]:
    _year(year)
    services.schedule_save(
        user=request_user(request),
        data=services.ScheduleData(
            year=year,
            source=payload.source,
            holidays=[
                services.HolidayData(name=h.name, start=h.start, end=h.end or h.start)
                for h in payload.holidays
            ],
            workdays=[services.MakeupData(date=w.date, name=w.name) for w in payload.workdays],
        ),
    )
    return _schedule_out(year)
