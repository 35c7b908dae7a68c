"""The supervisor's home names the units below whose facilities missed opening weeks this
quarter, lowest rate first, each leading to the compliance page; in constant queries."""

from datetime import UTC, date, datetime, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from xuanwen.facilities.models import Facility
from xuanwen.testing import BaseTestCase, Tree, frozen

from .helpers import log, make_facility

TODAY = date(2026, 11, 27)  # a Friday in the fourth quarter


@frozen(TODAY)
class BehindCardTests(BaseTestCase):
    def test_the_units_behind_on_opening_are_on_the_supervisors_home(self) -> None:
        kept = make_facility(Tree.VILLAGE_B, name="府东社区文化室")
        make_facility(Tree.VILLAGE_A, name="文化社区文化室")  # never opened this quarter
        # Both registered since the spring: every week of the quarter so far is judged.
        Facility.objects.update(created_at=datetime(2026, 3, 2, tzinfo=UTC))
        monday = date(2026, 9, 28)  # the week of 1 October is the quarter's first
        while monday + timedelta(days=6) < TODAY:  # 府东 opens every day of every week
            for d in range(7):
                log(kept, monday + timedelta(days=d), "4")
            monday += timedelta(days=7)
        self.client.force_login(self.supervisor)
        with CaptureQueriesContext(connection) as one:
            home = self.client.get("/").content.decode()
        assert "2026年第四季度开放未全部达标的下级单位" in home
        assert "古城街道" in home.split('id="opening-behind"')[1].split("</section>")[0]
        assert "大洋街道" not in home.split('id="opening-behind"')[1].split("</section>")[0]
        assert f"/opening/compliance/?unit={Tree.TOWNSHIP_A}&amp;period=2026-Q4" in home
        make_facility(Tree.VILLAGE_A2, name="井头社区文化室")
        with CaptureQueriesContext(connection) as two:
            self.client.get("/")
        assert len(two.captured_queries) == len(one.captured_queries)
        # Staff and keepers get no such card.
        self.client.force_login(self.staff_a)
        assert 'id="opening-behind"' not in self.client.get("/").content.decode()
