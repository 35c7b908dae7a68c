"""The work-plan cycle end to end, through the pages: template → targets → records → progress
→ approval → lock → revision."""

import html
import re
from datetime import date

from xuanwen.activities.models import ActivityType
from xuanwen.activities.services import ActivityData, activity_create
from xuanwen.plans.models import PlanItem, PlanStatus, WorkPlan
from xuanwen.plans.tests.helpers import NEW_FROM_TEMPLATE, listed_by
from xuanwen.testing import BaseTestCase, Tree


class PlanCycleTests(BaseTestCase):
    def record(self, user, unit_code, type_name, title, day):  # type: ignore[no-untyped-def]
        return activity_create(
            user=user,
            data=ActivityData(
                unit=self.units[unit_code],
                type=ActivityType.objects.get(name=type_name),
                title=title,
                start_date=day,
                end_date=day,
                participants=25,
            ),
        )

    def test_a_year_plan_from_template_to_revision(self) -> None:
        training = ActivityType.objects.get(name="培训")

        # staff_a starts the 2026 plan of their township from the shipped template.
        self.client.force_login(self.staff_a)
        r = self.client.post("/plans/new/", NEW_FROM_TEMPLATE)
        plan = WorkPlan.objects.get(unit_id=Tree.TOWNSHIP_A, year=2026)
        self.assertRedirects(r, plan.get_absolute_url())
        assert plan.title == "古城街道综合文化站2026年工作计划"
        assert plan.status == PlanStatus.DRAFT

        # It keeps "举办3—5期文化活动培训", measured by the 培训 activity count, met at 3.
        item = PlanItem.objects.get(section__plan=plan, text__contains="期文化活动培训")
        assert item.indicator == f"activities.type.{training.pk}"
        assert (item.target_min, item.target_max) == (3, 5)
        page = self.client.get(plan.get_absolute_url()).content.decode()
        assert "一、重大节日文化活动" in page and "4.</span>举办3—5期文化活动培训" in page
        assert "目标 3–5 次" in page and "培训活动次数" in page

        # Three trainings recorded through the activity service, and records that don't count.
        trainings = {
            self.record(
                self.staff_a, Tree.TOWNSHIP_A, "培训", "文艺骨干培训班", date(2026, 3, 10)
            ).pk,
            self.record(self.staff_a, Tree.VILLAGE_A, "培训", "广场舞培训", date(2026, 5, 12)).pk,
            self.record(self.staff_a, Tree.TOWNSHIP_A, "培训", "摄影培训", date(2026, 6, 2)).pk,
        }
        self.record(self.staff_a, Tree.TOWNSHIP_A, "讲座", "非遗讲座", date(2026, 4, 1))
        self.record(self.staff_a, Tree.TOWNSHIP_A, "培训", "去年的培训", date(2025, 11, 1))
        self.record(self.staff_b, Tree.TOWNSHIP_B, "培训", "邻镇的培训", date(2026, 4, 1))

        r = self.client.get(f"/plans/{plan.pk}/progress/?as_of=2026-06-30")
        row = re.search(rf'<tr id="progress-{item.pk}">(.*?)</tr>', r.content.decode(), re.S)
        assert row is not None
        link = re.search(r'<a class="actual" href="([^"]+)">(\d+)</a>', row[1])
        assert link is not None and link[2] == "3"
        assert "已完成" in row[1] and "100%" in row[1]
        # The number links to the activity list showing exactly those three.
        assert listed_by(html.unescape(link[1]), self.staff_a) == trainings

        # Submitted by the station, approved by the county supervisor.
        self.client.post(f"/plans/{plan.pk}/submit/")
        self.client.force_login(self.supervisor)
        r = self.client.post(f"/plans/{plan.pk}/approve/")
        plan.refresh_from_db()
        assert plan.status == PlanStatus.APPROVED and plan.approved_by == self.supervisor

        # An edit after approval is refused …
        self.client.force_login(self.staff_a)
        edit = {"text": "举办4—6期文化活动培训。", "indicator": item.indicator, "target_min": 4}
        r = self.client.post(f"/plans/items/{item.pk}/edit/", edit, follow=True)
        assert "不能修改" in r.content.decode()
        item.refresh_from_db()
        assert item.text == "举办3—5期文化活动培训。" and item.target_min == 3

        # … until a new revision is made; the edit then goes to the revision.
        r = self.client.post(f"/plans/{plan.pk}/revise/")
        revision = WorkPlan.objects.get(replaces=plan)
        self.assertRedirects(r, revision.get_absolute_url())
        assert (revision.revision, revision.status) == (2, PlanStatus.DRAFT)
        new_item = PlanItem.objects.get(section__plan=revision, text=item.text)
        r = self.client.post(f"/plans/items/{new_item.pk}/edit/", edit)
        new_item.refresh_from_db()
        assert new_item.text == "举办4—6期文化活动培训。" and new_item.target_min == 4

        # The approved revision stays as it was, and can still be read.
        plan.refresh_from_db()
        item.refresh_from_db()
        assert plan.status == PlanStatus.APPROVED
        assert item.text == "举办3—5期文化活动培训。" and item.target_min == 3
        old = self.client.get(plan.get_absolute_url()).content.decode()
        assert "已被取代" in old and "举办3—5期文化活动培训" in old
        assert "第2版" in old
        # The plan list shows the latest revision only.
        listing = self.client.get("/plans/").content.decode()
        assert listing.count("古城街道综合文化站2026年工作计划") == 1
        assert f"/plans/{revision.pk}/" in listing
