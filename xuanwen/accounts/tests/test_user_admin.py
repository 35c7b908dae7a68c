"""`xuanwen user list / set-role / set-unit / deactivate / activate` (issue #11): accounts an
administrator controls from the command line, each change audited with the system as actor;
deactivating a user ends every session and token they have on the next request."""

from io import StringIO

import pytest
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.test import Client

from xuanwen.accounts.models import ApiToken, Role, TokenState, User
from xuanwen.accounts.services import token_create
from xuanwen.audit.models import Action, AuditEntry
from xuanwen.core import clock
from xuanwen.testing import BaseTestCase, Tree
from xuanwen.units.models import Unit


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def entries_for(user: User) -> list[tuple[str, str, list[str]]]:
    return [
        (e.action, e.actor_name, [c[0] for c in e.changes])
        for e in AuditEntry.objects.filter(model="accounts.user", object_pk=str(user.pk))
        .filter(actor=None)
        .order_by("at", "id")
    ]


class UserCommandTests(BaseTestCase):
    def test_list(self) -> None:
        out = run("user", "list")
        assert "staff_a" in out and "outsider" in out and "专干/站长" in out
        out = run("user", "list", "--unit", "古城街道")
        assert "staff_a" in out and "keeper" in out and "staff_b" not in out

    def test_set_role_audited_as_the_system(self) -> None:
        run("user", "set-role", "staff_a", "viewer")
        self.staff_a.refresh_from_db()
        assert self.staff_a.role == Role.VIEWER
        assert entries_for(self.staff_a) == [(Action.UPDATE, "系统", ["role"])]

    def test_set_unit_by_code_name_or_path(self) -> None:
        run("user", "set-unit", "staff_a", Tree.TOWNSHIP_B)
        self.staff_a.refresh_from_db()
        assert self.staff_a.unit_id == Tree.TOWNSHIP_B
        run("user", "set-unit", "staff_a", "井头社区")
        self.staff_a.refresh_from_db()
        assert self.staff_a.unit_id == Tree.VILLAGE_A2
        run("user", "set-unit", "staff_a", "临海市 / 古城街道")
        self.staff_a.refresh_from_db()
        assert self.staff_a.unit_id == Tree.TOWNSHIP_A
        assert entries_for(self.staff_a) == [(Action.UPDATE, "系统", ["unit"])] * 3
        # The new scope holds from the next request on.
        self.client.force_login(self.staff_a)
        run("user", "set-unit", "staff_a", "温岭市")
        r = self.client.get(f"/units/{Tree.TOWNSHIP_A}/")
        assert r.status_code == 404

    def test_set_unit_refuses_an_unknown_or_ambiguous_unit_in_chinese(self) -> None:
        # A second 古城街道, in the other county: the name alone no longer tells them apart.
        Unit.objects.create(code="331081002", name="古城街道", parent_id=Tree.OTHER_COUNTY)
        with pytest.raises(CommandError, match="“古城街道”对应 2 个单位") as exc:
            run("user", "set-unit", "staff_b", "古城街道")
        assert "浙江省/台州市/临海市/古城街道（331082001）" in str(exc.value)
        assert "浙江省/台州市/温岭市/古城街道（331081002）" in str(exc.value)
        run("user", "set-unit", "staff_b", "温岭市/古城街道")
        self.staff_b.refresh_from_db()
        assert self.staff_b.unit_id == "331081002"
        for unit, message in [
            ("不存在的镇", "没有名为“不存在的镇”的单位"),
            ("温岭市/文化社区", "没有名为“温岭市/文化社区”的单位"),
            ("999999", "没有代码为 999999 的单位"),
            (str(2**70), "没有代码为"),
            (" ", "请给出单位的代码或名称"),
        ]:
            with pytest.raises(CommandError, match=message):
                run("user", "set-unit", "staff_b", unit)
        with pytest.raises(CommandError, match="没有用户 nobody"):
            run("user", "set-role", "nobody", "viewer")
        with pytest.raises(CommandError):
            run("user", "set-role", "staff_b", "king")

    def test_deactivate_refuses_every_token_and_session_on_the_next_request(self) -> None:
        _, first = token_create(user=self.staff_a, name="脚本")
        _, second = token_create(user=self.staff_a, name="电脑")
        phone, laptop, other = Client(), Client(), Client()
        phone.force_login(self.staff_a)
        laptop.force_login(self.staff_a)
        other.force_login(self.staff_b)
        for c in (phone, laptop):
            assert c.get("/activities/").status_code == 200
        for raw in (first, second):
            r = self.client.get("/api/v1/units/", HTTP_AUTHORIZATION=f"Bearer {raw}")
            assert r.status_code == 200

        assert "已停用 staff_a" in run("user", "deactivate", "staff_a")

        for c in (phone, laptop):
            assert c.get("/activities/").status_code == 302
        for raw in (first, second):
            r = self.client.get("/api/v1/units/", HTTP_AUTHORIZATION=f"Bearer {raw}")
            assert r.status_code == 401
        assert other.get("/activities/").status_code == 200  # nobody else signed out
        mine = [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id")]
        assert [s.get_decoded()["_auth_user_id"] for s in mine] == [str(self.staff_b.pk)]
        now = clock.now()
        assert {t.state(now) for t in ApiToken.objects.filter(user=self.staff_a)} == {
            TokenState.REVOKED
        }
        assert entries_for(self.staff_a) == [(Action.UPDATE, "系统", ["is_active"])]
        revoked = AuditEntry.objects.filter(model="accounts.apitoken", action=Action.UPDATE)
        assert revoked.count() == 2 and not revoked.exclude(actor_name="系统").exists()

        # Activated again, none of the old sessions or tokens come back.
        run("user", "activate", "staff_a")
        self.staff_a.refresh_from_db()
        assert self.staff_a.is_active
        for c in (phone, laptop):
            assert c.get("/activities/").status_code == 302
        for raw in (first, second):
            r = self.client.get("/api/v1/units/", HTTP_AUTHORIZATION=f"Bearer {raw}")
            assert r.status_code == 401
        assert entries_for(self.staff_a)[-1] == (Action.UPDATE, "系统", ["is_active"])

    def test_deactivate_and_activate_say_when_there_is_nothing_to_do(self) -> None:
        with pytest.raises(CommandError, match="已经是启用状态"):
            run("user", "activate", "staff_a")
        run("user", "deactivate", "staff_a")
        with pytest.raises(CommandError, match="已经停用"):
            run("user", "deactivate", "staff_a")
        with pytest.raises(CommandError, match="已停用，不能新建令牌"):
            run("token", "create", "staff_a", "--name", "脚本")

    def test_sessions_are_kept_in_the_database(self) -> None:
        # Deactivation finds a user's sessions among the stored ones (accounts.sessions_end).
        from django.conf import settings

        assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"


class UserServiceRightsTests(BaseTestCase):
    """The same services behind a page would check rights: only an administrator of the units
    involved, and never against themselves."""

    def test_rights(self) -> None:
        from django.core.exceptions import PermissionDenied, ValidationError

        from xuanwen.units.services import (
            api_token_create,
            user_deactivate,
            user_set_role,
            user_set_unit,
        )

        with pytest.raises(PermissionDenied):
            user_set_role(actor=self.staff_a, user=self.keeper, role=Role.ADMIN)
        with pytest.raises(PermissionDenied):
            user_set_unit(actor=self.admin, user=self.keeper, unit=self.units[Tree.OTHER_COUNTY])
        with pytest.raises(PermissionDenied):
            user_deactivate(actor=self.admin, user=self.outsider)
        with pytest.raises(ValidationError, match="不能停用自己的账号"):
            user_deactivate(actor=self.admin, user=self.admin)
        with pytest.raises(PermissionDenied):
            api_token_create(actor=self.admin, user=self.staff_a, name="替别人建")
        user_set_role(actor=self.admin, user=self.keeper, role=Role.VIEWER)
        entry = AuditEntry.objects.get(model="accounts.user", object_pk=str(self.keeper.pk))
        assert entry.actor == self.admin
