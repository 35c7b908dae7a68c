"""The prepared session and user reads answer exactly as the ORM would, on both databases."""

from datetime import UTC, datetime, timedelta
from unittest import mock

from django.contrib.sessions.models import Session
from django.utils import timezone

from xuanwen.accounts.models import User
from xuanwen.core.prepared import PreparedGet
from xuanwen.testing import BaseTestCase

BY_PK = PreparedGet(User, pk=0)


class PreparedGetTests(BaseTestCase):
    def test_the_user_is_the_orms_field_for_field(self) -> None:
        self.supervisor.last_login = timezone.now()
        self.supervisor.save()
        prepared = BY_PK.get(pk=self.supervisor.pk)
        orm = User.objects.get(pk=self.supervisor.pk)
        for field in User._meta.concrete_fields:
            value = getattr(prepared, field.attname)
            assert value == getattr(orm, field.attname), field.name
            assert type(value) is type(getattr(orm, field.attname)), field.name
        assert prepared._state.adding is False
        assert prepared._state.db == "default"

    def test_no_row_is_none(self) -> None:
        assert BY_PK.get(pk=10**9) is None

    def test_lookups_must_come_as_declared(self) -> None:
        with self.assertRaises(TypeError):
            BY_PK.get(id=self.supervisor.pk)

    def test_a_compiled_query_it_cannot_map_falls_back_to_the_orm(self) -> None:
        prepared = PreparedGet(User, username="-")
        with mock.patch.object(PreparedGet, "_params", return_value=["not what was compiled"]):
            assert prepared.get(username=self.staff_a.username) == self.staff_a
        assert prepared._compiled == {"default": None}

    def test_an_expired_session_is_not_read(self) -> None:
        live = PreparedGet(
            Session, session_key="-", expire_date__gt=datetime(2000, 1, 1, tzinfo=UTC)
        )
        Session.objects.create(
            session_key="k" * 32, session_data="x", expire_date=timezone.now() - timedelta(1)
        )
        assert live.get(session_key="k" * 32, expire_date__gt=timezone.now()) is None
        Session.objects.filter(session_key="k" * 32).update(
            expire_date=timezone.now() + timedelta(1)
        )
        found = live.get(session_key="k" * 32, expire_date__gt=timezone.now())
        assert found is not None and found.session_data == "x"


class SessionTests(BaseTestCase):
    """Signing in and out through the pages, with the session store that reads prepared."""

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
