"""`xuanwen user create` and `xuanwen token create`: a user from the command line and a token
that opens the API for them, within their scope."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from xuanwen.accounts.models import ApiToken, Role, User
from xuanwen.audit.models import Action, AuditEntry
from xuanwen.testing import BaseTestCase, Tree


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


class UserAndTokenCommandTests(BaseTestCase):
    def test_it_creates_a_user_whose_token_opens_the_api(self) -> None:
        out = run(
            "user", "create", "zhang", "--unit", Tree.TOWNSHIP_A, "--role", "staff",
            "--password", "村里的书屋 2026 开门", "--name", "张三",
        )  # fmt: skip
        assert "zhang" in out
        user = User.objects.get(username="zhang")
        assert (user.unit_id, user.role, user.name) == (Tree.TOWNSHIP_A, Role.STAFF, "张三")
        assert user.check_password("村里的书屋 2026 开门")
        entry = AuditEntry.objects.get(action=Action.CREATE, object_pk=str(user.pk))
        assert "password" not in entry.after["fields"]

        token = run("token", "create", "zhang", "--name", "统计脚本").strip()
        assert token.startswith("xw_")
        assert ApiToken.objects.filter(user=user).count() == 1
        assert token not in {t.key_hash for t in ApiToken.objects.all()}  # only a hash is kept
        r = self.client.get("/api/v1/units/", HTTP_AUTHORIZATION=f"Bearer {token}")
        assert r.status_code == 200
        assert {u["code"] for u in r.json()["items"]} == {
            Tree.TOWNSHIP_A,
            Tree.VILLAGE_A,
            Tree.VILLAGE_A2,
        }
        r = self.client.get("/api/v1/units/", HTTP_AUTHORIZATION=f"Bearer {token}x")
        assert r.status_code == 401

    def test_it_creates_a_user_who_can_sign_in(self) -> None:
        run(
            "user", "create", "li", "--unit", Tree.VILLAGE_A, "--role", "village_admin",
            "--password", "村里的书屋 2026 开门", "--name", "李四",
        )  # fmt: skip
        r = self.client.post("/login/", {"username": "li", "password": "村里的书屋 2026 开门"})
        self.assertRedirects(r, "/", fetch_redirect_response=False)

    def test_it_creates_a_user_without_a_password_who_cannot_sign_in(self) -> None:
        run("user", "create", "wang", "--unit", Tree.TOWNSHIP_A, "--role", "viewer", "--name", "王")
        assert not User.objects.get(username="wang").has_usable_password()

    def test_it_refuses_bad_input(self) -> None:
        with pytest.raises(CommandError, match="不存在"):
            run("user", "create", "zhao", "--unit", "999999", "--role", "staff", "--name", "赵六")
        with pytest.raises(CommandError, match="已存在"):
            run("user", "create", "staff_a", "--unit", Tree.TOWNSHIP_A, "--role", "staff",
                "--name", "李")  # fmt: skip
        with pytest.raises(CommandError):
            run("user", "create", "zhao", "--unit", Tree.TOWNSHIP_A, "--role", "king",
                "--name", "赵")  # fmt: skip
        with pytest.raises(CommandError, match="nobody"):
            run("token", "create", "nobody", "--name", "脚本")
        self.staff_b.is_active = False
        self.staff_b.save()
        with pytest.raises(CommandError, match="已停用"):
            run("token", "create", "staff_b", "--name", "脚本")
        assert not User.objects.filter(username="zhao").exists()

    def test_it_stops_honouring_a_token_when_the_user_is_deactivated(self) -> None:
        token = run("token", "create", "staff_a", "--name", "脚本").strip()
        self.staff_a.is_active = False
        self.staff_a.save()
        r = self.client.get("/api/v1/units/", HTTP_AUTHORIZATION=f"Bearer {token}")
        assert r.status_code == 401
