"""Named API tokens with an expiry (issue #11): several per user, each refused on the next
request once revoked or expired; the 我的令牌 page; `xuanwen token list / create / revoke`."""

from datetime import date, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from xuanwen.accounts.models import TOKEN_DAYS_DEFAULT, ApiToken, TokenState
from xuanwen.accounts.services import token_create
from xuanwen.audit.models import Action, AuditEntry
from xuanwen.testing import BaseTestCase, Tree, frozen

DAY = date(2026, 3, 2)
UNITS = "/api/v1/units/"


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def get(client: Client, raw: str) -> Any:
    return client.get(UNITS, HTTP_AUTHORIZATION=f"Bearer {raw}")


@frozen(DAY)
class TokenTests(BaseTestCase):
    def test_a_new_token_leaves_the_others_working(self) -> None:
        _, first = token_create(user=self.staff_a, name="办公室电脑")
        _, second = token_create(user=self.staff_a, name="统计脚本")
        assert get(self.client, first).status_code == 200
        assert get(self.client, second).status_code == 200

    def test_a_revoked_token_is_refused_on_the_next_request(self) -> None:
        token, raw = token_create(user=self.staff_a, name="脚本")
        _, other = token_create(user=self.staff_a, name="另一个")
        assert get(self.client, raw).status_code == 200
        run("token", "revoke", str(token.pk))
        r = get(self.client, raw)
        assert r.status_code == 401
        assert r.json() == {"detail": "令牌已撤销，请在“我的令牌”页面新建一个。"}
        assert get(self.client, other).status_code == 200  # only that one

    def test_an_expired_token_is_refused_from_its_expiry_on(self) -> None:
        token, raw = token_create(user=self.staff_a, name="脚本", days=7)
        assert abs(token.expires_at - token.created_at - timedelta(days=7)) < timedelta(seconds=1)
        with frozen(token.expires_at - timedelta(seconds=5)):
            assert get(self.client, raw).status_code == 200
        with frozen(token.expires_at):
            r = get(self.client, raw)
        assert r.status_code == 401
        assert r.json() == {"detail": "令牌已过期，请在“我的令牌”页面新建一个。"}

    def test_a_wrong_or_deactivated_users_token_says_nothing_more(self) -> None:
        _, raw = token_create(user=self.staff_a)
        generic = {"detail": "未认证：请提供有效的令牌（Authorization: Bearer <token>）。"}
        assert get(self.client, raw + "x").json() == generic
        self.staff_a.is_active = False
        self.staff_a.save()
        assert get(self.client, raw).json() == generic

    def test_last_use_is_written_at_most_once_a_minute(self) -> None:
        token, raw = token_create(user=self.staff_a)
        assert token.last_used_at is None
        get(self.client, raw)
        token.refresh_from_db()
        first = token.last_used_at
        assert first is not None
        with frozen(first + timedelta(seconds=30)):
            get(self.client, raw)
        token.refresh_from_db()
        assert token.last_used_at == first
        with frozen(first + timedelta(minutes=2)):
            get(self.client, raw)
        token.refresh_from_db()
        assert token.last_used_at is not None and token.last_used_at > first


@frozen(DAY)
class TokenCommandTests(BaseTestCase):
    def test_create_list_revoke_audited_as_the_system(self) -> None:
        raw = run("token", "create", "staff_a", "--name", "统计脚本", "--days", "30").strip()
        token = ApiToken.objects.get(user=self.staff_a)
        assert (token.name, token.hint) == ("统计脚本", raw[:10])
        assert abs(token.expires_at - token.created_at - timedelta(days=30)) < timedelta(seconds=1)
        assert get(self.client, raw).status_code == 200

        listed = run("token", "list", "staff_a")
        assert "统计脚本" in listed and "有效" in listed and raw not in listed
        assert "staff_a" in run("token", "list")
        run("token", "revoke", str(token.pk))
        assert "已撤销" in run("token", "list", "staff_a")

        entries = AuditEntry.objects.filter(model="accounts.apitoken", object_pk=str(token.pk))
        assert [(e.action, e.actor, e.actor_name) for e in entries.order_by("at", "id")] == [
            (Action.CREATE, None, "系统"),
            (Action.UPDATE, None, "系统"),
        ]
        assert all("key_hash" not in (e.after or {}).get("fields", {}) for e in entries)
        assert all(e.unit_code == Tree.TOWNSHIP_A for e in entries)

    def test_default_expiry(self) -> None:
        run("token", "create", "staff_a", "--name", "脚本")
        token = ApiToken.objects.get(user=self.staff_a)
        expected = timedelta(days=TOKEN_DAYS_DEFAULT)
        assert abs(token.expires_at - token.created_at - expected) < timedelta(seconds=1)

    def test_bad_input_is_a_chinese_error(self) -> None:
        for args, message in [
            (["create", "staff_a", "--name", "x", "--days", "0"], "有效期应为 1 到 365 天"),
            (["create", "staff_a", "--name", "x", "--days", "366"], "有效期应为 1 到 365 天"),
            (["create", "staff_a", "--name", "  "], "请给令牌起个名称"),
            (["create", "staff_a", "--name", "长" * 51], "名称最多 50 个字"),
            (["create", "nobody", "--name", "x"], "没有用户 nobody"),
            (["list", "nobody"], "没有用户 nobody"),
            (["revoke", "424242"], "没有 ID 为 424242 的令牌"),
            (["revoke", str(2**70)], "没有 ID 为"),
        ]:
            with pytest.raises(CommandError, match=message):
                run("token", *args)
        token, _ = token_create(user=self.staff_a)
        run("token", "revoke", str(token.pk))
        with pytest.raises(CommandError, match="已经撤销"):
            run("token", "revoke", str(token.pk))
        assert ApiToken.objects.count() == 1


@frozen(DAY)
class TokenPageTests(BaseTestCase):
    def setUp(self) -> None:
        self.client.force_login(self.staff_a)

    def test_the_user_menu_links_to_it(self) -> None:
        assert 'href="/tokens/"' in self.client.get("/").content.decode()

    def test_create_shows_the_secret_once_then_lists_it(self) -> None:
        r = self.client.post("/tokens/", {"name": "办公室电脑", "days": "30"})
        assert r.status_code == 200
        raw = r.context["raw"]
        assert raw.startswith("xw_") and raw in r.content.decode()
        assert "no-store" in r["Cache-Control"]
        token = ApiToken.objects.get(user=self.staff_a)
        assert abs(token.expires_at - token.created_at - timedelta(days=30)) < timedelta(seconds=1)
        assert get(Client(), raw).status_code == 200

        page = self.client.get("/tokens/").content.decode()
        assert raw not in page
        assert "办公室电脑" in page and token.hint in page and "有效" in page and "从未" not in page

        entry = AuditEntry.objects.get(model="accounts.apitoken", action=Action.CREATE)
        assert (entry.actor, entry.unit_code) == (self.staff_a, Tree.TOWNSHIP_A)

    def test_revoke_own_token(self) -> None:
        token, raw = token_create(user=self.staff_a, name="旧电脑")
        r = self.client.post(f"/tokens/{token.pk}/revoke/", follow=True)
        assert "已撤销令牌“旧电脑”" in r.content.decode()
        assert "已撤销" in r.content.decode()
        assert get(self.client, raw).status_code == 401
        entry = AuditEntry.objects.get(model="accounts.apitoken", action=Action.UPDATE)
        assert entry.actor == self.staff_a
        assert entry.changes[0][0] == "revoked_at"
        # Twice is a message, not an error page.
        r = self.client.post(f"/tokens/{token.pk}/revoke/", follow=True)
        assert "该令牌已经撤销" in r.content.decode()

    def test_lists_only_own_tokens_and_cannot_touch_anyone_elses(self) -> None:
        theirs, _ = token_create(user=self.staff_b, name="别人的令牌")
        assert "别人的令牌" not in self.client.get("/tokens/").content.decode()
        assert self.client.post(f"/tokens/{theirs.pk}/revoke/").status_code == 404
        assert self.client.get(f"/tokens/{theirs.pk}/revoke/").status_code == 405
        assert self.client.post(f"/tokens/{2**70}/revoke/").status_code == 404
        theirs.refresh_from_db()
        assert theirs.revoked_at is None

    def test_states_shown(self) -> None:
        token_create(user=self.staff_a, name="在用")
        gone, _ = token_create(user=self.staff_a, name="撤了")
        run("token", "revoke", str(gone.pk))
        with frozen(DAY - timedelta(days=3)):
            token_create(user=self.staff_a, name="过期了", days=1)
        r = self.client.get("/tokens/")
        states = {t.name: s for t, s in r.context["tokens"]}
        assert states == {
            "在用": TokenState.ACTIVE,
            "撤了": TokenState.REVOKED,
            "过期了": TokenState.EXPIRED,
        }
        # Only the live token offers a revoke button.
        assert r.content.decode().count('action="/tokens/') == 1

    def test_bad_input_is_a_form_error(self) -> None:
        for data, message in [
            ({"name": "", "days": "30"}, "这个字段是必填项"),
            ({"name": "长" * 51, "days": "30"}, "50"),
            ({"name": "x", "days": "999"}, "999"),
            ({"name": "x", "days": str(2**70)}, "选择"),
            ({"name": "x", "days": "abc"}, "选择"),
        ]:
            r = self.client.post("/tokens/", data)
            assert r.status_code == 200, data
            assert r.context["raw"] is None
            assert r.context["form"].errors, data
            assert message in str(r.context["form"].errors), (data, r.context["form"].errors)
        assert not ApiToken.objects.exists()

    def test_signed_out_is_sent_to_sign_in(self) -> None:
        r = Client().get("/tokens/")
        assert r.status_code == 302 and "/login/" in r["Location"]
