"""The activity roll-ups read a covering index alone on SQLite (see activities.models; the
PostgreSQL plans, Index Only Scans, are printed by bench/rollup.py)."""

from datetime import date
from unittest import skipUnless

from django.db import connection
from django.test.utils import CaptureQueriesContext

from xuanwen.indicators import selectors
from xuanwen.indicators.periods import parse_period
from xuanwen.indicators.registry import get_indicator
from xuanwen.testing import BaseTestCase, Tree

from .helpers import make_activity


@skipUnless(connection.vendor == "sqlite", "SQLite's plan; bench/rollup.py prints PostgreSQL's")
class CoveringIndexTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # Years of a few villages' activities, and the statistics an import takes after a
        # big load (core.imports): SQLite then weighs the indexes by them.
        for n in range(60):
            unit = (Tree.VILLAGE_A, Tree.VILLAGE_B, Tree.OTHER_TOWNSHIP)[n % 3]
            make_activity(unit, "培训", date(2016 + n % 10, 1 + n % 12, 1))
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    def plan(self, unit: str, period: str, table: str) -> str:
        """The plan of the roll-up's query on `table`, as the indicator table runs it."""
        indicator = get_indicator("activities.participants")
        assert indicator is not None
        with CaptureQueriesContext(connection) as ctx:
            selectors.table_by_child([indicator], unit, parse_period(period))
        (sql,) = [q["sql"] for q in ctx.captured_queries if f'"{table}"' in q["sql"]]
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            return " ".join(str(row[-1]) for row in cursor.fetchall())

    def test_the_records_of_a_date_range(self) -> None:
        for unit in (Tree.COUNTY, Tree.TOWNSHIP_A):
            plan = self.plan(unit, "2025-01-01..2025-03-30", "activities_activity")
            self.assertIn("COVERING INDEX activity_rollup_idx", plan)

    def test_the_tallies_of_whole_months(self) -> None:
        for period in ("2025", "2025-Q1", "2025-03"):
            plan = self.plan(Tree.COUNTY, period, "activities_activitytally")
            self.assertIn("COVERING INDEX activity_tally_rollup_idx", plan)
