import datetime as dt
from decimal import Decimal

from django.utils import timezone

from xuanwen.facilities.models import Facility
from xuanwen.indicators.periods import parse_period
from xuanwen.indicators.registry import all_indicators, get_indicator
from xuanwen.indicators.selectors import table_by_child, values
from xuanwen.plans.selectors import plan_progress
from xuanwen.plans.tests.helpers import plan_with_item
from xuanwen.testing import BaseTestCase, Tree

from .helpers import make_facility


def at(year: int, month: int = 6, day: int = 1) -> dt.datetime:
    return dt.datetime(year, month, day, 12, tzinfo=timezone.get_current_timezone())


def recorded(facility: Facility, when: dt.datetime) -> Facility:
    Facility.all_objects.filter(pk=facility.pk).update(created_at=when)
    return facility


class FacilityIndicatorTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        recorded(make_facility(Tree.TOWNSHIP_A, area=Decimal(400)), at(2025))
        recorded(make_facility(Tree.VILLAGE_A, "courtyard", area=Decimal("80.5")), at(2025))
        recorded(make_facility(Tree.VILLAGE_A2, "courtyard"), at(2026, 3))
        # Built in 2027 (recorded while planned): not standing in 2026 yet.
        recorded(make_facility(Tree.VILLAGE_B, "courtyard", built_year=2027), at(2026, 3))
        recorded(make_facility(Tree.TOWNSHIP_B, "courtyard"), at(2026, 12, 31))
        deleted = recorded(make_facility(Tree.TOWNSHIP_B, "courtyard"), at(2025))
        Facility.all_objects.filter(pk=deleted.pk).update(deleted_at=timezone.now())
        recorded(make_facility(Tree.OTHER_TOWNSHIP, "courtyard"), at(2025))

    def test_the_codes_are_registered(self) -> None:
        codes = {i.code for i in all_indicators()}
        self.assertTrue({"facilities.count", "facilities.area"} <= codes)
        self.assertIn("facilities.kind.courtyard", codes)
        self.assertIn("facilities.kind.bookhouse", codes)
        courtyard = get_indicator("facilities.kind.courtyard")
        assert courtyard is not None
        self.assertEqual(str(courtyard.name), "文化大院数量")
        self.assertIsNone(get_indicator("facilities.kind.nosuch"))

    def test_values_are_what_exists_at_the_periods_end(self) -> None:
        inds = [
            get_indicator(c)
            for c in ("facilities.count", "facilities.kind.courtyard", "facilities.area")
        ]
        year_2025 = values(inds, Tree.COUNTY, parse_period("2025"))  # type: ignore[arg-type]
        self.assertEqual(year_2025["facilities.count"], 2)
        self.assertEqual(year_2025["facilities.kind.courtyard"], 1)
        self.assertEqual(Decimal(year_2025["facilities.area"]), Decimal("480.5"))  # type: ignore[arg-type]
        year_2026 = values(inds, Tree.COUNTY, parse_period("2026"))  # type: ignore[arg-type]
        # The last day counts; the one built in 2027 does not; the deleted one never does.
        self.assertEqual(year_2026["facilities.kind.courtyard"], 3)
        year_2027 = values(inds, Tree.COUNTY, parse_period("2027"))  # type: ignore[arg-type]
        self.assertEqual(year_2027["facilities.kind.courtyard"], 4)
        self.assertEqual(values(inds, Tree.TOWNSHIP_A, parse_period("2026"))["facilities.count"], 3)  # type: ignore[arg-type]

    def test_roll_up_by_child(self) -> None:
        courtyard = get_indicator("facilities.kind.courtyard")
        assert courtyard is not None
        table = table_by_child([courtyard], Tree.COUNTY, parse_period("2026"))
        by_child = {r.unit.code: r.values[courtyard.code] for r in table.rows}
        self.assertEqual(by_child, {Tree.TOWNSHIP_A: 2, Tree.TOWNSHIP_B: 1})

    def test_rows_link_to_the_facility_list_with_the_same_filter(self) -> None:
        courtyard = get_indicator("facilities.kind.courtyard")
        assert courtyard is not None
        url = courtyard.records_url(Tree.COUNTY, parse_period("2026"))
        self.assertTrue(url.startswith("/facilities/?"))
        self.client.force_login(self.supervisor)
        page = self.client.get(url).context["page"]
        self.assertEqual(len(page.object_list), 3)

    def test_a_plan_target_shows_progress(self) -> None:
        """建好 2–3 个文化大院 in township A's 2026 plan, met by its two courtyards."""
        target = {"text": "建好 2–3 个文化大院", "target_min": Decimal(2), "target_max": Decimal(3)}
        plan, item = plan_with_item(
            self.staff_a, Tree.TOWNSHIP_A, "facilities.kind.courtyard", **target
        )
        progress = plan_progress(plan, dt.date(2026, 12, 31))
        row = next(p for _s, rows in progress.sections for p in rows if p.row.item.pk == item.pk)
        self.assertEqual(row.actual, 1 + 1)  # Tree.VILLAGE_A, Tree.VILLAGE_A2
        self.assertIn("/facilities/?", row.records_url)
        response = self.client.get(f"/plans/{plan.pk}/progress/?as_of=2026-12-31")
        self.assertEqual(response.status_code, 302)  # signed out
        self.client.force_login(self.staff_a)
        page = self.client.get(f"/plans/{plan.pk}/progress/?as_of=2026-12-31").content.decode()
        self.assertIn("/facilities/?unit=331082001&amp;kind=courtyard&amp;as_of=2026-12-31", page)
        self.assertIn("已完成", page)
