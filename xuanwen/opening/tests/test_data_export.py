"""The opening logs' export imports back into a database where the facilities were imported
again (new numbers): the rows name their facility by unit and name too."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.urls import reverse

from xuanwen.facilities.models import Facility
from xuanwen.facilities.tests.test_data_export import make_full as make_facility
from xuanwen.opening import services
from xuanwen.opening.models import OpeningLog
from xuanwen.records.tests.roundtrip import RoundTripCase
from xuanwen.testing import Tree


def logs() -> list[tuple[Any, ...]]:
    rows = OpeningLog.objects.values_list(
        "facility__unit_id", "facility__name", "date", "hours", "visitors", "note"
    )
    return sorted(rows)


class OpeningRoundTrip(RoundTripCase):
    app = "opening"
    export = "export"  # the opening logs' export was in the import's shape already
    model = OpeningLog

    def test_logs_and_facilities_travel_to_a_fresh_database(self) -> None:
        for n, unit in enumerate((Tree.VILLAGE_A, Tree.VILLAGE_A2, Tree.TOWNSHIP_A), start=1):
            facility = make_facility(self.staff_a, unit, n, parts=False)
            for day in (2, 3):
                services.opening_record(
                    user=self.staff_a,
                    data=services.OpeningData(facility=facility, date=date(2026, 3, day),
                                              hours=Decimal("3.5"), visitors=10 * n + day,
                                              note="=1+1" if day == 2 else ""),
                )  # fmt: skip
        before = logs()
        facilities = self.download(reverse("facilities:data_export"), self.staff_a)
        openings = self.download(reverse("opening:data_export"), self.staff_a)
        OpeningLog.all_objects.all().delete()
        Facility.all_objects.all().delete()

        self.app = "facilities"
        self.confirm(self.upload_book(facilities, self.staff_a))
        self.assertEqual(Facility.objects.count(), 3)
        self.app = "opening"
        preview = self.upload_book(openings, self.staff_a)
        self.assertFalse(preview.context.get("problems"), preview.context.get("problems_shown"))
        self.assertEqual(self.confirm(preview).status_code, 302)
        self.assertEqual(logs(), before)

    def test_a_facility_named_but_not_found_is_a_problem_on_its_cell(self) -> None:
        facility = make_facility(self.staff_a, Tree.VILLAGE_A, 1, parts=False)
        services.opening_record(
            user=self.staff_a,
            data=services.OpeningData(facility=facility, date=date(2026, 3, 2), hours=Decimal(2)),
        )
        book = self.download(reverse("opening:data_export"), self.staff_a)
        book["开放登记"]["I2"] = "没有的阵地"  # after the start and end times
        shown = self.upload_book(book, self.staff_a).context["problems_shown"]
        self.assertEqual(len(shown), 1, shown)
        self.assertTrue(shown[0].startswith("第 2 行 第 I 列（阵地名称(可选)）"), shown)
