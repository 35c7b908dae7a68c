"""The people's and the honours' exports are in their imports' shape already: each imports
back field by field (an honour's person or team found again by name)."""

from django.urls import reverse

from xuanwen.records.tests.roundtrip import RoundTripCase
from xuanwen.teams import services
from xuanwen.teams.models import Honour, Person, Team, TeamGenre
from xuanwen.testing import Tree
from xuanwen.units.models import Unit


def unit(code: str) -> Unit:
    return Unit.objects.get(code=code)


class PeopleRoundTrip(RoundTripCase):
    app = "teams"
    prefix = "people_"
    export = "people_data_export"
    model = Person

    def test_the_export_imports_back_field_by_field(self) -> None:
        for n, code in enumerate((Tree.VILLAGE_A, Tree.VILLAGE_A2, Tree.TOWNSHIP_A), start=1):
            services.person_create(
                user=self.staff_a,
                data=services.PersonData(
                    unit=unit(code),
                    name=f"=张{n}",
                    gender="female" if n % 2 else "male",
                    birth_year=1960 + n,
                    phone=f"1380000000{n}",
                    specialty="唢呐",
                    note="备注",
                ),
            )
        self.assertRoundTrip(self.staff_a, expect=3)


class HonourRoundTrip(RoundTripCase):
    app = "teams"
    prefix = "honours_"
    export = "honours_data_export"
    model = Honour

    def test_the_export_imports_back_field_by_field(self) -> None:
        person = services.person_create(
            user=self.staff_a, data=services.PersonData(unit=unit(Tree.VILLAGE_A), name="王五")
        )
        team = services.team_create(
            user=self.staff_a,
            data=services.TeamData(
                unit=unit(Tree.VILLAGE_A2), name="腰鼓队", genre=TeamGenre.objects.first()
            ),
        )
        for kind, holder, code in (("unit", {}, Tree.TOWNSHIP_A),
                                   ("person", {"person": person}, Tree.VILLAGE_A),
                                   ("team", {"team": team}, Tree.VILLAGE_A2)):  # fmt: skip
            services.honour_create(user=self.staff_a, data=services.HonourData(
                holder_kind=kind, unit=unit(code), name=f"+先进{kind}", level="city", year=2025,
                month=5, day=4 if kind != "team" else None, awarded_by="市文广旅体局",
                note="备注", **holder))  # fmt: skip
        self.assertRoundTrip(self.staff_a, expect=3)
        self.assertEqual(Team.objects.count(), 1)  # found again, not made anew
        self.assertTrue(reverse("teams:honours_export"))
