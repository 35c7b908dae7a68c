"""The households' data export (the template's shape, every field), imported back."""

from datetime import date

from django.urls import reverse

from xuanwen.households import services
from xuanwen.households.models import Household, HouseholdKind
from xuanwen.households.services import HouseholdData
from xuanwen.records.tests.roundtrip import RoundTripCase
from xuanwen.testing import Tree
from xuanwen.units.models import Unit


class HouseholdRoundTrip(RoundTripCase):
    app = "households"
    model = Household

    def make(self, unit: str, n: int) -> None:
        services.household_create(
            user=self.staff_a if unit != Tree.VILLAGE_B else self.staff_b,
            data=HouseholdData(
                unit=Unit.objects.get(code=unit),
                kind=HouseholdKind.objects.order_by("ordering")[n % 2],
                head=f"=王{n}",
                speciality="剪纸",
                members=3,
                member_names="王一、王二",
                level="county",
                designated_on=date(2020, 3, n),
                revoked_on=date(2025, 1, n),
                note="备注",
            ),
        )

    def test_the_data_export_imports_back_field_by_field(self) -> None:
        self.make(Tree.VILLAGE_A, 1)
        self.make(Tree.VILLAGE_A2, 2)
        self.assertRoundTrip(self.staff_a, expect=2)

    def test_it_is_scoped_and_its_queries_do_not_grow_with_the_rows(self) -> None:
        self.make(Tree.VILLAGE_A, 1)
        self.make(Tree.VILLAGE_B, 2)
        book = self.download(reverse("households:data_export"), self.staff_a)
        self.assertEqual(book["文化户"].max_row, 2)
        few = self.export_queries(self.admin)
        for n in (3, 4, 5):
            self.make(Tree.VILLAGE_A, n)
        self.assertEqual(self.export_queries(self.admin), few)
