"""The training classes' data export: every field, the sessions, the trainees and the roll
call, imported back (the class's 培训 activity found again, not made twice)."""

from datetime import date
from decimal import Decimal

from xuanwen.activities.models import Activity
from xuanwen.records.tests.roundtrip import RoundTripCase
from xuanwen.teams import services
from xuanwen.teams.models import Attendance, TrainingClass
from xuanwen.testing import Tree
from xuanwen.units.models import Unit


def roll_call() -> list[tuple[object, ...]]:
    return sorted(
        Attendance.objects.values_list(
            "session__training_class__title", "session__date", "trainee__person_id"
        )
    )


class TrainingRoundTrip(RoundTripCase):
    app = "teams"
    prefix = "training_"
    export = "training_data_export"
    model = TrainingClass
    parts = ("sessions__attendance", "trainees")
    skip = frozenset({"trainee"})  # a new row's id: compared by person below

    def make(self, code: str, n: int) -> None:
        unit = Unit.objects.get(code=code)
        people = [
            services.person_create(
                user=self.staff_a,
                data=services.PersonData(unit=unit, name=f"学员{n}{k}", birth_year=1980 + k),
            )
            for k in (1, 2)
        ]
        tc = services.training_create(
            user=self.staff_a,
            data=services.TrainingData(
                unit=unit, title=f"=剪纸培训班{n}", start_date=date(2026, 3, n),
                end_date=date(2026, 3, n + 7), trainer="王老师", place="文化站", note="简介",
            ),
            sessions=[
                services.SessionData(date=date(2026, 3, n), hours=Decimal("2.5"), topic="入门"),
                services.SessionData(date=date(2026, 3, n + 7), hours=Decimal(3)),
            ],
            trainees=people,
        )  # fmt: skip
        first = tc.sessions.order_by("date").first()
        trainee = tc.trainees.get(person=people[0])
        services.attendance_set(user=self.staff_a, session=first, present=[trainee.pk])

    def test_the_data_export_imports_back_field_by_field(self) -> None:
        self.make(Tree.VILLAGE_A, 1)
        self.make(Tree.TOWNSHIP_A, 2)
        activities = Activity.objects.count()
        present = roll_call()
        after = self.assertRoundTrip(self.staff_a, expect=2)
        self.assertEqual(roll_call(), present)
        self.assertEqual([len(r["trainees"]) for r in after], [2, 2])
        self.assertEqual(Activity.objects.count(), activities)

    def test_it_is_scoped_and_its_queries_do_not_grow_with_the_rows(self) -> None:
        self.assertScopedAndConstant(self.make, "培训班")
