"""What the tests of an app's indicators ask again and again: a value for a unit and a period,
values over several periods, the roll-up by child, the list a value links to and the records
page. Each app's test still states its own codes, periods and expected numbers."""

from collections.abc import Iterable

from django.http import HttpResponse

from xuanwen.indicators.periods import parse_period
from xuanwen.indicators.registry import Indicator, get_indicator
from xuanwen.indicators.selectors import table_by_child, values
from xuanwen.testing import BaseTestCase, Tree


class IndicatorTestCase(BaseTestCase):
    def indicator(self, code: str) -> Indicator:
        indicator = get_indicator(code)
        assert indicator is not None, code
        return indicator

    def value(self, code: str, period: str, unit: str = Tree.COUNTY) -> object:
        """The value of `code` for the unit's subtree in the period ("2026", "2026-Q1" …)."""
        return values([self.indicator(code)], unit, parse_period(period))[code]

    def by_period(
        self, code: str, periods: Iterable[str], unit: str = Tree.COUNTY
    ) -> dict[str, object]:
        """The values of `code` in each of the periods, to compare with a table at once."""
        return {p: self.value(code, p, unit) for p in periods}

    def by_child(self, code: str, period: str, unit: str = Tree.COUNTY) -> dict[str, object]:
        """The roll-up by child unit: each child's code → its value."""
        table = table_by_child([self.indicator(code)], unit, parse_period(period))
        return {r.unit.code: r.values[code] for r in table.rows}

    def assertListed(
        self, list_path: str, code: str, period: str, count: int, unit: str = Tree.COUNTY
    ) -> None:
        """The value links to the app's list (`list_path`), which then shows `count` records.
        The client must be signed in."""
        url = self.indicator(code).records_url(unit, parse_period(period))
        self.assertTrue(url.startswith(f"{list_path}?"), url)
        page = self.client.get(url).context["page"]
        self.assertEqual(len(page.object_list), count, f"{code} {period}")

    def records_page(self, code: str, period: str, unit: str = Tree.COUNTY) -> HttpResponse:
        """The indicators' records page of the value (its 待补日期 part lists the records that
        count in no period for want of their start date). The client must be signed in."""
        query = {"indicator": code, "unit": unit, "period": period}
        response: HttpResponse = self.client.get("/indicators/records/", query)
        return response
