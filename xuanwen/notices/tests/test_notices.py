"""Build 3 of issue #13: notices of a plan submitted, returned or approved (stored when it
happens), of a duty or a loan overdue (derived at read time from the one clock), listed at
/notices/ with the unread count in the top bar, marked read when opened."""

from datetime import date, timedelta
from unittest import mock

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xuanwen.accounts.models import User
from xuanwen.bookhouses.tests.helpers import add_loan, make_bookhouse
from xuanwen.duties.tests.helpers import complete, make_duty
from xuanwen.notices.models import Notice, NoticeKind
from xuanwen.notices.selectors import derived_count, unread_count
from xuanwen.plans import services as plan_services
from xuanwen.plans.models import PlanStatus, WorkPlan
from xuanwen.plans.tests.helpers import make_plan
from xuanwen.testing import BaseTestCase, Tree, frozen

TODAY = date(2026, 4, 5)
TITLE = "古城街道2026年工作计划"


def plan_of(user: User, unit_code: str = Tree.TOWNSHIP_A) -> WorkPlan:
    plan = make_plan(user, unit_code, template="")
    section = plan_services.section_create(user=user, plan=plan, title="重点工作")
    plan_services.item_create(
        user=user, section=section, data=plan_services.ItemData(text="开展活动")
    )
    return plan


def topbar_count(page: str) -> str:
    """What the top bar's notices link says: "通知" or "通知 (N)"."""
    start = page.index('href="/notices/"')
    return page[page.index(">", start) + 1 : page.index("</a>", start)]


@frozen(TODAY)
class PlanNoticeTests(BaseTestCase):
    def setUp(self) -> None:
        self.plan = plan_of(self.staff_a)
        assert self.plan.title == TITLE

    def act(self, user: User, action: str, **data: str) -> None:
        self.client.force_login(user)
        r = self.client.post(reverse("plans:" + action, args=[self.plan.pk]), data)
        assert r.status_code == 302, r.content
        self.plan.refresh_from_db()

    def test_a_submitted_plan_is_a_notice_for_those_who_may_approve_it(self) -> None:
        self.act(self.staff_a, "submit")
        # The county's supervisor (and its admin, who may approve too) are told; nobody else.
        told = set(Notice.objects.values_list("recipient__username", flat=True))
        assert told == {"supervisor", "admin"}
        notice = Notice.objects.get(recipient=self.supervisor)
        assert notice.kind == NoticeKind.PLAN_SUBMITTED and notice.read_at is None
        assert notice.message == f"李文 提交了 {TITLE}"
        self.client.force_login(self.supervisor)
        home = self.client.get(reverse("home")).content.decode()
        assert topbar_count(home) == "通知 (1)"
        page = self.client.get(reverse("notices:list")).content.decode()
        assert f"李文 提交了 {TITLE}" in page and "新" in page
        # Opened: read, and the top bar of that very page already counts none.
        assert topbar_count(page) == "通知"
        notice.refresh_from_db()
        assert notice.read_at is not None and unread_count(self.supervisor) == 0
        home = self.client.get(reverse("home")).content.decode()
        assert topbar_count(home) == "通知"

    def test_returned_and_approved_tell_the_submitter_with_the_note(self) -> None:
        self.act(self.staff_a, "submit")
        self.act(self.supervisor, "return", note="请补充经费预算")
        notice = Notice.objects.get(recipient=self.staff_a)
        assert notice.kind == NoticeKind.PLAN_RETURNED
        assert notice.message == f"钱主管 退回了 {TITLE}" and notice.note == "请补充经费预算"
        self.client.force_login(self.staff_a)
        page = self.client.get(reverse("notices:list")).content.decode()
        assert "退回" in page and "请补充经费预算" in page
        self.act(self.staff_a, "submit")
        self.act(self.supervisor, "approve")
        latest = Notice.objects.filter(recipient=self.staff_a).first()
        assert latest is not None and latest.kind == NoticeKind.PLAN_APPROVED
        assert latest.message == f"钱主管 批准了 {TITLE}"
        self.client.force_login(self.staff_a)
        assert topbar_count(self.client.get(reverse("home")).content.decode()) == "通知 (1)"
        assert "批准" in self.client.get(reverse("notices:list")).content.decode()

    def test_others_get_nothing(self) -> None:
        self.act(self.staff_a, "submit")
        self.act(self.supervisor, "return", note="请补充")
        self.act(self.staff_a, "submit")
        self.act(self.supervisor, "approve")
        # The township's writers are told of the return and the approval; the actor never is.
        told = set(Notice.objects.values_list("recipient__username", flat=True))
        assert told == {"supervisor", "admin", "staff_a", "projectionist"}
        for user in (self.staff_b, self.outsider, self.viewer, self.keeper, self.unbound):
            self.client.force_login(user)
            page = self.client.get(reverse("notices:list")).content.decode()
            assert TITLE not in page and topbar_count(page) == "通知", user
        # Another's notice, guessed by id: 404, and it stays unread.
        theirs = Notice.objects.filter(recipient=self.supervisor).first()
        assert theirs is not None
        Notice.objects.filter(pk=theirs.pk).update(read_at=None)
        self.client.force_login(self.staff_b)
        assert self.client.get(reverse("notices:open", args=[theirs.pk])).status_code == 404
        theirs.refresh_from_db()
        assert theirs.read_at is None
        # Its own recipient opens it: read, and on to the plan.
        self.client.force_login(self.supervisor)
        r = self.client.get(reverse("notices:open", args=[theirs.pk]))
        assert r.status_code == 302
        assert r["Location"] == reverse("plans:detail", args=[self.plan.pk])
        theirs.refresh_from_db()
        assert theirs.read_at is not None

    def test_a_plan_withdrawn_by_its_unit_tells_nobody(self) -> None:
        self.act(self.staff_a, "submit")
        before = Notice.objects.count()
        self.act(self.staff_a, "return")
        assert Notice.objects.count() == before

    def test_a_deleted_plans_notices_are_hidden(self) -> None:
        self.act(self.staff_a, "submit")
        assert unread_count(self.supervisor) == 1
        WorkPlan.objects.filter(pk=self.plan.pk).update(deleted_at=self.plan.updated_at)
        assert unread_count(self.supervisor) == 0
        self.client.force_login(self.supervisor)
        assert TITLE not in self.client.get(reverse("notices:list")).content.decode()

    def test_the_notice_is_stored_in_the_change_or_not_at_all(self) -> None:
        # Refused before anything is saved: no notice.
        with self.assertRaises(PermissionDenied):
            plan_services.plan_approve(user=self.staff_b, plan=self.plan)
        assert not Notice.objects.exists()
        # A notice that cannot be stored takes the status change back with it.
        with (
            mock.patch("xuanwen.notices.services.notify", side_effect=RuntimeError),
            self.assertRaises(RuntimeError),
        ):
            plan_services.plan_submit(user=self.staff_a, plan=self.plan)
        assert WorkPlan.objects.get(pk=self.plan.pk).status == PlanStatus.DRAFT

    def test_the_page_reads_in_constant_queries_and_the_top_bar_costs_one(self) -> None:
        self.act(self.staff_a, "submit")
        self.client.force_login(self.supervisor)
        with CaptureQueriesContext(connection) as one:
            self.client.get(reverse("notices:list"))
        for _ in range(3):
            self.act(self.staff_a, "return")
            self.act(self.staff_a, "submit")
        self.client.force_login(self.supervisor)
        assert unread_count(self.supervisor) == 3
        with CaptureQueriesContext(connection) as many:
            page = self.client.get(reverse("notices:list")).content.decode()
        assert page.count(f"李文 提交了 {TITLE}") == 4
        assert len(many.captured_queries) == len(one.captured_queries)
        # The top bar: exactly one query, on the notice table, for a signed-in user.
        with CaptureQueriesContext(connection) as home:
            self.client.get(reverse("menu"))
        counting = [q["sql"] for q in home.captured_queries if "notices_notice" in q["sql"]]
        assert len(counting) == 1 and "LIMIT 100" in counting[0].upper()
        # Nothing for an anonymous visitor.
        self.client.logout()
        with CaptureQueriesContext(connection) as anonymous:
            self.client.get(reverse("login"))
        assert not [q for q in anonymous.captured_queries if "notices_notice" in q["sql"]]

    def test_the_list_is_paginated_newest_first_and_marks_only_what_it_shows(self) -> None:
        rows = [
            Notice(
                recipient=self.supervisor,
                kind=NoticeKind.PLAN_SUBMITTED,
                plan=self.plan,
                title=f"计划{i:02d}",
                actor_name="李文",
                created_at=self.plan.created_at + timedelta(minutes=i),
            )
            for i in range(25)
        ]
        Notice.objects.bulk_create(rows)
        self.client.force_login(self.supervisor)
        page = self.client.get(reverse("notices:list")).content.decode()
        assert "计划24" in page and "计划05" in page and "计划04" not in page
        assert unread_count(self.supervisor) == 5
        assert topbar_count(page) == "通知 (5)"
        page2 = self.client.get(reverse("notices:list") + "?page=2").content.decode()
        assert "计划04" in page2 and unread_count(self.supervisor) == 0
        assert self.client.get(reverse("notices:list") + "?page=x").status_code == 200


@frozen(TODAY)
class DerivedNoticeTests(BaseTestCase):
    def test_an_overdue_duty_is_a_notice_for_the_responsible_user(self) -> None:
        duty = make_duty(self.staff_a, Tree.TOWNSHIP_A, role="staff", start_date=date(2026, 3, 1))
        complete(self.staff_a, duty, date(2026, 3, 2))
        self.client.force_login(self.staff_a)
        page = self.client.get(reverse("notices:list")).content.decode()
        assert "常规工作逾期未做：黑板报" in page and "2026年3月下半月" in page
        link = reverse("duties:complete", args=[duty.pk]) + "?period=2026-03-16"
        assert link in page
        # Derived, not stored: nothing in the table, but counted in the top bar, on the
        # notices page itself too (seeing it does not deal with it).
        assert not Notice.objects.exists()
        assert topbar_count(page) == "通知 (1)"
        assert topbar_count(self.client.get(reverse("home")).content.decode()) == "通知 (1)"
        for user in (self.staff_b, self.outsider):
            self.client.force_login(user)
            page = self.client.get(reverse("notices:list")).content.decode()
            assert "黑板报" not in page and topbar_count(page) == "通知"
        # Done late: the notice is gone by itself, and so is its count.
        complete(self.staff_a, duty, date(2026, 4, 1), period_start=date(2026, 3, 16))
        self.client.force_login(self.staff_a)
        page = self.client.get(reverse("notices:list")).content.decode()
        assert "黑板报" not in page and topbar_count(page) == "通知"

    def test_an_overdue_loan_is_a_notice_for_the_keepers(self) -> None:
        house = make_bookhouse(Tree.VILLAGE_A)

        def lend(title: str, due: date) -> None:
            add_loan(house, "王芳", title=title, lent_on=due - timedelta(days=30), due_on=due)

        lend("平凡的世界", TODAY - timedelta(days=1))
        lend("红岩", TODAY)  # due today: not overdue yet
        self.client.force_login(self.keeper)
        with CaptureQueriesContext(connection) as one:
            page = self.client.get(reverse("notices:list")).content.decode()
        assert "借阅逾期未还：王芳《平凡的世界》" in page and "红岩" not in page
        assert topbar_count(page) == "通知 (1)"
        for n in range(12):
            lend(f"书{n}", TODAY - timedelta(days=2))
        with CaptureQueriesContext(connection) as many:
            page = self.client.get(reverse("notices:list")).content.decode()
        assert len(many.captured_queries) == len(one.captured_queries)
        assert "全部逾期借阅" in page
        # The count names them all, not only the ten listed.
        assert topbar_count(page) == "通知 (13)" and derived_count(self.keeper) == 13
        # Those who do not keep registers, and other townships, are not told.
        for user in (self.viewer, self.staff_b, self.outsider):
            self.client.force_login(user)
            page = self.client.get(reverse("notices:list")).content.decode()
            assert "平凡的世界" not in page and topbar_count(page) == "通知"

    def test_the_top_bar_counts_stored_and_derived_in_constant_queries(self) -> None:
        house = make_bookhouse(Tree.VILLAGE_A)
        plan = plan_of(self.staff_a)
        plan_services.plan_submit(user=self.staff_a, plan=plan)
        plan_services.plan_return(user=self.supervisor, plan=plan, note="请补充")
        self.client.force_login(self.staff_a)

        def menu() -> tuple[str, list[str]]:
            with CaptureQueriesContext(connection) as queries:
                page = self.client.get(reverse("menu")).content.decode()
            return topbar_count(page), [q["sql"] for q in queries.captured_queries]

        count, one = menu()
        assert count == "通知 (1)"  # the return, stored
        make_duty(self.staff_a, Tree.TOWNSHIP_A, role="staff", start_date=date(2026, 3, 1))
        make_duty(self.staff_a, Tree.TOWNSHIP_A, name="宣传橱窗", role="staff",
                  start_date=date(2026, 3, 1))  # fmt: skip
        lent, due = date(2026, 3, 1), date(2026, 4, 1)
        for n in range(3):
            add_loan(house, "王芳", title=f"书{n}", lent_on=lent, due_on=due)
        count, many = menu()
        # The return; both halves of March of both half-monthly duties; the three loans.
        assert count == "通知 (8)", count
        assert len(many) == len(one)
        assert not any("COUNT(" in sql.upper() for sql in many), many
        # Past the cap, "99+".
        for n in range(100):
            add_loan(house, "李四", title=f"书{n}", lent_on=lent, due_on=due)
        assert menu()[0] == "通知 (99+)"


def test_the_scope_walk_reaches_the_notices() -> None:
    """The walker finds the notices' routes itself and knows how to fill a notice id: the
    recipient's own inside, another's outside (xuanwen/notices/tests/walk.py)."""
    from xuanwen.tests.test_scope_walk import PARAMS, resolver_routes

    routes = {route for route, _pattern, _ns in resolver_routes()}
    assert {"notices/", "notices/<int:pk>/"} <= routes
    assert "notices:pk" in PARAMS
