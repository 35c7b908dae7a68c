import datetime as dt

from django.utils import timezone

from xuanwen.designations import services
from xuanwen.designations.models import Designation
from xuanwen.indicators.registry import Rule, all_indicators, get_indicator
from xuanwen.indicators.tests.checks import IndicatorTestCase
from xuanwen.plans.models import PlanItem
from xuanwen.plans.selectors import plan_progress
from xuanwen.plans.tests.helpers import make_plan
from xuanwen.testing import BaseTestCase, Tree, frozen
from xuanwen.units.models import Unit

from .helpers import kind, make_designation

D = dt.date


@frozen(D(2026, 6, 1))
class DesignationIndicatorTests(IndicatorTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # Designated by the county in 2019, by the city in 2024: two designations, both standing.
        make_designation(Tree.VILLAGE_A, designated_on=D(2019, 3, 1))
        make_designation(Tree.VILLAGE_A, level="city", designated_on=D(2024, 3, 1))
        # Revoked on 2023-01-01: stands in 2022, not at the end of 2023.
        make_designation(
            Tree.VILLAGE_B, "advanced_village", designated_on=D(2020, 1, 1),
            revoked_on=D(2023, 1, 1),
        )  # fmt: skip
        # Designated on the year's last day: it stands at the end of 2026 and is new in it.
        make_designation(Tree.VILLAGE_A2, designated_on=D(2026, 12, 31))
        deleted = make_designation(Tree.TOWNSHIP_B, designated_on=D(2025, 1, 1))
        Designation.all_objects.filter(pk=deleted.pk).update(deleted_at=timezone.now())
        make_designation(Tree.OTHER_TOWNSHIP, designated_on=D(2025, 1, 1))
        # No designated date: in no period whatever its created_at (待补日期).
        make_designation(Tree.TOWNSHIP_A, "strong_township")

    def test_the_codes_are_registered_with_their_rules(self) -> None:
        codes = {i.code for i in all_indicators()}
        self.assertTrue({"designations.count", "designations.new"} <= codes)
        self.assertTrue(
            {"designations.kind.model_village", "designations.new.model_village"} <= codes
        )
        stock = get_indicator("designations.kind.model_village")
        new = get_indicator("designations.new.model_village")
        assert stock is not None and new is not None
        self.assertEqual(str(stock.name), "文化示范村数量")
        self.assertEqual(str(new.name), "新命名文化示范村数量")
        self.assertEqual((stock.rule, new.rule), (Rule.STOCK, Rule.NEW))
        self.assertEqual(get_indicator("designations.count").rule, Rule.STOCK)  # type: ignore[union-attr]
        self.assertEqual(get_indicator("designations.new").rule, Rule.NEW)  # type: ignore[union-attr]
        self.assertIsNone(get_indicator("designations.kind.nosuch"))

    def test_stock_at_the_periods_end(self) -> None:
        years = ("2018", "2019", "2022", "2023", "2025", "2026", "2026-Q3")
        # Revoked on 2023-01-01 stops counting in 2023; designated on 2026-12-31 counts in 2026.
        self.assertEqual(
            self.by_period("designations.count", years),
            {"2018": 0, "2019": 1, "2022": 2, "2023": 1, "2025": 2, "2026": 3, "2026-Q3": 2},
        )
        # The revocation day itself no longer counts, the day before does.
        self.assertEqual(self.value("designations.count", "2022-12-31..2022-12-31"), 2)
        self.assertEqual(self.value("designations.count", "2023-01-01..2023-01-01"), 1)
        self.assertEqual(self.value("designations.kind.advanced_village", "2022"), 1)
        self.assertEqual(self.value("designations.kind.advanced_village", "2023"), 0)
        # The undated 文化强镇 counts nowhere, whatever the period.
        self.assertEqual(self.value("designations.kind.strong_township", "2026"), 0)

    def test_new_in_the_period(self) -> None:
        self.assertEqual(self.value("designations.new", "2024"), 1)
        self.assertEqual(
            self.by_period("designations.new.model_village", ("2026", "2026-Q3", "2019")),
            {"2026": 1, "2026-Q3": 0, "2019": 1},
        )
        self.assertEqual(self.value("designations.new.strong_township", "2026"), 0)
        self.assertEqual(
            self.by_child("designations.kind.model_village", "2026"),
            {Tree.TOWNSHIP_A: 3, Tree.TOWNSHIP_B: 0},
        )

    def test_values_link_to_the_list_filtered_the_same_way(self) -> None:
        self.client.force_login(self.supervisor)
        self.assertListed("/designations/", "designations.count", "2022", 2)
        self.assertListed("/designations/", "designations.kind.model_village", "2026", 3)
        self.assertListed("/designations/", "designations.new.model_village", "2026", 1)
        self.assertListed("/designations/", "designations.new", "2024", 1)

    def test_the_undated_are_listed_for_a_clerk(self) -> None:
        self.client.force_login(self.staff_a)
        listed = self.client.get("/designations/", {"undated": "on"})
        self.assertEqual([r.name for r in listed.context["page"]], ["古城街道 · 文化强镇"])
        records = self.records_page("designations.count", "2026", Tree.TOWNSHIP_A)
        self.assertContains(records, "待补日期：1 条记录")


@frozen(D(2026, 12, 31))
class PlanAcceptanceTests(BaseTestCase):
    """Issue #12: "A village designated 文化示范村 in 2026 meets 建好一个文化示范村" — in the
    2026 plan of a township made from the shipped station template."""

    def designate(self, on: dt.date) -> None:
        services.designation_create(
            user=self.staff_a,
            data=services.DesignationData(
                unit=Unit.objects.get(code=Tree.VILLAGE_A),
                kind=kind("model_village"),
                level="township",
                designated_on=on,
            ),
        )

    def item_status(self) -> tuple[PlanItem, str, object]:
        plan = make_plan(self.staff_a, Tree.TOWNSHIP_A, year=2026)
        item = PlanItem.objects.get(section__plan=plan, text="建好一个文化示范村。")
        self.assertEqual(item.indicator, "designations.new.model_village")
        progress = plan_progress(plan, D(2026, 12, 31))
        row = next(p for _s, rows in progress.sections for p in rows if p.row.item.pk == item.pk)
        return item, row.status, row.actual

    def test_a_village_designated_in_2026_meets_the_item(self) -> None:
        self.designate(D(2026, 9, 15))
        item, status, actual = self.item_status()
        self.assertEqual((status, actual), ("met", 1))
        # The progress API says the same, and links to the designation.
        response = self.client.get(
            f"/api/v1/plans/{item.section.plan_id}/progress/?as_of=2026-12-31",
            **self.bearer(self.staff_a),
        )
        self.assertEqual(response.status_code, 200, response.content)
        row = next(r for r in response.json() if r["item"] == item.pk)
        self.assertEqual((row["status"], row["status_label"], row["actual"]), ("met", "已完成", 1))
        self.client.force_login(self.staff_a)
        listed = self.client.get(row["records_url"]).context["page"]
        self.assertEqual([r.name for r in listed], ["文化社区 · 文化示范村"])
        page = self.client.get(f"/plans/{item.section.plan_id}/progress/?as_of=2026-12-31")
        self.assertContains(page, "建好一个文化示范村")
        self.assertContains(page, "/designations/?unit=331082001&amp;kind=model_village")

    def test_a_designation_of_2025_does_not(self) -> None:
        self.designate(D(2025, 9, 15))
        _item, status, actual = self.item_status()
        self.assertEqual(actual, 0)
        self.assertNotEqual(status, "met")
