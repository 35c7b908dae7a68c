"""The acceptance item: a half-monthly blackboard done on 2026-03-02 and 2026-03-25 is on time
for both halves of March; with only the first, the second half is overdue and shows on the
responsible person's home page, and not on an out-of-scope user's."""

from datetime import date

from django.urls import reverse

from xuanwen.duties import compliance
from xuanwen.duties.compliance import Status
from xuanwen.duties.models import Cycle, Duty
from xuanwen.testing import BaseTestCase, Tree, frozen

from .helpers import complete, make_duty

APRIL_5 = date(2026, 4, 5)


def march(duty: Duty) -> dict[str, Status]:
    judged = compliance.judge_all(
        Duty.objects.filter(pk=duty.pk), date(2026, 3, 1), date(2026, 3, 31), APRIL_5
    )[0]
    return {p.period.label: p.status for p in judged.periods}


@frozen(APRIL_5)
class BlackboardTests(BaseTestCase):
    def setUp(self) -> None:
        self.duty = make_duty(
            self.staff_a, Tree.TOWNSHIP_A, role="staff", start_date=date(2026, 3, 1)
        )

    def test_two_completions_are_on_time_for_both_halves(self) -> None:
        complete(self.staff_a, self.duty, date(2026, 3, 2))
        complete(self.staff_a, self.duty, date(2026, 3, 25))
        self.assertEqual(
            march(self.duty),
            {"2026年3月上半月": Status.ON_TIME, "2026年3月下半月": Status.ON_TIME},
        )

    def test_with_only_the_first_the_second_half_is_overdue(self) -> None:
        complete(self.staff_a, self.duty, date(2026, 3, 2))
        self.assertEqual(
            march(self.duty),
            {"2026年3月上半月": Status.ON_TIME, "2026年3月下半月": Status.OVERDUE},
        )

    def test_the_overdue_half_shows_on_the_responsible_persons_home_page(self) -> None:
        complete(self.staff_a, self.duty, date(2026, 3, 2))
        self.client.force_login(self.staff_a)
        page = self.client.get(reverse("home")).content.decode()
        self.assertIn("常规工作逾期未做", page)
        self.assertIn("2026年3月下半月", page)
        link = reverse("duties:complete", args=[self.duty.pk]) + "?period=2026-03-16"
        self.assertIn(link, page)
        # The same for a person named responsible rather than by role.
        self.duty.role = ""
        self.duty.save()
        self.duty.assignees.set([self.projectionist])
        self.client.force_login(self.projectionist)
        self.assertContains(self.client.get(reverse("home")), "2026年3月下半月")

    def test_recording_the_missed_half_clears_the_card_at_once(self) -> None:
        complete(self.staff_a, self.duty, date(2026, 3, 2))
        self.client.force_login(self.staff_a)
        self.assertContains(self.client.get(reverse("home")), "2026年3月下半月")
        complete(self.staff_a, self.duty, date(2026, 4, 1), period_start=date(2026, 3, 16))
        self.assertNotContains(self.client.get(reverse("home")), "2026年3月下半月")

    def test_supervisors_see_a_count_and_outsiders_nothing(self) -> None:
        complete(self.staff_a, self.duty, date(2026, 3, 2))
        self.client.force_login(self.supervisor)
        page = self.client.get(reverse("home")).content.decode()
        self.assertIn("本单位及下级共有", page)
        self.assertNotIn("?period=", page)  # not theirs to record
        for user in (self.outsider, self.staff_b):
            self.client.force_login(user)
            page = self.client.get(reverse("home")).content.decode()
            self.assertNotIn("常规工作逾期未做", page, user.username)
            self.assertNotIn("黑板报", page, user.username)

    def test_the_one_tap_link_records_the_overdue_half_late(self) -> None:
        complete(self.staff_a, self.duty, date(2026, 3, 2))
        self.client.force_login(self.staff_a)
        url = reverse("duties:complete", args=[self.duty.pk]) + "?period=2026-03-16"
        page = self.client.get(url)
        self.assertContains(page, "补记2026年3月下半月")
        self.assertContains(page, 'name="period" value="2026-03-16"')
        from .helpers import photo

        response = self.client.post(
            url,
            {"done_on": "2026-04-03", "note": "", "period": "2026-03-16", "files": [photo()]},
        )
        self.assertRedirects(response, self.duty.get_absolute_url())
        completion = self.duty.completions.get(done_on=date(2026, 4, 3))
        self.assertEqual(completion.period_start, date(2026, 3, 16))
        self.assertEqual(march(self.duty)["2026年3月下半月"], Status.LATE)
        self.assertNotIn("常规工作逾期未做", self.client.get(reverse("home")).content.decode())

    def test_a_completion_without_the_photo_is_refused(self) -> None:
        self.client.force_login(self.staff_a)
        url = reverse("duties:complete", args=[self.duty.pk])
        response = self.client.post(url, {"done_on": "2026-03-25", "note": "出了一期"})
        self.assertContains(response, "该工作需要照片，请上传至少一张照片。")
        self.assertFalse(self.duty.completions.exists())


class StatusRuleTests(BaseTestCase):
    def test_study_day_has_a_grace_then_is_late_then_overdue(self) -> None:
        with frozen(date(2026, 6, 30)):
            duty = make_duty(
                self.staff_a,
                Tree.TOWNSHIP_A,
                name="理论学习日",
                cycle=Cycle.MONTH_DAY,
                due_day=10,
                needs_photo=False,
                needs_note=True,
            )
            complete(self.staff_a, duty, date(2026, 3, 13))  # Saturday the 10th + grace
            complete(self.staff_a, duty, date(2026, 4, 20))  # held late
            judged = compliance.judge_all(
                Duty.objects.filter(pk=duty.pk), date(2026, 3, 1), date(2026, 6, 30)
            )[0]
        statuses = [p.status for p in judged.periods]
        self.assertEqual(statuses, [Status.ON_TIME, Status.LATE, Status.OVERDUE, Status.OVERDUE])
        self.assertEqual(judged.tally.rate, 25.0)
        with frozen(date(2026, 7, 12)):
            current = compliance.judge_all(
                Duty.objects.filter(pk=duty.pk), date(2026, 7, 1), date(2026, 7, 31)
            )[0]
        self.assertEqual([p.status for p in current.periods], [Status.PENDING])

    def test_future_and_inactive_are_not_judged(self) -> None:
        with frozen(date(2026, 3, 20)):
            duty = make_duty(self.staff_a, Tree.TOWNSHIP_A)
            judged = compliance.judge_all(
                Duty.objects.filter(pk=duty.pk), date(2026, 1, 1), date(2026, 12, 31)
            )[0]
        # Jan ×2, Feb ×2 overdue, Mar first half overdue, second half pending; nothing later.
        self.assertEqual(len(judged.periods), 6)
        self.assertEqual(judged.tally.overdue, 5)
        self.assertEqual(judged.tally.pending, 1)
        duty.active = False
        duty.save()
        judged = compliance.judge_all(
            Duty.objects.filter(pk=duty.pk), date(2026, 1, 1), date(2026, 12, 31)
        )[0]
        self.assertEqual(judged.periods, [])

    def test_subtree_compliance_rolls_up_by_child_in_constant_queries(self) -> None:
        def run() -> compliance.Compliance:
            return compliance.compliance("331082", date(2026, 3, 1), date(2026, 3, 31), APRIL_5)

        with frozen(APRIL_5):
            a = make_duty(self.staff_a, Tree.TOWNSHIP_A)
            complete(self.staff_a, a, date(2026, 3, 2))
            make_duty(self.staff_b, Tree.TOWNSHIP_B)
            with self.assertNumQueries(3):
                result = run()
            v = make_duty(self.keeper, Tree.VILLAGE_A, name="宣传橱窗", cycle=Cycle.MONTHLY)
            complete(self.keeper, v, date(2026, 3, 30))
            with self.assertNumQueries(3):
                result = run()
        by_child = {c.unit.code: c.tally for c in result.by_child}
        self.assertEqual(
            (by_child[Tree.TOWNSHIP_A].on_time, by_child[Tree.TOWNSHIP_A].overdue), (2, 1)
        )
        self.assertEqual(
            (by_child[Tree.TOWNSHIP_B].on_time, by_child[Tree.TOWNSHIP_B].overdue), (0, 2)
        )
        self.assertEqual(result.total.due, 5)
        self.assertEqual(result.total.rate, 40.0)
        self.assertEqual(len(result.overdue), 3)
