"""Free-opening compliance (免费开放达标) of facilities, judged week by week.

The rule (seed: 每周不低于三个工作日，每天不少于三个小时; the numbers live on the facility's
kind, so a bookhouse's 5 days are the same code):

- A week is Monday to Sunday. It asks for min(kind's days, official working days of the week):
  the week of National Day with three working days asks a bookhouse for three, not five, and a
  week wholly off (春节) asks for none.
- A *qualifying* day is a recorded day with at least the kind's minimum hours, summed over the
  day's sessions (morning and afternoon add up; any recorded day when the kind sets no
  minimum). A day counts once however many sessions it has. Days on a weekend or holiday
  qualify too. The rule sets how many days, and the calendar lowers that number in holiday
  weeks; which days is the station's choice. Weekends and festivals are when villagers are
  free and when festival events are held, and the free-opening standards ask for opening then
  (错时开放), so a station open Wednesday to Sunday serves people better than one open Monday to
  Wednesday and must not be marked failing for it.
- Not judged: a week not over yet, a week before the facility existed (before its first
  recorded day's week or its registration, and before its year of building), and a week with
  any day whose calendar is missing (shown as 日历缺失, never guessed).
- A week belongs to the period holding its Thursday (ISO 8601: most of its days), so each week
  counts in exactly one month and one year.

Everything is read in three queries whatever the number of facilities or weeks: the facilities
(with their first recorded day), their logs of the weeks, and the calendar of the weeks.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.db.models import F, Min, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xuanwen.core import clock, tree
from xuanwen.facilities.models import Facility
from xuanwen.indicators.periods import Period
from xuanwen.workdays.selectors import Day, days_between

from .models import OpeningLog

WEEKDAYS = (
    gettext_lazy("周一"),
    gettext_lazy("周二"),
    gettext_lazy("周三"),
    gettext_lazy("周四"),
    gettext_lazy("周五"),
    gettext_lazy("周六"),
    gettext_lazy("周日"),
)


class WeekStatus(StrEnum):
    OK = "ok"
    FAIL = "fail"
    MISSING = "missing"  # a day's calendar is missing: not judged
    RUNNING = "running"  # not over yet: not judged
    BEFORE = "before"  # before the facility existed: not judged

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self])


STATUS_LABELS = {
    WeekStatus.OK: gettext_lazy("达标"),
    WeekStatus.FAIL: gettext_lazy("未达标"),
    WeekStatus.MISSING: gettext_lazy("日历缺失"),
    WeekStatus.RUNNING: gettext_lazy("本周未结束"),
    WeekStatus.BEFORE: gettext_lazy("阵地尚未启用"),
}


def hours_text(hours: Decimal | None) -> str:
    """3.0 → "3", 2.5 → "2.5"."""
    if hours is None:
        return ""
    text = f"{hours:.1f}"
    return text[:-2] if text.endswith(".0") else text


def day_label(day: date) -> str:
    return f"{day:%Y-%m-%d} {WEEKDAYS[day.weekday()]}"


@dataclass
class WeekDay:
    """One day of a judged week: the calendar's word on it and what was recorded."""

    date: date
    workday: bool | None
    holiday: str
    hours: Decimal | None
    qualifies: bool

    @property
    def label(self) -> str:
        return day_label(self.date)


@dataclass
class Week:
    """One facility's week with its verdict and, when failing, the reasons in Chinese."""

    monday: date
    status: WeekStatus
    days: list[WeekDay]
    required: int = 0
    qualifying: int = 0
    open_days: int = 0
    workdays: int | None = None
    reasons: list[str] = field(default_factory=list)

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    @property
    def judged(self) -> bool:
        return self.status in (WeekStatus.OK, WeekStatus.FAIL)


@dataclass
class FacilityCompliance:
    """A facility's weeks in a period and their counts."""

    facility: Facility
    weeks: list[Week]

    def count(self, status: WeekStatus) -> int:
        return sum(1 for w in self.weeks if w.status == status)

    @property
    def judged(self) -> int:
        return self.count(WeekStatus.OK) + self.count(WeekStatus.FAIL)

    @property
    def compliant(self) -> int:
        return self.count(WeekStatus.OK)

    @property
    def failing(self) -> int:
        return self.count(WeekStatus.FAIL)

    @property
    def missing(self) -> int:
        return self.count(WeekStatus.MISSING)

    @property
    def rate(self) -> float | None:
        return round(100 * self.compliant / self.judged, 1) if self.judged else None

    @property
    def failing_weeks(self) -> list[Week]:
        return [w for w in self.weeks if w.status == WeekStatus.FAIL]


def mondays_of(period: Period, until: date) -> list[date]:
    """The Mondays of the weeks belonging to the period (by their Thursday), up to the week
    holding `until`."""
    thursday = period.start + timedelta(days=(3 - period.start.weekday()) % 7)
    out = []
    while thursday <= period.end:
        monday = thursday - timedelta(days=3)
        if monday > until:
            break
        out.append(monday)
        thursday += timedelta(days=7)
    return out


def judged_facilities(unit_code: str, facility_id: int | None = None) -> Any:
    """Live facilities of the subtree whose kind has an opening rule, with their first
    recorded day (`first_log`)."""
    qs = Facility.objects.filter(
        tree.subtree_q(unit_code, "unit_id"), kind__min_days_per_week__isnull=False
    )
    if facility_id is not None:
        qs = qs.filter(pk=facility_id)
    return (
        qs.select_related("kind", "unit")
        .annotate(
            first_log=Min("opening_logs__date", filter=Q(opening_logs__deleted_at__isnull=True))
        )
        .order_by("unit_id", "name", "pk")
    )


def _first_judged_monday(facility: Any, zone: tzinfo | None = None) -> date:
    """The Monday of the first week the facility can be judged for.

    Its registration day's week counts only from a Monday on (registered on a Friday, it could
    not have opened three days that week); a recorded day proves it was open that week.
    `zone` is the current time zone, looked up once by callers judging many facilities.
    """
    return _first_monday(facility.created_at, facility.first_log, facility.opened_on, zone)


def _first_monday(
    created_at: datetime | None, first_log: date | None, opened_on: date | None, zone: tzinfo | None
) -> date:
    zone = zone or timezone.get_current_timezone()
    created = created_at.astimezone(zone).date() if created_at else None
    candidates = []
    if created is not None:
        candidates.append(created + timedelta(days=(7 - created.weekday()) % 7))
    if first_log is not None:
        candidates.append(first_log - timedelta(days=first_log.weekday()))
    start = min(candidates) if candidates else date.max
    if opened_on:
        # Not judged before the first whole week it stood.
        start = max(start, opened_on + timedelta(days=(7 - opened_on.weekday()) % 7))
    return start


def judge_week(
    facility: Any,
    monday: date,
    calendar: dict[date, Day],
    logs: dict[date, Decimal],
    *,
    until: date,
    first_monday: date,
) -> Week:
    """The verdict on one week of one facility (no queries: everything is handed in)."""
    kind = facility.kind
    minimum = kind.min_hours_per_day
    days = []
    for offset in range(7):
        day = monday + timedelta(days=offset)
        info = calendar[day]
        hours = logs.get(day)
        qualifies = hours is not None and (minimum is None or hours >= minimum)
        days.append(WeekDay(day, info.workday, info.name, hours, qualifies))
    week = Week(monday=monday, status=WeekStatus.OK, days=days)
    week.open_days = sum(1 for d in days if d.hours is not None)
    week.qualifying = sum(1 for d in days if d.qualifies)
    if monday + timedelta(days=6) >= until:
        week.status = WeekStatus.RUNNING
        return week
    if monday < first_monday:
        week.status = WeekStatus.BEFORE
        return week
    if any(d.workday is None for d in days):
        week.status = WeekStatus.MISSING
        return week
    week.workdays = sum(1 for d in days if d.workday)
    week.required = min(kind.min_days_per_week, week.workdays)
    if week.qualifying >= week.required:
        return week
    week.status = WeekStatus.FAIL
    for d in days:
        if d.hours is not None and not d.qualifies:
            week.reasons.append(
                _("%(day)s 仅开放 %(hours)s 小时（需 %(min)s 小时）")
                % {"day": d.label, "hours": hours_text(d.hours), "min": hours_text(minimum)}
            )
    if week.open_days == week.qualifying:
        week.reasons.append(
            _("只开放 %(n)d 天，需 %(m)d 天") % {"n": week.open_days, "m": week.required}
        )
    else:
        week.reasons.append(
            _("达标开放 %(n)d 天，需 %(m)d 天") % {"n": week.qualifying, "m": week.required}
        )
    return week


def _logs(unit_code: str, first: date, last: date) -> Any:
    """The live logs of the subtree's judged facilities between two days."""
    return OpeningLog.objects.filter(
        tree.subtree_q(unit_code, "facility__unit_id"),
        facility__deleted_at__isnull=True,
        facility__kind__min_days_per_week__isnull=False,
        date__gte=first,
        date__lte=last,
    ).order_by()


def compliance(
    unit_code: str, period: Period, *, facility_id: int | None = None, until: date | None = None
) -> list[FacilityCompliance]:
    """Every judged facility of the unit's subtree with its weeks of the period (3 queries).

    The caller has checked the unit (or facility) is in the user's scope.
    """
    until = until or clock.today()
    mondays = mondays_of(period, until)
    facilities = list(judged_facilities(unit_code, facility_id))
    if not mondays or not facilities:
        return [FacilityCompliance(f, []) for f in facilities]
    first, last = mondays[0], mondays[-1] + timedelta(days=6)
    logs_qs = _logs(unit_code, first, last)
    if facility_id is not None:
        logs_qs = logs_qs.filter(facility_id=facility_id)
    # A day's hours are the sum of its sessions (morning and afternoon add up).
    logs: dict[int, dict[date, Decimal]] = defaultdict(dict)
    for fid, day, hours in logs_qs.values_list("facility_id", "date").annotate(Sum("hours")):
        logs[fid][day] = hours
    calendar = days_between(first, last)
    zone = timezone.get_current_timezone()
    out = []
    for facility in facilities:
        start = _first_judged_monday(facility, zone)
        own = logs.get(facility.pk, {})
        out.append(
            FacilityCompliance(
                facility,
                [
                    judge_week(facility, m, calendar, own, until=until, first_monday=start)
                    for m in mondays
                ],
            )
        )
    return out


@dataclass
class BranchRow:
    """A child unit's roll-up: facilities judged, weeks compliant of judged, the rate."""

    code: str
    facilities: int = 0
    judged: int = 0
    compliant: int = 0
    failing: int = 0
    missing: int = 0

    @property
    def rate(self) -> float | None:
        return round(100 * self.compliant / self.judged, 1) if self.judged else None


def by_branch(results: list[FacilityCompliance], branch_len: int) -> dict[str, BranchRow]:
    """The results added up by the facility's unit code cut to `branch_len` (no queries)."""
    rows: dict[str, BranchRow] = {}
    for r in results:
        code = r.facility.unit_id[:branch_len]
        row = rows.setdefault(code, BranchRow(code))
        row.facilities += 1
        row.judged += r.judged
        row.compliant += r.compliant
        row.failing += r.failing
        row.missing += r.missing
    return rows


def branch_rows(unit_code: str, period: Period, branch_len: int) -> dict[str, BranchRow]:
    """`by_branch(compliance(unit_code, period), branch_len)`: the same rows, without building
    every day of every facility's week (the home card and the indicators need only counts).

    The database sums each facility-day's sessions and returns the days with enough hours,
    which are counted per week; the calendar is judged once per week for all facilities, and
    each facility-week is then a few comparisons of integers. Three queries, as `compliance`.
    """
    until = clock.today()
    mondays = mondays_of(period, until)
    facilities = list(
        judged_facilities(unit_code).values_list(
            "pk", "unit_id", "kind__min_days_per_week", "created_at", "first_log", "opened_on"
        )
    )
    rows: dict[str, BranchRow] = {}
    for facility in facilities:
        code = facility[1][:branch_len]
        rows.setdefault(code, BranchRow(code)).facilities += 1
    if mondays and facilities:
        first, last = mondays[0], mondays[-1] + timedelta(days=6)
        # A qualifying day has enough hours summed over its sessions; counted per week.
        qualifying: dict[tuple[int, date], int] = defaultdict(int)
        for fid, day in (
            _logs(unit_code, first, last)
            .values("facility_id", "date", "facility__kind__min_hours_per_day")
            .annotate(total=Sum("hours"))
            .filter(
                Q(facility__kind__min_hours_per_day__isnull=True)
                | Q(total__gte=F("facility__kind__min_hours_per_day"))
            )
            .values_list("facility_id", "date")
        ):
            qualifying[(fid, day - timedelta(days=day.weekday()))] += 1
        calendar = days_between(first, last)
        # Per week its official working days, or None when a day's calendar is missing; the
        # week holding `until` is not over (RUNNING) and, being the last, is left out.
        weeks: list[tuple[date, int | None]] = []
        for monday in mondays:
            if monday + timedelta(days=6) >= until:
                break
            days = [calendar[monday + timedelta(days=offset)].workday for offset in range(7)]
            weeks.append((monday, None if None in days else sum(1 for d in days if d)))
        zone = timezone.get_current_timezone()
        for pk, unit_id, rule, created_at, first_log, opened_on in facilities:
            row = rows[unit_id[:branch_len]]
            start = _first_monday(created_at, first_log, opened_on, zone)
            for monday, workdays in weeks:
                if monday < start:
                    continue  # BEFORE
                if workdays is None:
                    row.missing += 1
                elif qualifying.get((pk, monday), 0) >= min(rule, workdays):
                    row.compliant += 1
                else:
                    row.failing += 1
    for row in rows.values():
        row.judged = row.compliant + row.failing
    return rows


def weeks_parts(unit_code: str, period: Period, branch_len: int) -> dict[str, dict[str, Any]]:
    """The computed indicators' parts (see indicators.registry.Computed): `branch_rows`."""
    return {
        code: {
            "judged": row.judged,
            "compliant": row.compliant,
            "failing": row.failing,
            "missing": row.missing,
            "facilities": row.facilities,
        }
        for code, row in branch_rows(unit_code, period, branch_len).items()
    }
