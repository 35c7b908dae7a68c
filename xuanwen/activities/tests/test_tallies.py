"""The activity indicators are read from tallies the services keep in each write's transaction
(activities.counts, models.ActivityTally). Each way a tally could go stale is a test here, and
every value read from them must equal the value counted from the activities themselves."""

import dataclasses
import random
from datetime import date, timedelta
from io import StringIO

from django.core.management import call_command
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from xuanwen.activities import counts, services
from xuanwen.activities.models import Activity, ActivityTally, ActivityType, MediaCoverage
from xuanwen.audit.models import Action, AuditEntry
from xuanwen.audit.services import audit_restore
from xuanwen.indicators import selectors
from xuanwen.indicators.periods import Period, parse_period
from xuanwen.indicators.registry import Indicator, all_indicators
from xuanwen.testing import BaseTestCase, Tree
from xuanwen.units.models import Unit

UNITS = (Tree.COUNTY, Tree.TOWNSHIP_A, Tree.TOWNSHIP_B, Tree.VILLAGE_A, Tree.VILLAGE_A2)
PERIODS = ("2025", "2026", "2026-H1", "2026-H2", "2026-Q1", "2026-Q3", "2026-02", "2026-12")


def activity_indicators() -> list[Indicator]:
    return [i for i in all_indicators() if i.source.key == "activities"]


def from_records(indicators: list[Indicator]) -> list[Indicator]:
    """The same indicators with no tally to read: counted from the activities."""
    return [
        dataclasses.replace(i, source=dataclasses.replace(i.source, summary=None))
        for i in indicators
    ]


class TallyCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.show = ActivityType.objects.get(name="文艺演出")
        self.lecture = ActivityType.objects.get(name="讲座")

    def data(self, unit: str = Tree.TOWNSHIP_A, **fields: object) -> services.ActivityData:
        values: dict[str, object] = {
            "unit": Unit.objects.get(code=unit),
            "type": self.show,
            "title": "广场演出",
            "start_date": date(2026, 3, 1),
            "end_date": date(2026, 3, 1),
            "participants": 10,
            "audience": 100,
            "programmes": 8,
        }
        values.update(fields)
        return services.ActivityData(**values)  # type: ignore[arg-type]

    def assert_exact(self) -> None:
        """The kept rows are what the activities say, and so is every value read from them."""
        assert counts.differences() == {}
        tallied = activity_indicators()
        counted = from_records(tallied)
        for key in PERIODS:
            period = parse_period(key)
            for unit in UNITS:
                assert selectors.values(tallied, unit, period) == selectors.values(
                    counted, unit, period
                ), (unit, key)
            for unit in (Tree.COUNTY, Tree.TOWNSHIP_A, Tree.VILLAGE_A):
                assert self.by_child(tallied, unit, period) == self.by_child(
                    counted, unit, period
                ), (unit, key)

    @staticmethod
    def by_child(indicators: list[Indicator], unit: str, period: Period) -> object:
        table = selectors.table_by_child(indicators, unit, period)
        return ([(r.unit.code, r.values) for r in table.rows], table.own, table.total)


class KeptTests(TallyCase):
    """Every service that changes a live activity, or its coverage, keeps the tallies exact."""

    def test_create_and_every_edit(self) -> None:
        self.assert_exact()
        a = services.activity_create(user=self.staff_a, data=self.data())
        self.assert_exact()
        edits: list[dict[str, object]] = [
            {"start_date": date(2026, 2, 27), "end_date": date(2026, 7, 2)},  # months apart
            {"start_date": date(2025, 12, 30), "end_date": date(2026, 1, 2)},  # over the year
            {"participants": 35},
            {"audience": 0},
            {"programmes": 12},
            {"type": self.lecture},
            {"unit": Unit.objects.get(code=Tree.VILLAGE_A)},
        ]
        fields: dict[str, object] = {}
        for edit in edits:
            fields |= edit
            unit = fields.get("unit")
            code = unit.code if isinstance(unit, Unit) else Tree.TOWNSHIP_A
            rest = {k: v for k, v in fields.items() if k != "unit"}
            a = services.activity_update(
                user=self.staff_a, activity=a, data=self.data(code, **rest)
            )
            self.assert_exact()

    def test_delete_and_restore_from_the_audit_page(self) -> None:
        a = services.activity_create(user=self.staff_a, data=self.data())
        services.coverage_add(user=self.staff_a, activity=a, outlet="台州日报", level="city",
                              date=a.start_date)  # fmt: skip
        services.activity_delete(user=self.staff_a, activity=a)
        self.assert_exact()
        entry = AuditEntry.objects.get(action=Action.DELETE, model="activities.activity")
        audit_restore(user=self.admin, entry=entry)
        self.assert_exact()
        assert selectors.value(self.indicator("activities.covered"), Tree.COUNTY,
                               parse_period("2026")) == 1  # fmt: skip

    def test_coverage_add_delete_and_restore(self) -> None:
        a = services.activity_create(user=self.staff_a, data=self.data())
        for outlet in ("台州日报", "临海新闻"):
            services.coverage_add(user=self.staff_a, activity=a, outlet=outlet, level="city",
                                  date=a.start_date)  # fmt: skip
            self.assert_exact()
        for coverage in list(MediaCoverage.objects.filter(activity=a)):
            services.coverage_delete(user=self.staff_a, coverage=coverage)
            self.assert_exact()
        entries = AuditEntry.objects.filter(action=Action.DELETE, model="activities.mediacoverage")
        for entry in entries.order_by("pk"):
            audit_restore(user=self.admin, entry=entry)
            self.assert_exact()
        assert selectors.value(self.indicator("activities.covered"), Tree.COUNTY,
                               parse_period("2026")) == 1  # fmt: skip

    def test_import(self) -> None:
        rows = [
            self.data(title=f"导入{i}", start_date=date(2026, 1 + i % 12, 1 + i % 28),
                      end_date=date(2026, 1 + i % 12, 1 + i % 28), participants=i)
            for i in range(30)
        ]  # fmt: skip
        services.activities_import(user=self.staff_a, rows=rows, source="test")
        self.assert_exact()

    def indicator(self, code: str) -> Indicator:
        return next(i for i in activity_indicators() if i.code == code)


class RecountTests(TallyCase):
    """A hand edit leaves the tallies behind; `xuanwen recount --check` says so and `xuanwen
    recount` puts them right."""

    def test_check_then_rebuild(self) -> None:
        a = services.activity_create(user=self.staff_a, data=self.data())
        Activity.objects.filter(pk=a.pk).update(participants=F("participants") + 5)  # by hand
        out = StringIO()
        with self.assertRaises(SystemExit):
            call_command("recount", "--check", stdout=out)
        assert "指标累计" in out.getvalue() and "participants=15" in out.getvalue()
        call_command("recount", stdout=StringIO())
        self.assert_exact()
        ActivityTally.objects.filter(path=Tree.COUNTY).update(live=7)  # by hand
        with self.assertRaises(SystemExit):
            call_command("recount", "--check", stdout=StringIO())
        call_command("recount", stdout=StringIO())
        self.assert_exact()


class RandomisedTests(TallyCase):
    """A random set of activities, edits, reports and deletions: the values read from the
    tallies equal those counted from the activities, for every unit and whole-month period."""

    def test_random_set(self) -> None:
        rnd = random.Random(20261207)
        units = [Unit.objects.get(code=c) for c in UNITS]
        types = list(ActivityType.objects.all()[:4])
        made: list[Activity] = []
        for i in range(60):
            start = date(2025, 11, 1) + timedelta(days=rnd.randrange(0, 500))
            data = self.data(
                rnd.choice(units).code,
                type=rnd.choice(types),
                title=f"活动{i}",
                start_date=start,
                end_date=start + timedelta(days=rnd.choice((0, 0, 1, 20, 70))),
                participants=rnd.randrange(0, 200),
                audience=rnd.randrange(0, 2000),
                programmes=rnd.randrange(0, 20),
            )
            made.append(services.activity_create(user=self.admin, data=data))
        for a in rnd.sample(made, 15):
            services.coverage_add(user=self.admin, activity=a, outlet="临海新闻", level="county",
                                  date=a.start_date)  # fmt: skip
        for a in rnd.sample(made, 10):
            services.activity_delete(user=self.admin, activity=a)
        self.assert_exact()

    def test_a_period_not_in_whole_months_is_counted_from_the_activities(self) -> None:
        services.activity_create(user=self.staff_a, data=self.data())
        count = [i for i in activity_indicators() if i.code == "activities.count"]
        for key, table in (("2026-Q1", "activitytally"), ("2026-03-01..2026-03-15", "activity")):
            with CaptureQueriesContext(connection) as ctx:
                assert selectors.values(count, Tree.COUNTY, parse_period(key)) == {
                    "activities.count": 1
                }
            (sql,) = [q["sql"] for q in ctx.captured_queries]
            assert f'"activities_{table}"' in sql, sql
