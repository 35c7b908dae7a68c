from datetime import date

from django.urls import reverse

from xuanwen.audit.models import Action, AuditEntry
from xuanwen.testing import BaseTestCase
from xuanwen.workdays import selectors, services
from xuanwen.workdays.models import YearSchedule

EDIT_2027 = reverse("workdays:edit", args=[2027])


def schedule_2027(user) -> YearSchedule:  # type: ignore[no-untyped-def]
    return services.schedule_save(
        user=user,
        data=services.ScheduleData(
            year=2027,
            source="国办发明电〔2026〕1号",
            holidays=[
                services.HolidayData("春节", date(2027, 2, 6), date(2027, 2, 13)),
                services.HolidayData("国庆节", date(2027, 10, 1), date(2027, 10, 7)),
            ],
            workdays=[services.MakeupData(date(2027, 2, 14), "春节调休")],
        ),
    )


class LookupTests(BaseTestCase):
    def test_builtin_years_follow_the_official_calendar(self) -> None:
        assert 2026 in selectors.builtin_years() and 2004 in selectors.builtin_years()
        assert selectors.is_workday(date(2026, 10, 1)) is False  # 国庆节
        assert selectors.is_workday(date(2026, 10, 10)) is True  # a Saturday worked (调休)
        assert selectors.is_workday(date(2026, 3, 11)) is True
        assert selectors.is_workday(date(2026, 3, 14)) is False  # a plain Saturday
        assert (
            selectors.days_between(date(2026, 10, 1), date(2026, 10, 1))[date(2026, 10, 1)].name
            == "国庆节"
        )

    def test_a_year_nobody_entered_is_missing_not_guessed(self) -> None:
        assert selectors.is_workday(date(2027, 3, 1)) is None  # a Monday, still unknown
        assert selectors.is_workday(date(2003, 3, 3)) is None

    def test_an_entered_year_answers_with_weekends_holidays_and_make_up_days(self) -> None:
        schedule_2027(self.admin)
        assert selectors.is_workday(date(2027, 3, 1)) is True
        assert selectors.is_workday(date(2027, 3, 6)) is False
        assert selectors.is_workday(date(2027, 2, 8)) is False  # 春节, a Monday
        assert selectors.is_workday(date(2027, 2, 14)) is True  # a Sunday worked
        assert (
            selectors.days_between(date(2027, 2, 14), date(2027, 2, 14))[date(2027, 2, 14)].name
            == "春节调休"
        )

    def test_a_range_costs_one_query_whatever_its_length_and_none_for_builtin_years(self) -> None:
        schedule_2027(self.admin)
        with self.assertNumQueries(0):
            selectors.days_between(date(2026, 1, 1), date(2026, 12, 31))
        with self.assertNumQueries(1):
            days = selectors.days_between(date(2026, 12, 28), date(2028, 1, 9))
        assert days[date(2026, 12, 31)].workday is True
        assert days[date(2027, 10, 4)].workday is False
        assert days[date(2028, 1, 3)].workday is None
        with self.assertNumQueries(1):
            selectors.days_between(date(2027, 3, 1), date(2027, 3, 7))


class EntryPageTests(BaseTestCase):
    def test_an_admin_enters_a_year_on_the_form_and_it_is_audited(self) -> None:
        self.client.force_login(self.admin)
        page = self.client.get(EDIT_2027)
        self.assertContains(page, 'value="春节"')  # the official holidays are named already
        self.assertContains(page, 'type="date"')
        response = self.client.post(
            EDIT_2027,
            {
                "source": "国务院办公厅通知",
                "h0_name": "元旦",
                "h0_start": "2027-01-01",
                "h0_end": "",  # one day
                "h1_name": "春节",  # a named row without dates is skipped
                "w0_date": "2027-02-14",
            },
        )
        self.assertRedirects(response, reverse("workdays:year", args=[2027]))
        schedule = YearSchedule.objects.get(year=2027)
        assert schedule.entered_by == self.admin
        assert [(e.kind, e.name, e.start, e.end) for e in schedule.entries.all()] == [
            ("holiday", "元旦", date(2027, 1, 1), date(2027, 1, 1)),
            ("workday", "调休上班", date(2027, 2, 14), date(2027, 2, 14)),
        ]
        entry = AuditEntry.objects.get(model="workdays.yearschedule")
        assert entry.action == Action.CREATE
        assert "元旦 2027-01-01" in str(entry.after)
        detail = self.client.get(reverse("workdays:year", args=[2027]))
        self.assertContains(detail, "国务院办公厅通知")

        # Editing replaces the entries; the audit keeps before and after.
        self.client.post(
            EDIT_2027,
            {"h0_name": "元旦", "h0_start": "2027-01-01", "h0_end": "2027-01-03"},
        )
        assert schedule.entries.get().end == date(2027, 1, 3)
        update = AuditEntry.objects.get(model="workdays.yearschedule", action=Action.UPDATE)
        assert update.before is not None and "元旦 2027-01-01" in str(update.before)

    def test_mistakes_are_named_in_chinese_and_nothing_is_saved(self) -> None:
        self.client.force_login(self.admin)
        response = self.client.post(
            EDIT_2027,
            {
                "h0_name": "元旦",
                "h0_start": "2027-01-03",
                "h0_end": "2027-01-01",
                "h1_name": "春节",
                "h1_start": "2028-02-06",
                "h1_end": "2028-02-08",
                "h2_name": "清明节",
                "h2_end": "2027-04-05",
                "w0_date": "2027-03-03",  # a Wednesday
            },
        )
        assert response.status_code == 200
        self.assertContains(response, "元旦：结束日期不能早于开始日期。")
        self.assertContains(response, "春节：日期须在 2027 年内")
        self.assertContains(response, "请填写放假开始日期。")
        assert not YearSchedule.objects.exists()
        response = self.client.post(
            EDIT_2027,
            {"h0_name": "春节", "h0_start": "2027-02-06", "h0_end": "2027-02-13",
             "w0_date": "2027-03-03", "w1_date": "2027-02-07"},
        )  # fmt: skip
        self.assertContains(response, "2027-03-03 周三 本来就是工作日，不是调休上班日。")
        self.assertContains(response, "2027-02-07 周日 已是放假日")
        response = self.client.post(EDIT_2027, {"h0_name": "元旦"})
        self.assertContains(response, "请至少填写一个节日的放假日期。")
        assert not YearSchedule.objects.exists()

    def test_only_admins_enter_and_builtin_years_need_nothing(self) -> None:
        for user in (self.staff_a, self.supervisor, self.viewer, self.keeper):
            self.client.force_login(user)
            assert self.client.get(EDIT_2027).status_code == 403
            assert self.client.post(EDIT_2027, {"h0_start": "2027-01-01"}).status_code == 403
        assert not YearSchedule.objects.exists()
        self.client.force_login(self.admin)
        response = self.client.get(reverse("workdays:edit", args=[2026]))
        self.assertRedirects(response, reverse("workdays:year", args=[2026]))
        assert self.client.get(reverse("workdays:edit", args=[9999])).status_code == 404

    def test_everyone_reads_the_calendar(self) -> None:
        self.client.force_login(self.keeper)
        index = self.client.get(reverse("workdays:index"))
        self.assertContains(index, "日历缺失")  # 2027 not entered yet
        year = self.client.get(reverse("workdays:year", args=[2026]))
        self.assertContains(year, "国庆节")
        self.assertContains(year, "2026-10-10")
        missing = self.client.get(reverse("workdays:year", args=[2027]))
        self.assertContains(missing, "尚未录入")


class ApiTests(BaseTestCase):
    def test_read_the_calendar_and_a_range(self) -> None:
        r = self.client.get("/api/v1/workdays/", **self.bearer(self.keeper))
        assert r.json()["builtin_last"] >= 2026
        r = self.client.get("/api/v1/workdays/2027/", **self.bearer(self.keeper))
        assert r.json()["origin"] == "missing"
        r = self.client.get(
            "/api/v1/workdays/days/?start=2026-09-30&end=2026-10-02", **self.bearer(self.keeper)
        )
        assert [d["workday"] for d in r.json()] == [True, False, False]
        r = self.client.get(
            "/api/v1/workdays/days/?start=2027-01-01&end=2027-01-01", **self.bearer(self.keeper)
        )
        assert r.json()[0]["workday"] is None
        assert (
            self.client.get("/api/v1/workdays/9999/", **self.bearer(self.keeper)).status_code == 404
        )

    def test_an_admin_puts_a_year_and_others_may_not(self) -> None:
        body = {
            "source": "通知",
            "holidays": [{"name": "国庆节", "start": "2027-10-01", "end": "2027-10-07"}],
            "workdays": [{"date": "2027-10-09", "name": "国庆节调休"}],
        }
        r = self.client.put(
            "/api/v1/workdays/2027/", body, content_type="application/json",
            **self.bearer(self.staff_a),
        )  # fmt: skip
        assert r.status_code == 403
        r = self.client.put(
            "/api/v1/workdays/2027/", body, content_type="application/json",
            **self.bearer(self.admin),
        )  # fmt: skip
        assert r.status_code == 200, r.content
        assert r.json()["origin"] == "entered"
        assert r.json()["workdays"][0]["start"] == "2027-10-09"
        body["holidays"][0]["end"] = "2027-09-30"
        r = self.client.put(
            "/api/v1/workdays/2027/", body, content_type="application/json",
            **self.bearer(self.admin),
        )  # fmt: skip
        assert r.status_code == 400
        assert "结束日期不能早于开始日期" in r.json()["detail"]
        r = self.client.put(
            "/api/v1/workdays/2026/", body, content_type="application/json",
            **self.bearer(self.admin),
        )  # fmt: skip
        assert r.status_code == 400 and "已内置" in r.json()["detail"]
