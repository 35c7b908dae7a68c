"""The audit log reads as a story (issue #13 build 6): the person's 姓名, the verb and the
record's title as it was then, e.g. "钱主管 批准了 古城街道2026年工作计划"."""

import re
from datetime import date
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xuanwen.accounts.models import NAME_MAX, Role, User
from xuanwen.audit.models import Action, AuditEntry
from xuanwen.audit.services import audit_restore
from xuanwen.plans import services as plans
from xuanwen.plans.tests.helpers import make_plan
from xuanwen.testing import PERSONA_NAMES, BaseTestCase, Tree, frozen
from xuanwen.units.services import user_create

PLAN_TITLE = "古城街道2026年工作计划"


def stories(html: str) -> list[str]:
    """The sentences of the audit page, as a reader sees them (tags dropped, spaces folded)."""
    cells = re.findall(r'<td class="story">(.*?)</td>', html, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in cells]


@frozen(date(2026, 3, 2))
class AuditStoryTests(BaseTestCase):
    def page(self, user: User, **params: str) -> list[str]:
        self.client.force_login(user)
        r = self.client.get("/audit/", params)
        assert r.status_code == 200
        return stories(r.content.decode())

    def test_the_log_tells_a_plans_way_to_approval(self) -> None:
        plan = make_plan(self.staff_a, template="")
        assert plan.title == PLAN_TITLE
        section = plans.section_create(user=self.staff_a, plan=plan, title="重点工作")
        plans.item_create(user=self.staff_a, section=section, data=plans.ItemData(text="开展活动"))
        plans.plan_submit(user=self.staff_a, plan=plan)
        plans.plan_return(user=self.supervisor, plan=plan, note="请补充目标")
        plans.plan_submit(user=self.staff_a, plan=plan)
        plans.plan_approve(user=self.supervisor, plan=plan)

        told = self.page(self.admin, unit=Tree.TOWNSHIP_A)
        # Newest first; each with the unit code after the sentence.
        assert [s.removesuffix(f" {Tree.TOWNSHIP_A}") for s in told] == [
            f"钱主管 批准了 {PLAN_TITLE}",
            f"李文 提交了 {PLAN_TITLE}",
            f"钱主管 退回了 {PLAN_TITLE}",
            f"李文 提交了 {PLAN_TITLE}",
            "李文 新增了 开展活动",
            "李文 新增了 重点工作",
            f"李文 新增了 {PLAN_TITLE}",
        ]
        approval = AuditEntry.objects.filter(action=Action.APPROVE).get()
        assert approval.story == f"钱主管 批准了 {PLAN_TITLE}"
        assert approval.actor_name == "钱主管" == self.supervisor.name
        self.client.force_login(self.staff_a)
        detail = self.client.get(f"/audit/{approval.pk}/")
        self.assertContains(detail, f'<h1 class="story">钱主管 批准了 {PLAN_TITLE}</h1>')
        assert self.page(self.admin, unit="3" * 1000) == []
        # The filter knows the new verbs.
        assert self.page(self.admin, action="approve") == [
            f"钱主管 批准了 {PLAN_TITLE} {Tree.TOWNSHIP_A}"
        ]
        # The plan's page names its approver by 姓名, never by login name.
        self.client.force_login(self.staff_a)
        detail = self.client.get(f"/plans/{plan.pk}/").content.decode()
        assert "钱主管 于 2026-03-02 批准" in detail and "supervisor" not in detail

    def test_the_log_tells_an_update_a_deletion_and_a_restore(self) -> None:
        plan = make_plan(self.staff_a, template="")
        plans.plan_update(user=self.staff_a, plan=plan, title=PLAN_TITLE, preamble="为做好…")
        plans.plan_delete(user=self.staff_a, plan=plan)
        deletion = AuditEntry.objects.get(action=Action.DELETE, object_pk=str(plan.pk))
        audit_restore(user=self.admin, entry=deletion)
        told = [s.removesuffix(f" {Tree.TOWNSHIP_A}") for s in self.page(self.staff_a)]
        assert told[:4] == [
            f"赵管理 恢复了 {PLAN_TITLE}",
            f"李文 删除了 {PLAN_TITLE} · 已恢复",
            f"李文 修改了 {PLAN_TITLE}",
            f"李文 新增了 {PLAN_TITLE}",
        ]

    def test_a_rename_leaves_older_entries_as_they_were(self) -> None:
        plan = make_plan(self.staff_a, template="")
        plans.plan_update(
            user=self.staff_a, plan=plan, title="古城街道2026年文化工作计划", preamble=""
        )
        plans.plan_delete(user=self.staff_a, plan=plan)
        told = [s.removesuffix(f" {Tree.TOWNSHIP_A}") for s in self.page(self.staff_a)]
        assert told == [
            "李文 删除了 古城街道2026年文化工作计划",
            "李文 修改了 古城街道2026年文化工作计划",
            f"李文 新增了 {PLAN_TITLE}",
        ]
        created = AuditEntry.objects.get(action=Action.CREATE, object_pk=str(plan.pk))
        assert created.object_repr == PLAN_TITLE

    def test_a_revision_is_told_with_its_version(self) -> None:
        plan = make_plan(self.staff_a, template="")
        section = plans.section_create(user=self.staff_a, plan=plan, title="重点工作")
        plans.item_create(user=self.staff_a, section=section, data=plans.ItemData(text="开展活动"))
        plans.plan_submit(user=self.staff_a, plan=plan)
        plans.plan_approve(user=self.supervisor, plan=plan)
        plans.plan_revise(user=self.staff_a, plan=plan)
        assert self.page(self.staff_a)[0] == f"李文 新增了 {PLAN_TITLE}（第2版） {Tree.TOWNSHIP_A}"

    def test_a_sign_in_names_the_person_and_the_login_used(self) -> None:
        self.client.post("/login/", {"username": "staff_a", "password": self.password})
        self.client.logout()
        self.client.post("/login/", {"username": "nobody", "password": "x"})
        assert self.page(self.admin, action="login")[0].startswith("李文 登录了 （账号 staff_a）")
        root = User.objects.create_superuser("root", password=self.password, name="根")
        assert self.page(root, action="login_fail")[0] == "匿名用户 登录失败 （账号 nobody）"

    def test_a_membership_is_told_by_names_not_keys(self) -> None:
        """Link records once read "1:6": a team's member and a class's trainee."""
        from xuanwen.teams.services.teams import MemberData, team_member_add, team_member_remove
        from xuanwen.teams.services.training import trainee_remove, trainees_add
        from xuanwen.teams.tests.helpers import make_person, make_team, make_training

        team = make_team(Tree.TOWNSHIP_A, name="古城秧歌队")
        person = make_person(Tree.TOWNSHIP_A, name="张秀英")
        member = team_member_add(user=self.staff_a, team=team, data=MemberData(person=person))
        team_member_remove(user=self.staff_a, member=member)
        training = make_training(Tree.TOWNSHIP_A, title="文艺骨干培训班")
        trainees_add(user=self.staff_a, training=training, people=[person])
        trainee_remove(user=self.staff_a, trainee=training.trainees.get())
        told = [s.removesuffix(f" {Tree.TOWNSHIP_A}") for s in self.page(self.staff_a)]
        assert {
            "李文 新增了 古城秧歌队：张秀英",
            "李文 删除了 古城秧歌队：张秀英",
            "李文 新增了 文艺骨干培训班：张秀英",
            "李文 删除了 文艺骨干培训班：张秀英",
        } <= set(told)
        assert not [s for s in told if re.search(r"\d+:\d+", s)]

    def test_the_api_tells_the_same_story(self) -> None:
        make_plan(self.staff_a, template="")
        r = self.api("GET", "/api/v1/audit/", self.staff_a)
        assert r.status_code == 200
        first = r.json()["items"][0]
        assert (first["who"], first["verb"], first["title"]) == ("李文", "新增了", PLAN_TITLE)
        assert first["story"] == f"李文 新增了 {PLAN_TITLE}"

    def test_the_page_shows_the_persons_current_name(self) -> None:
        make_plan(self.staff_a, template="")
        call_command("user", "set-name", "staff_a", "李文华", stdout=StringIO())
        told = self.page(self.admin, unit=Tree.TOWNSHIP_A)
        assert told[:2] == [
            f"系统 修改了 李文华 {Tree.TOWNSHIP_A}",  # the command: the system as actor
            f"李文华 新增了 {PLAN_TITLE} {Tree.TOWNSHIP_A}",
        ]
        # The entry keeps the name it was written with, for when the account is gone.
        assert AuditEntry.objects.get(action=Action.CREATE, model="plans.workplan").actor_name == (
            "李文"
        )
        self.assertAudited(Action.UPDATE, self.staff_a, actor=None)
        renamed = AuditEntry.objects.filter(model="accounts.user", action=Action.UPDATE).get()
        assert renamed.changes == [("name", "李文", "李文华")]

    def test_the_page_reads_in_the_same_queries_however_many_entries(self) -> None:
        def queries(writers: list[User], first_year: int) -> int:
            for n, writer in enumerate(writers):
                make_plan(writer, Tree.TOWNSHIP_A, year=first_year + n, template="")
            self.client.force_login(self.admin)
            with CaptureQueriesContext(connection) as ctx:
                r = self.client.get("/audit/")
            assert r.status_code == 200
            return len(ctx.captured_queries)

        few = queries([self.staff_a, self.projectionist], 2030)
        many = queries([self.staff_a, self.projectionist, self.admin] * 4, 2040)
        assert few == many


class UserNameTests(BaseTestCase):
    """Every user carries a 姓名: required and bounded wherever a user is made."""

    def test_the_personas_have_names(self) -> None:
        for user in [*self.personas(), self.unbound]:
            assert user.name == PERSONA_NAMES[user.username]
            assert str(user) == user.display_name == user.name

    def test_user_create_requires_a_bounded_name(self) -> None:
        unit = self.units[Tree.TOWNSHIP_A]
        for name, message in [
            ("", "请填写姓名。"),
            ("   ", "请填写姓名。"),
            ("张" * (NAME_MAX + 1), f"姓名不能超过 {NAME_MAX} 个字。"),
        ]:
            with pytest.raises(ValidationError) as caught:
                user_create(
                    actor=self.admin, username="zhang", unit=unit, role=Role.STAFF, name=name
                )
            assert caught.value.message_dict == {"name": [message]}
        assert not User.objects.filter(username="zhang").exists()
        user = user_create(
            actor=self.admin, username="zhang", unit=unit, role=Role.STAFF, name=" 张  三 "
        )
        assert user.name == "张 三"
        self.assertAudited(Action.CREATE, user, actor=self.admin)
        assert AuditEntry.objects.get(object_pk=str(user.pk)).story == "赵管理 新增了 张 三"

    def test_the_command_requires_a_name(self) -> None:
        args = ["user", "create", "zhang", "--unit", Tree.TOWNSHIP_A, "--role", "staff"]
        with pytest.raises(CommandError, match="--name"):
            call_command(*args, stdout=StringIO(), stderr=StringIO())
        with pytest.raises(CommandError, match="姓名不能超过"):
            call_command(*args, "--name", "张" * 31, stdout=StringIO())
        with pytest.raises(CommandError, match="请填写姓名"):
            call_command("user", "set-name", "staff_a", " ", stdout=StringIO())
        assert not User.objects.filter(username="zhang").exists()
        out = StringIO()
        call_command(*args, "--name", "张三", stdout=out)
        assert "张三" in out.getvalue()
        assert User.objects.get(username="zhang").name == "张三"

    def test_only_an_admin_in_scope_names_a_user(self) -> None:
        from django.core.exceptions import PermissionDenied

        from xuanwen.units.services import user_set_name

        with pytest.raises(PermissionDenied):
            user_set_name(actor=self.staff_a, user=self.keeper, name="吴")
        with pytest.raises(PermissionDenied):
            user_set_name(actor=self.supervisor, user=self.keeper, name="吴")
        user_set_name(actor=self.admin, user=self.keeper, name="吴海")
        self.keeper.refresh_from_db()
        assert self.keeper.name == "吴海"
        self.assertAudited(Action.UPDATE, self.keeper, actor=self.admin)
