"""Reporting periods: a year, a half, a quarter, a month or any date range.

A period is written the way people type it in a URL or a sheet ("2026", "2026-H1", "2026-Q3",
"2026-05", "2026-01-01..2026-03-31") and read the way a Chinese report names it (2026年上半年).
"""

import calendar
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

CN_QUARTERS = ("一", "二", "三", "四")
PERIOD_FORMS = "2026、2026-H1、2026-Q1、2026-05、2026-01-01..2026-03-31"

_YEAR = re.compile(r"^(\d{4})$")
_HALF = re.compile(r"^(\d{4})-H([12])$", re.IGNORECASE)
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")


class PeriodKind:
    """The kinds a period can have; plans use the first four."""

    YEAR = "year"
    HALF = "half"
    QUARTER = "quarter"
    MONTH = "month"
    RANGE = "range"


@dataclass(frozen=True)
class Period:
    """A closed date range with its canonical key ("2026-H1") and Chinese label."""

    key: str
    kind: str
    start: date
    end: date
    label: str

    def __str__(self) -> str:
        return self.label

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def whole_months(self) -> bool:
        """Whether it starts on a month's first day and ends on a month's last (years, halves,
        quarters and months do): kept monthly totals then answer for it exactly."""
        return self.start.day == 1 and (self.end + timedelta(days=1)).day == 1

    def elapsed_fraction(self, today: date) -> float:
        """How much of the period lies on or before `today`: 0 before it starts, 1 once over.

        Counted in whole days with `today` included, so on the last day the period is fully
        elapsed and a target not yet met is then behind, not "on track".
        """
        if today < self.start:
            return 0.0
        if today >= self.end:
            return 1.0
        return ((today - self.start).days + 1) / self.days


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def year_period(year: int) -> Period:
    return Period(
        str(year), PeriodKind.YEAR, date(year, 1, 1), date(year, 12, 31), _("%(y)d年") % {"y": year}
    )


def half_period(year: int, half: int) -> Period:
    first = half == 1
    label = _("%(y)d年上半年") if first else _("%(y)d年下半年")
    return Period(
        f"{year}-H{half}",
        PeriodKind.HALF,
        date(year, 1 if first else 7, 1),
        date(year, 6, 30) if first else date(year, 12, 31),
        label % {"y": year},
    )


def quarter_period(year: int, quarter: int) -> Period:
    first_month = 3 * (quarter - 1) + 1
    return Period(
        f"{year}-Q{quarter}",
        PeriodKind.QUARTER,
        date(year, first_month, 1),
        _month_end(year, first_month + 2),
        _("%(y)d年第%(q)s季度") % {"y": year, "q": CN_QUARTERS[quarter - 1]},
    )


def month_period(year: int, month: int) -> Period:
    return Period(
        f"{year}-{month:02d}",
        PeriodKind.MONTH,
        date(year, month, 1),
        _month_end(year, month),
        _("%(y)d年%(m)d月") % {"y": year, "m": month},
    )


def range_period(start: date, end: date) -> Period:
    if end < start:
        raise ValueError(_("结束日期不能早于开始日期。"))
    label = _("%(y1)d年%(m1)d月%(d1)d日至%(y2)d年%(m2)d月%(d2)d日") % {
        "y1": start.year,
        "m1": start.month,
        "d1": start.day,
        "y2": end.year,
        "m2": end.month,
        "d2": end.day,
    }
    return Period(f"{start.isoformat()}..{end.isoformat()}", PeriodKind.RANGE, start, end, label)


def period_of(kind: str, year: int, index: int = 0) -> Period:
    """The period a plan covers: kind year/half/quarter/month, its year and index in the year."""
    if kind == PeriodKind.YEAR:
        return year_period(year)
    if kind == PeriodKind.HALF and index in (1, 2):
        return half_period(year, index)
    if kind == PeriodKind.QUARTER and 1 <= index <= 4:
        return quarter_period(year, index)
    if kind == PeriodKind.MONTH and 1 <= index <= 12:
        return month_period(year, index)
    raise ValueError(_("期间有误：%(kind)s %(index)s") % {"kind": kind, "index": index})


def parse_period(text: str) -> Period:
    """A period from its key (2026, 2026-H1, 2026-Q1, 2026-05, 2026-01-01..2026-03-31).

    Raises ValueError with a message for the user otherwise.
    """
    text = (text or "").strip()
    if m := _YEAR.match(text):
        return year_period(int(m[1]))
    if m := _HALF.match(text):
        return half_period(int(m[1]), int(m[2]))
    if m := _QUARTER.match(text):
        return quarter_period(int(m[1]), int(m[2]))
    if (m := _MONTH.match(text)) and 1 <= int(m[2]) <= 12:
        return month_period(int(m[1]), int(m[2]))
    if m := _RANGE.match(text):
        try:
            start, end = date.fromisoformat(m[1]), date.fromisoformat(m[2])
        except ValueError:
            pass  # "2026-02-30": reported below like any other typo
        else:
            return range_period(start, end)
    message = _("无法识别的期间“%(text)s”，应为 %(forms)s。")
    raise ValueError(message % {"text": text, "forms": PERIOD_FORMS})


# --- The period picker: periods in words ------------------------------------------------------

PICKER_YEARS = 3  # this year and the two before: what a report or a check is about


def period_choices(today: date, current: Period | None = None) -> list[tuple[str, list[Period]]]:
    """The periods a picker offers, by year, newest first: each year, its halves, quarters and
    months (the months of this year up to today's). `current`, when the list lacks it (an older
    year, a date range), comes first under its own label."""
    groups: list[tuple[str, list[Period]]] = []
    for year in range(today.year, today.year - PICKER_YEARS, -1):
        months = today.month if year == today.year else 12
        periods = [
            year_period(year),
            *(half_period(year, h) for h in (1, 2)),
            *(quarter_period(year, q) for q in range(1, 5)),
            *(month_period(year, m) for m in range(1, months + 1)),
        ]
        groups.append((year_period(year).label, periods))
    if current is not None and all(current.key != p.key for _, ps in groups for p in ps):
        groups.insert(0, (_("当前"), [current]))
    return groups


def period_asked(params: Mapping[str, str], default: Period) -> tuple[Period, str]:
    """The period a page's picker asks for: `from` and `to` dates (a range, both given), else
    `period` (its key, as the picker's select and links write it), else `default`; and a
    message for the user when what was given cannot be read (the default is then shown)."""
    start, end = (params.get(k, "").strip()[:10] for k in ("from", "to"))
    if start or end:
        if not (start and end):
            return default, _("请同时填写开始和结束日期。")
        try:
            first, last = date.fromisoformat(start), date.fromisoformat(end)
        except ValueError:
            return default, _("日期有误，应为 2026-01-31 这样的日期。")
        try:
            return range_period(first, last), ""
        except ValueError as exc:  # the end before the start
            return default, str(exc)
    text = params.get("period", "").strip()
    try:
        return (parse_period(text) if text else default), ""
    except ValueError as exc:
        return default, str(exc)
