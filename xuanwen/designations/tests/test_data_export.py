"""The designations' data export (the list's export.xlsx, the template's shape) imported back;
the report export (report.xlsx) stays a report."""

from datetime import date

from xuanwen.designations import services
from xuanwen.designations.models import Designation, DesignationKind
from xuanwen.designations.services import DesignationData
from xuanwen.records.tests.roundtrip import RoundTripCase
from xuanwen.testing import Tree
from xuanwen.units.models import Unit


class DesignationRoundTrip(RoundTripCase):
    app = "designations"
    model = Designation
    export = "export"  # the designations' export was a data export already

    def make(self, unit: str, n: int) -> None:
        services.designation_create(
            user=self.staff_a,
            data=DesignationData(
                unit=Unit.objects.get(code=unit),
                kind=DesignationKind.objects.order_by("ordering")[n % 2],
                level=("county", "city")[n % 2],
                designated_on=date(2020, 3, n),
                revoked_on=date(2025, 1, n),
                document_no=f"临文〔2020〕{n}号",
                awarded_by="=临海市文化和广电旅游体育局",
                note="备注",
            ),
        )

    def test_the_data_export_imports_back_field_by_field(self) -> None:
        self.make(Tree.VILLAGE_A, 1)
        self.make(Tree.VILLAGE_A2, 2)
        self.make(Tree.TOWNSHIP_A, 3)
        self.assertRoundTrip(self.staff_a, expect=3)

    def test_its_queries_do_not_grow_with_the_rows(self) -> None:
        self.make(Tree.VILLAGE_A, 1)
        few = self.export_queries(self.admin)
        for n in (2, 3, 4):
            self.make(Tree.VILLAGE_A2, n)
        self.assertEqual(self.export_queries(self.admin), few)
