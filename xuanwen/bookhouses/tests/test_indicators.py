from datetime import date

from xuanwen.indicators.periods import parse_period, year_period
from xuanwen.indicators.registry import get_indicator
from xuanwen.indicators.selectors import table_by_child, values
from xuanwen.testing import BaseTestCase, Tree

from .helpers import add_demand, add_loan, add_stock, make_bookhouse

CODES = [
    "bookhouses.count",
    "bookhouses.standard_met",
    "bookhouses.books",
    "bookhouses.av",
    "bookhouses.books_added",
    "bookhouses.loans",
    "bookhouses.readers",
    "bookhouses.demands",
    "bookhouses.demands_met",
]


class IndicatorTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        a = make_bookhouse(Tree.VILLAGE_A, area=30)
        b = make_bookhouse(Tree.VILLAGE_B, area=30)
        add_stock(a, 1400, date=date(2025, 6, 1), source="opening")
        add_stock(a, 150, kind="av", date=date(2025, 6, 1), source="opening")
        add_stock(a, 200, date=date(2026, 3, 2), source="distributed")  # 1600 from 2026
        add_stock(a, 50, date=date(2026, 5, 2), source="donated")
        add_stock(a, -30, date=date(2026, 9, 1), source="removed")
        add_stock(b, 2000, date=date(2026, 1, 5), source="purchased")
        add_loan(a, "王大妈", lent_on=date(2026, 3, 2))
        add_loan(a, "王大妈", lent_on=date(2026, 4, 2))
        add_loan(a, "张三", lent_on=date(2026, 4, 3))
        add_loan(b, "王大妈", lent_on=date(2026, 4, 3))  # the same name elsewhere: another reader
        add_demand(a, status="met", date=date(2026, 3, 2))
        add_demand(b, status="pending", date=date(2026, 3, 2))
        add_demand(b, status="met", date=date(2025, 3, 2))

    def values(self, period: str, unit: str = Tree.COUNTY) -> dict[str, object]:
        indicators = [get_indicator(c) for c in CODES]
        assert all(indicators), CODES
        return values(indicators, unit, parse_period(period))  # type: ignore[arg-type]

    def test_the_year_2026(self) -> None:
        v = self.values("2026")
        self.assertEqual(v["bookhouses.count"], 2)
        self.assertEqual(v["bookhouses.books"], 1400 + 200 + 50 - 30 + 2000)
        self.assertEqual(v["bookhouses.av"], 150)
        self.assertEqual(v["bookhouses.books_added"], 200 + 50 + 2000)
        self.assertEqual(v["bookhouses.loans"], 4)
        self.assertEqual(v["bookhouses.readers"], 3)
        self.assertEqual(v["bookhouses.demands"], 2)
        self.assertEqual(v["bookhouses.demands_met"], 1)
        # A has 1620 books and 150 AV; B has no AV.
        self.assertEqual(v["bookhouses.standard_met"], 1)

    def test_stock_is_read_at_the_periods_end(self) -> None:
        v = self.values("2025")
        self.assertEqual(v["bookhouses.books"], 1400)
        self.assertEqual(v["bookhouses.books_added"], 0)
        self.assertEqual(v["bookhouses.standard_met"], 0)  # 1400 books: short of 1500
        v = self.values("2026-Q1")
        self.assertEqual(v["bookhouses.standard_met"], 1)

    def test_by_child_in_one_group_by(self) -> None:
        indicators = [get_indicator(c) for c in CODES]
        with self.assertNumQueries(1 + 6):  # the children, then one GROUP BY per source (6)
            table = table_by_child(indicators, Tree.COUNTY, year_period(2026))  # type: ignore[arg-type]
        rows = {r.unit.code: r.values for r in table.rows}
        self.assertEqual(rows[Tree.TOWNSHIP_A]["bookhouses.standard_met"], 1)
        self.assertEqual(rows[Tree.TOWNSHIP_B]["bookhouses.books"], 2000)
        self.assertEqual(table.total["bookhouses.readers"], 3)

    def test_a_plan_target_can_name_them(self) -> None:
        # Plans take their targets from the registry: every code resolves with a name.
        for code in CODES:
            indicator = get_indicator(code)
            assert indicator is not None
            self.assertTrue(str(indicator.name))


class BookhouseTimeRuleTests(BaseTestCase):
    """Bookhouses stand by their opening and closing dates (#12), not whenever they were
    entered: `bookhouses.count` once ignored the period altogether."""

    def count(self, period: str, code: str = "bookhouses.count") -> object:
        indicator = get_indicator(code)
        assert indicator is not None
        return values([indicator], Tree.COUNTY, parse_period(period))[code]

    def test_the_count_follows_the_dates(self) -> None:
        old = make_bookhouse(
            Tree.VILLAGE_A, opened_on=date(2008, 5, 1), closed_on=date(2020, 6, 30)
        )
        make_bookhouse(Tree.VILLAGE_B, opened_on=date(2015, 9, 1))
        make_bookhouse(Tree.VILLAGE_A2, opened_on=None)  # 待补日期: in no period
        counts = {y: self.count(str(y)) for y in (2005, 2010, 2016, 2021)}
        self.assertEqual(counts, {2005: 0, 2010: 1, 2016: 2, 2021: 1})
        # The standard is judged of the bookhouses standing then.
        add_stock(old, 1600, date=date(2009, 1, 1), source="opening")
        add_stock(old, 120, kind="av", date=date(2009, 1, 1), source="opening")
        self.assertEqual(self.count("2010", "bookhouses.standard_met"), 1)
        self.assertEqual(self.count("2021", "bookhouses.standard_met"), 0)
        # Its value links to the facility list of the bookhouses standing at the period's end.
        indicator = get_indicator("bookhouses.count")
        assert indicator is not None
        url = indicator.records_url(Tree.COUNTY, parse_period("2016"))
        self.client.force_login(self.supervisor)
        self.assertEqual(len(self.client.get(url).context["page"].object_list), 2)
