"""The app's indicators, computed from records for a subtree and a period."""

from datetime import date
from decimal import Decimal

from xuanwen.indicators.periods import parse_period, year_period
from xuanwen.indicators.registry import get_indicator
from xuanwen.indicators.selectors import table_by_child, values
from xuanwen.teams.models import Attendance, TeamMember, Trainee, TrainingSession
from xuanwen.testing import BaseTestCase, Tree

from .helpers import make_honour, make_person, make_team, make_training

CODES = [
    "teams.count", "teams.members", "training.classes", "training.sessions", "training.hours",
    "training.trainees", "training.attendance", "honours.count", "honours.level.city",
]  # fmt: skip


class IndicatorTests(BaseTestCase):
    def test_values_from_records(self) -> None:
        shared = make_person(Tree.VILLAGE_A, name="张三")
        a = make_team(Tree.TOWNSHIP_A, members=2, founded_on=date(2010, 3, 1))
        b = make_team(Tree.VILLAGE_A, members=1)
        TeamMember.objects.create(team=a, person=shared)
        TeamMember.objects.create(team=b, person=shared)  # counted once
        make_team(Tree.TOWNSHIP_A, members=3, active=False)  # not active: not counted
        make_team(Tree.TOWNSHIP_A, founded_on=date(2027, 1, 1))  # founded after the period
        make_team(Tree.TOWNSHIP_A, founded_on=None)  # no founding date: in no period
        # Disbanded within the period: gone at its end.
        make_team(Tree.TOWNSHIP_A, members=2, disbanded_on=date(2026, 5, 1), active=False)
        make_team(Tree.TOWNSHIP_B, members=4)  # another township

        tc = make_training(Tree.TOWNSHIP_A, trainees=2)
        Trainee.objects.create(training_class=tc, person=shared)
        s1 = TrainingSession.objects.create(
            training_class=tc, date=date(2026, 3, 2), hours=Decimal("2.5")
        )
        TrainingSession.objects.create(training_class=tc, date=date(2026, 3, 9), hours=Decimal("2"))
        for t in tc.trainees.all()[:2]:
            Attendance.objects.create(session=s1, trainee=t)
        other = make_training(Tree.VILLAGE_A, trainees=0)
        Trainee.objects.create(training_class=other, person=shared)  # the same trainee again
        make_training(Tree.TOWNSHIP_A, start_date=date(2025, 5, 1), end_date=date(2025, 5, 2))

        make_honour(Tree.TOWNSHIP_A, level="city")
        make_honour(Tree.VILLAGE_A, level="county")
        make_honour(Tree.TOWNSHIP_A, level="city", year=2025)

        indicators = [get_indicator(c) for c in CODES]
        assert all(indicators)
        got = values(indicators, Tree.TOWNSHIP_A, year_period(2026))  # type: ignore[arg-type]
        assert got == {
            "teams.count": 2,
            "teams.members": 4,  # 2 + 1 + 张三 (in both teams, once)
            "training.classes": 2,
            "training.sessions": 2,
            "training.hours": Decimal("4.5"),
            "training.trainees": 3,  # 张三 in two classes, once
            "training.attendance": 2,
            "honours.count": 2,
            "honours.level.city": 1,
        }
        march = values(indicators, Tree.TOWNSHIP_A, parse_period("2026-03"))  # type: ignore[arg-type]
        # Honours dated by their year only count in the year, in no month of it.
        assert march["training.sessions"] == 2 and march["honours.count"] == 0

        # The county's roll-up by township is one GROUP BY per source.
        table = table_by_child(indicators, Tree.COUNTY, year_period(2026))  # type: ignore[arg-type]
        by_unit = {r.unit.code: r.values for r in table.rows}
        assert by_unit[Tree.TOWNSHIP_A]["teams.count"] == 2
        assert by_unit[Tree.TOWNSHIP_B]["teams.members"] == 4
        assert table.total["teams.count"] == 3


class TeamTimeRuleTests(BaseTestCase):
    """Teams stand by their founding and disbanding dates (#12), never by when they were
    entered; a team without a founding date counts in no period."""

    def value(self, code: str, period: str) -> object:
        indicator = get_indicator(code)
        assert indicator is not None
        return values([indicator], Tree.TOWNSHIP_A, parse_period(period))[code]

    def test_standing_and_founded(self) -> None:
        make_team(Tree.TOWNSHIP_A, members=2, founded_on=date(2008, 5, 1),
                  disbanded_on=date(2020, 6, 30), active=False)  # fmt: skip
        make_team(Tree.VILLAGE_A, members=1, founded_on=date(2015, 9, 1))
        make_team(Tree.VILLAGE_A, members=5, founded_on=None)
        counts = {y: self.value("teams.count", str(y)) for y in (1990, 2010, 2016, 2021)}
        assert counts == {1990: 0, 2010: 1, 2016: 2, 2021: 1}
        assert self.value("teams.members", "2016") == 3
        assert self.value("teams.members", "2021") == 1
        assert self.value("teams.founded", "2015") == 1
        assert self.value("teams.founded", "2015-Q3") == 1
        assert self.value("teams.founded", "2016") == 0

    def test_a_stopped_team_with_no_date_counts_nowhere(self) -> None:
        make_team(Tree.TOWNSHIP_A, founded_on=date(2010, 1, 1), active=False)
        assert self.value("teams.count", "2012") == 0

    def test_a_disbanding_date_stops_the_team(self) -> None:
        from xuanwen.teams import services
        from xuanwen.teams.models import Team, TeamGenre
        from xuanwen.units.models import Unit

        team = services.team_create(
            user=self.staff_a,
            data=services.TeamData(
                unit=Unit.objects.get(code=Tree.TOWNSHIP_A),
                name="锣鼓队",
                genre=TeamGenre.objects.get(name="秧歌队"),
                founded_on=date(2012, 1, 1),
                disbanded_on=date(2020, 1, 1),
            ),
        )
        assert not Team.objects.get(pk=team.pk).active
        assert self.value("teams.count", "2019") == 1
        assert self.value("teams.count", "2020") == 0


class HonourTimeRuleTests(BaseTestCase):
    """An honour counts in a period only when the whole of its date lies inside it (#12)."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        make_honour(Tree.TOWNSHIP_A, year=2011, month=12)
        make_honour(Tree.TOWNSHIP_A, year=2011, month=3, day=8, level="city")
        for _n in range(4):
            make_honour(Tree.VILLAGE_A, year=2011)

    def count(self, period: str, code: str = "honours.count") -> object:
        indicator = get_indicator(code)
        assert indicator is not None
        return values([indicator], Tree.TOWNSHIP_A, parse_period(period))[code]

    def test_an_honour_of_2011_12_counts_in_q4_and_not_in_january(self) -> None:
        assert self.count("2011-Q4") == 1
        assert self.count("2011-12") == 1
        assert self.count("2011-H2") == 1
        assert self.count("2011-01") == 0
        assert self.count("2011-12-01..2011-12-30") == 0  # not the whole month

    def test_a_year_only_honour_counts_in_its_year_alone(self) -> None:
        assert self.count("2011") == 6
        assert self.count("2010-07-01..2012-06-30") == 6
        # Not the whole year, nor the whole of December: only the day in March.
        assert self.count("2011-01-01..2011-12-30") == 1
        months = sum(self.count(f"2011-{m:02d}") for m in range(1, 13))  # type: ignore[misc]
        assert months == 2  # the dated ones, once each; not 4 × 12 more
        assert self.count("2012") == 0

    def test_a_day_counts_in_every_period_holding_it(self) -> None:
        assert self.count("2011-03") == 1
        assert self.count("2011-03-08..2011-03-08") == 1
        assert self.count("2011-03-09..2011-03-31") == 0
        assert self.count("2011-Q1", "honours.level.city") == 1

    def test_the_records_page_lists_what_a_quarter_counts(self) -> None:
        self.client.force_login(self.staff_a)
        indicator = get_indicator("honours.count")
        assert indicator is not None
        url = indicator.records_url(Tree.TOWNSHIP_A, parse_period("2011-Q4"))
        assert url.startswith("/indicators/records/")
        page = self.client.get(url)
        assert [r.date for r in page.context["rows"]] == [date(2011, 12, 1)]
        assert "2011-12" in page.content.decode()
