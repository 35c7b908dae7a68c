"""The supervisor's dashboard on the home page (issue #15, build 3): for the children of the
user's unit, this year's plan progress, the reports owed, the duties overdue, the activity
trend and the rankings on key indicators, each figure leading to what is behind it, only of
the user's subtree and in a constant number of queries; a township station head sees the
same for their villages; a village keeper keeps the simple home. Each card is its own app's
(plans, reporting, duties, activities, indicators), so the test is here, across them."""

import json
import re
from datetime import date

from xuanwen.accounts.models import User
from xuanwen.activities import counts
from xuanwen.activities.tests.helpers import make_activity
from xuanwen.duties.tests.helpers import make_duty
from xuanwen.indicators.home import ranks
from xuanwen.indicators.periods import month_period
from xuanwen.plans import services as plan_services
from xuanwen.plans.models import WorkPlan
from xuanwen.plans.selectors import Status, plan_progress
from xuanwen.plans.tests.helpers import plan_with_item
from xuanwen.reporting.models import ReportSet
from xuanwen.reporting.tests.helpers import monthly_set, more_townships, submit
from xuanwen.testing import BaseTestCase, Tree, frozen
from xuanwen.units.models import Level

TODAY = date(2026, 6, 15)
CARDS = ("plans-progress", "reporting-children", "duties-behind", "year-figures", "rankings")


def card(home: str, key: str) -> str:
    return home.split(f'id="{key}"')[1].split("</section>")[0]


def chart(home: str, chart_id: str) -> dict:
    data = re.search(rf'id="{chart_id}" type="application/json">(.*?)</script>', home)
    assert data, chart_id
    return json.loads(data[1])


@frozen(TODAY)
class DashboardTests(BaseTestCase):
    def approved_plan(
        self, user: User, code: str, target: int, approver: User | None = None
    ) -> None:
        plan, _item = plan_with_item(user, code, "activities.count", target_min=target)
        plan_services.plan_submit(user=user, plan=plan)
        plan_services.plan_approve(user=approver or self.supervisor, plan=plan)

    def county_records(self) -> ReportSet:
        """Township A: an approved plan of 10 activities with 2 held (behind in June), its
        May report sent on time, a duty overdue; township B: no plan, no report; and the
        other county's township with an activity the county must not count."""
        self.approved_plan(self.staff_a, Tree.TOWNSHIP_A, 10)
        make_activity(Tree.VILLAGE_A, start_date=date(2026, 3, 5), audience=40)
        make_activity(Tree.TOWNSHIP_A, start_date=date(2026, 5, 5), audience=60)
        make_activity(Tree.VILLAGE_B, start_date=date(2025, 5, 5), audience=30)
        make_activity(Tree.OTHER_TOWNSHIP, start_date=date(2026, 5, 5), audience=999)
        counts.rebuild()
        with frozen(date(2026, 1, 2)):
            report_set = monthly_set(self.supervisor)
        with frozen(date(2026, 6, 5)):
            submit(self.staff_a, report_set, Tree.TOWNSHIP_A, month_period(2026, 5))
        make_duty(self.staff_b, Tree.TOWNSHIP_B, start_date=date(2026, 4, 1))
        return report_set

    def test_the_county_supervisor_sees_its_townships(self) -> None:
        report_set = self.county_records()
        self.client.force_login(self.supervisor)
        home = self.client.get("/").content.decode()
        for key in CARDS:
            assert f'id="{key}"' in home, key
        assert "太平街道" not in home  # the other county's township: not of this subtree
        # Plan progress: township A's one target behind, township B without a plan.
        plans = card(home, "plans-progress")
        progress = chart(home, "plans-progress-chart")
        assert progress["categories"] == ["古城街道", "大洋街道"]
        assert [s["data"] for s in progress["series"]] == [[0, 0], [0, 0], [1, 0]]
        assert "/plans/" in plans and "/progress/" in plans
        # The progress page's own verdict on the plan.
        plan = WorkPlan.objects.get(unit_id=Tree.TOWNSHIP_A)
        assert plan_progress(plan, TODAY).counts == {Status.BEHIND: 1}
        assert "无已批准的2026年度计划" in plans
        # Reports owed: May's, A on time, B missing and listed, linking to its completeness.
        owed = chart(home, "reporting-children-chart")
        assert [s["data"] for s in owed["series"]] == [[1, 0], [0, 0], [0, 1]]
        late = card(home, "reporting-children").split('id="reporting-late"')[1]
        assert "大洋街道" in late and "古城街道" not in late
        assert f"/reporting/sets/{report_set.pk}/?unit={Tree.TOWNSHIP_B}&amp;period=2026-05" in late
        # Each figure of the table leads to the submissions it counts: township A's one.
        received = f"/reporting/sets/{report_set.pk}/submissions/?unit={Tree.TOWNSHIP_A}"
        listed = re.search(rf'href="({re.escape(received)}[^"]*)"', home)
        assert listed
        page = self.client.get(listed[1].replace("&amp;", "&")).content.decode()
        assert "古城街道" in page and "大洋街道" not in page
        # Duties overdue by township.
        assert "大洋街道" in card(home, "duties-behind")
        # The activity trend: activities and audience by month, this year against last.
        audience = chart(home, "audience-chart-data")
        assert audience["series"][1]["data"] == [0, 0, 40, 0, 60, 0]
        assert audience["series"][0]["data"][4] == 30
        table = card(home, "year-figures").split('id="year-figures-table"')[1]
        assert "/activities/" in table or "/indicators/records/" in table
        # Rankings: township A first on activities, each figure a link to its records.
        ranking = card(home, "rankings")
        assert ranking.index("古城街道") < ranking.index("大洋街道")
        assert "第1" in ranking and "999" not in ranking
        links = re.findall(r'href="([^"]+)"', ranking)
        assert any(Tree.TOWNSHIP_A in link for link in links)
        for link in links:
            assert self.client.get(link.replace("&amp;", "&")).status_code == 200, link

    def test_the_township_station_head_sees_its_villages(self) -> None:
        self.approved_plan(self.staff_a, Tree.VILLAGE_A, 1)
        make_activity(Tree.VILLAGE_A, start_date=date(2026, 3, 5), audience=40)
        make_activity(Tree.VILLAGE_B, start_date=date(2026, 3, 5), audience=40)  # not hers
        counts.rebuild()
        with frozen(date(2026, 1, 2)):
            monthly_set(self.supervisor, name="村文化室月报", levels=[Level.VILLAGE])
        make_duty(self.staff_a, Tree.VILLAGE_A2, start_date=date(2026, 4, 1), role="village_admin")
        self.client.force_login(self.staff_a)
        home = self.client.get("/").content.decode()
        for key in CARDS:
            assert f'id="{key}"' in home, key
        assert chart(home, "plans-progress-chart")["categories"] == ["文化社区", "井头社区"]
        assert chart(home, "plans-progress-chart")["series"][0]["data"] == [1, 0]
        assert "井头社区" in card(home, "reporting-children")
        assert "井头社区" in card(home, "duties-behind")
        assert "府东社区" not in home and "大洋街道" not in card(home, "rankings")

    def test_a_report_sent_after_its_deadline_is_late(self) -> None:
        report_set = self.county_records()
        with frozen(date(2026, 6, 12)):  # May's deadline was the 10th
            submit(self.staff_b, report_set, Tree.TOWNSHIP_B, month_period(2026, 5))
        self.client.force_login(self.supervisor)
        home = self.client.get("/").content.decode()
        owed = chart(home, "reporting-children-chart")
        assert [s["data"] for s in owed["series"]] == [[1, 0], [0, 1], [0, 0]]
        late = card(home, "reporting-children").split('id="reporting-late"')[1]
        assert "大洋街道" in late and "未报 0，迟报 1" in late

    def test_a_long_ranking_shows_the_first_and_leads_to_all(self) -> None:
        more_townships(10)
        self.client.force_login(self.supervisor)
        ranking = card(self.client.get("/").content.decode(), "rankings")
        assert "另有 2 个单位" in ranking and "第12镇" not in ranking
        full = re.search(r'href="(/indicators/\?[^"]*by=child[^"]*)"', ranking)
        assert full
        page = self.client.get(full[1].replace("&amp;", "&")).content.decode()
        assert "第12镇" in page and "开放达标率" in page

    def test_ranks_share_a_place_on_a_tie_and_skip_no_value(self) -> None:
        assert ranks([3, 5, 3, None, 1]) == [2, 1, 2, None, 4]

    def test_the_village_keeper_and_the_viewer_keep_their_homes(self) -> None:
        self.county_records()
        for user in (self.keeper, self.viewer):
            self.client.force_login(user)
            home = self.client.get("/").content.decode()
            for key in ("plans-progress", "reporting-children", "duties-behind", "rankings"):
                assert f'id="{key}"' not in home, (user, key)

    def test_queries_do_not_grow_with_units_and_records(self) -> None:
        report_set = self.county_records()
        self.client.force_login(self.supervisor)

        def more() -> None:
            for township in more_townships(4):
                self.approved_plan(self.admin, township.code, 3)
                make_activity(township.code, start_date=date(2026, 2, 2), audience=5)
                with frozen(date(2026, 6, 12)):
                    submit(self.admin, report_set, township.code, month_period(2026, 5))
                make_duty(self.admin, township.code, start_date=date(2026, 4, 1))
            counts.rebuild()

        self.assertQueriesDoNotGrow("/", more)
        home = self.client.get("/").content.decode()
        assert len(chart(home, "plans-progress-chart")["categories"]) == 6

    def test_charts_load_from_our_static_files_only(self) -> None:
        self.county_records()
        self.client.force_login(self.supervisor)
        home = self.client.get("/").content.decode()
        assert 'src="/static/xuanwen/js/echarts-5.6.0.simple.min.js"' in home
        assert home.count("echarts-5.6.0.simple.min.js") == 1  # once, however many charts
        external = re.findall(r'(?:src|href|action)="((?:[a-z]+:)?//[^"]*)"', home)
        assert not external, external
        assert "cdn" not in home.lower()
