from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from xuanwen.activities.models import ActivityType, Award
from xuanwen.activities.selectors import ActivityFilter, activity_search
from xuanwen.activities.services import activity_delete, coverage_add
from xuanwen.indicators import selectors
from xuanwen.indicators.periods import parse_period
from xuanwen.indicators.registry import all_indicators, get_indicator
from xuanwen.testing import BaseTestCase, Tree, make_tree

from .helpers import make_activity, robot

YEAR = parse_period("2026")


def big_county(code: str = "331083", townships: int = 19) -> None:
    """A county with many townships (and a village each), for query-count comparisons."""
    rows = [(code, "三门县")]
    for i in range(1, townships + 1):
        rows.append((f"{code}{i:03d}", f"第{i}镇"))
        rows.append((f"{code}{i:03d}001", f"第{i}村"))
    make_tree(rows)


class ValueTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.training = ActivityType.objects.get(name="培训")
        make_activity(Tree.TOWNSHIP_A, "培训", date(2026, 3, 1), participants=30, audience=100)
        make_activity(Tree.VILLAGE_A, "培训", date(2026, 5, 1), participants=20, audience=50)
        make_activity(Tree.VILLAGE_A2, "文艺演出", date(2026, 6, 1), participants=40, audience=500)
        make_activity(Tree.TOWNSHIP_B, "培训", date(2026, 7, 1), participants=10, audience=10)
        make_activity(Tree.COUNTY, "讲座", date(2026, 8, 1), participants=5, audience=5)
        # Outside the period, outside the county, and deleted: never counted.
        make_activity(Tree.TOWNSHIP_A, "培训", date(2025, 12, 1))
        make_activity(Tree.OTHER_TOWNSHIP, "培训", date(2026, 3, 1))
        gone = make_activity(Tree.TOWNSHIP_A, "培训", date(2026, 4, 1))
        activity_delete(user=robot(), activity=gone)
        # Spans the new year: it overlaps 2026, as in the activity list.
        cls.spanning = make_activity(
            Tree.TOWNSHIP_B, "文艺演出", date(2025, 12, 30), date(2026, 1, 2), audience=1
        )

    def indicator(self, code: str):  # type: ignore[no-untyped-def]
        ind = get_indicator(code)
        assert ind is not None, code
        return ind

    def test_it_counts_the_subtree_in_the_period(self) -> None:
        count = self.indicator("activities.count")
        assert selectors.value(count, Tree.COUNTY, YEAR) == 6
        assert selectors.value(count, Tree.TOWNSHIP_A, YEAR) == 3
        assert selectors.value(count, Tree.VILLAGE_A, YEAR) == 1
        assert selectors.value(count, Tree.TOWNSHIP_A, parse_period("2026-Q1")) == 1
        assert selectors.value(count, Tree.TOWNSHIP_A, parse_period("2026-01-01..2026-05-01")) == 2

    def test_it_counts_by_type_sums_and_distinct(self) -> None:
        training = self.indicator(f"activities.type.{self.training.pk}")
        assert training.name == "培训活动次数"
        assert selectors.value(training, Tree.COUNTY, YEAR) == 3
        assert selectors.value(self.indicator("activities.audience"), Tree.COUNTY, YEAR) == 666
        assert (
            selectors.value(self.indicator("activities.participants"), Tree.TOWNSHIP_A, YEAR) == 90
        )

    def test_coverage_counts_each_activity_once(self) -> None:
        a = make_activity(Tree.TOWNSHIP_A, "展览", date(2026, 9, 1))
        for outlet in ("台州日报", "临海新闻", "公众号"):
            coverage_add(user=robot(), activity=a, outlet=outlet, level="city", date=a.start_date)
        covered = self.indicator("activities.covered")
        assert selectors.value(covered, Tree.COUNTY, YEAR) == 1
        assert list(covered.records(Tree.COUNTY, YEAR)) == [a]
        # 1 of the county's 7 activities.
        assert (
            selectors.value(self.indicator("activities.coverage_rate"), Tree.COUNTY, YEAR) == 14.3
        )
        assert (
            selectors.value(
                self.indicator("activities.coverage_rate"), Tree.COUNTY, parse_period("2024")
            )
            is None
        )

    def test_awards_by_level(self) -> None:
        a = make_activity(Tree.TOWNSHIP_A, "比赛", date(2026, 10, 1))
        Award.objects.create(
            activity=a, name="金奖", level="province", winner_kind="team", winner="锣鼓队"
        )
        Award.objects.create(
            activity=a, name="银奖", level="city", winner_kind="person", winner="王芳"
        )
        assert selectors.value(self.indicator("awards.count"), Tree.COUNTY, YEAR) == 2
        assert selectors.value(self.indicator("awards.level.province"), Tree.COUNTY, YEAR) == 1
        assert selectors.value(self.indicator("awards.level.national"), Tree.COUNTY, YEAR) == 0
        activity_delete(user=robot(), activity=a)
        assert selectors.value(self.indicator("awards.count"), Tree.COUNTY, YEAR) == 0

    def test_the_activity_list_link_shows_exactly_the_records_counted(self) -> None:
        from urllib.parse import parse_qs, urlsplit

        for ind in (
            self.indicator("activities.count"),
            self.indicator(f"activities.type.{self.training.pk}"),
        ):
            for unit in (Tree.COUNTY, Tree.TOWNSHIP_A, Tree.TOWNSHIP_B):
                q = parse_qs(urlsplit(ind.records_url(unit, YEAR)).query)
                listed = activity_search(
                    self.admin,
                    ActivityFilter(
                        unit=q["unit"][0],
                        type_id=int(q["type"][0]) if "type" in q else None,
                        start=date.fromisoformat(q["start"][0]),
                        end=date.fromisoformat(q["end"][0]),
                    ),
                )
                assert set(listed) == set(ind.records(unit, YEAR))
                assert len(set(listed)) == selectors.value(ind, unit, YEAR)

    def test_all_indicators_come_in_a_fixed_number_of_queries(self) -> None:
        indicators = all_indicators()
        assert len(indicators) > 10
        # One indicator of each source (activities, awards, every app's own) …
        firsts = list({i.group_key: i for i in reversed(indicators)}.values())
        with CaptureQueriesContext(connection) as few:
            selectors.values(firsts, Tree.COUNTY, YEAR)
        with CaptureQueriesContext(connection) as ctx:
            vals = selectors.values(indicators, Tree.COUNTY, YEAR)
        # … cost what all of them cost: a source's indicators are computed together.
        assert len(ctx.captured_queries) == len(few.captured_queries)
        assert vals["activities.count"] == 6


class ByChildTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        big_county("331083", 19)
        for i in (1, 5, 5, 19):
            make_activity(f"331083{i:03d}001", "培训", date(2026, 4, i), audience=i)
        make_activity(Tree.TOWNSHIP_A, "培训", date(2026, 4, 1), audience=7)
        make_activity(Tree.VILLAGE_A, "文艺演出", date(2026, 4, 1), audience=3)
        make_activity(Tree.COUNTY, "讲座", date(2026, 4, 1), audience=1)

    def test_it_has_a_row_per_child_in_constant_queries(self) -> None:
        count = get_indicator("activities.count")
        assert count is not None
        with CaptureQueriesContext(connection) as small:
            two = selectors.values_by_child(count, Tree.COUNTY, YEAR)
        with CaptureQueriesContext(connection) as large:
            nineteen = selectors.values_by_child(count, "331083", YEAR)
        assert [(r.unit.code, r.value) for r in two] == [(Tree.TOWNSHIP_A, 2), (Tree.TOWNSHIP_B, 0)]
        assert len(nineteen) == 19
        assert [r.value for r in nineteen] == [1, 0, 0, 0, 2, *([0] * 13), 1]
        print(f"QUERIES values_by_child: 2 townships {len(small)}, 19 townships {len(large)}")
        # The children, and one GROUP BY on the code prefix: the same for 2 or 19 townships.
        assert len(small.captured_queries) == len(large.captured_queries) == 2

    def test_the_table_keeps_the_units_own_records_apart(self) -> None:
        inds = [get_indicator("activities.count"), get_indicator("activities.audience")]
        table = selectors.table_by_child(inds, Tree.COUNTY, YEAR)  # type: ignore[arg-type]
        assert table.own == {"activities.count": 1, "activities.audience": 1}
        assert table.total == {"activities.count": 3, "activities.audience": 11}
        assert table.rows[0].values == {"activities.count": 2, "activities.audience": 10}

    def test_a_village_has_no_children_but_a_total(self) -> None:
        count = get_indicator("activities.count")
        assert count is not None
        table = selectors.table_by_child([count], Tree.VILLAGE_A, YEAR)
        assert table.rows == []
        assert table.total["activities.count"] == table.own["activities.count"] == 1


def test_levels_are_not_scaled_by_time_elapsed() -> None:
    """Facilities standing, books in stock and teams are levels; activities build up."""
    for code in ("facilities.count", "bookhouses.books", "teams.count", "opening.compliance_rate"):
        indicator = get_indicator(code)
        assert indicator is not None and not indicator.accumulates, code
    activities = get_indicator("activities.count")
    assert activities is not None and activities.accumulates
