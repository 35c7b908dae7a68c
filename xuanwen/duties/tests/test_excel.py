from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xuanwen.duties.excel import COLUMNS, SHEET
from xuanwen.duties.models import Duty
from xuanwen.testing import BaseTestCase, Tree, frozen, read_xlsx, sheet_row, xlsx_upload

from .helpers import complete, make_duty

TODAY = date(2026, 4, 5)


def workbook(rows: list[list[object]]) -> SimpleUploadedFile:
    return xlsx_upload("常规工作.xlsx", SHEET, [c.header for c in COLUMNS], rows)


# A valid row, cell by cell (keyed by column): a test changes only the cells it is about.
ROW: dict[str, object] = {
    "unit": Tree.TOWNSHIP_A,
    "name": "黑板报",
    "cycle": "每半月",
    "due_day": None,
    "needs_photo": "是",
    "needs_note": "否",
    "needs_file": None,
    "needs_inspections": None,
    "role": "专干/站长",
    "start_date": "2026-01-01",
    "description": "",
}


def row(**values: object) -> list[object]:
    return sheet_row(COLUMNS, ROW, **values)


@frozen(TODAY)
class ExcelTests(BaseTestCase):
    def test_template_has_drop_downs_and_instructions(self) -> None:
        self.client.force_login(self.staff_a)
        r = self.client.get(reverse("duties:import_template"))
        book = read_xlsx(r)
        self.assertIn("填写说明", book.sheetnames)
        sheet = book[SHEET]
        self.assertEqual([c.value for c in sheet[1]], [c.header for c in COLUMNS])
        self.assertTrue(sheet.data_validations.dataValidation)
        self.client.force_login(self.viewer)
        self.assertEqual(self.client.get(reverse("duties:import_template")).status_code, 403)

    def test_import_is_all_or_nothing_with_row_and_column(self) -> None:
        self.client.force_login(self.staff_a)
        upload = workbook(
            [
                row(),
                row(unit=Tree.TOWNSHIP_B, name="宣传橱窗"),
                row(name="理论学习日", cycle="每月固定日", needs_photo="否", needs_note="是"),
                row(name="黑板报"),
                row(name="例会", cycle="每两周"),
            ]
        )
        r = self.client.post(reverse("duties:import"), {"file": upload})
        page = r.content.decode()
        self.assertIn(
            "第 3 行 第 A 列（单位代码）：单位代码“331082002”不存在或不在您的管辖范围内。", page
        )
        self.assertIn("第 4 行 第 D 列（每月几日）", page)
        self.assertIn("第 5 行 第 B 列（名称）：与第 2 行重复。", page)
        self.assertIn("第 6 行 第 C 列（周期）", page)
        self.assertFalse(Duty.objects.exists())

    def test_preview_then_confirm(self) -> None:
        self.client.force_login(self.staff_a)
        upload = workbook(
            [
                row(),
                row(
                    unit=Tree.VILLAGE_A,
                    name="周例会",
                    cycle="每周",
                    needs_photo="否",
                    needs_note="是",
                    role="村管理员",
                ),
            ]
        )
        r = self.client.post(reverse("duties:import"), {"file": upload})
        self.assertContains(r, "确认导入 2 项常规工作")
        self.assertFalse(Duty.objects.exists())
        token = r.context["token"]
        r = self.client.post(reverse("duties:import_confirm"), {"token": token})
        self.assertRedirects(r, reverse("duties:list"))
        self.assertEqual(Duty.objects.count(), 2)
        self.assertEqual(Duty.objects.get(name="周例会").role, "village_admin")

    def test_a_duty_entered_after_the_preview_is_named_on_its_cell(self) -> None:
        self.client.force_login(self.staff_a)
        upload = workbook([row(), row(name="宣传橱窗")])
        token = self.client.post(reverse("duties:import"), {"file": upload}).context["token"]
        make_duty(self.staff_a, Tree.TOWNSHIP_A, name="宣传橱窗")
        r = self.client.post(reverse("duties:import_confirm"), {"token": token})
        self.assertContains(r, "第 3 行 第 B 列（名称）：该单位已有同名的常规工作。")
        self.assertEqual(Duty.objects.count(), 1)

    def test_not_an_xlsx_is_refused(self) -> None:
        self.client.force_login(self.staff_a)
        r = self.client.post(
            reverse("duties:import"), {"file": SimpleUploadedFile("x.xlsx", b"not a workbook")}
        )
        self.assertContains(r, "请上传 Excel 的 .xlsx 文件")

    def test_export_is_scoped_and_formula_safe(self) -> None:
        duty = make_duty(self.staff_a, Tree.TOWNSHIP_A, needs_note=True)
        complete(self.staff_a, duty, date(2026, 3, 2), note='=HYPERLINK("http://x")')
        other = make_duty(self.staff_b, Tree.TOWNSHIP_B, name="宣传橱窗")
        complete(self.staff_b, other, date(2026, 3, 3))
        self.client.force_login(self.staff_a)
        r = self.client.get(reverse("duties:completions_export"))
        book = read_xlsx(r)
        rows = list(book.active.iter_rows(min_row=3, values_only=True))  # type: ignore[union-attr]
        self.assertEqual(len(rows), 2)  # staff_a's one, and the totals
        self.assertEqual(rows[0][:2], ("古城街道", "黑板报"))
        self.assertEqual(rows[0][3], "2026年3月上半月")
        self.assertEqual(rows[1][:2], ("合计", "1 条"))
        note = book.active.cell(row=3, column=7)  # type: ignore[union-attr]
        self.assertEqual(note.data_type, "s")
        self.assertTrue(note.quotePrefix)
