"""The home card's roll-up by child (compliance.branch_rows, counted without building each
day) gives exactly the compliance page's numbers (compliance.compliance judged day by day),
on a varied dataset: sessions adding up over a day, whole-day entries, short days, deleted
logs, facilities registered or built during the period, a closed and a deleted facility, the
work calendar's holiday weeks (国庆节) and a year whose calendar is missing."""

import random
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from xuanwen.facilities.models import Facility
from xuanwen.indicators.periods import parse_period, quarter_period
from xuanwen.opening.models import OpeningLog
from xuanwen.opening.views import children_compliance, unit_compliance
from xuanwen.testing import BaseTestCase, Tree, frozen
from xuanwen.units.models import Unit

from .helpers import bookhouse_kind, kind, log, make_facility, square_kind, station_kind

FIRST, LAST = date(2026, 7, 1), date(2027, 1, 31)  # the logs' days
# Sessions of one day: (start, end) pairs, hours derived; None is a whole-day entry.
SESSIONS = (
    [("08:30", "11:30"), ("14:00", "17:30")],  # 6.5 h over two sessions
    [("08:00", "09:30"), ("15:00", "16:30")],  # 3 h only when added up
    [("09:00", "10:00"), ("14:00", "15:30")],  # 2.5 h: short however many sessions
    [("09:00", "12:00")],
    [("09:00", "11:00")],
    None,
)


def _hours(start: str, end: str) -> Decimal:
    a, b = time.fromisoformat(start), time.fromisoformat(end)
    return Decimal((b.hour * 60 + b.minute - a.hour * 60 - a.minute) / 60).quantize(Decimal("0.1"))


def rows(pairs: list) -> list[tuple]:  # type: ignore[type-arg]
    return [
        (u.code, r.facilities, r.judged, r.compliant, r.failing, r.missing, r.rate)
        for u, r in pairs
    ]


class FastRollupTests(BaseTestCase):
    def setUp(self) -> None:
        rng = random.Random(20261127)
        kinds = [
            station_kind(),  # 3 days of 3 h
            bookhouse_kind(),  # 5 days, any hours
            kind("hall", "文化礼堂", 2, "2.0"),
            square_kind(),  # no rule: never judged
        ]
        places = [Tree.TOWNSHIP_A, Tree.VILLAGE_A, Tree.VILLAGE_A2, Tree.VILLAGE_B]
        facilities = []
        for n in range(12):
            facility = make_facility(places[n % 4], kinds[(n + n // 4) % 4], name=f"阵地{n}")
            # Registered in the spring, or during the period (its first weeks not judged).
            registered = rng.choice([date(2026, 3, 2), date(2026, 10, 14), date(2026, 12, 3)])
            facility.created_at = datetime.combine(registered, time(10), tzinfo=UTC)
            facility.opened_on = rng.choice([None, None, date(2026, 9, 30), date(2026, 11, 11)])
            facility.save()
            facilities.append(facility)
        for facility in facilities:
            day = FIRST
            while day <= LAST:
                if rng.random() < 0.55:  # about four days a week: some weeks pass, some fail
                    sessions = rng.choice(SESSIONS)
                    if sessions is None:
                        log(facility, day, rng.choice(["1", "2.5", "3", "4"]))
                    else:
                        for start, end in sessions:
                            log(
                                facility,
                                day,
                                str(_hours(start, end)),
                                start=time.fromisoformat(start),
                                end=time.fromisoformat(end),
                            )
                day += timedelta(days=1)
        # Deleted logs count for neither; a closed facility as the rule says (the same for
        # both); a deleted facility for neither.
        gone = OpeningLog.objects.filter(date__in=[date(2026, 10, 12), date(2026, 11, 3)])
        gone.update(deleted_at=datetime(2026, 11, 20, tzinfo=UTC))
        Facility.objects.filter(pk=facilities[0].pk).update(closed_on=date(2026, 11, 1))
        Facility.objects.filter(pk=facilities[5].pk).update(
            deleted_at=datetime(2026, 11, 20, tzinfo=UTC)
        )

    def assert_same(self, today: date, keys: list[str]) -> None:
        with frozen(today):
            periods = [quarter_period(today.year, (today.month - 1) // 3 + 1)]
            periods += [parse_period(k) for k in keys]
            for period in periods:
                for code in (Tree.COUNTY, Tree.TOWNSHIP_A, Tree.TOWNSHIP_B, Tree.VILLAGE_A):
                    unit = Unit.objects.get(code=code)
                    slow = rows(unit_compliance(unit, period)[1])
                    assert rows(children_compliance(unit, period)) == slow, (today, period, code)

    def test_the_fast_rollup_equals_the_day_by_day_one(self) -> None:
        # The fourth quarter holds National Day's week off and its make-up working days.
        self.assert_same(date(2026, 11, 27), ["2026", "2026-10", "2026-09"])
        with frozen(date(2026, 11, 27)):
            county = Unit.objects.get(code=Tree.COUNTY)
            counted = rows(children_compliance(county, parse_period("2026-Q4")))
        # The dataset is varied enough to mean something: weeks passed and failed per branch.
        assert all(judged > compliant > 0 for _c, _f, judged, compliant, *_ in counted)

    def test_equal_where_the_calendar_is_missing(self) -> None:
        # 2027 is not in the calendar: the weeks of January are 日历缺失 for both.
        self.assert_same(date(2027, 1, 29), ["2026", "2026-12", "2027-01"])
        with frozen(date(2027, 1, 29)):
            county = Unit.objects.get(code=Tree.COUNTY)
            counted = rows(children_compliance(county, parse_period("2027-01")))
        assert any(missing for *_, missing, _rate in counted)
