from datetime import date

from django.test import SimpleTestCase

from xuanwen.duties import cycles
from xuanwen.duties.models import Cycle


class PeriodTests(SimpleTestCase):
    def test_it_cuts_every_cycle(self) -> None:
        day = date(2026, 3, 18)  # a Wednesday
        cases = {
            Cycle.WEEKLY: (date(2026, 3, 16), date(2026, 3, 22)),
            Cycle.HALF_MONTHLY: (date(2026, 3, 16), date(2026, 3, 31)),
            Cycle.MONTHLY: (date(2026, 3, 1), date(2026, 3, 31)),
            Cycle.QUARTERLY: (date(2026, 1, 1), date(2026, 3, 31)),
            Cycle.YEARLY: (date(2026, 1, 1), date(2026, 12, 31)),
        }
        for cycle, (start, end) in cases.items():
            p = cycles.period_of(cycle, None, day)
            self.assertEqual((p.start, p.end, p.due), (start, end, end), cycle)

    def test_it_labels_the_halves_of_a_month(self) -> None:
        first = cycles.period_of(Cycle.HALF_MONTHLY, None, date(2026, 3, 2))
        second = cycles.period_of(Cycle.HALF_MONTHLY, None, date(2026, 3, 25))
        self.assertEqual((first.start, first.end), (date(2026, 3, 1), date(2026, 3, 15)))
        self.assertEqual(first.label, "2026年3月上半月")
        self.assertEqual(second.label, "2026年3月下半月")

    def test_a_day_of_the_month_is_due_that_day_and_clamped(self) -> None:
        p = cycles.period_of(Cycle.MONTH_DAY, 10, date(2026, 3, 25))
        self.assertEqual((p.start, p.due), (date(2026, 3, 1), date(2026, 3, 10)))
        self.assertEqual(
            cycles.on_time_until(Cycle.MONTH_DAY, p),
            date(2026, 3, 10 + cycles.MONTH_DAY_GRACE_DAYS),
        )
        feb = cycles.period_of(Cycle.MONTH_DAY, 31, date(2026, 2, 3))
        self.assertEqual(feb.due, date(2026, 2, 28))

    def test_periods_count_from_the_start_date_by_their_due_date(self) -> None:
        halves = cycles.periods_between(
            Cycle.HALF_MONTHLY, None, date(2026, 3, 1), date(2026, 4, 30), since=date(2026, 3, 20)
        )
        self.assertEqual(halves[0].start, date(2026, 3, 16))
        self.assertEqual(len(halves), 3)
        study = cycles.periods_between(
            Cycle.MONTH_DAY, 10, date(2026, 3, 1), date(2026, 4, 30), since=date(2026, 3, 20)
        )
        self.assertEqual([p.start for p in study], [date(2026, 4, 1)])

    def test_weeks_cross_the_year(self) -> None:
        p = cycles.period_of(Cycle.WEEKLY, None, date(2026, 1, 1))
        self.assertEqual((p.start, p.end), (date(2025, 12, 29), date(2026, 1, 4)))
