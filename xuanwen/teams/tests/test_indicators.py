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
        a = make_team(Tree.TOWNSHIP_A, members=2, founded_year=2010)
        b = make_team(Tree.VILLAGE_A, members=1)
        TeamMember.objects.create(team=a, person=shared)
        TeamMember.objects.create(team=b, person=shared)  # counted once
        make_team(Tree.TOWNSHIP_A, members=3, active=False)  # not active: not counted
        make_team(Tree.TOWNSHIP_A, founded_year=2027)  # founded after the period
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
        assert march["training.sessions"] == 2 and march["honours.count"] == 2

        # The county's roll-up by township is one GROUP BY per source.
        table = table_by_child(indicators, Tree.COUNTY, year_period(2026))  # type: ignore[arg-type]
        by_unit = {r.unit.code: r.values for r in table.rows}
        assert by_unit[Tree.TOWNSHIP_A]["teams.count"] == 2
        assert by_unit[Tree.TOWNSHIP_B]["teams.members"] == 4
        assert table.total["teams.count"] == 3
