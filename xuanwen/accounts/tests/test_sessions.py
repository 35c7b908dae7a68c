"""Signing in and out through the pages, with Django's own session store and backend."""

from datetime import timedelta

from django.contrib.sessions.models import Session
from django.utils import timezone

from xuanwen.testing import BaseTestCase


class SessionTests(BaseTestCase):
    def test_sign_in_then_out_ends_the_session_for_every_copy_of_the_cookie(self) -> None:
        self.staff_a.set_password("a-long-test-password-1")
        self.staff_a.save()
        page = self.client.get("/login/")
        assert page.status_code == 200
        response = self.client.post(
            "/login/", {"username": self.staff_a.username, "password": "a-long-test-password-1"}
        )
        assert response.status_code == 302
        cookie = self.client.cookies["sessionid"].value
        assert self.client.get("/activities/").status_code == 200
        self.client.post("/logout/")
        assert not Session.objects.filter(session_key=cookie).exists()
        self.client.cookies["sessionid"] = cookie  # a copy kept by someone else
        assert self.client.get("/activities/").status_code == 302

    def test_an_expired_session_signs_out(self) -> None:
        self.client.force_login(self.staff_a)
        assert self.client.get("/activities/").status_code == 200
        Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
        assert self.client.get("/activities/").status_code == 302

    def test_a_deactivated_user_is_signed_out(self) -> None:
        self.client.force_login(self.staff_a)
        self.staff_a.is_active = False
        self.staff_a.save()
        assert self.client.get("/activities/").status_code == 302
