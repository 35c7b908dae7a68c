"""On PostgreSQL a transaction can take its ids and timestamps, stay open, and commit after
a later one: the versions of core.versioned must still move when it commits."""

import threading
from datetime import date
from unittest import skipUnless

from django.db import connection, transaction
from django.test import TransactionTestCase, override_settings

from xuanwen.accounts.models import Role, User
from xuanwen.activities import services
from xuanwen.activities.models import ActivityType
from xuanwen.testing import COUNTY, TOWNSHIP_A, make_tree


@skipUnless(connection.vendor == "postgresql", "SQLite has one writer at a time")
@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}})
class InFlightTests(TransactionTestCase):
    serialized_rollback = True  # the activity types the migrations put in stay for later tests

    def test_an_earlier_transaction_committing_last_is_counted(self) -> None:
        units = make_tree()
        staff = User.objects.create_user(username="s", unit=units[TOWNSHIP_A], role=Role.STAFF)
        supervisor = User.objects.create_user(
            username="v", unit=units[COUNTY], role=Role.SUPERVISOR
        )
        kind = ActivityType.objects.order_by("pk")[0]

        def data(title: str) -> services.ActivityData:
            return services.ActivityData(
                unit=units[TOWNSHIP_A],
                type=kind,
                title=title,
                start_date=date(2026, 3, 1),
                end_date=date(2026, 3, 1),
            )

        created, commit = threading.Event(), threading.Event()

        def slow_writer() -> None:
            try:
                with transaction.atomic():
                    services.activity_create(user=staff, data=data("先开始后提交"))
                    created.set()
                    commit.wait(10)
            finally:
                connection.close()

        writer = threading.Thread(target=slow_writer)
        writer.start()
        assert created.wait(10)
        # Its id, updated_at and audit entry are all below this one's.
        services.activity_create(user=staff, data=data("后开始先提交"))
        self.client.force_login(supervisor)
        assert "共 1 项活动" in self.client.get("/activities/").content.decode()
        commit.set()
        writer.join(10)
        page = self.client.get("/activities/").content.decode()
        assert "共 2 项活动" in page and "先开始后提交" in page
