"""Every table a user sees exports as a report .xlsx (#13 build 5): read back with openpyxl,
row 1 is a title naming the unit, the period and 制表时间; no id or code columns; numbers are
numbers; the totals row equals the page's totals. And the pages print on A4 without the top
bar, the filters and the buttons."""

import re
from datetime import date
from pathlib import Path
from typing import Any

from django.urls import reverse
from openpyxl import Workbook

from xuanwen.activities.models import Activity
from xuanwen.duties.tests.helpers import complete, make_duty
from xuanwen.indicators.tests.helpers import make_activity
from xuanwen.opening.tests.helpers import log, make_facility
from xuanwen.plans.tests.helpers import plan_with_item
from xuanwen.testing import BaseTestCase, Tree, frozen, read_xlsx

INDICATORS = reverse("indicators:table")
INDICATORS_EXPORT = reverse("indicators:export")
DUTIES_EXPORT = reverse("duties:compliance_export")
OPENING_EXPORT = reverse("opening:compliance_export")
PRINT_CSS = Path(__file__).resolve().parents[1] / "static" / "xuanwen" / "css" / "print.css"
CODE_WORDS = ("代码", "编码", "ID", "id", "编号")


class ReportCase(BaseTestCase):
    """Reading a report back and checking what every report must be."""

    def report(self, url: str, user: Any, **query: Any) -> list[tuple[Any, ...]]:
        self.client.force_login(user)
        response = self.client.get(url, query)
        self.assertEqual(response.status_code, 200, url)
        self.assertIn(".xlsx", response["Content-Disposition"])
        book: Workbook = read_xlsx(response)
        [sheet] = book.worksheets
        return list(sheet.iter_rows(values_only=True))

    def assertTitle(self, rows: list[tuple[Any, ...]], *parts: str) -> None:
        title = str(rows[0][0])
        for part in (*parts, "制表时间", "2026-06-15 10:"):
            self.assertIn(part, title)
        self.assertEqual([v for v in rows[0][1:] if v is not None], [])

    def assertNoCodes(self, rows: list[tuple[Any, ...]], *codes: str) -> None:
        """No header names a code or id, and no cell holds a unit code."""
        for header in rows[1]:
            self.assertFalse(any(w in str(header or "") for w in CODE_WORDS), header)
        cells = {str(v) for r in rows for v in r if v is not None}
        for code in codes:
            self.assertFalse(any(code in c for c in cells), code)


def activity(unit: str, day: date, participants: int, audience: int = 0) -> Activity:
    return make_activity(unit, start=day, participants=participants, audience=audience)


@frozen(date(2026, 6, 15))
class IndicatorReportTests(ReportCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        activity(Tree.VILLAGE_A, date(2026, 3, 1), 10, 100)
        activity(Tree.VILLAGE_A2, date(2026, 3, 2), 5)
        activity(Tree.TOWNSHIP_A, date(2026, 3, 3), 7)
        activity(Tree.VILLAGE_B, date(2026, 4, 1), 20)
        activity(Tree.VILLAGE_B, date(2025, 4, 1), 99)  # another year
        activity(Tree.OTHER_TOWNSHIP, date(2026, 4, 1), 50)  # another county

    def test_by_child_has_a_row_per_child_and_the_pages_totals(self) -> None:
        query = {"unit": Tree.COUNTY, "period": "2026", "by": "child"}
        query["indicator"] = ["activities.count", "activities.participants"]  # type: ignore[assignment]
        rows = self.report(INDICATORS_EXPORT, self.supervisor, **query)
        self.assertTitle(rows, "临海市", "2026年")
        self.assertNoCodes(rows, Tree.TOWNSHIP_A, Tree.COUNTY)
        self.assertEqual(rows[1][0], "下级单位")
        self.assertEqual(rows[2:], [("古城街道", 3, 22), ("大洋街道", 1, 20), ("合计", 4, 42)])
        page = self.client.get(INDICATORS, query)
        self.assertContains(page, '<th class="num"><a href=', count=2)
        table = page.context["table_html"]
        self.assertIn(">4</a>", table)
        self.assertIn(">42</a>", table)

    def test_by_unit_lists_every_indicator_with_numbers(self) -> None:
        rows = self.report(INDICATORS_EXPORT, self.staff_a, period="2026-H1")
        self.assertTitle(rows, "古城街道", "2026年上半年")
        self.assertNoCodes(rows, Tree.TOWNSHIP_A)
        values = {r[1]: r[2] for r in rows[2:]}
        self.assertEqual(values["活动总次数"], 3)
        self.assertEqual(values["活动参与人次"], 22)
        for r in rows[2:]:
            self.assertTrue(r[2] is None or isinstance(r[2], int | float), r)

    def test_the_page_links_to_the_export_with_its_query(self) -> None:
        self.client.force_login(self.supervisor)
        page = self.client.get(INDICATORS, {"unit": Tree.TOWNSHIP_A, "period": "2026-Q1"})
        self.assertContains(page, f"{INDICATORS_EXPORT}?unit={Tree.TOWNSHIP_A}&period=2026-Q1")
        page = self.client.get(
            INDICATORS, {"unit": Tree.COUNTY, "by": "child", "indicator": "activities.count"}
        )
        self.assertContains(page, '&by=child&indicator=activities.count">导出 Excel')

    def test_it_is_scoped(self) -> None:
        self.client.force_login(self.staff_a)
        for unit in (Tree.TOWNSHIP_B, Tree.COUNTY, "999999", "不存在的村"):
            response = self.client.get(INDICATORS_EXPORT, {"unit": unit})
            self.assertEqual(response.status_code, 404, unit)
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get(INDICATORS_EXPORT, {"unit": Tree.COUNTY}).status_code, 404)
        rows = self.report(INDICATORS_EXPORT, self.outsider, period="2026", by="child")
        self.assertEqual(rows[2:], [("太平街道", 1, 50, 0), ("合计", 1, 50, 0)])

    def test_queries_do_not_grow_with_the_children(self) -> None:
        self.client.force_login(self.supervisor)
        query = {"unit": Tree.COUNTY, "period": "2026", "by": "child"}
        # Session, user, unit, the kind catalogues the indicators are named from, the
        # children, the activities' monthly tallies: the same for 2 children or 40.
        with self.assertNumQueries(9):
            self.client.get(INDICATORS_EXPORT, query)
        with self.assertNumQueries(9):
            self.client.get(INDICATORS_EXPORT, {**query, "unit": Tree.TOWNSHIP_A})


@frozen(date(2026, 6, 15))
class DutyComplianceReportTests(ReportCase):
    def test_by_child_and_by_duty_with_the_pages_totals(self) -> None:
        a = make_duty(self.staff_a, Tree.TOWNSHIP_A, name="黑板报", cycle="monthly")
        make_duty(self.staff_b, Tree.TOWNSHIP_B, name="安全检查", cycle="monthly")
        complete(self.staff_a, a, date(2026, 1, 20))
        complete(self.staff_a, a, date(2026, 3, 5))
        query = {"unit": Tree.COUNTY, "period": "2026-H1"}
        rows = self.report(DUTIES_EXPORT, self.supervisor, **query)
        self.assertTitle(rows, "临海市", "2026年上半年")
        self.assertNoCodes(rows, Tree.TOWNSHIP_A)
        page = self.client.get(reverse("duties:compliance"), query)
        total = page.context["result"].total
        [total_row] = [r for r in rows if r[0] == "合计"]
        self.assertEqual(
            total_row[1:7],
            (total.on_time, total.late, total.overdue, total.pending, total.due, total.rate),
        )
        by_child = {r[0]: r for r in rows[2:4]}
        self.assertEqual(set(by_child), {"古城街道", "大洋街道"})
        self.assertTrue(all(isinstance(v, int) for r in by_child.values() for v in r[1:6]))
        self.assertIn(("工作", "单位", "周期"), [r[:3] for r in rows])
        self.assertIn("黑板报", [r[0] for r in rows])
        self.assertContains(page, f"{DUTIES_EXPORT}?unit={Tree.COUNTY}&amp;period=2026-H1")

    def test_it_is_scoped(self) -> None:
        self.client.force_login(self.staff_a)
        for unit in (Tree.TOWNSHIP_B, Tree.COUNTY, "999999", "不存在的村"):
            self.assertEqual(self.client.get(DUTIES_EXPORT, {"unit": unit}).status_code, 404)
        self.client.force_login(self.unbound)
        self.assertRedirects(self.client.get(DUTIES_EXPORT), reverse("duties:compliance"))


@frozen(date(2026, 6, 15))
class OpeningComplianceReportTests(ReportCase):
    def test_by_child_and_by_facility_with_the_pages_total(self) -> None:
        station = make_facility(Tree.TOWNSHIP_A, name="古城街道综合文化站")
        make_facility(Tree.TOWNSHIP_B, name="大洋街道综合文化站")
        for day in (date(2026, 3, 9), date(2026, 3, 11), date(2026, 3, 13)):
            log(station, day, "3.5")
        query = {"unit": Tree.COUNTY, "period": "2026-03"}
        rows = self.report(OPENING_EXPORT, self.supervisor, **query)
        self.assertTitle(rows, "临海市", "2026年3月")
        self.assertNoCodes(rows, Tree.TOWNSHIP_A)
        page = self.client.get(reverse("opening:compliance"), query)
        total = page.context["total"]
        [total_row] = [r for r in rows if r[0] == "合计"]
        self.assertEqual(
            total_row[1:6],
            (total.facilities, total.compliant, total.judged, total.failing, total.rate),
        )
        self.assertEqual(rows[2][:3], ("古城街道", 1, 1))
        self.assertIn(("古城街道综合文化站", "古城街道"), [r[:2] for r in rows])
        self.assertContains(page, f"{OPENING_EXPORT}?unit={Tree.COUNTY}&period=2026-03")

    def test_it_is_scoped(self) -> None:
        self.client.force_login(self.staff_a)
        for unit in (Tree.TOWNSHIP_B, Tree.COUNTY, "999999"):
            self.assertEqual(self.client.get(OPENING_EXPORT, {"unit": unit}).status_code, 404)


@frozen(date(2026, 6, 15))
class PlanProgressReportTests(ReportCase):
    def test_every_item_with_its_target_and_actual(self) -> None:
        plan, _item = plan_with_item(
            self.staff_a, Tree.TOWNSHIP_A, "activities.count", text="开展活动", target_min=4
        )
        activity(Tree.VILLAGE_A, date(2026, 3, 1), 10)
        activity(Tree.TOWNSHIP_A, date(2026, 5, 1), 10)
        url = reverse("plans:progress_export", args=[plan.pk])
        rows = self.report(url, self.supervisor)
        self.assertTitle(rows, "古城街道", "2026年", "完成进度")
        self.assertNoCodes(rows, Tree.TOWNSHIP_A)
        [row] = [r for r in rows if r[1] == "开展活动"]
        self.assertEqual(row[3], 4)
        self.assertEqual(row[5], 2)
        self.assertEqual(row[6], 50)
        page = self.client.get(reverse("plans:progress", args=[plan.pk]))
        self.assertContains(page, url)
        [total] = [r for r in rows if r[0] == "合计"]
        self.assertEqual(total[1], "1 条")

    def test_it_is_scoped(self) -> None:
        plan, _item = plan_with_item(self.staff_a, Tree.TOWNSHIP_A, "activities.count")
        url = reverse("plans:progress_export", args=[plan.pk])
        for user in (self.staff_b, self.outsider):
            self.client.force_login(user)
            self.assertEqual(self.client.get(url).status_code, 404)


class PrintTests(BaseTestCase):
    def test_the_print_stylesheet_hides_the_top_bar_and_is_on_every_page(self) -> None:
        css = PRINT_CSS.read_text()
        self.assertIn("@media print", css)
        self.assertIn("size: A4", css)
        hidden = css.split("display: none")[0]
        for selector in (".topbar", ".filters", ".button", ".pager"):
            self.assertIn(selector, hidden)
        self.assertIn("break-inside: avoid", css)
        self.client.force_login(self.supervisor)
        for url in (reverse("activities:list"), reverse("plans:list"), INDICATORS):
            self.assertContains(self.client.get(url), "css/print.css")


# Every list's report export, by the list's URL name and its export's.
LISTS = (
    ("activities:list", "activities:export"),
    ("facilities:list", "facilities:export"),
    ("opening:list", "opening:export"),
    ("bookhouses:stock_all", "bookhouses:stock_export"),
    ("bookhouses:loans_all", "bookhouses:loans_export"),
    ("bookhouses:demands_all", "bookhouses:demands_export"),
    ("duties:completions", "duties:completions_export"),
    ("teams:person_list", "teams:people_export"),
    ("teams:team_list", "teams:teams_export"),
    ("teams:training_list", "teams:training_export"),
    ("teams:honour_list", "teams:honours_export"),
    ("households:list", "households:export"),
    ("designations:list", "designations:report"),
)


@frozen(date(2026, 6, 15))
class ListReportTests(ReportCase):
    """Each list's export, read back: the title, no codes, numbers as numbers, and a totals row
    counting what the list shows."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        from xuanwen.activities.tests.helpers import make_activity as activity_row
        from xuanwen.bookhouses.tests.helpers import (
            add_demand,
            add_loan,
            add_stock,
            make_bookhouse,
        )
        from xuanwen.designations.tests.helpers import make_designation
        from xuanwen.households.tests.helpers import make_household
        from xuanwen.teams.tests.helpers import make_honour, make_person, make_team, make_training

        for unit in (Tree.VILLAGE_A, Tree.TOWNSHIP_A, Tree.VILLAGE_B):
            activity_row(unit, participants=10, audience=5)
            house = make_bookhouse(unit, name=f"{unit}书屋")
            add_stock(house, 100)
            add_loan(house)
            add_demand(house)
            log(house, date(2026, 3, 2))
            make_household(unit, members=3)
            make_designation(unit, designated_on=date(2020, 1, 1))
            make_person(unit, name=f"{unit}人", phone="13800000000")
            make_team(unit, members=2)
            make_training(unit, sessions=2, trainees=3)
            make_honour(unit, name="先进集体")
            duty = make_duty(
                cls.admin, unit, name="黑板报", cycle="monthly", needs_photo=False, needs_note=True
            )
            complete(cls.admin, duty, date(2026, 3, 2))

    def test_every_list_exports_a_report(self) -> None:
        for list_name, export_name in LISTS:
            with self.subTest(export_name):
                rows = self.report(reverse(export_name), self.staff_a)
                self.assertTitle(rows, "古城街道", "全部时间")
                header_at = next(i for i, r in enumerate(rows[1:], 1) if len(set(r) - {None}) > 2)
                headers = [str(h or "") for h in rows[header_at]]
                for h in headers:
                    self.assertFalse(any(w in h for w in (*CODE_WORDS, "可选")), h)
                [total_at] = [i for i, r in enumerate(rows) if r[0] == "合计"]
                data = [r for r in rows[header_at + 1 : total_at] if any(r)]
                cells = {str(v) for r in rows for v in r if v is not None}
                for code in (Tree.VILLAGE_A, Tree.TOWNSHIP_A):
                    self.assertNotIn(code, cells)
                for r in data:
                    for h, v in zip(headers, r, strict=False):
                        if "电话" not in h and isinstance(v, str):
                            self.assertFalse(v.strip().isdigit(), (h, v))  # numbers as numbers
                # The totals count what the list shows (staff A's two units, not township B).
                page = self.client.get(reverse(list_name))
                listed = page.context["page"]
                shown = listed.total if hasattr(listed, "total") else listed.paginator.count
                self.assertEqual(len(data), shown)
                counted = [int(re.sub(r"\D", "", str(v)) or -1) for v in rows[total_at][1:3]]
                self.assertIn(shown, counted, rows[total_at])

    def test_the_title_names_the_period_asked_for(self) -> None:
        rows = self.report(
            reverse("activities:export"), self.supervisor, start="2026-01-01", end="2026-03-31",
            unit=Tree.TOWNSHIP_A,
        )  # fmt: skip
        self.assertTitle(rows, "古城街道", "2026-01-01 至 2026-03-31")
        [total] = [r for r in rows if r[0] == "合计"]
        self.assertEqual(total[2:10], ("2 项", None, None, None, None, 20, 10, 0))

    def test_list_exports_take_the_same_queries_for_more_rows(self) -> None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        self.client.force_login(self.supervisor)
        for _list_name, export_name in LISTS:
            with self.subTest(export_name), CaptureQueriesContext(connection) as county:
                response = self.client.get(reverse(export_name))
                b"".join(response.streaming_content)  # type: ignore[attr-defined]
            self.client.force_login(self.staff_a)
            with CaptureQueriesContext(connection) as township:
                response = self.client.get(reverse(export_name))
                b"".join(response.streaming_content)  # type: ignore[attr-defined]
            self.client.force_login(self.supervisor)
            self.assertEqual(len(county), len(township), export_name)


@frozen(date(2026, 6, 15))
class PageReportQueryTests(ReportCase):
    """The page tables' exports take the same queries for more rows."""

    def count(self, url: str, **query: Any) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url, query)
            b"".join(response.streaming_content)  # type: ignore[attr-defined]
        return len(queries)

    def test_compliance_and_progress_exports(self) -> None:
        plan, _item = plan_with_item(self.staff_a, Tree.TOWNSHIP_A, "activities.count")
        progress = reverse("plans:progress_export", args=[plan.pk])
        make_duty(self.staff_a, Tree.TOWNSHIP_A, name="黑板报", cycle="monthly")
        make_facility(Tree.TOWNSHIP_A, name="古城街道综合文化站")
        self.client.force_login(self.supervisor)
        before = [
            self.count(DUTIES_EXPORT, unit=Tree.COUNTY),
            self.count(OPENING_EXPORT, unit=Tree.COUNTY, period="2026-03"),
            self.count(progress),
        ]
        for unit in (Tree.VILLAGE_A, Tree.VILLAGE_A2, Tree.TOWNSHIP_B):
            make_duty(self.admin, unit, name="黑板报", cycle="monthly")
            log(make_facility(unit), date(2026, 3, 2))
        from xuanwen.plans import services

        section = plan.sections.get()
        for text in ("二", "三"):
            data = services.ItemData(text=text, indicator="activities.participants")
            services.item_create(user=self.staff_a, section=section, data=data)
        after = [
            self.count(DUTIES_EXPORT, unit=Tree.COUNTY),
            self.count(OPENING_EXPORT, unit=Tree.COUNTY, period="2026-03"),
            self.count(progress),
        ]
        self.assertEqual(before, after)

    def test_plan_pages_link_the_print_stylesheet(self) -> None:
        plan, _item = plan_with_item(self.staff_a, Tree.TOWNSHIP_A, "activities.count")
        self.client.force_login(self.staff_a)
        for url in (
            reverse("plans:detail", args=[plan.pk]),
            reverse("plans:progress", args=[plan.pk]),
        ):
            self.assertContains(self.client.get(url), 'css/print.css" media="print"')
