"""Several opening sessions a day (#13 build 4): a morning and an afternoon are both kept,
their hours add up, a day counts once, and an overlapping session is refused everywhere."""

from datetime import date, time, timedelta
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xuanwen.indicators.periods import parse_period
from xuanwen.opening import compliance
from xuanwen.opening.excel import facility_label
from xuanwen.opening.models import OpeningLog
from xuanwen.testing import BaseTestCase, Tree, frozen, read_xlsx, xlsx_upload

from .helpers import log, make_facility

TODAY = date(2026, 11, 27)  # a Friday
DAY = date(2026, 11, 16)  # a Monday of a week that is over
HEADERS = ["阵地", "日期", "开始时间", "结束时间", "开放时长（小时）", "接待人次", "备注"]


def session(facility, day: date, start: str, end: str, visitors: int = 10) -> OpeningLog:  # type: ignore[no-untyped-def]
    a, b = time.fromisoformat(start), time.fromisoformat(end)
    hours = Decimal((b.hour * 60 + b.minute - a.hour * 60 - a.minute) / 60).quantize(Decimal("0.1"))
    return log(facility, day, str(hours), visitors, start=a, end=b)


class SessionsTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.enterContext(frozen(TODAY))
        self.station = make_facility(Tree.TOWNSHIP_A, name="古城街道综合文化站")  # 3 days, 3 h


class WeekGridAndIndicatorTests(SessionsTestCase):
    def test_morning_and_afternoon_show_as_two_sessions_and_add_up(self) -> None:
        session(self.station, DAY, "08:30", "11:30", visitors=12)
        session(self.station, DAY, "14:00", "17:30", visitors=20)
        assert OpeningLog.objects.filter(facility=self.station, date=DAY).count() == 2
        self.client.force_login(self.staff_a)
        page = self.client.get(reverse("opening:week"), {"facility": self.station.pk, "week": DAY})
        self.assertContains(page, "2场 6.5小时")
        day_list = (
            f"{reverse('opening:list')}?facility={self.station.pk}"
            "&amp;start=2026-11-16&amp;end=2026-11-16"
        )
        self.assertContains(page, day_list)
        # A day in sessions has no whole-day inputs; it leads to recording another session.
        assert "d0_hours" not in page.context["form"].fields
        self.assertContains(
            page, f"{reverse('opening:create')}?facility={self.station.pk}&amp;date=2026-11-16"
        )
        listed = self.client.get(day_list.replace("&amp;", "&"))
        assert len(listed.context["page"]) == 2
        self.assertContains(listed, "08:30–11:30")
        # The month's indicators: hours summed over sessions, the day counted once.
        r = self.client.get(
            f"/api/v1/indicators/opening.hours/values?unit={Tree.COUNTY}&period=2026-11",
            **self.bearer(self.supervisor),
        )
        assert Decimal(str(r.json()["value"])) == Decimal("6.5")
        r = self.client.get(
            f"/api/v1/indicators/opening.days/values?unit={Tree.COUNTY}&period=2026-11",
            **self.bearer(self.supervisor),
        )
        assert r.json()["value"] == 1
        r = self.client.get(
            f"/api/v1/indicators/opening.visitors/values?unit={Tree.COUNTY}&period=2026-11",
            **self.bearer(self.supervisor),
        )
        assert r.json()["value"] == 32

    def test_a_deleted_first_session_leaves_its_day_counted_once(self) -> None:
        first = session(self.station, DAY, "08:30", "11:30")
        session(self.station, DAY, "14:00", "17:30")
        OpeningLog.objects.filter(pk=first.pk).update(deleted_at="2026-11-20T00:00:00+08:00")
        r = self.client.get(
            f"/api/v1/indicators/opening.days/values?unit={Tree.COUNTY}&period=2026-11",
            **self.bearer(self.supervisor),
        )
        assert r.json()["value"] == 1

    def test_the_week_grid_costs_the_same_for_one_session_a_day_or_many(self) -> None:
        self.client.force_login(self.staff_a)
        url = reverse("opening:week")
        query = {"facility": self.station.pk, "week": DAY}
        log(self.station, DAY, "3")

        def count() -> int:
            with CaptureQueriesContext(connection) as ctx:
                assert self.client.get(url, query).status_code == 200
            return len(ctx)

        small = count()
        for offset in range(1, 7):
            for start in ("08:00", "10:00", "14:00", "19:00"):
                end = f"{int(start[:2]) + 1:02d}:30"
                session(self.station, DAY + timedelta(days=offset), start, end)
        assert count() == small


class ComplianceTests(SessionsTestCase):
    def test_a_day_counts_once_with_its_hours_summed(self) -> None:
        # Monday: two sessions of 2 hours each, neither enough alone, 4 together; Wednesday:
        # two sessions of 3.5; Friday: one of 3. Three qualifying days: the week is met.
        session(self.station, DAY, "08:00", "10:00")
        session(self.station, DAY, "14:00", "16:00")
        session(self.station, DAY + timedelta(days=2), "08:00", "11:30")
        session(self.station, DAY + timedelta(days=2), "13:00", "16:30")
        log(self.station, DAY + timedelta(days=4), "3")
        period = parse_period("2026-11-16..2026-11-22")
        with self.assertNumQueries(2):  # facilities, logs (the 2026 calendar is built in)
            [result] = compliance.compliance(Tree.TOWNSHIP_A, period)
        [week] = result.weeks
        assert week.status == compliance.WeekStatus.OK
        assert (week.open_days, week.qualifying) == (3, 3)
        assert week.days[0].hours == Decimal("4") and week.days[2].hours == Decimal("7")
        with self.assertNumQueries(2):
            parts = compliance.weeks_parts(Tree.TOWNSHIP_A, period, len(Tree.TOWNSHIP_A))
        assert parts[Tree.TOWNSHIP_A]["compliant"] == 1
        # Two short sessions on a day that still falls short: the day does not qualify, and
        # the reason names the day's summed hours.
        OpeningLog.objects.filter(date=DAY, start=time(14, 0)).update(
            end=time(14, 30), hours=Decimal("0.5")
        )
        [result] = compliance.compliance(Tree.TOWNSHIP_A, period)
        [week] = result.weeks
        assert week.status == compliance.WeekStatus.FAIL
        assert (week.open_days, week.qualifying) == (3, 2)
        assert any("仅开放 2.5 小时" in reason for reason in week.reasons)
        parts = compliance.weeks_parts(Tree.TOWNSHIP_A, period, len(Tree.TOWNSHIP_A))
        assert parts[Tree.TOWNSHIP_A]["failing"] == 1

    def test_compliance_costs_the_same_for_one_session_a_day_or_four(self) -> None:
        period = parse_period("2026-11")
        log(self.station, DAY, "3")
        with CaptureQueriesContext(connection) as small:
            compliance.compliance(Tree.COUNTY, period)
            compliance.weeks_parts(Tree.COUNTY, period, len(Tree.TOWNSHIP_A))
        for offset in range(1, 12):
            for start in ("08:00", "10:00", "14:00", "19:00"):
                end = f"{int(start[:2]) + 1:02d}:30"
                session(self.station, DAY - timedelta(days=offset), start, end)
        with CaptureQueriesContext(connection) as big:
            compliance.compliance(Tree.COUNTY, period)
            compliance.weeks_parts(Tree.COUNTY, period, len(Tree.TOWNSHIP_A))
        assert len(big) == len(small)


class ApiTests(SessionsTestCase):
    def test_sessions_are_created_updated_and_refused_one_by_one(self) -> None:
        auth = self.bearer(self.staff_a)
        url = "/api/v1/opening/logs/"
        body = {"facility": self.station.pk, "date": "2026-11-16", "start": "08:30", "end": "11:30"}
        r = self.client.post(url, body, content_type="application/json", **auth)
        assert r.status_code == 201, r.content
        morning = r.json()
        assert (morning["start"], morning["end"], morning["hours"]) == (
            "08:30:00",
            "11:30:00",
            "3.0",
        )
        r = self.client.post(
            url, {**body, "start": "14:00", "end": "17:30", "visitors": 20},
            content_type="application/json", **auth,
        )  # fmt: skip
        assert r.status_code == 201 and r.json()["hours"] == "3.5"
        afternoon = r.json()["id"]
        r = self.client.get(f"{url}?start=2026-11-16&end=2026-11-16", **auth)
        assert r.json()["count"] == 2
        # Overlapping: a 400 on `start`, in Chinese, naming the other session's times.
        r = self.client.post(
            url, {**body, "start": "11:00", "end": "12:00"}, content_type="application/json", **auth
        )
        assert r.status_code == 400
        [error] = r.json()["errors"]
        assert error["field"] == "start"
        assert "08:30–11:30" in error["message"] and "重叠" in error["message"]
        r = self.client.post(url, body, content_type="application/json", **auth)
        assert r.status_code == 400 and "已经登记过了" in r.json()["errors"][0]["message"]
        r = self.client.patch(
            f"{url}{afternoon}/", {"start": "10:00"}, content_type="application/json", **auth
        )
        assert r.status_code == 400 and r.json()["errors"][0]["field"] == "start"
        r = self.client.patch(
            f"{url}{afternoon}/", {"end": "18:00"}, content_type="application/json", **auth
        )
        assert r.status_code == 200 and r.json()["hours"] == "4.0"
        r = self.client.patch(
            f"{url}{afternoon}/", {"hours": "2"}, content_type="application/json", **auth
        )
        assert r.status_code == 400 and "按起止时间应为 4 小时" in r.json()["errors"][0]["message"]
        assert self.client.delete(f"{url}{afternoon}/", **auth).status_code == 204
        assert OpeningLog.objects.filter(facility=self.station).count() == 1

    def test_the_schema_says_a_log_is_a_session(self) -> None:
        schema = self.client.get("/api/v1/openapi.json").json()
        log_in = schema["components"]["schemas"]["LogIn"]
        assert {"start", "end"} <= set(log_in["properties"])
        assert "hours" not in log_in.get("required", [])
        assert "overlap" in log_in["description"]
        create = schema["paths"]["/api/v1/opening/logs/"]["post"]
        assert "各场不能重叠" in create["summary"]


class ImportExportTests(SessionsTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.client.force_login(self.staff_a)
        self.label = facility_label(self.station)

    def upload(self, rows: list[list[object]]):  # type: ignore[no-untyped-def]
        upload = xlsx_upload("开放.xlsx", "开放登记", HEADERS, rows)
        return self.client.post(reverse("opening:import"), {"file": upload})

    def test_two_rows_of_one_day_import_as_two_sessions_and_export_with_their_times(self) -> None:
        r = self.upload(
            [
                [self.label, "2026-11-16", "08:30", "11:30", None, 12, ""],
                [self.label, "2026-11-16", time(14, 0), time(17, 30), 3.5, 20, ""],
            ]
        )
        assert "total" in r.context, r.context.get("problems_shown")
        r = self.client.post(reverse("opening:import_confirm"), {"token": r.context["token"]})
        assert r.status_code == 302
        rows = OpeningLog.objects.order_by("start").values_list("start", "end", "hours")
        assert list(rows) == [
            (time(8, 30), time(11, 30), Decimal("3.0")),
            (time(14, 0), time(17, 30), Decimal("3.5")),
        ]
        book = read_xlsx(self.client.get(reverse("opening:data_export")))
        ws = book["开放登记"]
        assert [c.value for c in ws[1]][:5] == HEADERS[:5]
        assert sorted((r[2], r[3]) for r in ws.iter_rows(min_row=2, values_only=True)) == [
            ("08:30", "11:30"),
            ("14:00", "17:30"),
        ]
        # The same file again updates those sessions (以表中为准) rather than refusing them.
        r = self.upload(
            [
                [self.label, "2026-11-16", "08:30", "11:30", None, 15, ""],
                [self.label, "2026-11-16", "14:00", "17:30", None, 25, "改"],
            ]
        )
        r = self.client.post(reverse("opening:import_confirm"), {"token": r.context["token"]})
        assert list(OpeningLog.objects.order_by("start").values_list("visitors", flat=True)) == [
            15,
            25,
        ]
        report = read_xlsx(self.client.get(reverse("opening:export"))).worksheets[0]
        assert [c.value for c in report[2]][:4] == ["单位", "阵地", "日期", "时间"]

    def test_overlapping_rows_are_named_by_row_and_column(self) -> None:
        session(self.station, DAY, "08:30", "11:30")
        r = self.upload(
            [
                [self.label, "2026-11-17", "08:30", "11:30", None, 0, ""],
                [self.label, "2026-11-17", "11:00", "12:00", None, 0, ""],
                [self.label, "2026-11-16", "10:00", "12:00", None, 0, ""],
                [self.label, "2026-11-17", "18:00", "", None, 0, ""],
                [self.label, "2026-11-17", "18:00", "19:00", 2, 0, ""],
            ]
        )
        problems = r.context["problems_shown"]
        assert (
            "第 3 行 第 C 列（开始时间）：与第 2 行时间重叠：同一阵地同一天的各场不能重叠。"
            in problems
        ), problems
        assert any(
            p.startswith("第 4 行 第 C 列（开始时间）：与当天已登记的一场（08:30–11:30）时间重叠")
            for p in problems
        ), problems
        assert any(p.startswith("第 5 行 第 D 列（结束时间）：请同时填写") for p in problems)
        assert any(
            p.startswith("第 6 行 第 E 列（开放时长（小时））：按起止时间应为 1 小时")
            for p in problems
        )
        assert OpeningLog.objects.count() == 1
        r = self.upload([[self.label, "2026-11-17", "8点", "9:00", None, 0, ""]])
        assert r.context["problems_shown"] == [
            "第 2 行 第 C 列（开始时间）：请填写时间，如 08:30。"
        ]
