"""A subtree filter is a code range that the database answers from an index, not a scan."""

from django.db import connection

from xuanwen.activities.models import Activity
from xuanwen.core import tree
from xuanwen.testing import BaseTestCase, Tree
from xuanwen.units.models import Unit


def plan_of(queryset: object) -> str:
    sql, params = queryset.query.sql_with_params()  # type: ignore[attr-defined]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            return " ".join(str(row[-1]) for row in cursor.fetchall())
        # The test tables are tiny: without this PostgreSQL would rightly prefer a scan.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return " ".join(row[0] for row in cursor.fetchall())


def ranged(plan: str) -> bool:
    """The plan seeks the code range in an index (SQLite: SEARCH …; PostgreSQL: Index Cond)."""
    sqlite = "SEARCH" in plan and ">? AND " in plan and "<?)" in plan
    postgres = "Index Cond" in plan and ">= '331082'" in plan and "< '331083'" in plan
    return sqlite or postgres


class SubtreeIndexTests(BaseTestCase):
    def test_it_serves_a_unit_subtree_from_the_primary_key(self) -> None:
        plan = plan_of(Unit.objects.filter(tree.subtree_q(Tree.COUNTY)).values("code"))
        assert ranged(plan), plan

    def test_it_serves_a_records_subtree_from_the_unit_index(self) -> None:
        # Every row, deleted or not: live rows alone may be read from an index that starts
        # with deleted_at instead (the activity list's, see Activity.Meta.indexes), which is
        # an index search too.
        qs = Activity.all_objects.filter(tree.subtree_q(Tree.COUNTY, "unit_id")).values("id")
        assert ranged(plan_of(qs)), plan_of(qs)
        live = plan_of(Activity.objects.filter(tree.subtree_q(Tree.COUNTY, "unit_id")).values("id"))
        assert "SEARCH" in live or "Index Cond" in live, live
