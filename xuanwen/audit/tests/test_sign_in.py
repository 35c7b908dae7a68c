"""Sign-ins, failed sign-ins and sign-outs leave audit entries with the source address."""

from django.conf import settings

from xuanwen.audit.models import Action, AuditEntry
from xuanwen.testing import BaseTestCase, Tree

ADDRESS = "203.0.113.9"


class SignInAuditTests(BaseTestCase):
    def sign_in(self, username: str, password: str) -> object:
        return self.client.post(
            "/login/", {"username": username, "password": password}, REMOTE_ADDR=ADDRESS
        )

    def test_a_sign_in_and_a_sign_out_are_audited(self) -> None:
        self.sign_in("staff_a", self.password)
        self.client.post("/logout/", REMOTE_ADDR=ADDRESS)
        login, logout = AuditEntry.objects.order_by("id")
        for entry, action in ((login, Action.LOGIN), (logout, Action.LOGOUT)):
            assert entry.action == action
            assert entry.actor == self.staff_a
            assert entry.actor_name == "李文" == self.staff_a.name
            assert (entry.model, entry.object_pk) == ("accounts.user", str(self.staff_a.pk))
            assert entry.unit_code == Tree.TOWNSHIP_A
            assert entry.after == {"fields": {"address": ADDRESS}}

    def test_a_failed_sign_in_names_the_username_and_address_never_the_password(self) -> None:
        self.sign_in("staff_a", "my secret guess")
        entry = AuditEntry.objects.get()
        assert entry.action == Action.LOGIN_FAILED
        assert entry.actor is None
        assert entry.object_repr == "staff_a"
        assert entry.unit_code == Tree.TOWNSHIP_A  # the account's administrators see it
        assert entry.after == {"fields": {"address": ADDRESS, "reason": "invalid_login"}}
        assert "my secret guess" not in str(entry.__dict__)

    def test_a_failed_sign_in_under_an_unknown_name_is_seen_by_superusers_only(self) -> None:
        self.sign_in("nobody", "guess")
        entry = AuditEntry.objects.get()
        assert (entry.object_repr, entry.object_pk, entry.unit_code) == ("nobody", "", "")

    def test_a_refusal_by_the_lockout_is_audited_with_its_reason(self) -> None:
        for _ in range(settings.LOGIN_MAX_FAILURES):
            self.sign_in("staff_a", "wrong password")
        self.sign_in("staff_a", self.password)
        entry = AuditEntry.objects.order_by("id").last()
        assert entry is not None
        assert entry.after == {"fields": {"address": ADDRESS, "reason": "locked"}}
        assert not AuditEntry.objects.filter(action=Action.LOGIN).exists()

    def test_a_form_with_an_empty_field_is_not_a_sign_in(self) -> None:
        self.sign_in("staff_a", "")
        assert not AuditEntry.objects.exists()

    def test_the_audit_page_lists_sign_ins(self) -> None:
        self.sign_in("staff_a", self.password)
        self.client.force_login(self.admin)
        r = self.client.get("/audit/?action=login")
        self.assertContains(r, "登录")
        self.assertContains(r, "staff_a")
