import datetime as dt
from decimal import Decimal

from django.utils import timezone

from xuanwen.facilities.models import Facility
from xuanwen.indicators.periods import parse_period
from xuanwen.indicators.registry import Rule, all_indicators, get_indicator
from xuanwen.indicators.selectors import values
from xuanwen.indicators.tests.checks import IndicatorTestCase
from xuanwen.plans import services as plan_services
from xuanwen.plans.models import PlanItem
from xuanwen.plans.selectors import plan_progress
from xuanwen.plans.tests.helpers import make_plan, plan_with_item
from xuanwen.testing import Tree, frozen

from .helpers import make_facility

D = dt.date


class FacilityIndicatorTests(IndicatorTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        make_facility(Tree.TOWNSHIP_A, area=Decimal(400), opened_on=D(2012, 1, 1))
        make_facility(Tree.VILLAGE_A, "courtyard", area=Decimal("80.5"), opened_on=D(2025, 5, 1))
        make_facility(Tree.VILLAGE_A2, "courtyard", opened_on=D(2026, 3, 1))
        # To open in 2027 (recorded while planned): not standing in 2026 yet.
        make_facility(Tree.VILLAGE_B, "courtyard", opened_on=D(2027, 4, 1))
        # Opened on the year's last day: it stands at the end of 2026.
        make_facility(Tree.TOWNSHIP_B, "courtyard", opened_on=D(2026, 12, 31))
        deleted = make_facility(Tree.TOWNSHIP_B, "courtyard", opened_on=D(2025, 1, 1))
        Facility.all_objects.filter(pk=deleted.pk).update(deleted_at=timezone.now())
        make_facility(Tree.OTHER_TOWNSHIP, "courtyard", opened_on=D(2025, 1, 1))
        # No opening date: in no period whatever its created_at (待补日期).
        make_facility(Tree.VILLAGE_A, "courtyard", name="日期未知大院")

    def test_the_codes_are_registered_with_their_rules(self) -> None:
        codes = {i.code for i in all_indicators()}
        self.assertTrue({"facilities.count", "facilities.area", "facilities.opened"} <= codes)
        self.assertTrue({"facilities.kind.courtyard", "facilities.new.courtyard"} <= codes)
        self.assertIn("facilities.kind.bookhouse", codes)
        courtyard = get_indicator("facilities.kind.courtyard")
        new = get_indicator("facilities.new.courtyard")
        assert courtyard is not None and new is not None
        self.assertEqual(str(courtyard.name), "文化大院数量")
        self.assertEqual(str(new.name), "新建文化大院数量")
        self.assertEqual((courtyard.rule, new.rule), (Rule.STOCK, Rule.NEW))
        self.assertIsNone(get_indicator("facilities.kind.nosuch"))
        self.assertIsNone(get_indicator("facilities.new.nosuch"))

    def test_values_are_what_stands_at_the_periods_end(self) -> None:
        inds = [
            get_indicator(c)
            for c in ("facilities.count", "facilities.kind.courtyard", "facilities.area")
        ]
        year_2025 = values(inds, Tree.COUNTY, parse_period("2025"))  # type: ignore[arg-type]
        self.assertEqual(year_2025["facilities.count"], 2)
        self.assertEqual(year_2025["facilities.kind.courtyard"], 1)
        self.assertEqual(Decimal(year_2025["facilities.area"]), Decimal("480.5"))  # type: ignore[arg-type]
        year_2026 = values(inds, Tree.COUNTY, parse_period("2026"))  # type: ignore[arg-type]
        # The last day counts; the one opening in 2027 does not; the deleted one never does.
        self.assertEqual(year_2026["facilities.kind.courtyard"], 3)
        year_2027 = values(inds, Tree.COUNTY, parse_period("2027"))  # type: ignore[arg-type]
        self.assertEqual(year_2027["facilities.kind.courtyard"], 4)
        self.assertEqual(values(inds, Tree.TOWNSHIP_A, parse_period("2026"))["facilities.count"], 3)  # type: ignore[arg-type]
        # Quarters and months read the same rule at their own last day.
        self.assertEqual(self.value("facilities.kind.courtyard", "2026-Q1"), 2)
        self.assertEqual(self.value("facilities.kind.courtyard", "2026-02"), 1)

    def test_new_counts_only_what_opened_in_the_period(self) -> None:
        new = self.by_period("facilities.new.courtyard", ("2026", "2026-Q1", "2026-Q2", "2025"))
        self.assertEqual(new, {"2026": 2, "2026-Q1": 1, "2026-Q2": 0, "2025": 1})
        self.assertEqual(self.value("facilities.opened", "2012"), 1)
        self.assertEqual(
            self.by_child("facilities.new.courtyard", "2026"),
            {Tree.TOWNSHIP_A: 1, Tree.TOWNSHIP_B: 1},
        )

    def test_roll_up_by_child(self) -> None:
        self.assertEqual(
            self.by_child("facilities.kind.courtyard", "2026"),
            {Tree.TOWNSHIP_A: 2, Tree.TOWNSHIP_B: 1},
        )

    def test_rows_link_to_the_facility_list_with_the_same_filter(self) -> None:
        self.client.force_login(self.supervisor)
        self.assertListed("/facilities/", "facilities.kind.courtyard", "2026", 3)
        self.assertListed("/facilities/", "facilities.new.courtyard", "2026", 2)

    def test_the_undated_are_listed_for_a_clerk(self) -> None:
        self.client.force_login(self.staff_a)
        listed = self.client.get("/facilities/", {"undated": "on"})
        self.assertEqual([r.name for r in listed.context["page"]], ["日期未知大院"])
        self.assertContains(listed, "待补日期")
        records = self.records_page("facilities.kind.courtyard", "2026", Tree.TOWNSHIP_A)
        self.assertContains(records, "待补日期：1 条记录")
        self.assertContains(records, "日期未知大院")
        self.assertContains(records, "期末存量")

    def test_a_plan_target_counts_courtyards_built_in_its_year(self) -> None:
        """建好 2–3 个文化大院 in township A's 2026 plan: only the one opened in 2026 counts,
        not the one standing since 2025."""
        target = {"text": "建好 2–3 个文化大院", "target_min": Decimal(2), "target_max": Decimal(3)}
        plan, item = plan_with_item(
            self.staff_a, Tree.TOWNSHIP_A, "facilities.new.courtyard", **target
        )
        progress = plan_progress(plan, dt.date(2026, 12, 31))
        row = next(p for _s, rows in progress.sections for p in rows if p.row.item.pk == item.pk)
        self.assertEqual(row.actual, 1)  # Tree.VILLAGE_A2; VILLAGE_A's stood since 2025
        self.assertIn("/facilities/?", row.records_url)
        response = self.client.get(f"/plans/{plan.pk}/progress/?as_of=2026-12-31")
        self.assertEqual(response.status_code, 302)  # signed out
        self.client.force_login(self.staff_a)
        page = self.client.get(f"/plans/{plan.pk}/progress/?as_of=2026-12-31").content.decode()
        self.assertIn(
            "/facilities/?unit=331082001&amp;kind=courtyard&amp;start=2026-01-01&amp;end=2026-12-31",
            page,
        )
        # 1 of at least 2: behind on the year's last day, missed once it has passed.
        self.assertIn('<span class="status-behind">', page)
        after = self.client.get(f"/plans/{plan.pk}/progress/?as_of=2027-01-01").content.decode()
        self.assertIn('<span class="status-missed">', after)

    def test_the_template_item_measures_new_courtyards(self) -> None:
        plan = make_plan(self.staff_a, Tree.TOWNSHIP_A, year=2026)
        yards = PlanItem.objects.get(section__plan=plan, text__contains="文化大院")
        self.assertEqual(yards.indicator, "facilities.new.courtyard")


@frozen(D(2026, 6, 1))
class StandingAcceptanceTests(IndicatorTestCase):
    """Issue #12: facilities opened 2008-05-01 and 2015-09-01, the first closed 2020-06-30,
    stand 1 in 2010, 2 in 2016 and 1 in 2021 — on the page, in the API and in a plan."""

    EXPECTED = {2010: 1, 2016: 2, 2021: 1}

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        make_facility(Tree.VILLAGE_A, opened_on=D(2008, 5, 1), closed_on=D(2020, 6, 30))
        make_facility(Tree.VILLAGE_A2, opened_on=D(2015, 9, 1))

    def test_the_indicator_page(self) -> None:
        self.client.force_login(self.supervisor)
        for year, expected in self.EXPECTED.items():
            query = {"unit": Tree.COUNTY, "period": year, "by": "child"}
            page = self.client.get("/indicators/", {**query, "indicator": "facilities.count"})
            self.assertEqual(page.context["total"][0].value, expected, year)
            listed = self.client.get(page.context["total"][0].url).context["page"]
            self.assertEqual(len(listed.object_list), expected, year)
        # The edges: the closing day itself no longer counts, the day before does.
        self.assertEqual(self.value("facilities.count", "2020-06-29..2020-06-29"), 2)
        self.assertEqual(self.value("facilities.count", "2020-06-30..2020-06-30"), 1)
        self.assertEqual(self.value("facilities.count", "2008-04"), 0)
        self.assertEqual(self.value("facilities.count", "2008-05"), 1)

    def test_the_indicator_api(self) -> None:
        for year, expected in self.EXPECTED.items():
            r = self.client.get(
                f"/api/v1/indicators/facilities.count/values?unit={Tree.COUNTY}&period={year}&by=child",
                **self.bearer(self.supervisor),
            )
            self.assertEqual(r.status_code, 200, r.content)
            body = r.json()
            self.assertEqual(body["value"], expected, year)
            self.assertEqual(body["indicator"]["rule"], "stock")
            self.assertEqual(sum(c["value"] for c in body["children"]), expected)
        listing = self.client.get("/api/v1/indicators/", **self.bearer(self.supervisor)).json()
        rules = {i["code"]: i["rule"] for i in listing}
        self.assertEqual(rules["facilities.count"], "stock")
        self.assertEqual(rules["facilities.opened"], "new")
        self.assertEqual(rules["activities.count"], "event")

    def test_a_plans_progress(self) -> None:
        for year, expected in self.EXPECTED.items():
            plan = make_plan(self.staff_a, Tree.TOWNSHIP_A, year=year, template="")
            section = plan_services.section_create(user=self.staff_a, plan=plan, title="设施")
            item = plan_services.item_create(
                user=self.staff_a,
                section=section,
                data=plan_services.ItemData(
                    text="文化阵地", indicator="facilities.count", target_min=Decimal(2)
                ),
            )
            progress = plan_progress(plan, D(year, 12, 31))
            row = next(p for _s, rows in progress.sections for p in rows if p.row.item == item)
            self.assertEqual(row.actual, expected, year)
