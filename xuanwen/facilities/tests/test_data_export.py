"""The facilities' data export: every field, the rooms and the equipment, imported back."""

from datetime import date
from decimal import Decimal

from django.urls import reverse

from xuanwen.accounts.models import User
from xuanwen.facilities import services
from xuanwen.facilities.models import Facility, FacilityKind
from xuanwen.facilities.services import FacilityData
from xuanwen.records.tests.roundtrip import RoundTripCase
from xuanwen.testing import Tree
from xuanwen.units.models import Unit


def make_full(user: User, unit: str, n: int, *, parts: bool = True) -> Facility:
    """A facility with every field filled, through the services, with rooms and equipment."""
    facility = services.facility_create(
        user=user,
        data=FacilityData(
            unit=Unit.objects.get(code=unit),
            kind=FacilityKind.objects.get(code="station"),
            name=f"-文化站{n}",
            address="古城街道 1 号",
            area=Decimal("350.5"),
            opened_on=date(2014, 9, n),
            closed_on=date(2024, 1, n),
            opening_schedule="周二至周日 8:30-11:30",
            free_opening=False,
            keeper="张三",
            phone="0576-1234567",
            notes="备注\n两行",
        ),
    )
    if parts:
        services.room_add(user=user, facility=facility, name="多功能厅", area=Decimal("120.5"))
        services.room_add(user=user, facility=facility, name="=阅览室")
        services.equipment_add(user=user, facility=facility, name="音响", count=2, condition="worn")
        services.equipment_add(user=user, facility=facility, name="投影仪")
    return facility


class FacilityRoundTrip(RoundTripCase):
    app = "facilities"
    model = Facility
    parts = ("rooms", "equipment")

    def test_the_data_export_imports_back_field_by_field(self) -> None:
        make_full(self.staff_a, Tree.VILLAGE_A, 1)
        make_full(self.staff_a, Tree.VILLAGE_A2, 2)
        make_full(self.staff_a, Tree.TOWNSHIP_A, 3, parts=False)
        after = self.assertRoundTrip(self.staff_a, expect=3)
        self.assertEqual(sum(len(r["rooms"]) + len(r["equipment"]) for r in after), 8)

    def test_it_is_scoped_and_its_queries_do_not_grow_with_the_rows(self) -> None:
        make_full(self.staff_a, Tree.VILLAGE_A, 1)
        make_full(self.staff_b, Tree.TOWNSHIP_B, 2)
        book = self.download(reverse("facilities:data_export"), self.staff_a)
        self.assertEqual(book["文化阵地"].max_row, 2)
        self.assertEqual(book["功能室"].max_row, 3)
        few = self.export_queries(self.admin)
        for n in (3, 4, 5):
            make_full(self.staff_a, Tree.VILLAGE_A, n)
        self.assertEqual(self.export_queries(self.admin), few)

    def test_a_rule_of_a_sub_record_is_named_with_its_sheet_and_row(self) -> None:
        make_full(self.staff_a, Tree.VILLAGE_A, 1)
        book = self.download(reverse("facilities:data_export"), self.staff_a)
        book["设施设备"]["D2"] = 0  # 数量 below 1: the service's rule, at the save
        Facility.all_objects.all().delete()
        preview = self.upload_book(book, self.staff_a)
        response = self.confirm(preview)
        self.assertEqual(response.status_code, 200)
        shown = response.context["problems_shown"]
        self.assertTrue(any("表“设施设备”第 2 行" in p for p in shown), shown)
        self.assertFalse(Facility.objects.exists())
