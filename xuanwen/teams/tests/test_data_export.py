"""The teams' data export: every field, the members (role, joining date) and the performances,
imported back. The people and the activities are their own records (with their own data
exports) and stay in place, as after importing theirs first."""

from datetime import date

from django.urls import reverse

from xuanwen.activities.models import Activity
from xuanwen.activities.tests.test_data_export import make_full as make_activity
from xuanwen.records.tests.roundtrip import RoundTripCase
from xuanwen.teams import services
from xuanwen.teams.models import Person, Team, TeamGenre
from xuanwen.testing import Tree
from xuanwen.units.models import Unit


class TeamRoundTrip(RoundTripCase):
    app = "teams"
    prefix = "teams_"
    export = "teams_data_export"
    model = Team
    parts = ("members", "performances")

    def person(self, unit: str, name: str, year: int | None) -> Person:
        data = services.PersonData(unit=Unit.objects.get(code=unit), name=name, birth_year=year)
        return services.person_create(user=self.staff_a, data=data)

    def make(self, unit: str, n: int, activities: list[Activity]) -> Team:
        leader = self.person(unit, f"队长{n}", 1970)
        one = self.person(unit, f"队员{n}", None)
        # Two people of one name, told apart by their birth year.
        two = self.person(unit, "王芳", 1980 + n)
        self.person(unit if n == 1 else Tree.VILLAGE_A, "王芳", 1990 + n)
        team = services.team_create(
            user=self.staff_a,
            data=services.TeamData(
                unit=Unit.objects.get(code=unit),
                name=f"=腰鼓队{n}",
                genre=TeamGenre.objects.order_by("ordering")[n % 2],
                leader=leader,
                founded_on=date(2015, 3, n),
                disbanded_on=date(2024, 1, n) if n == 2 else None,
                active=n != 2,
                note="简介",
            ),
            members=[
                services.MemberData(person=one, role="鼓手", joined_on=date(2016, 1, n)),
                services.MemberData(person=two),
            ],
        )
        member = team.members.get(person=leader)
        member.role = "队长"
        member.save()
        for activity in activities:
            services.team_performance_add(user=self.staff_a, team=team, activity=activity)
        return team

    def test_the_data_export_imports_back_field_by_field(self) -> None:
        activities = [make_activity(self.staff_a, Tree.VILLAGE_A, n, parts=False) for n in (1, 2)]
        self.make(Tree.VILLAGE_A, 1, activities)
        self.make(Tree.VILLAGE_A2, 2, activities[:1])
        self.make(Tree.TOWNSHIP_A, 3, [])
        after = self.assertRoundTrip(self.staff_a, expect=3)
        self.assertEqual([len(r["members"]) for r in after], [3, 3, 3])
        self.assertEqual(sorted(len(r["performances"]) for r in after), [0, 1, 2])

    def test_it_is_scoped_and_its_queries_do_not_grow_with_the_rows(self) -> None:
        activities = [make_activity(self.staff_a, Tree.VILLAGE_A, 1, parts=False)]
        self.make(Tree.VILLAGE_A, 1, activities)
        few = self.export_queries(self.admin)
        self.make(Tree.VILLAGE_A2, 2, activities)
        self.make(Tree.TOWNSHIP_A, 3, activities)
        self.assertEqual(self.export_queries(self.admin), few)
        book = self.download(reverse("teams:teams_data_export"), self.staff_b)
        self.assertEqual(book["队伍"].max_row, 1)

    def test_a_member_not_found_is_named_with_its_sheet_row_and_column(self) -> None:
        self.make(Tree.VILLAGE_A, 1, [])
        book = self.download(reverse("teams:teams_data_export"), self.staff_a)
        book["队员"]["D2"] = "查无此人"
        Team.all_objects.all().delete()
        shown = self.upload_book(book, self.staff_a).context["problems_shown"]
        self.assertEqual(len(shown), 1, shown)
        self.assertTrue(shown[0].startswith("表“队员”第 2 行 第 D 列（姓名）"), shown)
