"""Staff's home names the items of their unit's approved plan for this year (else last year's)
that are 落后 (behind what the elapsed part of the year asks) or 未完成, each with its value
against its target and a link to the plan's progress, the first five and how many more; in a
constant number of queries whatever the items or the units below (issue #13, build 2)."""

from datetime import date
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from xuanwen.activities.tests.helpers import make_activity
from xuanwen.plans import services
from xuanwen.plans.models import WorkPlan
from xuanwen.plans.tests.helpers import make_plan
from xuanwen.testing import BaseTestCase, Tree, frozen

# Half the year gone (183 of 365 days): a target of 10 activities expects 5.01 by now.
TODAY = date(2026, 7, 2)


@frozen(TODAY)
class LaggingItemsOnHomeTests(BaseTestCase):
    def approved(self, targets: list[int]) -> WorkPlan:
        """Township A's 2026 plan, approved, with an activity count item per target."""
        plan = make_plan(self.staff_a, Tree.TOWNSHIP_A, template="")
        section = services.section_create(user=self.staff_a, plan=plan, title="重点工作")
        for n, target in enumerate(targets, start=1):
            data = services.ItemData(
                text=f"举办活动第{n}项", indicator="activities.count", target_min=Decimal(target)
            )
            services.item_create(user=self.staff_a, section=section, data=data)
        services.plan_submit(user=self.staff_a, plan=plan)
        return services.plan_approve(user=self.supervisor, plan=plan)

    def home(self) -> str:
        self.client.force_login(self.staff_a)
        return self.client.get("/").content.decode()

    def test_behind_items_are_named_with_their_value_and_target(self) -> None:
        for day in (3, 4, 5):  # three activities in the township and its villages
            make_activity(Tree.VILLAGE_A, start_date=date(2026, 3, day))
        plan = self.approved([10, 2, 5])  # 3 of 10 behind (5 due), 3 of 2 met, 3 of 5 on track
        home = self.home()
        assert "落后的计划条目" in home
        lagging = home.split('id="plan-items-lagging"')[1].split("</ul>")[0]
        assert "举办活动第1项" in lagging and "进行中（落后）" in lagging
        assert "实际 3 / 目标 10 次" in lagging and "应达 5.01" in lagging
        assert "第2项" not in lagging and "第3项" not in lagging
        assert f"/plans/{plan.pk}/progress/#progress-" in lagging
        # Nobody else's home lists township A's items.
        self.client.force_login(self.staff_b)
        assert "举办活动第1项" not in self.client.get("/").content.decode()

    def test_on_track_a_plan_says_nothing_of_items(self) -> None:
        make_activity(Tree.TOWNSHIP_A, start_date=date(2026, 3, 3))
        plan = self.approved([1])
        home = self.home()
        assert "落后的计划条目" not in home and f"/plans/{plan.pk}/progress/" in home

    def test_until_this_years_plan_is_approved_last_years_missed_items_are_named(self) -> None:
        make_activity(Tree.VILLAGE_A, start_date=date(2026, 3, 3))
        plan = self.approved([10, 1])
        with frozen(date(2027, 1, 10)):
            home = self.home()
        lagging = home.split('id="plan-items-lagging"')[1].split("</ul>")[0]
        assert "举办活动第1项" in lagging and "未完成" in lagging
        assert "实际 1 / 目标 10 次" in lagging
        assert "举办活动第2项" not in lagging and "应达" not in lagging
        assert f"/plans/{plan.pk}/progress/" in home
        # This year's, approved: it is the one shown (nothing behind in its first days).
        next_year = make_plan(self.staff_a, Tree.TOWNSHIP_A, year=2027, template="")
        section = services.section_create(user=self.staff_a, plan=next_year, title="重点工作")
        services.item_create(
            user=self.staff_a, section=section, data=services.ItemData(text="开展活动")
        )
        with frozen(date(2027, 1, 10)):
            services.plan_submit(user=self.staff_a, plan=next_year)
            services.plan_approve(user=self.supervisor, plan=next_year)
            home = self.home()
        assert "落后的计划条目" not in home and f"/plans/{next_year.pk}/progress/" in home

    def test_five_are_shown_and_the_rest_counted_in_constant_queries(self) -> None:
        self.approved([10])
        self.client.force_login(self.staff_a)
        with CaptureQueriesContext(connection) as one:
            self.client.get("/")
        WorkPlan.objects.all().delete()
        for code in (Tree.TOWNSHIP_A, Tree.VILLAGE_A, Tree.VILLAGE_A2):
            make_activity(code, start_date=date(2026, 4, 1))
        self.approved([10 + n for n in range(8)])
        with CaptureQueriesContext(connection) as eight:
            home = self.client.get("/").content.decode()
        lagging = home.split('id="plan-items-lagging"')[1]
        assert lagging.split("</ul>")[0].count("<li>") == 5
        assert "另有 3 条落后" in lagging
        assert len(eight.captured_queries) == len(one.captured_queries)
