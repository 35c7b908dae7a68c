"""A dated register's declarations: its stock and new sources, the indicators over them and the
two per-kind families, with their rules, names and links (the apps' own tests check theirs)."""

import datetime as dt

from django.db.models import Q

from xuanwen.facilities.models import Facility, FacilityKind
from xuanwen.facilities.tests.helpers import make_facility
from xuanwen.indicators.declare import Group, record_row
from xuanwen.indicators.periods import parse_period
from xuanwen.indicators.registers import DatedRegister
from xuanwen.indicators.registry import RecordRow, Rule, all_indicators, unregister
from xuanwen.indicators.tests.checks import IndicatorTestCase
from xuanwen.testing import Tree

D = dt.date
CODES = ("probe.count", "probe.new", "probe.kind.", "probe.new.")


def _row(f: Facility) -> RecordRow:
    return record_row(f, f.unit, title=f.name, date=f.opened_on)


def probe(list_name: str = "", dated: Q | None = None) -> DatedRegister:
    """A register over the facilities under codes of its own, registered for one test."""
    return DatedRegister(Group("试验"), "probe", Facility, "opened_on", "closed_on",
                         row=_row, kinds=FacilityKind, list_name=list_name, help="stock",
                         new_help="new", dated=dated)  # fmt: skip


class DatedRegisterTests(IndicatorTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        make_facility(Tree.VILLAGE_A, "courtyard", opened_on=D(2025, 5, 1))
        make_facility(
            Tree.VILLAGE_A2, "courtyard", opened_on=D(2026, 3, 1), closed_on=D(2026, 9, 1)
        )
        make_facility(Tree.VILLAGE_B, "courtyard", opened_on=D(2026, 4, 1), name="乙大院")
        make_facility(Tree.VILLAGE_B, "courtyard", name="日期未知大院")

    def declare(self, register: DatedRegister) -> None:
        for code in CODES:
            self.addCleanup(unregister, code)
        register.add_stock("probe.count", "在用", "个")
        register.add_new("probe.new", "新建", "个")
        register.add_kinds("个", "%(kind)s在用", "新建%(kind)s")

    def test_the_sources_follow_the_stock_and_new_rules(self) -> None:
        self.declare(probe(list_name="facilities:list"))
        stock, new = self.indicator("probe.kind.courtyard"), self.indicator("probe.new.courtyard")
        self.assertEqual((stock.rule, new.rule), (Rule.STOCK, Rule.NEW))
        self.assertEqual((str(stock.name), str(new.name)), ("文化大院在用", "新建文化大院"))
        self.assertEqual((stock.help, new.help, str(stock.group)), ("stock", "new", "试验"))
        self.assertEqual(self.by_period("probe.count", ("2025", "2026")), {"2025": 1, "2026": 2})
        self.assertEqual(self.by_period("probe.new", ("2025", "2026")), {"2025": 1, "2026": 2})
        self.assertEqual(self.value("probe.kind.courtyard", "2026-06"), 3)
        # The undated one is in no period, and the records page lists it as 待补日期.
        self.assertEqual(self.value("probe.new", "2026", Tree.VILLAGE_B), 1)
        self.assertEqual(stock.source.undated(Tree.VILLAGE_B).count(), 1)  # type: ignore[union-attr]

    def test_values_link_to_the_list_as_of_the_end_or_over_the_period(self) -> None:
        self.declare(probe(list_name="facilities:list"))
        self.client.force_login(self.supervisor)
        url = self.indicator("probe.new.courtyard").records_url(Tree.COUNTY, parse_period("2026"))
        self.assertIn("kind=courtyard&start=2026-01-01&end=2026-12-31", url)
        self.assertIn("as_of=2026-12-31", self.indicator("probe.count").records_url(
            Tree.COUNTY, parse_period("2026")))  # fmt: skip
        self.assertListed("/facilities/", "probe.kind.courtyard", "2026", 2)
        self.assertListed("/facilities/", "probe.new", "2026", 2)

    def test_without_a_list_values_link_to_the_records_page(self) -> None:
        self.declare(probe())
        url = self.indicator("probe.count").records_url(Tree.COUNTY, parse_period("2026"))
        self.assertTrue(url.startswith("/indicators/records/?indicator=probe.count"), url)

    def test_only_the_dated_stand(self) -> None:
        """`dated` narrows what stands (teams stopped without a date), not what began."""
        self.declare(probe(dated=~Q(name="乙大院")))
        self.assertEqual(self.value("probe.count", "2026"), 1)
        self.assertEqual(self.value("probe.new", "2026"), 2)

    def test_a_retired_kind_is_found_by_code_but_not_listed(self) -> None:
        self.declare(probe())
        FacilityKind.objects.filter(code="courtyard").update(active=False)
        self.assertEqual(self.value("probe.new.courtyard", "2026"), 2)
        codes = {i.code for i in all_indicators()}
        self.assertNotIn("probe.kind.courtyard", codes)
        self.assertIn("probe.kind.bookhouse", codes)
