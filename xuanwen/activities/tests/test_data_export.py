"""The activities' data export: every field, the awards and the media coverage, imported back."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.urls import reverse

from xuanwen.activities import services
from xuanwen.activities.models import Activity, ActivityType
from xuanwen.activities.services import ActivityData
from xuanwen.records.tests.roundtrip import RoundTripCase
from xuanwen.testing import Tree, xlsx_bytes
from xuanwen.units.models import Unit


def make_full(user, unit: str, n: int, *, parts: bool = True) -> Activity:
    """An activity with every field filled, through the services, with two awards and a report."""
    activity = services.activity_create(
        user=user,
        data=ActivityData(
            unit=Unit.objects.get(code=unit),
            type=ActivityType.objects.get(name="文艺演出"),
            title=f"=广场演出{n}",  # formula-looking text stays text
            start_date=date(2025, 3, n),
            end_date=date(2025, 3, n + 1),
            organisers="古城街道文化站",
            co_organisers="文化馆",
            place="文化广场",
            participants=30 + n,
            audience=200,
            programmes=n,
            cost=Decimal("1500.50"),
            funding="sponsor",
            description="第一行\n第二行",
            # A township's campaign reached two of its villages.
            villages=list(Unit.objects.filter(code__in=[Tree.VILLAGE_A, Tree.VILLAGE_A2]))
            if unit == Tree.TOWNSHIP_A
            else None,
        ),
    )
    if not parts:
        return activity
    awards: tuple[dict[str, Any], ...] = (
        {"name": "一等奖", "level": "county", "winner_kind": "team", "winner": "古城腰鼓队",
         "rank": "第一名"},
        {"name": "+优秀奖", "level": "city", "winner_kind": "person", "winner": "王五"},
    )  # fmt: skip
    for award in awards:
        services.award_add(user=user, activity=activity, **award)
    reports: tuple[dict[str, Any], ...] = (
        {"outlet": "临海日报", "level": "county", "date": date(2025, 3, n + 2),
         "title": "送戏下乡", "link": "https://example.com/a", "views": 1200},
        {"outlet": "台州电视台", "level": "city", "date": date(2025, 3, n + 3)},
    )  # fmt: skip
    for report in reports:
        services.coverage_add(user=user, activity=activity, **report)
    return activity


class ActivityRoundTrip(RoundTripCase):
    app = "activities"
    model = Activity
    parts = ("awards", "coverage", "reached")

    def test_the_data_export_imports_back_field_by_field(self) -> None:
        for n in (1, 2):
            make_full(self.staff_a, Tree.VILLAGE_A, n)
        make_full(self.staff_a, Tree.TOWNSHIP_A, 3, parts=False)
        after = self.assertRoundTrip(self.staff_a, expect=3)
        self.assertEqual(sum(len(r["awards"]) + len(r["coverage"]) for r in after), 8)
        self.assertEqual(sum(len(r["reached"]) for r in after), 2)

    def test_it_is_scoped_to_the_users_subtree(self) -> None:
        make_full(self.staff_a, Tree.VILLAGE_A, 1)
        make_full(self.staff_b, Tree.TOWNSHIP_B, 2)
        book = self.download(reverse("activities:data_export"), self.staff_a)
        self.assertEqual(book["活动"].max_row, 2)
        self.assertEqual(
            [r[0] for r in book["奖项"].iter_rows(min_row=2, values_only=True)], [2, 2]
        )

    def test_its_queries_do_not_grow_with_the_rows(self) -> None:
        make_full(self.staff_a, Tree.VILLAGE_A, 1)
        few = self.export_queries(self.admin)
        for n in (2, 3, 4, 5):
            make_full(self.staff_a, Tree.VILLAGE_A, n)
        self.assertEqual(self.export_queries(self.admin), few)

    def test_problems_of_the_extra_sheets_name_sheet_row_and_column(self) -> None:
        from openpyxl import Workbook

        book = Workbook()
        main = book.active
        main.title = "活动"
        main.append(["单位代码", "活动类型", "活动名称", "开始日期"])
        main.append([Tree.VILLAGE_A, "文艺演出", "广场演出", date(2025, 3, 5)])
        awards = book.create_sheet("奖项")
        awards.append(["主表行号", "奖项名称", "级别", "获奖者类别", "获奖者"])
        awards.append([2, "一等奖", "宇宙级", "团队", "腰鼓队"])
        awards.append([9, "二等奖", "县级", "团队", "腰鼓队"])
        preview = self.upload_book(book, self.staff_a)
        shown = preview.context["problems_shown"]
        self.assertEqual(len(shown), 2, shown)
        self.assertTrue(shown[0].startswith("表“奖项”第 2 行 第 C 列（级别）"), shown)
        self.assertIn("表“奖项”第 3 行 第 A 列（主表行号）", shown[1])
        self.assertFalse(Activity.objects.exists())

    def test_the_plain_template_still_imports(self) -> None:
        content = xlsx_bytes(
            "活动",
            ["单位代码", "活动类型", "活动名称", "开始日期"],
            [[Tree.VILLAGE_A, "文艺演出", "广场演出", date(2025, 3, 5)]],
        )
        preview = self.upload(content)
        self.confirm(preview)
        self.assertEqual(Activity.objects.count(), 1)
