"""The pivot (unit × period) and the whole country as a scope: pages, export and API."""

from dataclasses import replace
from datetime import date

from xuanwen.accounts.models import User
from xuanwen.indicators import pivot, selectors
from xuanwen.indicators.periods import month_period, parse_period, quarter_period, year_period
from xuanwen.indicators.registry import get_indicator
from xuanwen.testing import BaseTestCase, Tree, frozen, read_xlsx
from xuanwen.units.models import Unit

from .helpers import make_activity
from .test_values import big_county

PIVOT = "/indicators/pivot/"


class PivotCase(BaseTestCase):
    def assertHas(self, html: str, text: str) -> None:
        self.assertTrue(text in html, text)  # not assertIn: it would print the whole page

    def assertLacks(self, html: str, text: str) -> None:
        self.assertFalse(text in html, text)

    def get(self, user: User, **params: str) -> str:
        self.client.force_login(user)
        response = self.client.get(PIVOT, {"indicator": "activities.count", **params})
        self.assertEqual(response.status_code, 200)
        return response.content.decode()


@frozen(date(2026, 11, 27))
class PivotTests(PivotCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        make_activity(Tree.VILLAGE_A, "培训", date(2026, 2, 10))
        make_activity(Tree.VILLAGE_A2, "培训", date(2026, 5, 1))
        make_activity(Tree.TOWNSHIP_B, "文艺演出", date(2026, 7, 1))
        # Spans March and April, so the first and second quarters each count it once, the
        # year once, not twice.
        make_activity(Tree.VILLAGE_A, "讲座", date(2026, 3, 30), date(2026, 4, 2), participants=7)
        make_activity(Tree.COUNTY, "讲座", date(2026, 8, 1))  # the county's own
        make_activity(Tree.OTHER_TOWNSHIP, "培训", date(2026, 3, 1))  # another county

    def test_a_year_by_township_then_quarter_then_month(self) -> None:
        html = self.get(self.supervisor, unit=Tree.COUNTY, period="2026")
        for label in ("古城街道", "大洋街道", "2026年第一季度", "2026年第四季度", "本级"):
            self.assertHas(html, label)
        # A township drills into its villages, a quarter into its months.
        self.assertHas(html, f"unit={Tree.TOWNSHIP_A}&period=2026")
        self.assertHas(html, f"unit={Tree.COUNTY}&period=2026-Q1")
        table = self.client.get(
            PIVOT, {"unit": Tree.COUNTY, "period": "2026"}, HTTP_HX_REQUEST="true"
        ).context["table"]
        values = {line.name: line.values for line in table.lines}
        self.assertEqual(values["古城街道"], [2, 2, 0, 0, 3])  # Q1, Q2, Q3, Q4, the year
        self.assertEqual(values["大洋街道"], [0, 0, 1, 0, 1])
        self.assertEqual(table.own.values, [0, 0, 1, 0, 1])
        self.assertEqual(table.total.values, [2, 2, 2, 0, 5])

        html = self.get(self.supervisor, unit=Tree.TOWNSHIP_A, period="2026-Q1")
        self.assertHas(html, "文化社区")
        self.assertHas(html, "井头社区")
        self.assertHas(html, "2026年1月")
        self.assertHas(html, "2026年3月")
        # Villages have no children: their names are not drill links.
        self.assertLacks(html, f"unit={Tree.VILLAGE_A}&period")
        # Back up: the crumbs lead to the county, the period to the year.
        self.assertHas(html, f"unit={Tree.COUNTY}&period=2026-Q1")
        self.assertHas(html, "上一级期间")

        table = self.client.get(
            PIVOT, {"unit": Tree.TOWNSHIP_A, "period": "2026-03"}, HTTP_HX_REQUEST="true"
        ).context["table"]
        self.assertEqual([c.key for c in table.columns], ["2026-03"])
        self.assertEqual({line.name: line.values for line in table.lines}["文化社区"], [1])

    def test_each_cell_links_to_its_records(self) -> None:
        html = self.get(self.supervisor, unit=Tree.COUNTY, period="2026")
        link = f"/activities/?unit={Tree.TOWNSHIP_A}&amp;start=2026-04-01&amp;end=2026-06-30"
        self.assertHas(html, link)

    def test_the_export_is_a_report(self) -> None:
        self.client.force_login(self.supervisor)
        response = self.client.get(
            "/indicators/pivot.xlsx", {"unit": Tree.COUNTY, "period": "2026"}
        )
        self.assertEqual(response.status_code, 200)
        sheet = read_xlsx(response).active
        rows = [[c.value for c in row] for row in sheet.iter_rows()]
        self.assertIn("活动总次数", rows[0][0])
        self.assertIn("临海市", rows[0][0])
        self.assertIn("2026年", rows[0][0])
        self.assertEqual(rows[1][0], "下级单位")
        self.assertEqual(rows[2], ["古城街道", 2, 2, 0, 0, 3])
        self.assertEqual(rows[-1], ["合计", 2, 2, 2, 0, 5])

    def test_out_of_scope_and_bad_input(self) -> None:
        self.client.force_login(self.staff_a)
        self.assertEqual(self.client.get(PIVOT, {"unit": Tree.TOWNSHIP_B}).status_code, 404)
        self.assertEqual(self.client.get(PIVOT, {"indicator": "x" * 5000}).status_code, 404)
        html = self.get(self.staff_a, period="2026-Q9")
        self.assertHas(html, "期间")
        bad = self.client.get("/indicators/pivot.xlsx", {"period": "nonsense"})
        self.assertEqual(bad.status_code, 404)

    def test_query_count_is_constant_in_units_and_periods(self) -> None:
        big_county("331083", 19)
        self.admin.is_superuser = True
        self.admin.save(update_fields=["is_superuser"])
        self.client.force_login(self.admin)
        counts = {
            self.count_queries(PIVOT, {"unit": unit, "period": period})
            for unit in (Tree.COUNTY, "331083")
            for period in ("2026", "2026-Q2", "2026-05")
        }
        self.assertEqual(len(counts), 1, counts)

    def test_it_answers_by_columns_as_each_period_alone(self) -> None:
        """One query for all the columns gives what a query per column gives, on the kept
        tallies (whole months) and on the records (a date range)."""
        indicator = get_indicator("activities.count")
        assert indicator is not None
        periods = [quarter_period(2026, q) for q in (1, 2)] + [
            month_period(2026, 4),
            parse_period("2026-03-15..2026-04-30"),
        ]
        together = selectors.tables_by_child([indicator], Tree.COUNTY, periods)
        for period, table in zip(periods, together, strict=True):
            alone = selectors.table_by_child([indicator], Tree.COUNTY, period)
            self.assertEqual(table.total, alone.total, period)
            self.assertEqual(table.own, alone.own, period)
            self.assertEqual([r.values for r in table.rows], [r.values for r in alone.rows])

    def test_the_kept_tallies_equal_the_records(self) -> None:
        """Whole-month columns are read from the activity tallies; the same indicator read
        from the activities themselves gives the same table, multi-day activities across a
        month's and a quarter's end included, for a county and for the country."""
        indicator = get_indicator("activities.participants")
        assert indicator is not None
        live = replace(indicator, source=replace(indicator.source, summary=None))
        periods = [year_period(2026), *pivot.columns_of(year_period(2026))]
        periods += pivot.columns_of(quarter_period(2026, 1))
        for unit in (Tree.COUNTY, Tree.TOWNSHIP_A, ""):
            kept = selectors.tables_by_child([indicator], unit, periods)
            read = selectors.tables_by_child([live], unit, periods)
            for period, a, b in zip(periods, kept, read, strict=True):
                self.assertEqual((a.total, a.own), (b.total, b.own), (unit, period))
                self.assertEqual([r.values for r in a.rows], [r.values for r in b.rows])


@frozen(date(2026, 11, 27))
class NationalScopeTests(PivotCase):
    """A national user (the whole country, bound to no unit) is answered by province."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        Unit.objects.create(code="44", name="广东省")
        Unit.objects.create(code="4401", name="广州市", parent_id="44")
        make_activity(Tree.VILLAGE_A, "培训", date(2026, 2, 10))
        make_activity(Tree.OTHER_TOWNSHIP, "培训", date(2026, 6, 1))
        make_activity("4401", "培训", date(2026, 6, 30), date(2026, 7, 1))
        cls.nation = User.objects.create_user(
            username="nation", password=cls.password, is_superuser=True, name="全国"
        )

    def test_the_indicator_page_by_province(self) -> None:
        self.client.force_login(self.nation)
        response = self.client.get("/indicators/", {"period": "2026", "by": "child"})
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertHas(html, "全国")
        self.assertHas(html, "浙江省")
        self.assertHas(html, "广东省")
        totals = [c.value for c in response.context["total"]]
        self.assertEqual(totals[0], 3)  # activities.count, the first column
        html = self.client.get("/indicators/", {"period": "2026"}).content.decode()
        self.assertHas(html, "活动总次数")
        # A province drills back up to the country.
        html = self.client.get("/indicators/", {"unit": "44", "period": "2026"}).content
        self.assertHas(html, b'href="?unit=&period=2026"')

    def test_the_pivot_by_province(self) -> None:
        self.client.force_login(self.nation)
        response = self.client.get(PIVOT, {"period": "2026"}, HTTP_HX_REQUEST="true")
        self.assertEqual(response.status_code, 200)
        table = response.context["table"]
        values = {line.name: line.values for line in table.lines}
        self.assertEqual(values, {"浙江省": [1, 1, 0, 0, 2], "广东省": [0, 1, 1, 0, 1]})
        self.assertIsNone(table.own)
        self.assertEqual(table.total.values, [1, 2, 1, 0, 3])
        # The unit box shows 全国; sent back as it is, it is the country again.
        again = self.client.get(PIVOT, {"unit": "全国", "period": "2026"}, HTTP_HX_REQUEST="true")
        self.assertEqual(again.context["table"].total.values, [1, 2, 1, 0, 3])
        self.assertEqual(again.context["unit_error"], "")
        # The same on the records (a date range is not whole months).
        table = self.client.get(
            PIVOT, {"period": "2026-01-01..2026-12-30"}, HTTP_HX_REQUEST="true"
        ).context["table"]
        self.assertEqual(table.total.values, [3])

    def test_the_api_by_province(self) -> None:
        auth = self.bearer(self.nation)
        r = self.client.get(
            "/api/v1/indicators/activities.count/values?period=2026&by=child", **auth
        )
        self.assertEqual(r.status_code, 200, r.content)
        body = r.json()
        self.assertEqual((body["unit"], body["name"], body["value"]), ("", "全国", 3))
        self.assertEqual(
            [(c["unit"], c["value"]) for c in body["children"]], [("33", 2), ("44", 1)]
        )
        r = self.client.get("/api/v1/indicators/activities.count/values?period=2026", **auth)
        self.assertEqual(r.json()["value"], 3)
        r = self.client.get("/api/v1/indicators/activities.count/pivot?period=2026-Q2", **auth)
        self.assertEqual(r.status_code, 200, r.content)
        body = r.json()
        self.assertEqual(
            [c["key"] for c in body["columns"]], ["2026-04", "2026-05", "2026-06", "2026-Q2"]
        )
        self.assertEqual(
            [(row["unit"], row["values"]) for row in body["rows"]],
            [("33", [0, 0, 1, 1]), ("44", [0, 0, 1, 1])],
        )
        self.assertIsNone(body["own"])
        self.assertEqual(body["total"]["values"], [0, 0, 2, 2])

    def test_others_never_reach_the_country(self) -> None:
        auth = self.bearer(self.supervisor)
        r = self.client.get("/api/v1/indicators/activities.count/pivot?unit=", **auth)
        self.assertEqual(r.json()["unit"], Tree.COUNTY)  # no unit: the caller's own
        r = self.client.get("/api/v1/indicators/activities.count/pivot?unit=44", **auth)
        self.assertEqual(r.status_code, 404)
        r = self.client.get(
            "/api/v1/indicators/activities.count/pivot?unit=", **self.bearer(self.unbound)
        )
        self.assertEqual(r.status_code, 404)
        r = self.client.get(f"/api/v1/indicators/activities.count/pivot?unit={'3' * 13}", **auth)
        self.assertEqual(r.status_code, 422)
        self.client.force_login(self.unbound)
        self.assertEqual(self.client.get(PIVOT).status_code, 200)  # says it has no unit
