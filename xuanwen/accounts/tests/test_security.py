"""Sign-in lockout, production settings that pass Django's deploy checks, password rules."""

import os
import secrets
import string
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import override_settings

from xuanwen.accounts.models import LoginAttempt, Role, User
from xuanwen.testing import BaseTestCase
from xuanwen.units.services import user_create

LOCKED = "登录失败次数过多"


class LoginLockoutTests(BaseTestCase):
    def sign_in(self, username: str, password: str) -> object:
        return self.client.post("/login/", {"username": username, "password": password})

    def test_it_signs_in_with_the_right_password(self) -> None:
        r = self.sign_in("staff_a", self.password)
        self.assertRedirects(r, "/", fetch_redirect_response=False)
        assert LoginAttempt.objects.get(username="staff_a").succeeded

    def test_it_locks_a_username_after_too_many_failures(self) -> None:
        for _ in range(settings.LOGIN_MAX_FAILURES):
            r = self.sign_in("staff_a", "wrong password")
            self.assertContains(r, "用户名或密码不正确")
        r = self.sign_in("staff_a", self.password)
        assert r.status_code == 200
        self.assertContains(r, LOCKED)
        self.assertContains(r, f"{settings.LOGIN_LOCKOUT_MINUTES} 分钟")
        assert "_auth_user_id" not in self.client.session
        # Also with the username typed in another case.
        self.assertContains(self.sign_in("STAFF_A", self.password), LOCKED)
        # Another username is unaffected.
        r = self.sign_in("staff_b", self.password)
        self.assertRedirects(r, "/", fetch_redirect_response=False)

    def test_it_does_not_lock_below_the_limit(self) -> None:
        for _ in range(settings.LOGIN_MAX_FAILURES - 1):
            self.sign_in("staff_a", "wrong password")
        r = self.sign_in("staff_a", self.password)
        self.assertRedirects(r, "/", fetch_redirect_response=False)
        # A success starts the count again.
        self.client.logout()
        for _ in range(settings.LOGIN_MAX_FAILURES - 1):
            self.sign_in("staff_a", "wrong password")
        self.assertRedirects(
            self.sign_in("staff_a", self.password), "/", fetch_redirect_response=False
        )

    def test_it_unlocks_when_the_window_has_passed(self) -> None:
        for _ in range(settings.LOGIN_MAX_FAILURES):
            self.sign_in("staff_a", "wrong password")
        self.assertContains(self.sign_in("staff_a", self.password), LOCKED)
        LoginAttempt.objects.update(at="2000-01-01T00:00:00Z")
        self.assertRedirects(
            self.sign_in("staff_a", self.password), "/", fetch_redirect_response=False
        )


class LockoutByAddressTests(BaseTestCase):
    """The lockout is keyed by username and source address, plus a throttle per address."""

    HOME, ATTACKER = "10.1.1.1", "203.0.113.9"

    def sign_in(self, username: str, password: str, address: str, **headers: str) -> object:
        return self.client.post(
            "/login/",
            {"username": username, "password": password},
            REMOTE_ADDR=address,
            **headers,
        )

    def signed_in(self, r: object) -> None:
        self.assertRedirects(r, "/", fetch_redirect_response=False)  # type: ignore[arg-type]
        self.client.logout()

    def test_failures_from_another_address_do_not_lock_the_owner_out(self) -> None:
        for _ in range(settings.LOGIN_MAX_FAILURES):
            self.sign_in("staff_a", "wrong password", self.ATTACKER)
        self.assertContains(self.sign_in("staff_a", self.password, self.ATTACKER), LOCKED)
        self.signed_in(self.sign_in("staff_a", self.password, self.HOME))

    @override_settings(LOGIN_ADDRESS_MAX_FAILURES=8)
    def test_the_throttle_holds_per_address_over_any_usernames(self) -> None:
        names = ["staff_a", "staff_b", "keeper", "viewer"]
        for i in range(8):  # two tries per username: none is locked on its own
            self.sign_in(names[i % 4], "wrong password", self.ATTACKER)
        r = self.sign_in("admin", self.password, self.ATTACKER)
        self.assertContains(r, "此地址登录失败次数过多")
        assert "_auth_user_id" not in self.client.session
        # Another address is not throttled.
        self.signed_in(self.sign_in("admin", self.password, self.HOME))

    def test_a_forged_forwarded_for_from_an_untrusted_peer_is_ignored(self) -> None:
        # It neither spreads the attacker's failures over made-up addresses...
        for i in range(settings.LOGIN_MAX_FAILURES):
            forged = {"HTTP_X_FORWARDED_FOR": f"198.51.100.{i}"}
            self.sign_in("staff_a", "wrong password", self.ATTACKER, **forged)
        assert set(LoginAttempt.objects.values_list("ip", flat=True)) == {self.ATTACKER}
        r = self.sign_in("staff_a", self.password, self.ATTACKER, HTTP_X_FORWARDED_FOR="1.2.3.4")
        self.assertContains(r, LOCKED)
        # ...nor, naming the owner's address, locks the owner out.
        forged = {"HTTP_X_FORWARDED_FOR": self.HOME}
        for _ in range(settings.LOGIN_MAX_FAILURES):
            self.sign_in("staff_b", "wrong password", self.ATTACKER, **forged)
        self.signed_in(self.sign_in("staff_b", self.password, self.HOME))

    @override_settings(TRUSTED_PROXIES=["127.0.0.1/32"])
    def test_a_trusted_proxy_names_the_source(self) -> None:
        via_proxy = {"HTTP_X_FORWARDED_FOR": f"198.51.100.7, {self.ATTACKER}"}
        for _ in range(settings.LOGIN_MAX_FAILURES):
            self.sign_in("staff_a", "wrong password", "127.0.0.1", **via_proxy)
        # The header's rightmost hop (what the proxy saw), not what the client wrote before it.
        assert set(LoginAttempt.objects.values_list("ip", flat=True)) == {self.ATTACKER}
        self.assertContains(
            self.sign_in("staff_a", self.password, "127.0.0.1", **via_proxy), LOCKED
        )
        home = {"HTTP_X_FORWARDED_FOR": self.HOME}
        self.signed_in(self.sign_in("staff_a", self.password, "127.0.0.1", **home))


class PasswordRuleTests(BaseTestCase):
    def test_it_rejects_a_weak_password(self) -> None:
        for weak in ("12345678", "password", "1234", "staff_new1"):
            with pytest.raises(ValidationError):
                user_create(
                    actor=self.admin,
                    username="staff_new",
                    unit=self.units["331082001"],
                    role=Role.STAFF,
                    name="新专干",
                    password=weak,
                )
        assert not User.objects.filter(username="staff_new").exists()

    def test_it_rejects_a_weak_password_on_the_command_line(self) -> None:
        with pytest.raises(CommandError):
            call_command(
                "user", "create", "staff_new", "--unit", "331082001", "--role", "staff",
                "--password", "12345678", "--name", "新专干", stdout=StringIO(),
            )  # fmt: skip
        assert not User.objects.filter(username="staff_new").exists()

    def test_it_accepts_a_strong_password(self) -> None:
        user = user_create(
            actor=self.admin,
            username="staff_new",
            unit=self.units["331082001"],
            role=Role.STAFF,
            name="新专干",
            password="村里的书屋 2026 开门",
        )
        assert user.check_password("村里的书屋 2026 开门")


class DeployCheckTests(BaseTestCase):
    def test_it_passes_the_deploy_checks_in_production(self) -> None:
        alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
        env = {
            **os.environ,
            "DEBUG": "0",
            "SECRET_KEY": "".join(secrets.choice(alphabet) for _ in range(50)),
            "ALLOWED_HOSTS": "xuanwen.example.org",
            "DJANGO_SETTINGS_MODULE": "xuanwen.settings",
        }
        for name in ("SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"):
            env.pop(name, None)
        result = subprocess.run(
            [sys.executable, "-m", "xuanwen", "check", "--deploy", "--fail-level", "WARNING"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr

    def test_it_refuses_to_start_in_production_without_a_secret_key(self) -> None:
        env = {**os.environ, "DEBUG": "0", "ALLOWED_HOSTS": "xuanwen.example.org"}
        env.pop("SECRET_KEY", None)
        result = subprocess.run(
            [sys.executable, "-m", "xuanwen", "check"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode != 0
        assert "SECRET_KEY" in result.stderr
