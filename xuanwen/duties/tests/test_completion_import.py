"""The Excel import of completions: template, all-or-nothing reading with row and column,
scope, evidence that cannot come through a sheet, and one completion per market inspection
spread over one row per business."""

import io
from datetime import date
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from xuanwen.audit.models import AuditEntry
from xuanwen.duties.excel import COMPLETION_COLUMNS, COMPLETION_SHEET, DUTY_LIST_SHEET
from xuanwen.duties.models import Cycle, Duty, DutyCompletion, InspectedBusiness
from xuanwen.testing import BaseTestCase, Tree, frozen, xlsx_upload

from .helpers import MARKET_INSPECTION, complete, make_duty

TODAY = date(2026, 4, 5)
KEYS = [c.key for c in COMPLETION_COLUMNS]


def workbook(rows: list[dict[str, object]], name: str = "完成记录.xlsx") -> SimpleUploadedFile:
    headers = [c.header for c in COMPLETION_COLUMNS]
    return xlsx_upload(name, COMPLETION_SHEET, headers, [[v.get(k) for k in KEYS] for v in rows])


def meeting(**values: object) -> dict[str, object]:
    base: dict[str, object] = {
        "unit": Tree.TOWNSHIP_A,
        "duty": "周例会",
        "done_on": "2026-03-02",
        "note": "小结上周工作，布置本周任务。",
    }
    return base | values


def inspection(business: str, **values: object) -> dict[str, object]:
    base: dict[str, object] = {
        "unit": Tree.TOWNSHIP_A,
        "duty": "文化市场清理整顿",
        "done_on": "2026-03-10",
        "business": business,
        "kind": "网吧",
        "findings": "证照齐全。",
    }
    return base | values


def download(response: Any) -> Any:
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


@frozen(TODAY)
class CompletionImportTests(BaseTestCase):
    def setUp(self) -> None:
        self.meeting = make_duty(
            self.staff_a, Tree.TOWNSHIP_A, name="周例会", cycle=Cycle.WEEKLY,
            needs_photo=False, needs_note=True,
        )  # fmt: skip
        self.market = make_duty(self.staff_a, Tree.TOWNSHIP_A, **MARKET_INSPECTION)
        self.blackboard = make_duty(self.staff_a, Tree.TOWNSHIP_A, name="黑板报")
        self.other = make_duty(
            self.staff_b, Tree.TOWNSHIP_B, name="周例会", cycle=Cycle.WEEKLY,
            needs_photo=False, needs_note=True,
        )  # fmt: skip

    def upload(self, rows: list[dict[str, object]]) -> Any:
        return self.client.post(reverse("duties:completions_import"), {"file": workbook(rows)})

    def test_template_has_drop_downs_instructions_and_the_users_duties(self) -> None:
        self.client.force_login(self.staff_a)
        book = download(self.client.get(reverse("duties:completions_import_template")))
        self.assertEqual(book.sheetnames[:3], [COMPLETION_SHEET, "填写说明", DUTY_LIST_SHEET])
        sheet = book[COMPLETION_SHEET]
        self.assertEqual([c.value for c in sheet[1]], [c.header for c in COMPLETION_COLUMNS])
        lists = [dv.formula1 for dv in sheet.data_validations.dataValidation]
        self.assertIn("常规工作", lists)
        self.assertIn("经营类别", lists)
        help_text = "\n".join(str(c.value) for row in book["填写说明"].iter_rows() for c in row)
        self.assertIn("不能用 Excel 导入", help_text)
        self.assertIn("每个检查的经营单位占一行", help_text)
        listed = {
            (r[0], r[2]): r[5] for r in book[DUTY_LIST_SHEET].iter_rows(min_row=2, values_only=True)
        }
        # Only township A's duties, and the blackboard (a photo) marked as not importable.
        names = {name for _code, name in listed}
        self.assertEqual({code for code, _name in listed}, {Tree.TOWNSHIP_A})
        self.assertEqual(names, {"周例会", "文化市场清理整顿", "黑板报"})
        self.assertEqual(listed[(Tree.TOWNSHIP_A, "黑板报")], "不可以，请导入数据包或在页面登记")
        self.assertEqual(listed[(Tree.TOWNSHIP_A, "周例会")], "可以")

    def test_read_only_roles_get_403(self) -> None:
        self.client.force_login(self.viewer)
        for name in ("duties:completions_import_template", "duties:completions_import"):
            self.assertEqual(self.client.get(reverse(name)).status_code, 403)
        self.assertEqual(self.upload([meeting()]).status_code, 403)
        r = self.client.post(reverse("duties:completions_import_confirm"), {"token": "x"})
        self.assertEqual(r.status_code, 403)
        r = self.client.get(reverse("duties:completions"))
        self.assertNotContains(r, reverse("duties:completions_import"))

    def test_every_problem_is_named_with_row_and_column_and_nothing_is_saved(self) -> None:
        self.client.force_login(self.staff_a)
        r = self.upload(
            [
                meeting(),  # row 2: fine
                meeting(done_on="2026-13-01"),  # 3
                meeting(duty="周会"),  # 4
                meeting(done_on="2026-03-09", note=""),  # 5
                meeting(business="星空网吧", kind="网吧"),  # 6
                meeting(),  # 7: the same day as row 2
                inspection("星空网吧", kind="书吧"),  # 8
                inspection("", findings="无"),  # 9
                inspection("金曲KTV", kind="歌舞娱乐", rectified="是"),  # 10
                meeting(done_on="2026-04-06"),  # 11: after today
            ]
        )
        page = r.content.decode()
        for expected in (
            "第 3 行 第 C 列（完成日期）：“2026-13-01”不是有效日期",
            "第 4 行 第 B 列（常规工作）：“古城街道”没有名为“周会”的常规工作",
            "第 5 行 第 E 列（记录）：该工作需要文字记录，请填写。",
            "第 6 行 第 F 列（经营单位）：该工作不需要检查记录",
            "第 7 行 第 B 列（常规工作）：与第 2 行重复",
            "第 8 行 第 G 列（经营类别）：经营类别只能是：",
            "第 9 行 第 F 列（经营单位）：经营单位名称不能为空。",
            "第 10 行 第 J 列（已整改）：不需要整改的经营单位不能标为已整改。",
            "第 11 行 第 C 列（完成日期）：完成日期不能晚于今天。",
        ):
            self.assertIn(expected, page)
        self.assertIn("没有导入任何完成记录", page)
        self.assertNotIn("token", r.context or {})
        self.assertFalse(DutyCompletion.objects.exists())

    def test_a_duty_that_needs_a_photo_is_refused_on_its_row(self) -> None:
        self.client.force_login(self.staff_a)
        r = self.upload([meeting(), meeting(duty="黑板报", note="")])
        self.assertContains(
            r,
            "第 3 行 第 B 列（常规工作）：“黑板报”需要照片作佐证，Excel 无法附带照片和文件，"
            "不能从 .xlsx 导入；请导入含照片的数据包（.zip，在完成记录列表"
            "“导出数据包（含照片和附件）”得到），或在页面上登记该次完成并上传照片。",
        )
        self.assertFalse(DutyCompletion.objects.exists())

    def test_out_of_scope_units_are_refused(self) -> None:
        self.client.force_login(self.staff_a)
        r = self.upload([meeting(), meeting(unit=Tree.TOWNSHIP_B)])
        self.assertContains(
            r, "第 3 行 第 A 列（单位代码）：单位代码“331082002”不存在或不在您的管辖范围内。"
        )
        # The keeper of a village may not record the township's duties either.
        self.client.force_login(self.keeper)
        r = self.upload([meeting()])
        self.assertContains(r, "单位代码“331082001”不存在或不在您的管辖范围内。")
        self.assertFalse(DutyCompletion.objects.exists())

    def test_the_corrected_file_imports_after_the_preview(self) -> None:
        self.client.force_login(self.staff_a)
        rows = [
            meeting(),
            meeting(done_on="2026-03-09", note="学习文件精神。"),
            # Making up a missed week: any day of it names it.
            meeting(done_on="2026-03-16", period="2026-02-25", note="补开上周例会。"),
            inspection("星空网吧", note="对辖区网吧和歌舞娱乐场所检查。"),
            inspection(
                "金曲KTV",
                kind="歌舞娱乐",
                findings="消防通道堵塞。",
                rectification_required="是",
                rectified="是",
                rectified_on="2026-03-12",
            ),
        ]
        r = self.upload(rows)
        self.assertContains(r, "确认导入 4 条完成记录")
        self.assertEqual(r.context["businesses"], 2)
        self.assertFalse(DutyCompletion.objects.exists())
        r = self.client.post(
            reverse("duties:completions_import_confirm"), {"token": r.context["token"]}
        )
        self.assertRedirects(r, reverse("duties:completions"))
        self.assertEqual(DutyCompletion.objects.filter(duty=self.meeting).count(), 3)
        made_up = DutyCompletion.objects.get(duty=self.meeting, done_on=date(2026, 3, 16))
        self.assertEqual(made_up.period_start, date(2026, 2, 23))
        check = DutyCompletion.objects.get(duty=self.market)
        self.assertEqual(check.note, "对辖区网吧和歌舞娱乐场所检查。")
        self.assertEqual(check.period_start, date(2026, 1, 1))
        self.assertEqual(check.done_by, self.staff_a)
        ktv = InspectedBusiness.objects.get(completion=check, name="金曲KTV")
        self.assertEqual(
            (ktv.kind, ktv.rectification_required, ktv.rectified, ktv.rectified_on),
            ("karaoke", True, True, date(2026, 3, 12)),
        )
        self.assertEqual(check.businesses.count(), 2)
        self.assertEqual(
            AuditEntry.objects.filter(model="duties.dutycompletion", action="create").count(), 4
        )

        # The same file again: each completion is already there.
        r = self.upload(rows)
        self.assertContains(r, "第 2 行 第 C 列（完成日期）：“周例会”在 2026-03-02 已有完成记录")
        self.assertEqual(DutyCompletion.objects.count(), 4)

    def test_rows_of_one_inspection_must_agree(self) -> None:
        self.client.force_login(self.staff_a)
        r = self.upload(
            [
                inspection("星空网吧", note="第一季度检查。"),
                inspection("金曲KTV", kind="歌舞娱乐", note="另一段记录。"),
            ]
        )
        self.assertContains(r, "第 3 行 第 E 列（记录）：与第 2 行的记录不同")

    def test_a_change_between_preview_and_confirm_saves_nothing(self) -> None:
        self.client.force_login(self.staff_a)
        r = self.upload([meeting(), inspection("星空网吧")])
        token = r.context["token"]
        Duty.objects.filter(pk=self.market.pk).update(active=False)
        r = self.client.post(reverse("duties:completions_import_confirm"), {"token": token})
        self.assertContains(r, "第 3 行 第 B 列（常规工作）：该工作已停用，不能登记完成。")
        self.assertFalse(DutyCompletion.objects.exists())

    def test_reading_costs_the_same_queries_for_more_rows(self) -> None:
        self.client.force_login(self.staff_a)
        small = [meeting(done_on=f"2026-03-0{d}") for d in (2, 3)]
        large = [meeting(done_on=f"2026-0{m}-{d:02d}") for m in (1, 2, 3) for d in range(5, 25)]

        def count(rows: list[dict[str, object]]) -> int:
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as ctx:
                r = self.upload(rows)
            self.assertIn("token", r.context)
            return len(ctx.captured_queries)

        self.assertEqual(count(small), count(large))

    def test_a_village_keeper_imports_the_villages_meetings(self) -> None:
        duty = make_duty(
            self.keeper, Tree.VILLAGE_A, name="周例会", cycle=Cycle.WEEKLY,
            needs_photo=False, needs_note=True,
        )  # fmt: skip
        self.client.force_login(self.keeper)
        r = self.upload([meeting(unit=Tree.VILLAGE_A)])
        r = self.client.post(
            reverse("duties:completions_import_confirm"), {"token": r.context["token"]}
        )
        self.assertEqual(r.status_code, 302)
        self.assertEqual(DutyCompletion.objects.get().duty, duty)

    def test_the_list_links_to_the_import_and_export_is_formula_safe(self) -> None:
        complete(self.staff_a, self.meeting, date(2026, 3, 2), note="=1+1")
        self.client.force_login(self.staff_a)
        r = self.client.get(reverse("duties:completions"))
        self.assertContains(r, reverse("duties:completions_import"))
        book = download(self.client.get(reverse("duties:completions_export")))
        cell = book.active.cell(row=3, column=7)  # under the title and the header; no code
        self.assertEqual(cell.value, "=1+1")
        self.assertEqual(cell.data_type, "s")
        self.assertTrue(cell.quotePrefix)
