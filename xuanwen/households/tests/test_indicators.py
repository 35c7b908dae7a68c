"""The households' time rules: stock at the period's end, new in the period, revoked stops
counting, undated counts nowhere; and issue #12's acceptance line for 培育4—8户文化大户."""

import datetime as dt

from django.utils import timezone

from xuanwen.households.models import Household
from xuanwen.indicators.registry import Rule, all_indicators, get_indicator
from xuanwen.indicators.tests.checks import IndicatorTestCase
from xuanwen.plans.models import PlanItem
from xuanwen.plans.selectors import plan_progress
from xuanwen.plans.tests.helpers import make_plan
from xuanwen.testing import BaseTestCase, Tree, frozen

from .helpers import make_household

D = dt.date


class HouseholdIndicatorTests(IndicatorTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        make_household(Tree.VILLAGE_A, members=3, designated_on=D(2025, 5, 1))
        make_household(Tree.VILLAGE_A2, members=2, designated_on=D(2026, 3, 1))
        # Designated on the year's last day: it stands at the end of 2026.
        make_household(Tree.VILLAGE_B, "centre", members=4, designated_on=D(2026, 12, 31))
        # Revoked in mid-2026: it stood at the end of 2025, not at the end of 2026.
        make_household(Tree.VILLAGE_B, members=6, head="撤销户", designated_on=D(2024, 1, 1),
                       revoked_on=D(2026, 6, 30))  # fmt: skip
        deleted = make_household(Tree.VILLAGE_A, designated_on=D(2025, 1, 1))
        Household.all_objects.filter(pk=deleted.pk).update(deleted_at=timezone.now())
        make_household(Tree.OTHER_TOWNSHIP, designated_on=D(2025, 1, 1))
        # No designation date: in no period whatever its created_at (待补日期).
        make_household(Tree.VILLAGE_A, head="日期未知户", members=9)

    def test_the_codes_are_registered_with_their_rules(self) -> None:
        codes = {i.code for i in all_indicators()}
        expected = {"households.count", "households.new", "households.members"}
        per_kind = {f"households.{p}.{k}" for p in ("kind", "new") for k in ("major", "centre")}
        self.assertTrue(expected | per_kind | {"households.kind.household"} <= codes)
        major, new = get_indicator("households.kind.major"), get_indicator("households.new.major")
        assert major is not None and new is not None
        self.assertEqual((str(major.name), str(new.name)), ("文化大户数量", "新认定文化大户数量"))
        self.assertEqual((major.rule, new.rule), (Rule.STOCK, Rule.NEW))
        self.assertIsNone(get_indicator("households.kind.nosuch"))

    def test_stock_stands_at_the_periods_end_and_revoked_stops_counting(self) -> None:
        self.assertEqual(self.value("households.count", "2025"), 2)  # VILLAGE_A + the revoked one
        self.assertEqual(self.value("households.count", "2026"), 3)  # revoked gone, two more
        self.assertEqual(self.value("households.kind.major", "2026"), 2)
        self.assertEqual(self.value("households.kind.centre", "2026"), 1)
        self.assertEqual(self.value("households.kind.centre", "2026-11"), 0)
        # The revocation day itself no longer counts, the day before does.
        self.assertEqual(self.value("households.count", "2026-06-29..2026-06-29"), 3)
        self.assertEqual(self.value("households.count", "2026-06-30..2026-06-30"), 2)
        self.assertEqual(self.value("households.members", "2025"), 9)
        self.assertEqual(self.value("households.members", "2026"), 9)  # 3 + 2 + 4, not 6 nor 9
        self.assertEqual(self.value("households.count", "2026", Tree.TOWNSHIP_A), 2)

    def test_new_counts_only_those_designated_in_the_period(self) -> None:
        self.assertEqual(self.value("households.new", "2026"), 2)
        self.assertEqual(self.value("households.new.major", "2026"), 1)
        self.assertEqual(self.value("households.new.major", "2026-Q2"), 0)
        self.assertEqual(self.value("households.new.centre", "2026-12"), 1)
        self.assertEqual(self.value("households.new", "2024"), 1)
        self.assertEqual(
            self.by_child("households.new", "2026"), {Tree.TOWNSHIP_A: 1, Tree.TOWNSHIP_B: 1}
        )

    def test_the_undated_count_nowhere_and_are_listed(self) -> None:
        # The undated one (9 members) stands in no year, neither long ago nor far ahead.
        self.assertEqual(self.value("households.count", "1990"), 0)
        self.assertEqual(self.value("households.count", "2030"), 3)
        self.assertEqual(self.value("households.members", "2030"), 9)  # 3 + 2 + 4
        self.assertEqual(self.value("households.new", "2030"), 0)
        self.client.force_login(self.staff_a)
        records = self.records_page("households.count", "2026", Tree.TOWNSHIP_A)
        self.assertContains(records, "待补日期：1 条记录")
        self.assertContains(records, "日期未知户")

    def test_each_value_links_to_its_records(self) -> None:
        self.client.force_login(self.supervisor)
        cases = (("households.count", 3), ("households.kind.major", 2), ("households.new", 2),
                 ("households.new.major", 1), ("households.members", 3))  # fmt: skip
        for code, count in cases:
            self.assertListed("/households/", code, "2026", count)


@frozen(D(2026, 12, 31))
class CultivateMajorHouseholdsTests(BaseTestCase):
    """Issue #12: four households designated 文化大户 in 2026 (beside one from 2025) meet
    培育4—8户文化大户 in the township's 2026 plan made from the shipped template; three do not."""

    def designate(self, n: int) -> None:
        make_household(Tree.VILLAGE_A, head="老户", designated_on=D(2025, 11, 1))
        villages = (Tree.VILLAGE_A, Tree.VILLAGE_A2)
        for i in range(n):
            make_household(villages[i % 2], head=f"新户{i}", designated_on=D(2026, 2 + i, 10))
        # Another kind designated in 2026 is not a 文化大户.
        make_household(Tree.VILLAGE_A2, "household", head="文化户", designated_on=D(2026, 5, 1))

    def item_progress(self) -> tuple[PlanItem, object]:
        plan = make_plan(self.staff_a, Tree.TOWNSHIP_A, year=2026)
        item = PlanItem.objects.get(section__plan=plan, text__contains="文化大户")
        self.assertEqual(item.indicator, "households.new.major")
        self.assertEqual((item.target_min, item.target_max), (4, 8))
        progress = plan_progress(plan, D(2026, 12, 31))
        row = next(p for _s, rows in progress.sections for p in rows if p.row.item.pk == item.pk)
        return item, row

    def test_four_meet_it_on_the_page_and_the_api(self) -> None:
        self.designate(4)
        item, row = self.item_progress()
        self.assertEqual((row.actual, row.status), (4, "met"))  # type: ignore[attr-defined]
        plan_id = item.section.plan_id
        response = self.client.get(
            f"/api/v1/plans/{plan_id}/progress/?as_of=2026-12-31", **self.bearer(self.staff_a)
        )
        line = next(x for x in response.json() if x["item"] == item.pk)
        self.assertEqual((line["actual"], line["status"]), (4, "met"))
        self.assertIn("/households/?", line["records_url"])
        self.client.force_login(self.staff_a)
        page = self.client.get(f"/plans/{plan_id}/progress/?as_of=2026-12-31")
        self.assertContains(page, "kind=major&amp;start=2026-01-01&amp;end=2026-12-31")
        self.assertContains(page, '<span class="status-met">已完成</span>')

    def test_three_do_not(self) -> None:
        self.designate(3)
        item, row = self.item_progress()
        self.assertEqual(row.actual, 3)  # type: ignore[attr-defined]
        self.assertNotEqual(row.status, "met")  # type: ignore[attr-defined]
        self.client.force_login(self.staff_a)
        page = self.client.get(f"/plans/{item.section.plan_id}/progress/?as_of=2026-12-31")
        self.assertNotContains(page, '<span class="status-met">')
