"""The plans' data export: every plan of the list with its sections and items, imported back
as drafts (submission, approval and revisions are the work's steps, not data)."""

from datetime import date
from decimal import Decimal

from django.urls import reverse

from xuanwen.activities.tests.test_data_export import make_full as make_activity
from xuanwen.plans import services
from xuanwen.plans.models import PlanItem, WorkPlan
from xuanwen.plans.tests.helpers import make_plan
from xuanwen.records.tests.roundtrip import RoundTripCase
from xuanwen.testing import Tree
from xuanwen.units.models import Unit

WORKFLOW = frozenset(
    {"status", "revision", "replaces", "submitted_at", "submitted_by", "approved_at",
     "approved_by", "return_note", "order"}
)  # fmt: skip


def evidence() -> list[tuple[object, ...]]:
    """Each item's evidence activities, by their natural key."""
    return sorted(
        (i.text, a.unit_id, a.start_date, a.title)
        for i in PlanItem.objects.prefetch_related("evidence")
        for a in i.evidence.all()
    )


class PlanRoundTrip(RoundTripCase):
    app = "plans"
    model = WorkPlan
    parts = ("sections__items",)
    skip = WORKFLOW

    def make(self) -> None:
        plan = make_plan(self.staff_a, Tree.TOWNSHIP_A)  # from a template: many items
        item = plan.sections.first().items.first()
        activities = [make_activity(self.staff_a, Tree.VILLAGE_A, n, parts=False) for n in (1, 2)]
        services.item_mark_done(
            user=self.staff_a,
            item=item,
            done_on=date(2026, 3, 1),
            note="已完成",
            activities=activities,
        )
        quarter = services.plan_create(
            user=self.staff_a,
            data=services.PlanData(unit=Unit.objects.get(code=Tree.VILLAGE_A), kind="quarter",
                                   year=2026, index=2, title="=二季度计划", preamble="前言\n两行"),
        )  # fmt: skip
        services.section_create(user=self.staff_a, plan=quarter, title="空的部分")
        section = services.section_create(user=self.staff_a, plan=quarter, title="重点工作",
                                          item_style="paren")  # fmt: skip
        for n in (1, 2):
            services.item_create(
                user=self.staff_a, section=section,
                data=services.ItemData(text=f"第{n}条", target_min=Decimal("3"),
                                       target_max=Decimal("5.5"), deadline=date(2026, 6, 30),
                                       owner="文化站", indicator="activities.count"),
            )  # fmt: skip

    def test_the_data_export_imports_back_field_by_field(self) -> None:
        self.make()
        texts = [[i.text for s in p.sections.all() for i in s.items.all()]
                 for p in WorkPlan.objects.order_by("unit_id")]  # fmt: skip
        links = evidence()
        self.assertEqual(len(links), 2)
        after = self.assertRoundTrip(self.staff_a, expect=2)
        self.assertEqual(evidence(), links)
        self.assertEqual(sum(len(s["items"]) for p in after for s in p["sections"]) > 5, True)
        again = [[i.text for s in p.sections.all() for i in s.items.all()]
                 for p in WorkPlan.objects.order_by("unit_id")]  # fmt: skip
        self.assertEqual(again, texts)  # in their order too

    def test_it_is_scoped_and_its_queries_do_not_grow_with_the_rows(self) -> None:
        make_plan(self.staff_a, Tree.TOWNSHIP_A)
        few = self.export_queries(self.admin)
        make_plan(self.staff_a, Tree.VILLAGE_A)
        make_plan(self.staff_b, Tree.TOWNSHIP_B)
        self.assertEqual(self.export_queries(self.admin), few)
        book = self.download(reverse("plans:data_export"), self.staff_b)
        self.assertEqual(book["计划"].max_row, 2)

    def test_the_template_has_the_items_sheet_and_imports(self) -> None:
        self.client.force_login(self.staff_a)
        response = self.client.get(reverse("plans:import_template"))
        from xuanwen.testing import read_xlsx

        book = read_xlsx(response)
        self.assertIn("条目", book.sheetnames)
        book["计划"].append([Tree.VILLAGE_A, None, "年度", 2027, None, "村计划"])
        book["条目"].append([2, None, 1, "重点工作", "1. 2.", "办一场演出"])
        self.assertEqual(self.confirm(self.upload_book(book, self.staff_a)).status_code, 302)
        plan = WorkPlan.objects.get(year=2027)
        self.assertEqual(plan.sections.get().items.get().text, "办一场演出")

    def test_a_period_taken_is_named_and_nothing_is_saved(self) -> None:
        make_plan(self.staff_a, Tree.TOWNSHIP_A)
        book = self.download(reverse("plans:data_export"), self.staff_a)
        shown = self.upload_book(book, self.staff_a).context["problems_shown"]
        self.assertEqual(len(shown), 1, shown)
        self.assertIn("第 2 行", shown[0])
        self.assertEqual(WorkPlan.objects.count(), 1)
