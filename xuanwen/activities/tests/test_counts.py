"""The list's "共 N 项活动" comes from counter rows the services keep in each write's
transaction (activities.counts). Each way such a kept value could go stale is a test here:
a write through any service, the app's clock behind the database's, two transactions
committing out of order (PostgreSQL), a restore from the audit page, and a hand edit, which
`xuanwen recount` repairs."""

import re
import threading
from datetime import date, timedelta
from io import StringIO
from unittest import skipUnless

from django.core.management import call_command
from django.db import connection, transaction
from django.test import TransactionTestCase
from django.test.utils import CaptureQueriesContext

from xuanwen.accounts.models import Role, User
from xuanwen.activities import counts, services
from xuanwen.activities.models import Activity, ActivityCount, ActivityType
from xuanwen.audit.models import Action, AuditEntry
from xuanwen.core import clock
from xuanwen.core.scope import COUNTRY, NOTHING, Scope
from xuanwen.teams import services as team_services
from xuanwen.testing import BaseTestCase, Tree, frozen
from xuanwen.testing import make_tree as make_units
from xuanwen.units.models import Unit

LIST = "/activities/"


def activity_data(
    title: str, unit: str = Tree.TOWNSHIP_A, kind: ActivityType | None = None
) -> services.ActivityData:
    return services.ActivityData(
        unit=Unit.objects.get(code=unit),
        type=kind or ActivityType.objects.get(name="文艺演出"),
        title=title,
        start_date=date(2026, 3, 1),
        end_date=date(2026, 3, 1),
    )


def shown_total(client: object, query: dict[str, str] | None = None) -> int:
    """The number in the list's "共 N 项活动"."""
    page = client.get(LIST, query or {}).content.decode()  # type: ignore[attr-defined]
    found = re.search(r"共 (\d+) 项活动", page)
    assert found is not None, page
    return int(found[1])


class CounterTests(BaseTestCase):
    """Every service that adds, removes, moves or retypes an activity keeps the count exact."""

    def setUp(self) -> None:
        super().setUp()
        self.client.force_login(self.supervisor)

    def assert_total(self, n: int, query: dict[str, str] | None = None) -> None:
        assert shown_total(self.client, query) == n
        assert counts.differences() == {}

    def test_create_update_delete_and_import(self) -> None:
        self.assert_total(0)
        first = services.activity_create(user=self.staff_a, data=activity_data("一"))
        self.assert_total(1)
        lecture = ActivityType.objects.get(name="讲座")
        # Moved to a village and retyped: still one, now under the other type.
        services.activity_update(
            user=self.staff_a, activity=first, data=activity_data("一", Tree.VILLAGE_A, lecture)
        )
        self.assert_total(1)
        self.assert_total(1, {"type": str(lecture.pk)})
        self.assert_total(1, {"unit": Tree.VILLAGE_A})
        self.assert_total(0, {"unit": Tree.TOWNSHIP_A[:-1] + "2"})
        services.activity_delete(user=self.staff_a, activity=first)
        self.assert_total(0)
        services.activities_import(
            user=self.staff_a, rows=[activity_data("二"), activity_data("三")], source="test"
        )
        self.assert_total(2)

    def test_a_restore_from_the_audit_page_counts_again(self) -> None:
        activity = services.activity_create(user=self.staff_a, data=activity_data("一"))
        services.activity_delete(user=self.staff_a, activity=activity)
        self.assert_total(0)
        entry = AuditEntry.objects.get(action=Action.DELETE, object_pk=str(activity.pk))
        self.client.force_login(self.admin)
        self.client.post(f"/audit/{entry.pk}/restore/")
        self.assert_total(1)

    def test_a_training_class_counts_its_activity_once_through_delete_and_restore(self) -> None:
        data = team_services.TrainingData(
            unit=Unit.objects.get(code=Tree.TOWNSHIP_A),
            title="广场舞培训",
            start_date=date(2026, 3, 1),
            end_date=date(2026, 3, 2),
        )
        training = team_services.training_create(user=self.staff_a, data=data)
        self.assert_total(1)
        team_services.training_delete(user=self.staff_a, training=training)
        self.assert_total(0)
        entry = AuditEntry.objects.get(
            model="teams.trainingclass", object_pk=str(training.pk), action=Action.DELETE
        )
        self.client.force_login(self.admin)
        self.client.post(f"/audit/{entry.pk}/restore/")
        self.assert_total(1)

    def test_each_subtree_reads_its_own_rows_from_the_country_to_a_village(self) -> None:
        lecture = ActivityType.objects.get(name="讲座")
        services.activity_create(user=self.staff_a, data=activity_data("一", Tree.VILLAGE_A))
        services.activity_create(user=self.staff_b, data=activity_data("二", Tree.VILLAGE_B))
        services.activity_create(
            user=self.outsider, data=activity_data("三", Tree.OTHER_COUNTY, lecture)
        )
        total = counts.live_total
        assert total(COUNTRY) == 3
        assert total(COUNTRY, lecture.pk) == 1
        assert total(Scope.unit(Tree.COUNTY[:2])) == 3  # the province, which has no Unit row
        assert total(Scope.unit(Tree.COUNTY)) == 2
        assert total(Scope.unit(Tree.COUNTY), lecture.pk) == 0
        assert total(Scope.unit(Tree.TOWNSHIP_A)) == 1
        assert total(Scope.unit(Tree.VILLAGE_A2)) == 0
        assert total(NOTHING) == 0
        # A county's total is its own rows, one per type, not its villages' rows.
        assert ActivityCount.objects.filter(path=Tree.COUNTY).count() == 1
        assert counts.differences() == {}

    def test_the_total_is_read_from_the_counters_not_counted(self) -> None:
        services.activity_create(user=self.staff_a, data=activity_data("一"))
        with CaptureQueriesContext(connection) as ctx:
            assert shown_total(self.client) == 1
        sqls = [q["sql"] for q in ctx.captured_queries]
        assert not any("COUNT(" in sql for sql in sqls), sqls

    def test_with_the_app_clock_behind_the_database_a_delete_shows_at_once(self) -> None:
        # The app's clock 2 s behind the moment the row was written (an NTP step, a second
        # host): nothing kept depends on time, so the delete shows on the very next request.
        written = clock.now()
        activity = services.activity_create(user=self.staff_a, data=activity_data("一"))
        services.activity_create(user=self.staff_a, data=activity_data("二"))
        self.assert_total(2)
        with frozen(written - timedelta(seconds=2)):
            services.activity_delete(user=self.staff_a, activity=activity)
            page = self.client.get(LIST).content.decode()
            assert "共 1 项活动" in page
            assert ">一</a>" not in page and ">二</a>" in page
        with frozen(written - timedelta(hours=1)):
            entry = AuditEntry.objects.get(action=Action.DELETE, object_pk=str(activity.pk))
            self.client.force_login(self.admin)
            self.client.post(f"/audit/{entry.pk}/restore/")
            assert ">一</a>" in self.client.get(LIST).content.decode()
            self.assert_total(2)


class RecountTests(BaseTestCase):
    """A hand edit of the database leaves the counters behind; `xuanwen recount` says so and
    puts them right."""

    def test_check_then_rebuild(self) -> None:
        services.activity_create(user=self.staff_a, data=activity_data("一"))
        services.activity_create(user=self.staff_a, data=activity_data("二"))
        Activity.objects.filter(title="一").update(deleted_at=clock.now())  # "by hand"
        out = StringIO()
        with self.assertRaises(SystemExit):
            call_command("recount", "--check", stdout=out)
        assert Tree.TOWNSHIP_A in out.getvalue()
        call_command("recount", stdout=StringIO())
        assert counts.differences() == {}
        self.client.force_login(self.supervisor)
        assert shown_total(self.client) == 1
        out = StringIO()
        call_command("recount", "--check", stdout=out)  # all right now: no SystemExit


@skipUnless(connection.vendor == "postgresql", "SQLite has one writer at a time")
class OutOfOrderCommitTests(TransactionTestCase):
    """A transaction that started first (lower id, earlier timestamps) commits after a later
    one: each count read in between is exact, and so is the count after both."""

    serialized_rollback = True  # the activity types the migrations put in stay for later tests

    def test_an_earlier_transaction_committing_last_is_counted(self) -> None:
        units = make_units()
        admin = User.objects.create_user(username="a", unit=units[Tree.COUNTY], role=Role.ADMIN)
        created, commit = threading.Event(), threading.Event()

        def slow_writer() -> None:
            try:
                with transaction.atomic():
                    services.activity_create(
                        user=admin, data=activity_data("先开始后提交", Tree.VILLAGE_A)
                    )
                    created.set()
                    commit.wait(10)
            finally:
                connection.close()

        writer = threading.Thread(target=slow_writer)
        writer.start()
        try:
            assert created.wait(10)
            # Another village and type, so no kept row in common (the county's tally of a type
            # and month is shared by its villages): this one does not wait for the first.
            lecture = ActivityType.objects.get(name="讲座")
            services.activity_create(
                user=admin, data=activity_data("后开始先提交", Tree.VILLAGE_B, lecture)
            )
            self.client.force_login(admin)
            assert shown_total(self.client) == 1
        finally:
            commit.set()
            writer.join(10)
        page = self.client.get(LIST).content.decode()
        assert "共 2 项活动" in page and "先开始后提交" in page
        assert counts.differences() == {}
