"""The home page's figures: this year's activities, participants and audience so far against the
same months of last year, each equal to the indicator page's for those months (and linked there),
and a chart by month whose bars are the indicator's monthly values; one query."""

import json
import re
from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from xuanwen.activities import counts
from xuanwen.activities.home import year_figures
from xuanwen.indicators.periods import month_period, range_period
from xuanwen.indicators.registry import get_indicator
from xuanwen.indicators.selectors import values
from xuanwen.testing import BaseTestCase, Tree, frozen

from .helpers import make_activity

TODAY = date(2026, 6, 10)


@frozen(TODAY)
class HomeFiguresTests(BaseTestCase):
    def test_the_figures_are_the_indicators_for_the_same_months(self) -> None:
        make_activity(Tree.VILLAGE_A, start_date=date(2025, 3, 5), participants=10, audience=50)
        make_activity(Tree.VILLAGE_A, start_date=date(2025, 9, 1), participants=7)  # after June
        make_activity(Tree.TOWNSHIP_A, start_date=date(2026, 2, 27), end_date=date(2026, 3, 2),
                      participants=20, audience=100)  # fmt: skip
        make_activity(Tree.VILLAGE_A2, start_date=date(2026, 6, 1), participants=5)
        counts.rebuild()  # written straight to the table above: the tallies kept afresh
        with CaptureQueriesContext(connection) as ctx:
            found = year_figures(Tree.TOWNSHIP_A, TODAY)
        assert len(ctx.captured_queries) == 1
        count = get_indicator("activities.count")
        for year in (2026, 2025):
            span = range_period(date(year, 1, 1), date(year, 6, 30))
            assert found["totals"][year][0] == values([count], Tree.TOWNSHIP_A, span)[count.code]
        assert found["totals"] == {2026: [2, 25, 100], 2025: [1, 10, 50]}
        # The chart's bars: the February-to-March activity is in both months, as on the
        # indicator page for each month.
        assert found["chart"]["2026"] == [0, 1, 1, 0, 0, 1]
        assert len(found["chart"]["2025"]) == 12
        for month, bar in enumerate(found["chart"]["2026"], start=1):
            period = month_period(2026, month)
            assert bar == values([count], Tree.TOWNSHIP_A, period)[count.code], month

    def test_the_card_links_to_the_indicators_and_leaves_the_keepers_home_alone(self) -> None:
        make_activity(Tree.VILLAGE_A, start_date=date(2026, 5, 5))
        counts.rebuild()
        self.client.force_login(self.staff_a)
        home = self.client.get("/").content.decode()
        assert "2026年1—6月：与去年同期比" in home
        assert f"/indicators/?unit={Tree.TOWNSHIP_A}&amp;period=2026-01-01..2026-06-30" in home
        data = re.search(r'id="year-chart-data" type="application/json">(.*?)</script>', home)
        assert data and json.loads(data[1])["series"][1]["data"][4] == 1
        self.client.force_login(self.keeper)
        assert "与去年同期比" not in self.client.get("/").content.decode()
