"""The supervisor's home names the units below with duty periods overdue this quarter, the most
overdue first, each leading to the duties' compliance page for that unit and quarter; beside
the units behind on opening, in the same shape; in a constant number of queries (issue #13,
build 2)."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from xuanwen.testing import BaseTestCase, Tree, frozen

from .helpers import complete, make_duty

TODAY = date(2026, 5, 20)  # the second quarter: its April periods are past due


def card(home: str) -> str:
    return home.split('id="duties-behind"')[1].split("</section>")[0]


@frozen(TODAY)
class DutiesBehindCardTests(BaseTestCase):
    def test_the_units_behind_on_duties_are_on_the_supervisors_home(self) -> None:
        # Township A's half-monthly blackboard: three periods due this quarter, none done.
        make_duty(self.staff_a, Tree.TOWNSHIP_A, start_date=date(2026, 1, 1))
        # Township B's: one period done on time, so fewer overdue.
        b = make_duty(self.staff_b, Tree.TOWNSHIP_B, start_date=date(2026, 1, 1))
        complete(self.staff_b, b, date(2026, 4, 2))
        self.client.force_login(self.supervisor)
        with CaptureQueriesContext(connection) as one:
            home = self.client.get("/").content.decode()
        shown = card(home)
        assert "2026年第二季度常规工作有逾期的下级单位" in shown
        # The most overdue first, each to the compliance page filtered to it and the quarter.
        assert shown.index("古城街道") < shown.index("大洋街道")
        assert "逾期未做 3 期" in shown and "逾期未做 2 期" in shown
        assert f"/duties/compliance/?unit={Tree.TOWNSHIP_A}&amp;period=2026-Q2" in shown
        assert f"/duties/compliance/?unit={Tree.TOWNSHIP_B}&amp;period=2026-Q2" in shown
        # The link leads to a page that answers for that unit and quarter.
        page = self.client.get(f"/duties/compliance/?unit={Tree.TOWNSHIP_A}&period=2026-Q2")
        assert page.status_code == 200 and "古城街道" in page.content.decode()
        # More duties and units: the same queries.
        for code in (Tree.VILLAGE_A, Tree.VILLAGE_A2, Tree.VILLAGE_B):
            make_duty(self.admin, code, name="宣传橱窗", start_date=date(2026, 1, 1))
        with CaptureQueriesContext(connection) as more:
            self.client.get("/")
        assert len(more.captured_queries) == len(one.captured_queries)

    def test_nobody_behind_no_card_and_not_for_staff(self) -> None:
        duty = make_duty(self.staff_a, Tree.TOWNSHIP_A, start_date=date(2026, 5, 1))
        complete(self.staff_a, duty, date(2026, 5, 2))
        self.client.force_login(self.supervisor)
        assert 'id="duties-behind"' not in self.client.get("/").content.decode()
        make_duty(self.staff_a, Tree.TOWNSHIP_A, name="宣传橱窗", start_date=date(2026, 4, 1))
        assert 'id="duties-behind"' in self.client.get("/").content.decode()
        for user in (self.staff_a, self.keeper, self.viewer):
            self.client.force_login(user)
            assert 'id="duties-behind"' not in self.client.get("/").content.decode(), user
