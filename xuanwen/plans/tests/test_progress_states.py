"""Plan progress states from the one clock (issue #12, build 2): 未开始 before the period,
进行中 with 正常 or 落后 during it, 已完成 when met, 未完成 only after the period ends; an item
without a target shows its value and no verdict; an item without an indicator is marked done."""

import re
from datetime import date

from xuanwen.plans.models import PlanItem
from xuanwen.plans.selectors import Status, plan_progress
from xuanwen.testing import BaseTestCase, frozen

from .helpers import make_plan


class ProgressStateTests(BaseTestCase):
    def setUp(self) -> None:
        with frozen(date(2026, 6, 30)):
            self.plan = make_plan(self.staff_a, year=2027)

    def statuses(self, today: date) -> dict[str, str]:
        progress = plan_progress(self.plan, today)
        return {p.row.item.text: p.status for _s, rows in progress.sections for p in rows}

    def test_before_the_period_every_item_is_not_started(self) -> None:
        statuses = self.statuses(date(2026, 6, 30))
        assert statuses and set(statuses.values()) == {Status.NOT_STARTED}
        self.client.force_login(self.staff_a)
        with frozen(date(2026, 6, 30)):
            page = self.client.get(f"/plans/{self.plan.pk}/progress/").content.decode()
        shown = set(re.findall(r'<span class="status-\w+">([^<]*)</span>', page))
        assert shown == {"未开始"}

    def test_an_unmet_target_is_behind_on_the_last_day_and_missed_after_it(self) -> None:
        item = PlanItem.objects.get(section__plan=self.plan, text__contains="期文化活动培训")
        assert item.target_min
        assert self.statuses(date(2027, 12, 31))[item.text] == Status.BEHIND
        assert self.statuses(date(2028, 1, 1))[item.text] == Status.MISSED
        self.client.force_login(self.staff_a)
        url = f"/plans/{self.plan.pk}/progress/"
        row = f'id="progress-{item.pk}"'
        last_day = self.client.get(url, {"as_of": "2027-12-31"}).content.decode()
        assert '<span class="status-behind">进行中（落后）</span>' in last_day.split(row)[1]
        after = self.client.get(url, {"as_of": "2028-01-01"}).content.decode()
        assert '<span class="status-missed">未完成</span>' in after.split(row)[1]

    def test_an_item_without_an_indicator_is_in_progress_until_done_or_over(self) -> None:
        item = PlanItem.objects.filter(section__plan=self.plan, indicator="").first()
        assert item is not None
        assert self.statuses(date(2027, 3, 1))[item.text] == Status.IN_PROGRESS
        assert self.statuses(date(2028, 1, 1))[item.text] == Status.MISSED
        item.done_on = date(2027, 4, 1)
        item.save()
        assert self.statuses(date(2028, 1, 1))[item.text] == Status.DONE

    def test_a_measured_item_without_a_target_shows_its_value_and_no_verdict(self) -> None:
        item = (
            PlanItem.objects.filter(section__plan=self.plan, target_min__isnull=True)
            .exclude(indicator="")
            .first()
        )
        if item is None:  # the template has none: make one
            item = PlanItem.objects.filter(section__plan=self.plan).exclude(indicator="").first()
            assert item is not None
            item.target_min = item.target_max = None
            item.save()
        for day in (date(2027, 3, 1), date(2028, 1, 1)):
            assert self.statuses(day)[item.text] == Status.NO_TARGET
