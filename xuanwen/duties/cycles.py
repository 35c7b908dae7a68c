"""The periods of a duty's cycle and their due dates, computed from the cycle alone.

Nothing about a period is stored: a completion keeps only the first day of the period it
fulfils, and everything else (end, due date, label) follows from the cycle.

- weekly: Monday to Sunday; due on the Sunday.
- half-monthly: the 1st to the 15th and the 16th to the month's end (每半月一期).
- monthly, quarterly, yearly: the calendar month, quarter, year; due on the last day.
- a day of the month (每月10日): the period is the month, due on that day (the month's last day
  when it is shorter), with MONTH_DAY_GRACE_DAYS of grace: a study day that falls on a Saturday
  is held on the Monday, and that still counts as on time. Held earlier in the month is on time.

A period counts for a duty when its due date is on or after the duty's start date, so a duty
started on the 20th owes the half-month that ends on the 31st, but a 每月10日 duty started on
the 20th owes nothing until next month.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

from .models import Cycle

MONTH_DAY_GRACE_DAYS = 3


@dataclass(frozen=True)
class DutyPeriod:
    """One period of a duty's cycle."""

    start: date
    end: date
    due: date
    label: str

    @property
    def key(self) -> str:
        return self.start.isoformat()


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _label(cycle: str, start: date, end: date) -> str:
    if cycle == Cycle.WEEKLY:
        return _("%(y)d年%(m)d月%(d)d日起一周") % {
            "y": start.year,
            "m": start.month,
            "d": start.day,
        }
    if cycle == Cycle.HALF_MONTHLY:
        half = _("%(y)d年%(m)d月上半月") if start.day == 1 else _("%(y)d年%(m)d月下半月")
        return half % {"y": start.year, "m": start.month}
    if cycle == Cycle.QUARTERLY:
        q = "一二三四"[(start.month - 1) // 3]
        return _("%(y)d年第%(q)s季度") % {"y": start.year, "q": q}
    if cycle == Cycle.YEARLY:
        return _("%(y)d年") % {"y": start.year}
    return _("%(y)d年%(m)d月") % {"y": start.year, "m": start.month}


def period_of(cycle: str, due_day: int | None, day: date) -> DutyPeriod:
    """The period of the cycle that contains `day`."""
    if cycle == Cycle.WEEKLY:
        start = day - timedelta(days=day.weekday())
        end = start + timedelta(days=6)
    elif cycle == Cycle.HALF_MONTHLY:
        if day.day <= 15:
            start, end = day.replace(day=1), day.replace(day=15)
        else:
            start, end = day.replace(day=16), _month_end(day.year, day.month)
    elif cycle == Cycle.QUARTERLY:
        first = 3 * ((day.month - 1) // 3) + 1
        start, end = date(day.year, first, 1), _month_end(day.year, first + 2)
    elif cycle == Cycle.YEARLY:
        start, end = date(day.year, 1, 1), date(day.year, 12, 31)
    elif cycle in (Cycle.MONTHLY, Cycle.MONTH_DAY):
        start, end = day.replace(day=1), _month_end(day.year, day.month)
    else:
        raise ValueError(f"unknown cycle: {cycle!r}")
    due = end
    if cycle == Cycle.MONTH_DAY:
        due = start.replace(day=min(due_day or end.day, end.day))
    return DutyPeriod(start=start, end=end, due=due, label=_label(cycle, start, end))


def on_time_until(cycle: str, period: DutyPeriod) -> date:
    """The last day a completion of the period counts as on time."""
    if cycle == Cycle.MONTH_DAY:
        return period.due + timedelta(days=MONTH_DAY_GRACE_DAYS)
    return period.due


def periods_between(
    cycle: str, due_day: int | None, first: date, last: date, since: date | None = None
) -> list[DutyPeriod]:
    """The periods overlapping [first, last], oldest first; with `since` (the duty's start
    date) only those whose due date is on or after it."""
    out: list[DutyPeriod] = []
    day = first
    while day <= last:
        period = period_of(cycle, due_day, day)
        if since is None or period.due >= since:
            out.append(period)
        day = period.end + timedelta(days=1)
    return out


def is_period_start(cycle: str, day: date) -> bool:
    return period_of(cycle, None, day).start == day
