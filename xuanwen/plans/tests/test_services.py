from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from xuanwen.accounts.models import Role, User
from xuanwen.activities.models import ActivityType
from xuanwen.audit.models import Action, AuditEntry
from xuanwen.indicators.tests.helpers import make_activity
from xuanwen.plans import services
from xuanwen.plans.models import PlanItem, PlanStatus, WorkPlan
from xuanwen.plans.numbering import chinese_number, item_number, section_number
from xuanwen.plans.selectors import Status, plan_content, target_status
from xuanwen.testing import BaseTestCase, Tree
from xuanwen.units.models import Unit

from .helpers import make_plan


def test_numbering() -> None:
    assert [chinese_number(n) for n in (1, 9, 10, 11, 20, 21, 99)] == [
        "一",
        "九",
        "十",
        "十一",
        "二十",
        "二十一",
        "九十九",
    ]
    assert section_number(3) == "三、"
    assert item_number(2, "paren") == "（二）"
    assert item_number(12, "arabic") == "12."


def test_target_status_uses_the_minimum_and_the_elapsed_fraction() -> None:
    three = Decimal(3)
    assert target_status(3, three, 0.1, ended=False) == (Status.MET, 0.3)
    assert target_status(1, three, 0.5, ended=False) == (Status.BEHIND, 1.5)  # 1 of 3 at mid-year
    assert target_status(2, three, 0.5, ended=False) == (Status.ON_TRACK, 1.5)
    assert target_status(0, three, 0.0, ended=False)[0] == Status.ON_TRACK  # not started yet
    # The last day is not over: behind, not yet missed; missed once it has passed.
    assert target_status(2, three, 1.0, ended=False)[0] == Status.BEHIND
    assert target_status(2, three, 1.0, ended=True)[0] == Status.MISSED


class PlanServiceTests(BaseTestCase):
    def test_the_template_becomes_sections_and_items(self) -> None:
        plan = make_plan(self.staff_a)
        content = plan_content(plan)
        assert [s.number + s.section.title for s in content][:3] == [
            "一、重大节日文化活动",
            "二、内部设施建设",
            "三、日常工作",
        ]
        texts = [r.item.text for s in content for r in s.items]
        assert "组织开展元旦春节期间的歌舞巡回慰问演出活动。" in texts
        station = PlanItem.objects.get(section__plan=plan, text__contains="每周不低于三个工作日")
        assert station.indicator == "opening.compliance_rate" and station.target_min == 100
        yards = PlanItem.objects.get(section__plan=plan, text__contains="文化大院")
        assert (yards.target_min, yards.target_max) == (2, 3)
        spring = PlanItem.objects.get(section__plan=plan, text__contains="元旦春节")
        assert spring.deadline == date(2026, 2, 28)
        entry = AuditEntry.objects.get(model="plans.workplan", object_pk=str(plan.pk))
        assert entry.action == Action.CREATE and len(entry.after["sections"]) == 4

    def test_only_one_plan_per_unit_and_period(self) -> None:
        make_plan(self.staff_a)
        with self.assertRaises(ValidationError):
            make_plan(self.staff_a)
        make_plan(self.staff_a, kind="quarter", index=1, template="")

    def test_writers_only_within_their_scope(self) -> None:
        with self.assertRaises(PermissionDenied):
            make_plan(self.staff_a, Tree.TOWNSHIP_B)
        with self.assertRaises(PermissionDenied):
            make_plan(self.supervisor, Tree.TOWNSHIP_A)  # supervisors approve, they don't write
        make_plan(self.keeper, Tree.VILLAGE_A, template="")

    def test_it_starts_from_last_years_plan(self) -> None:
        last = make_plan(self.staff_a, year=2025)
        item = PlanItem.objects.get(section__plan=last, text__contains="元旦春节")
        services.item_mark_done(
            user=self.staff_a, item=item, done_on=date(2025, 2, 1), note="演出8场"
        )
        new = make_plan(self.staff_a, year=2026, template="", from_previous=True)
        copied = PlanItem.objects.get(section__plan=new, text__contains="元旦春节")
        assert copied.deadline == date(2026, 2, 28)
        assert copied.done_on is None and copied.done_note == ""  # progress is not copied
        assert (
            PlanItem.objects.filter(section__plan=new).count()
            == PlanItem.objects.filter(section__plan=last).count()
        )
        with self.assertRaises(ValidationError):
            make_plan(self.staff_a, year=2024, template="", from_previous=True)

    def submitted(self) -> WorkPlan:
        plan = make_plan(self.staff_a)
        return services.plan_submit(user=self.staff_a, plan=plan)

    def test_approval_comes_from_above(self) -> None:
        plan = self.submitted()
        for user in (self.staff_a, self.staff_b, self.viewer, self.outsider):
            assert not services.can_approve_plan(user, plan), user
            with self.assertRaises(PermissionDenied):
                services.plan_approve(user=user, plan=plan)
        # A supervisor of the township itself is not above it.
        local = User.objects.create_user(
            username="local", unit=self.units[Tree.TOWNSHIP_A], role=Role.SUPERVISOR
        )
        assert not services.can_approve_plan(local, plan)
        services.plan_approve(user=self.supervisor, plan=plan)
        assert plan.status == PlanStatus.APPROVED

    def test_a_county_plan_is_approved_by_the_county_supervisor(self) -> None:
        plan = make_plan(self.admin, Tree.COUNTY, template="")
        services.section_create(user=self.admin, plan=plan, title="重点工作")
        services.item_create(
            user=self.admin, section=plan.sections.get(), data=services.ItemData(text="x")
        )
        services.plan_submit(user=self.admin, plan=plan)
        assert not services.can_approve_plan(self.admin, plan)  # nobody approves their own
        services.plan_approve(user=self.supervisor, plan=plan)

    def test_an_empty_plan_cannot_be_submitted(self) -> None:
        plan = make_plan(self.staff_a, template="")
        with self.assertRaises(ValidationError):
            services.plan_submit(user=self.staff_a, plan=plan)

    def test_submitted_and_approved_plans_are_locked(self) -> None:
        plan = self.submitted()
        item = PlanItem.objects.filter(section__plan=plan).first()
        assert item is not None
        data = services.ItemData(text="改")
        with self.assertRaises(ValidationError):
            services.item_update(user=self.staff_a, item=item, data=data)
        with self.assertRaises(ValidationError):
            services.plan_revise(user=self.staff_a, plan=plan)  # not approved yet: return it
        services.plan_return(user=self.supervisor, plan=plan, note="请补充宣传工作")
        assert plan.status == PlanStatus.DRAFT and plan.return_note == "请补充宣传工作"
        item.refresh_from_db()
        item.section.plan = plan  # as a request would load it, after the return
        services.item_update(user=self.staff_a, item=item, data=data)
        services.plan_submit(user=self.staff_a, plan=plan)
        services.plan_approve(user=self.supervisor, plan=plan)
        for call in (
            lambda: services.item_update(user=self.staff_a, item=item, data=data),
            lambda: services.item_delete(user=self.staff_a, item=item),
            lambda: services.section_create(user=self.staff_a, plan=plan, title="新"),
            lambda: services.plan_update(user=self.staff_a, plan=plan, title="新", preamble=""),
            lambda: services.plan_delete(user=self.staff_a, plan=plan),
        ):
            with self.assertRaises(ValidationError):
                call()

    def test_revise_copies_and_keeps_the_old_revision(self) -> None:
        plan = self.submitted()
        services.plan_approve(user=self.supervisor, plan=plan)
        item = PlanItem.objects.get(section__plan=plan, text__contains="元旦春节")
        a = make_activity(Tree.TOWNSHIP_A, "文艺演出", date(2026, 1, 20))
        services.item_mark_done(
            user=self.staff_a, item=item, done_on=date(2026, 1, 30), activities=[a]
        )
        new = services.plan_revise(user=self.staff_a, plan=plan)
        assert (new.revision, new.replaces, new.status) == (2, plan, PlanStatus.DRAFT)
        copied = PlanItem.objects.get(section__plan=new, text__contains="元旦春节")
        assert copied.done_on == date(2026, 1, 30) and list(copied.evidence.all()) == [a]
        with self.assertRaises(ValidationError):
            services.plan_revise(user=self.staff_a, plan=plan)  # already has a newer revision
        with self.assertRaises(ValidationError):  # progress goes on the latest revision
            services.item_mark_done(user=self.staff_a, item=item, done_on=None)
        # Deleting the draft revision makes room for another.
        services.plan_delete(user=self.staff_a, plan=new)
        again = services.plan_revise(user=self.staff_a, plan=plan)
        assert again.revision == 2

    def test_evidence_must_come_from_the_plans_subtree(self) -> None:
        plan = make_plan(self.staff_a)
        item = PlanItem.objects.get(section__plan=plan, text__contains="每周不低于三个工作日")
        theirs = make_activity(Tree.TOWNSHIP_B, "展览", date(2026, 2, 1))
        with self.assertRaises(ValidationError):
            services.item_mark_done(
                user=self.staff_a, item=item, done_on=date(2026, 2, 1), activities=[theirs]
            )
        with self.assertRaises(PermissionDenied):
            services.item_mark_done(user=self.staff_b, item=item, done_on=date(2026, 2, 1))

    def test_item_rules(self) -> None:
        plan = make_plan(self.staff_a, template="")
        section = services.section_create(user=self.staff_a, plan=plan, title="活动")
        for bad in (
            services.ItemData(text=""),
            services.ItemData(text="x", indicator="no.such"),
            services.ItemData(text="x", target_min=Decimal(5), target_max=Decimal(3)),
            services.ItemData(text="x", target_max=Decimal(3)),
        ):
            with self.assertRaises(ValidationError):
                services.item_create(user=self.staff_a, section=section, data=bad)
        t = ActivityType.objects.get(name="讲座")
        first = services.item_create(
            user=self.staff_a,
            section=section,
            data=services.ItemData(
                text="讲座", indicator=f"activities.type.{t.pk}", target_min=Decimal(12)
            ),
        )
        second = services.item_create(
            user=self.staff_a, section=section, data=services.ItemData(text="二")
        )
        services.item_move(user=self.staff_a, item=second, up=True)
        rows = plan_content(plan)[0].items
        assert [(r.number, r.item.text) for r in rows] == [("1.", "二"), ("2.", "讲座")]
        assert rows[1].indicator is not None and rows[1].item.pk == first.pk

    def test_no_plan_for_units_outside_the_tree(self) -> None:
        assert Unit.objects.filter(code=Tree.OTHER_TOWNSHIP).exists()
        with self.assertRaises(PermissionDenied):
            make_plan(self.staff_a, Tree.OTHER_TOWNSHIP)


class RestoreClashTests(BaseTestCase):
    def test_restoring_a_plan_whose_period_has_a_new_plan_says_why(self) -> None:
        old = make_plan(self.staff_a, template="")
        services.plan_delete(user=self.staff_a, plan=old)
        make_plan(self.staff_a, template="")  # the same unit and year, made again
        entry = AuditEntry.objects.get(
            action=Action.DELETE, model="plans.workplan", object_pk=str(old.pk)
        )
        self.client.force_login(self.admin)
        r = self.client.post(reverse("audit:restore", args=[entry.pk]), follow=True)
        self.assertContains(r, "无法恢复：已有一条与之重复的记录")
        old.refresh_from_db()
        self.assertIsNotNone(old.deleted_at)
        self.assertEqual(WorkPlan.objects.filter(deleted_at__isnull=True).count(), 1)
