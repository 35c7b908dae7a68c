from datetime import date
from decimal import Decimal

from xuanwen.duties import services
from xuanwen.indicators import selectors
from xuanwen.indicators.periods import month_period
from xuanwen.indicators.registry import get_indicator
from xuanwen.plans.selectors import plan_progress
from xuanwen.plans.tests.helpers import plan_with_item
from xuanwen.testing import BaseTestCase, Tree, frozen

from .helpers import MARKET_INSPECTION, complete, make_duty

TODAY = date(2026, 4, 5)


@frozen(TODAY)
class IndicatorTests(BaseTestCase):
    def setUp(self) -> None:
        board = make_duty(self.staff_a, Tree.TOWNSHIP_A, start_date=date(2026, 3, 1))
        complete(self.staff_a, board, date(2026, 3, 2))
        market = make_duty(
            self.staff_b, Tree.TOWNSHIP_B, **MARKET_INSPECTION, start_date=date(2026, 1, 1)
        )
        complete(
            self.staff_b,
            market,
            date(2026, 3, 20),
            businesses=[
                services.BusinessData(
                    name="星空网吧", kind="internet_cafe", rectification_required=True
                ),
                services.BusinessData(name="新华书店", kind="bookshop"),
            ],
        )

    def value(self, code: str, unit: str = Tree.COUNTY, period: object = None) -> object:
        indicator = get_indicator(code)
        assert indicator is not None, code
        return selectors.value(indicator, unit, period or month_period(2026, 3))  # type: ignore[arg-type]

    def test_sql_indicators(self) -> None:
        self.assertEqual(self.value("duties.completions"), 2)
        self.assertEqual(self.value("duties.market_inspections"), 1)
        self.assertEqual(self.value("duties.businesses_inspected"), 2)
        self.assertEqual(self.value("duties.rectifications_required"), 1)
        self.assertEqual(self.value("duties.completions", Tree.TOWNSHIP_B), 1)

    def test_computed_indicators_and_roll_up_by_child(self) -> None:
        # March: board first half on time, second half overdue; the market quarter on time.
        self.assertEqual(self.value("duties.on_time_periods"), 2)
        self.assertEqual(self.value("duties.overdue_periods"), 1)
        self.assertEqual(self.value("duties.on_time_rate"), round(100 * 2 / 3, 1))
        rate = get_indicator("duties.on_time_rate")
        assert rate is not None
        table = selectors.table_by_child([rate], Tree.COUNTY, month_period(2026, 3))
        by_child = {row.unit.code: row.values["duties.on_time_rate"] for row in table.rows}
        self.assertEqual(by_child, {Tree.TOWNSHIP_A: 50.0, Tree.TOWNSHIP_B: 100.0})

    def test_a_plan_target_shows_progress(self) -> None:
        target = {"text": "黑板报每半月一期", "target_min": Decimal(24)}
        plan, _item = plan_with_item(self.staff_a, Tree.TOWNSHIP_A, "duties.completions", **target)
        progress = plan_progress(plan, TODAY)
        items = [i for _section, rows in progress.sections for i in rows]
        self.assertEqual(items[0].actual, 1)  # this year's completions of township A
