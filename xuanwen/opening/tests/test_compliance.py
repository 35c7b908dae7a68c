"""The acceptance items about opening compliance, through the pages and the database."""

from datetime import date, timedelta

from django.urls import reverse

from xuanwen.indicators.periods import parse_period
from xuanwen.opening import compliance
from xuanwen.opening.compliance import WeekStatus
from xuanwen.testing import BaseTestCase, Tree, frozen
from xuanwen.workdays.models import YearSchedule

from .helpers import bookhouse_kind, log, make_facility, square_kind

COMPLIANCE = reverse("opening:compliance")
MARCH_9 = date(2026, 3, 9)  # a Monday of a normal week


def week(period_start: date) -> str:
    return f"{period_start.isoformat()}..{(period_start + timedelta(days=6)).isoformat()}"


def days(monday: date, *offsets: int) -> list[date]:
    return [monday + timedelta(days=o) for o in offsets]


class ComplianceTestCase(BaseTestCase):
    today = date(2026, 11, 27)

    def setUp(self) -> None:
        self.enterContext(frozen(self.today))
        self.station = make_facility(Tree.TOWNSHIP_A, name="古城街道综合文化站")

    def judge(self, monday: date, facility=None):  # type: ignore[no-untyped-def]
        facility = facility or self.station
        results = compliance.compliance(
            facility.unit_id, parse_period(week(monday)), facility_id=facility.pk
        )
        [result] = results
        [the_week] = result.weeks
        return the_week


class WeekRuleTests(ComplianceTestCase):
    def test_mon_wed_fri_for_three_and_a_half_hours_complies(self) -> None:
        for day in days(MARCH_9, 0, 2, 4):
            log(self.station, day, "3.5")
        w = self.judge(MARCH_9)
        assert w.status == WeekStatus.OK
        assert (w.qualifying, w.required, w.workdays) == (3, 3, 5)

    def test_two_days_fail_and_say_so(self) -> None:
        for day in days(MARCH_9, 0, 2):
            log(self.station, day, "4")
        w = self.judge(MARCH_9)
        assert w.status == WeekStatus.FAIL
        assert w.reasons == ["只开放 2 天，需 3 天"]

    def test_three_days_with_one_short_fail_and_the_page_names_the_week_and_day(self) -> None:
        log(self.station, MARCH_9, "3.5")
        log(self.station, MARCH_9 + timedelta(days=2), "2.5")
        log(self.station, MARCH_9 + timedelta(days=4), "3.5")
        w = self.judge(MARCH_9)
        assert w.status == WeekStatus.FAIL
        assert w.reasons[0].startswith("2026-03-11 周三 仅开放 2.5 小时")
        assert w.reasons[-1] == "达标开放 2 天，需 3 天"

        self.client.force_login(self.staff_a)
        page = self.client.get(COMPLIANCE, {"unit": Tree.TOWNSHIP_A, "period": "2026-03"})
        self.assertContains(page, "2026-03-09 – 03-15")
        self.assertContains(page, "2026-03-11 周三 仅开放 2.5 小时")
        self.assertContains(page, "古城街道综合文化站")
        facility_page = self.client.get(
            reverse("opening:facility_compliance", args=[self.station.pk]), {"period": "2026-03"}
        )
        self.assertContains(facility_page, "2026-03-11 周三 仅开放 2.5 小时")
        self.assertContains(facility_page, "未达标")

    def test_weekend_days_count(self) -> None:
        for day in days(MARCH_9, 4, 5, 6):  # Friday to Sunday
            log(self.station, day, "3")
        assert self.judge(MARCH_9).status == WeekStatus.OK

    def test_a_kind_without_an_hour_minimum_counts_every_recorded_day(self) -> None:
        bookhouse = make_facility(Tree.VILLAGE_A, bookhouse_kind())
        for day in days(MARCH_9, 0, 1, 2, 3, 4):
            log(bookhouse, day, "1")
        assert self.judge(MARCH_9, bookhouse).status == WeekStatus.OK
        bookhouse.opening_logs.filter(date=MARCH_9).delete()
        w = self.judge(MARCH_9, bookhouse)
        assert (w.status, w.reasons) == (WeekStatus.FAIL, ["只开放 4 天，需 5 天"])

    def test_a_kind_without_a_rule_is_not_judged(self) -> None:
        square = make_facility(Tree.VILLAGE_A, square_kind())
        results = compliance.compliance(Tree.VILLAGE_A, parse_period("2026-03"))
        assert square.pk not in [r.facility.pk for r in results]

    def test_a_running_week_and_weeks_before_the_facility_are_not_judged(self) -> None:
        log(self.station, MARCH_9, "4")  # the first day recorded: the station exists from here
        earlier = self.judge(MARCH_9 - timedelta(days=7))
        assert earlier.status == WeekStatus.BEFORE
        this_week = compliance.compliance(
            Tree.TOWNSHIP_A, parse_period(week(date(2026, 11, 23))), facility_id=self.station.pk
        )[0].weeks
        assert [w.status for w in this_week] == [WeekStatus.RUNNING]
        future = compliance.compliance(Tree.TOWNSHIP_A, parse_period("2026-12"))[0].weeks
        assert future == []  # weeks not begun are not even listed

    def test_weeks_belong_to_the_month_of_their_thursday(self) -> None:
        mondays = compliance.mondays_of(parse_period("2026-03"), self.today)
        assert mondays[0] == date(2026, 3, 2)
        assert mondays[-1] == date(2026, 3, 23)  # 30 March's Thursday is 2 April: April's week
        mondays = compliance.mondays_of(parse_period("2026-04"), self.today)
        assert mondays[0] == date(2026, 3, 30)


class HolidayWeekTests(ComplianceTestCase):
    # 2026-09-28 (Mon) – 10-04 (Sun): the official calendar has 3 working days (28–30 Sept),
    # 1–7 October off; 10 October (Saturday) is worked in their place.
    monday = date(2026, 9, 28)

    def test_national_day_week_asks_for_the_working_days_only(self) -> None:
        bookhouse = make_facility(Tree.VILLAGE_A, bookhouse_kind())
        for day in days(self.monday, 0, 1, 2):
            log(bookhouse, day, "2")
        w = self.judge(self.monday, bookhouse)
        assert (w.workdays, w.required, w.status) == (3, 3, WeekStatus.OK)
        # A normal week asks the bookhouse for five.
        for day in days(MARCH_9, 0, 1, 2):
            log(bookhouse, day, "2")
        assert self.judge(MARCH_9, bookhouse).reasons == ["只开放 3 天，需 5 天"]

    def test_opening_on_the_holiday_counts(self) -> None:
        for day in days(self.monday, 0, 1, 4):  # Mon, Tue and 2 October
            log(self.station, day, "3")
        w = self.judge(self.monday)
        assert (w.required, w.status) == (3, WeekStatus.OK)
        holiday = w.days[4]
        assert (holiday.workday, holiday.holiday) == (False, "国庆节")

    def test_the_make_up_saturday_is_a_working_day(self) -> None:
        log(self.station, date(2026, 10, 8), "3")
        w = self.judge(date(2026, 10, 5))
        assert w.workdays == 3  # 8, 9 and Saturday 10 October
        assert w.days[5].workday is True


class CalendarMissingTests(ComplianceTestCase):
    today = date(2027, 6, 1)
    monday = date(2027, 3, 1)

    def test_a_2027_week_says_calendar_missing_until_an_admin_enters_the_year(self) -> None:
        for day in days(self.monday, 0, 2, 4):
            log(self.station, day, "3.5")
        w = self.judge(self.monday)
        assert w.status == WeekStatus.MISSING
        assert w.reasons == []

        self.client.force_login(self.staff_a)
        page = self.client.get(COMPLIANCE, {"unit": Tree.TOWNSHIP_A, "period": "2027-03"})
        self.assertContains(page, "日历缺失")
        self.assertContains(page, "2027-03-01")
        self.assertContains(page, "0 / 0")  # nothing judged

        self.client.force_login(self.admin)
        response = self.client.post(
            reverse("workdays:edit", args=[2027]),
            {
                "source": "国务院办公厅关于2027年部分节假日安排的通知",
                "h0_name": "元旦",
                "h0_start": "2027-01-01",
                "h0_end": "2027-01-03",
                "h1_name": "春节",
                "h1_start": "2027-02-06",
                "h1_end": "2027-02-13",
                "h6_name": "国庆节",
                "h6_start": "2027-10-01",
                "h6_end": "2027-10-07",
                "w0_date": "2027-02-14",
                "w0_name": "春节调休",
                "w1_date": "2027-10-09",
                "w1_name": "国庆节调休",
            },
        )
        self.assertRedirects(response, reverse("workdays:year", args=[2027]))
        assert YearSchedule.objects.filter(year=2027).exists()

        w = self.judge(self.monday)
        assert (w.status, w.required) == (WeekStatus.OK, 3)
        self.client.force_login(self.staff_a)
        page = self.client.get(COMPLIANCE, {"unit": Tree.TOWNSHIP_A, "period": "2027-03"})
        self.assertNotContains(page, 'id="calendar-missing"')

    def test_an_entered_holiday_week_is_judged_by_the_entered_schedule(self) -> None:
        from xuanwen.workdays import services as workday_services

        workday_services.schedule_save(
            user=self.admin,
            data=workday_services.ScheduleData(
                year=2027,
                holidays=[
                    workday_services.HolidayData("国庆节", date(2027, 10, 1), date(2027, 10, 7))
                ],
                workdays=[workday_services.MakeupData(date(2027, 10, 9), "国庆节调休")],
            ),
        )
        with frozen(date(2027, 11, 1)):
            monday = date(2027, 10, 4)  # Mon–Thu off, Friday and the make-up Saturday worked
            for day in days(monday, 4, 5):
                log(self.station, day, "3")
            w = self.judge(monday)
        assert (w.workdays, w.required, w.status) == (2, 2, WeekStatus.OK)


class WeeksPartsTests(ComplianceTestCase):
    """The indicators' parts count in the database what `compliance` judges day by day: both
    must give the same numbers for every branch."""

    def test_the_parts_add_up_what_the_weeks_say(self) -> None:
        from xuanwen.opening.models import OpeningLog

        bookhouse = make_facility(Tree.VILLAGE_A, bookhouse_kind(), name="书屋")
        make_facility(Tree.VILLAGE_A, square_kind(), name="广场")  # no rule: not judged
        started = make_facility(Tree.VILLAGE_A, name="新站")
        started.opened_on = date(2026, 1, 1)
        started.save()
        for monday in (date(2026, 3, 2), date(2026, 9, 28), date(2026, 11, 23)):
            for offset, hours in enumerate(("3.5", "2.5", "3", "4", "1")):
                log(self.station, monday + timedelta(days=offset), hours)
            for day in days(monday, 0, 1, 2, 5):  # 4 of 5: fails, but not in a holiday week
                log(bookhouse, day, "1")
        gone = log(self.station, date(2026, 3, 7), "5")
        OpeningLog.objects.filter(pk=gone.pk).update(deleted_at="2026-03-08T00:00:00+08:00")
        log(started, date(2026, 6, 3), "4")
        for key in ("2026", "2026-03", "2026-Q4", "2026-11"):
            for code, branch_len in (("331082", 9), (Tree.TOWNSHIP_A, 12), (Tree.VILLAGE_A, 12)):
                period = parse_period(key)
                judged = compliance.by_branch(compliance.compliance(code, period), branch_len)
                want = {
                    c: {
                        "judged": r.judged,
                        "compliant": r.compliant,
                        "failing": r.failing,
                        "missing": r.missing,
                        "facilities": r.facilities,
                    }
                    for c, r in judged.items()
                }
                assert compliance.weeks_parts(code, period, branch_len) == want, (key, code)
                if key == "2026":
                    assert all(r["compliant"] and r["failing"] for r in want.values())
