"""The duties' data export (the import's shape, and whether each duty is in use) imports back
field by field. Named responsible users are accounts, not records: they stay out."""

from datetime import date

from xuanwen.duties import services
from xuanwen.duties.models import Duty, DutyCompletion
from xuanwen.records.tests.roundtrip import RoundTripCase
from xuanwen.testing import Tree, frozen
from xuanwen.units.models import Unit


class DutyRoundTrip(RoundTripCase):
    app = "duties"
    model = Duty
    query = {"inactive": "1"}  # the list shows duties in use unless asked

    def make(self, unit: str, n: int, **kw: object) -> None:
        data = services.DutyData(
            unit=Unit.objects.get(code=unit), name=f"=黑板报{n}", cycle="month_day", due_day=10 + n,
            start_date=date(2026, 1, n), description="说明", needs_photo=True, needs_note=True,
            needs_inspections=n == 2, role="village_admin" if unit != Tree.TOWNSHIP_A else "",
            active=n != 3,
        )  # fmt: skip
        for key, value in kw.items():
            setattr(data, key, value)
        services.duty_create(user=self.staff_a, data=data)

    def test_the_data_export_imports_back_field_by_field(self) -> None:
        self.make(Tree.VILLAGE_A, 1)
        self.make(Tree.VILLAGE_A2, 2, cycle="weekly", due_day=None, needs_file=True)
        self.make(Tree.TOWNSHIP_A, 3, cycle="quarterly", due_day=None)
        self.assertRoundTrip(self.staff_a, expect=3)

    def test_it_is_scoped_and_its_queries_do_not_grow_with_the_rows(self) -> None:
        self.assertScopedAndConstant(self.make, "常规工作")


class CompletionRoundTrip(RoundTripCase):
    """Completions of duties that need no photo or file (those cannot travel in a sheet); who
    recorded one is the importing user."""

    app = "duties"
    prefix = "completions_"
    export = "completions_data_export"
    model = DutyCompletion
    parts = ("businesses",)
    skip = frozenset({"done_by"})

    def test_the_data_export_imports_back_field_by_field(self) -> None:
        unit = Unit.objects.get(code=Tree.VILLAGE_A)
        meeting = services.duty_create(
            user=self.staff_a,
            data=services.DutyData(
                unit=unit,
                name="周例会",
                cycle="weekly",
                start_date=date(2026, 1, 1),
                needs_note=True,
            ),
        )
        market = services.duty_create(user=self.staff_a, data=services.DutyData(
            unit=unit, name="文化市场检查", cycle="monthly", start_date=date(2026, 1, 1),
            needs_inspections=True))  # fmt: skip
        with frozen(date(2026, 3, 20)):
            services.completion_create(user=self.staff_a, data=services.CompletionData(
                duty=meeting, done_on=date(2026, 3, 16), note="第一期"))  # fmt: skip
            few = self.export_queries(self.admin)
            for day in (2, 9):
                services.completion_create(
                    user=self.staff_a,
                    data=services.CompletionData(
                        duty=meeting, done_on=date(2026, 3, day), note=f"=学习第{day}期"
                    ),
                )
            services.completion_create(user=self.staff_a, data=services.CompletionData(
                duty=market, done_on=date(2026, 3, 5), period_start=date(2026, 2, 1),
                note="补查二月", businesses=[
                    services.BusinessData(name="星空网吧", kind="internet_cafe", findings="有",
                                          rectification_required=True, rectified=True,
                                          rectified_on=date(2026, 3, 10)),
                    services.BusinessData(name="新华书店", kind="bookshop"),
                ]))  # fmt: skip
            self.assertEqual(self.export_queries(self.admin), few)  # whatever the rows
            after = self.assertRoundTrip(self.staff_a, expect=4)
        self.assertEqual(sorted(len(r["businesses"]) for r in after), [0, 0, 0, 2])
