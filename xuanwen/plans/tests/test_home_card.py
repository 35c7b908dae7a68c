"""The home page tells a supervisor which plans wait for approval (and lets them approve one
there), and staff which of their plans came back; in a constant number of queries."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from xuanwen.plans import services
from xuanwen.plans.models import PlanStatus
from xuanwen.plans.tests.helpers import plan_with_item
from xuanwen.testing import BaseTestCase, Tree, frozen


@frozen(date(2026, 3, 2))
class PlanHomeCardTests(BaseTestCase):
    def submitted(self, unit: str, user):  # type: ignore[no-untyped-def]
        plan, _item = plan_with_item(user, unit, "activities.count", target_min=10)
        return services.plan_submit(user=user, plan=plan)

    def test_the_supervisor_approves_from_home_and_staff_see_a_returned_plan(self) -> None:
        plan = self.submitted(Tree.TOWNSHIP_A, self.staff_a)
        self.client.force_login(self.supervisor)
        home = self.client.get("/").content.decode()
        assert "待您批准的计划" in home and plan.title in home
        answer = self.client.post(f"/plans/{plan.pk}/approve/", {"back": "home"})
        assert answer.status_code == 302 and answer["Location"] == "/"
        plan.refresh_from_db()
        assert plan.status == PlanStatus.APPROVED
        assert "待您批准的计划" not in self.client.get("/").content.decode()
        # Staff of the township see how this year's approved plan stands, one tap away.
        self.client.force_login(self.staff_a)
        assert f"/plans/{plan.pk}/progress/" in self.client.get("/").content.decode()

        other = self.submitted(Tree.TOWNSHIP_B, self.staff_b)
        services.plan_return(user=self.supervisor, plan=other, note="请补充经费安排")
        self.client.force_login(self.staff_b)
        home = self.client.get("/").content.decode()
        assert "被退回的计划" in home and "请补充经费安排" in home
        # Nothing of it for the other township, nor anything to approve for staff.
        self.client.force_login(self.staff_a)
        home = self.client.get("/").content.decode()
        assert "被退回的计划" not in home and "待您批准的计划" not in home

    def test_the_card_costs_the_same_with_more_plans(self) -> None:
        self.client.force_login(self.supervisor)
        self.submitted(Tree.TOWNSHIP_A, self.staff_a)
        with CaptureQueriesContext(connection) as one:
            self.client.get("/")
        self.submitted(Tree.TOWNSHIP_B, self.staff_b)
        with CaptureQueriesContext(connection) as two:
            home = self.client.get("/").content.decode()
        assert home.count('name="back" value="home"') == 2
        assert len(two.captured_queries) == len(one.captured_queries)
