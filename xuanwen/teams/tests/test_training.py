"""Training classes: each class is one 培训 activity (the plan's "举办3—5期培训"), sessions,
trainees and the roll call of a session."""

import html
import re
from datetime import date
from decimal import Decimal

from django.urls import reverse

from xuanwen.activities.models import Activity, ActivityType
from xuanwen.activities.services import ActivityData, activity_create
from xuanwen.audit.models import Action, AuditEntry
from xuanwen.plans.models import PlanItem
from xuanwen.plans.tests.helpers import listed_by, make_plan
from xuanwen.teams.models import Attendance, Person, Trainee, TrainingClass, TrainingSession
from xuanwen.testing import BaseTestCase, Tree

NEW = reverse("teams:training_create")


def class_form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "unit": Tree.TOWNSHIP_A,
        "title": "文艺骨干培训班",
        "trainer": "王老师",
        "start_date": "2026-03-10",
        "end_date": "2026-03-20",
        "place": "文化站",
        "note": "",
    }
    data.update(overrides)
    return data


class PlanTargetTests(BaseTestCase):
    def test_three_classes_meet_the_plan_target_of_3_to_5_trainings(self) -> None:
        training = ActivityType.objects.get(name="培训")
        plan = make_plan(self.staff_a)
        item = PlanItem.objects.get(section__plan=plan, text__contains="期文化活动培训")
        assert item.indicator == f"activities.type.{training.pk}"

        self.client.force_login(self.staff_a)
        for title, start, unit in (
            ("文艺骨干培训班", "2026-03-10", Tree.TOWNSHIP_A),
            ("广场舞培训班", "2026-05-12", Tree.VILLAGE_A),
            ("摄影培训班", "2026-06-02", Tree.TOWNSHIP_A),
        ):
            r = self.client.post(
                NEW, class_form(title=title, start_date=start, end_date="", unit=unit)
            )
            assert r.status_code == 302, r.content.decode()
        classes = list(TrainingClass.objects.order_by("pk"))
        assert len(classes) == 3
        linked = {tc.activity_id for tc in classes}
        assert None not in linked
        assert set(Activity.objects.filter(type=training).values_list("pk", flat=True)) == linked

        r = self.client.get(f"/plans/{plan.pk}/progress/?as_of=2026-06-30")
        row = re.search(rf'<tr id="progress-{item.pk}">(.*?)</tr>', r.content.decode(), re.S)
        assert row is not None
        link = re.search(r'<a class="actual" href="([^"]+)">(\d+)</a>', row[1])
        assert link is not None and link[2] == "3"
        assert "已完成" in row[1]
        # The number links to the list of exactly the classes' activities, and each of those
        # is the record of its class.
        assert listed_by(html.unescape(link[1]), self.staff_a) == linked

    def test_an_activity_recorded_before_is_linked_not_doubled(self) -> None:
        training = ActivityType.objects.get(name="培训")
        activity = activity_create(
            user=self.staff_a,
            data=ActivityData(
                unit=self.units[Tree.TOWNSHIP_A], type=training, title="文艺骨干培训班",
                start_date=date(2026, 3, 10), end_date=date(2026, 3, 10), audience=80,
            ),
        )  # fmt: skip
        self.client.force_login(self.staff_a)
        self.client.post(NEW, class_form(end_date=""))
        tc = TrainingClass.objects.get()
        assert tc.activity_id == activity.pk
        assert Activity.objects.filter(type=training).count() == 1
        activity.refresh_from_db()
        assert activity.audience == 80  # what the activity page recorded is kept


class ClassLifecycleTests(BaseTestCase):
    def test_the_activity_follows_the_class(self) -> None:
        self.client.force_login(self.staff_a)
        r = self.client.post(NEW, class_form())
        tc = TrainingClass.objects.get()
        self.assertRedirects(r, tc.get_absolute_url())
        act = Activity.objects.get(pk=tc.activity_id)
        assert (act.title, act.unit_id, act.start_date, act.end_date, act.place) == (
            "文艺骨干培训班", Tree.TOWNSHIP_A, date(2026, 3, 10), date(2026, 3, 20), "文化站",
        )  # fmt: skip
        self.assertAudited(Action.CREATE, tc)

        # Renamed and moved to a village: the activity too.
        edit = reverse("teams:training_edit", args=[tc.pk])
        r = self.client.post(edit, class_form(title="文艺骨干提高班", unit=Tree.VILLAGE_A))
        self.assertRedirects(r, tc.get_absolute_url())
        act.refresh_from_db()
        assert (act.title, act.unit_id) == ("文艺骨干提高班", Tree.VILLAGE_A)

        # Trainees by name: new names become people; participants follow.
        r = self.client.post(
            reverse("teams:trainee_add", args=[tc.pk]), {"trainee-names": "张三、李四\n王五"}
        )
        assert Trainee.objects.filter(training_class=tc).count() == 3
        assert set(Person.objects.values_list("name", flat=True)) == {"张三", "李四", "王五"}
        act.refresh_from_db()
        assert act.participants == 3

        # Deleting the class deletes its activity; both can be restored from the audit page.
        r = self.client.post(reverse("teams:training_delete", args=[tc.pk]))
        self.assertRedirects(r, reverse("teams:training_list"))
        assert not TrainingClass.objects.exists()
        assert not Activity.objects.filter(pk=act.pk).exists()
        assert self.client.get(tc.get_absolute_url()).status_code == 404

    def test_rule_errors_show_on_the_form_and_nothing_is_saved(self) -> None:
        self.client.force_login(self.staff_a)
        r = self.client.post(NEW, class_form(end_date="2026-03-01"))
        assert r.status_code == 200
        assert "结束日期不能早于开始日期。" in r.context["form"].errors["end_date"]
        r = self.client.post(NEW, class_form(unit=Tree.TOWNSHIP_B))
        assert r.context["form"].errors["unit"]
        assert not TrainingClass.objects.exists() and not Activity.objects.exists()

    def test_viewer_and_keeper_limits(self) -> None:
        self.client.force_login(self.viewer)
        assert self.client.get(NEW).status_code == 403
        self.client.force_login(self.keeper)
        self.client.post(NEW, class_form(unit=Tree.TOWNSHIP_A))
        assert not TrainingClass.objects.exists()
        self.client.post(NEW, class_form(unit=Tree.VILLAGE_A))
        assert TrainingClass.objects.get().unit_id == Tree.VILLAGE_A


class SessionAndRollCallTests(BaseTestCase):
    def setUp(self) -> None:
        self.client.force_login(self.keeper)
        self.client.post(NEW, class_form(unit=Tree.VILLAGE_A))
        self.tc = TrainingClass.objects.get()
        self.client.post(
            reverse("teams:trainee_add", args=[self.tc.pk]), {"trainee-names": "张三、李四、王五"}
        )

    def roll_call(self) -> str:
        """The roll call page of a session the keeper adds to the class."""
        self.client.post(
            reverse("teams:session_add", args=[self.tc.pk]),
            {"session-date": "2026-03-12", "session-hours": "2"},
        )
        return reverse("teams:attendance", args=[TrainingSession.objects.get().pk])

    def test_sessions_inside_the_dates_only(self) -> None:
        url = reverse("teams:session_add", args=[self.tc.pk])
        self.client.post(
            url, {"session-date": "2026-03-12", "session-hours": "2.5", "session-topic": "基本步伐"}
        )
        r = self.client.post(url, {"session-date": "2026-04-12", "session-hours": "2"}, follow=True)
        assert "课次日期应在培训班的起止日期" in r.content.decode()
        s = TrainingSession.objects.get()
        assert (s.date, s.hours, s.topic) == (date(2026, 3, 12), Decimal("2.5"), "基本步伐")

    def test_roll_call_on_a_phone(self) -> None:
        url = self.roll_call()
        page = self.client.get(url).content.decode()
        assert page.count('type="checkbox" name="present"') == 3
        trainees = {t.person.name: t.pk for t in Trainee.objects.select_related("person")}
        r = self.client.post(url, {"present": [trainees["张三"], trainees["王五"]]})
        self.assertRedirects(r, self.tc.get_absolute_url() + "#sessions")
        assert set(Attendance.objects.values_list("trainee_id", flat=True)) == {
            trainees["张三"], trainees["王五"],
        }  # fmt: skip
        # Unticking is an absence; the change is audited.
        self.client.post(url, {"present": [trainees["王五"]]})
        assert list(Attendance.objects.values_list("trainee_id", flat=True)) == [trainees["王五"]]
        assert (
            AuditEntry.objects.filter(model="teams.trainingsession", action=Action.UPDATE).count()
            == 2
        )
        # A trainee of another class is refused, nothing changes.
        r = self.client.post(url, {"present": [987654]})
        assert "不属于该培训班" in r.content.decode()
        assert Attendance.objects.count() == 1

    def test_others_cannot_reach_the_roll_call(self) -> None:
        url = self.roll_call()
        self.client.force_login(self.staff_b)
        assert self.client.get(url).status_code == 404
        assert self.client.post(url, {"present": []}).status_code == 404
        self.client.force_login(self.viewer)
        assert self.client.get(url).status_code == 403
