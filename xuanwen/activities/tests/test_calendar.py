from datetime import date

from django.urls import reverse

from xuanwen.testing import BaseTestCase, Tree, frozen

from .helpers import make_activity

URL = reverse("activities:calendar")


class CalendarTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.fair = make_activity(
            Tree.VILLAGE_A,
            title="迎春书画展",
            start_date=date(2026, 2, 14),
            end_date=date(2026, 2, 16),
        )
        cls.b = make_activity(Tree.TOWNSHIP_B, title="大洋灯会", start_date=date(2026, 2, 17))
        cls.other = make_activity(
            Tree.OTHER_TOWNSHIP, title="太平社火", start_date=date(2026, 2, 17)
        )
        # Starts in January and runs into February: shown on its February days too.
        cls.long = make_activity(
            Tree.TOWNSHIP_A,
            title="冬训讲座",
            start_date=date(2026, 1, 20),
            end_date=date(2026, 2, 2),
        )

    def days(self, response: object) -> dict[date, object]:
        return {day.date: day for week in response.context["weeks"] for day in week}  # type: ignore[attr-defined]

    def test_month_grid_starts_on_monday(self) -> None:
        self.client.force_login(self.staff_a)
        response = self.client.get(URL, {"month": "2026-02"})
        weeks = response.context["weeks"]
        # 1 February 2026 is a Sunday: the grid starts on Monday 26 January.
        self.assertEqual(weeks[0][0].date, date(2026, 1, 26))
        self.assertTrue(all(week[0].date.weekday() == 0 for week in weeks))
        self.assertEqual(weeks[-1][-1].date, date(2026, 3, 1))
        self.assertContains(response, "2026年2月")
        self.assertContains(response, "?month=2026-01")
        self.assertContains(response, "?month=2026-03")

    def test_multi_day_activities_and_festivals_on_their_days(self) -> None:
        self.client.force_login(self.staff_a)
        days = self.days(self.client.get(URL, {"month": "2026-02"}))
        for d in (14, 15, 16):
            self.assertIn(self.fair, days[date(2026, 2, d)].activities)
        self.assertNotIn(self.fair, days[date(2026, 2, 13)].activities)
        self.assertNotIn(self.fair, days[date(2026, 2, 17)].activities)
        self.assertIn(self.long, days[date(2026, 1, 26)].activities)
        self.assertIn(self.long, days[date(2026, 2, 2)].activities)
        self.assertIn("春节", days[date(2026, 2, 17)].festivals)
        self.assertEqual(days[date(2026, 3, 1)].festivals, [])
        # 元宵 2026 is 3 March, outside February's grid.
        days = self.days(self.client.get(URL, {"month": "2026-03"}))
        self.assertIn("元宵", days[date(2026, 3, 3)].festivals)

    def test_grid_across_new_year_has_both_years_festivals(self) -> None:
        self.client.force_login(self.staff_a)
        days = self.days(self.client.get(URL, {"month": "2025-12"}))
        self.assertIn("元旦", days[date(2026, 1, 1)].festivals)

    def test_out_of_scope_activities_are_invisible(self) -> None:
        self.client.force_login(self.staff_a)
        response = self.client.get(URL, {"month": "2026-02"})
        self.assertContains(response, "迎春书画展")
        self.assertNotContains(response, "大洋灯会")
        self.assertNotContains(response, "太平社火")
        response = self.client.get(URL, {"month": "2026-02", "unit": Tree.TOWNSHIP_B})
        self.assertNotContains(response, "大洋灯会")
        self.client.force_login(self.supervisor)
        response = self.client.get(URL, {"month": "2026-02", "unit": Tree.TOWNSHIP_B})
        self.assertContains(response, "大洋灯会")
        self.assertNotContains(response, "迎春书画展")
        self.assertNotContains(response, "太平社火")

    def test_phone_list_has_only_busy_days(self) -> None:
        self.client.force_login(self.staff_a)
        busy = self.client.get(URL, {"month": "2026-02"}).context["busy"]
        dates = [day.date for day in busy]
        self.assertIn(date(2026, 2, 14), dates)
        self.assertIn(date(2026, 2, 17), dates)  # 春节, no activity of A that day
        self.assertNotIn(date(2026, 2, 20), dates)
        self.assertTrue(all(d.month == 2 for d in dates))

    def test_bad_month_falls_back_to_this_month(self) -> None:
        self.client.force_login(self.viewer)
        with frozen(date(2026, 7, 9)):
            for value in ("", "2026", "2026-13", "abc", "99999-01"):
                response = self.client.get(URL, {"month": value})
                self.assertEqual(response.context["first"], date(2026, 7, 1), value)
