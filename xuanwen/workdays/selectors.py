"""Whether a day is an official working day (工作日), by China's calendar with its 调休.

For the years the chinesecalendar package knows (2004–2026 in 1.11; read from the installed
package, so an upgrade extends it), the package answers. For other years an admin's schedule
(models.YearSchedule) answers; a year nobody entered is *calendar missing* (None), never guessed
from the weekday: a week judged on a guess would be wrong exactly in the holiday weeks that
matter.

The calendar is the same for everyone (it is not a record of a unit), so nothing here is
scoped.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from chinese_calendar import constants
from django.db.models import FilteredRelation, Q
from django.utils.translation import gettext_lazy as _

from .models import EntryKind, YearSchedule

# The package's holiday names (English) as the official notices name them.
HOLIDAY_NAMES = {
    "New Year's Day": _("元旦"),
    "Spring Festival": _("春节"),
    "Tomb-sweeping Day": _("清明节"),
    "Labour Day": _("劳动节"),
    "Dragon Boat Festival": _("端午节"),
    "National Day": _("国庆节"),
    "Mid-autumn Festival": _("中秋节"),
    "Anti-Fascist 70th Day": _("抗战胜利70周年纪念日"),
}
# Years an admin may enter: wide enough for any plan, narrow enough to catch a typo.
YEAR_MIN, YEAR_MAX = 2000, 2099


@cache
def builtin_years() -> range:
    """The years the installed chinesecalendar knows completely."""
    return range(min(constants.holidays).year, max(constants.holidays).year + 1)


def is_builtin(year: int) -> bool:
    return year in builtin_years()


def _builtin_workday(day: date) -> bool:
    if day in constants.workdays:
        return True
    if day in constants.holidays:
        return False
    return day.weekday() < 5


@dataclass(frozen=True)
class Day:
    """A day of the calendar: working or not (None: calendar missing), and why."""

    date: date
    workday: bool | None
    name: str = ""  # the holiday, or the holiday a make-up workday belongs to


def days_between(start: date, end: date) -> dict[date, Day]:
    """Every day of [start, end] with its status: no query for built-in years, one otherwise.

    Pages judge whole weeks, months or years at once and must not query per day.
    """
    out: dict[date, Day] = {}
    if end < start:
        return out
    other_years = [y for y in range(start.year, end.year + 1) if not is_builtin(y)]
    entered: set[int] = set()
    marks: dict[date, tuple[bool, str]] = {}
    if other_years:
        # One LEFT JOIN: every schedule of those years, with its entries that touch the range
        # (a year whose entries all lie outside the range still counts as entered).
        rows = (
            YearSchedule.objects.filter(year__in=other_years)
            .annotate(
                touching=FilteredRelation(
                    "entries", condition=Q(entries__start__lte=end, entries__end__gte=start)
                )
            )
            .values_list(
                "year", "touching__kind", "touching__name", "touching__start", "touching__end"
            )
        )
        for year, kind, name, first, last in rows:
            entered.add(year)
            if kind is None:
                continue
            day = max(first, start)
            while day <= min(last, end):
                marks[day] = (kind == EntryKind.WORKDAY, name)
                day += timedelta(days=1)
    day = start
    while day <= end:
        if is_builtin(day.year):
            label = constants.workdays.get(day) or constants.holidays.get(day) or ""
            out[day] = Day(day, _builtin_workday(day), str(HOLIDAY_NAMES.get(label, label)))
        elif day.year in entered:
            workday, name = marks.get(day, (day.weekday() < 5, ""))
            out[day] = Day(day, workday, name)
        else:
            out[day] = Day(day, None)
        day += timedelta(days=1)
    return out


def is_workday(day: date) -> bool | None:
    """True for a working day, False for a weekend or holiday, None when the calendar of that
    year is missing (see the module docstring)."""
    return days_between(day, day)[day].workday


def schedules() -> list[YearSchedule]:
    """Every entered schedule, oldest year first."""
    return list(YearSchedule.objects.select_related("entered_by"))


def get_schedule(year: int) -> YearSchedule | None:
    return YearSchedule.objects.filter(year=year).prefetch_related("entries").first()


@dataclass(frozen=True)
class Entry:
    """A holiday or make-up workday as pages and the API show it, whatever its origin."""

    kind: str
    name: str
    start: date
    end: date


def builtin_entries(year: int) -> list[Entry]:
    """A built-in year's holidays and make-up workdays, consecutive days joined into ranges."""
    entries: list[Entry] = []
    days = sorted(
        [(d, EntryKind.HOLIDAY, n) for d, n in constants.holidays.items() if d.year == year]
        + [(d, EntryKind.WORKDAY, n) for d, n in constants.workdays.items() if d.year == year]
    )
    for day, kind, label in days:
        name = str(HOLIDAY_NAMES.get(label, label))
        last = entries[-1] if entries else None
        if (
            last is not None
            and kind == EntryKind.HOLIDAY == last.kind
            and last.name == name
            and last.end + timedelta(days=1) == day
        ):
            entries[-1] = Entry(kind, name, last.start, day)
        else:
            entries.append(Entry(str(kind), name, day, day))
    return entries
