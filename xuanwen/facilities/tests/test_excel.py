import io
from datetime import date
from decimal import Decimal

from django.urls import reverse

from xuanwen.audit.models import Action, AuditEntry
from xuanwen.facilities import excel
from xuanwen.facilities.models import Facility
from xuanwen.records.tests.excel import RegisterExcelCase, SheetRows
from xuanwen.testing import Tree, read_xlsx

from .helpers import make_facility

IMPORT = reverse("facilities:import")
CONFIRM = reverse("facilities:import_confirm")
EXPORT = reverse("facilities:export")


# A valid row, cell by cell (keyed by column): a test changes only the cells it is about.
SHEET = SheetRows(
    excel.SHEET,
    {
        "unit": Tree.VILLAGE_A,
        "unit_name": "",
        "kind": "文化大院",
        "name": "学堂巷文化大院",
        "area": 120.5,
        "address": "学堂巷 3 号",
        "opened_on": "2015-09-01",
        "closed_on": "",
        "opening_schedule": "每天 18:00-21:00",
        "free_opening": "是",
        "keeper": "李大姐",
        "phone": "13800000000",
        "notes": "",
    },
)
HEADERS = SHEET.headers
row = SHEET.row
xlsx = SHEET.xlsx


class ImportTests(RegisterExcelCase):
    app = "facilities"

    def test_the_template_has_drop_downs_and_instructions(self) -> None:
        self.client.force_login(self.staff_a)
        response = self.client.get(reverse("facilities:import_template"))
        self.assertEqual(response.status_code, 200)
        book = read_xlsx(response)
        self.assertEqual(book.sheetnames[:3], ["文化阵地", "填写说明", "单位"])
        sheet = book["文化阵地"]
        self.assertEqual([c.value for c in sheet[1]], HEADERS)
        formulas = {dv.formula1 for dv in sheet.data_validations.dataValidation}
        self.assertTrue({"kinds", "yes_no"} <= formulas, formulas)
        options = book["选项"]
        kinds = [c.value for c in options["A"][1:]]
        self.assertIn("文化大院", kinds)
        units = [c.value for c in book["单位"]["A"][1:]]
        self.assertIn(Tree.VILLAGE_A, units)
        self.assertNotIn(Tree.TOWNSHIP_B, units)
        help_text = " ".join(str(c.value) for c in book["填写说明"]["A"] if c.value)
        self.assertIn("同类型、同名称", help_text)

    def test_a_viewer_gets_no_template_and_no_import(self) -> None:
        self.client.force_login(self.viewer)
        self.assertEqual(self.client.get(reverse("facilities:import_template")).status_code, 403)
        self.assertEqual(self.client.get(IMPORT).status_code, 403)

    def test_preview_then_confirm_imports_everything(self) -> None:
        rows = [row(), row(unit=Tree.TOWNSHIP_A, kind="综合文化站", name="古城街道综合文化站")]
        preview = self.upload(xlsx(rows))
        self.assertContains(preview, "确认导入 2 处阵地")
        self.assertFalse(Facility.objects.exists())  # a dry run
        token = preview.context["token"]
        response = self.client.post(CONFIRM, {"token": token})
        self.assertRedirects(response, reverse("facilities:list"))
        courtyard = Facility.objects.get(name="学堂巷文化大院")
        self.assertEqual(
            (courtyard.unit_id, courtyard.kind.code, courtyard.area, courtyard.opened_on),
            (Tree.VILLAGE_A, "courtyard", Decimal("120.5"), date(2015, 9, 1)),
        )
        self.assertEqual(AuditEntry.objects.filter(action=Action.IMPORT).count(), 2)
        # The token works once.
        again = self.client.post(CONFIRM, {"token": token})
        self.assertContains(again, "预览已过期")
        self.assertEqual(Facility.objects.count(), 2)

    def test_every_problem_is_named_with_row_and_column_and_nothing_is_saved(self) -> None:
        make_facility(Tree.VILLAGE_A, "courtyard", name="已有大院")
        rows = [
            row(),
            row(kind="大礼堂"),
            row(unit=Tree.OTHER_TOWNSHIP, name="越界"),
            row(area="很大", name="面积错"),
            row(name="已有大院"),
            row(),  # the same as row 2
            row(free_opening="也许", name="免费错"),
            row(opened_on="1800-01-01", name="年份错"),
            row(opened_on="2015-09-01", closed_on="2015-08-01", name="停用早"),
            row(opened_on="2015-13-01", name="日期错"),
        ]
        response = self.upload(xlsx(rows))
        problems = response.context["problems_shown"]
        joined = "\n".join(problems)
        self.assertIn("第 3 行 第 C 列（类型）：类型只能是", joined)
        self.assertIn(f"第 4 行 第 A 列（单位代码）：单位代码“{Tree.OTHER_TOWNSHIP}”不存在", joined)
        self.assertIn("第 5 行 第 E 列（面积（平方米））：“很大”不是数字", joined)
        self.assertIn("第 6 行 第 D 列（名称）：该单位已有同类型、同名称的阵地。", joined)
        self.assertIn("第 7 行 第 D 列（名称）：与第 2 行重复", joined)
        self.assertIn("第 8 行 第 J 列（免费开放）：只能填“是”或“否”", joined)
        self.assertIn("第 9 行 第 G 列（建成日期）：日期应在 1949 年至", joined)
        self.assertIn("第 10 行 第 H 列（停用日期）：停用日期应晚于建成日期。", joined)
        self.assertIn("第 11 行 第 G 列（建成日期）：“2015-13-01”不是有效日期", joined)
        self.assertEqual(Facility.objects.count(), 1)
        self.assertNotIn("token", response.context)

    def test_it_refuses_what_is_not_an_xlsx(self) -> None:
        response = self.upload(b"name,unit\n")
        self.assertContains(response, "请上传 Excel 的 .xlsx 文件")

    def test_formula_text_is_kept_as_text(self) -> None:
        # (openpyxl itself would write "=1+1" as a formula; Excel reads "@" and "-" as one.)
        preview = self.upload(xlsx([row(name="@SUM(A1)", notes="-1+1")]))
        self.confirm(preview)
        facility = Facility.objects.get()
        self.assertEqual((facility.name, facility.notes), ("@SUM(A1)", "-1+1"))


class ExportTests(RegisterExcelCase):
    app = "facilities"

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        make_facility(Tree.TOWNSHIP_A, name='=HYPERLINK("http://evil")', area=Decimal(400))
        make_facility(
            Tree.VILLAGE_A,
            "courtyard",
            name="学堂巷文化大院",
            opened_on=date(2008, 5, 1),
            closed_on=date(2020, 6, 30),
        )
        make_facility(Tree.TOWNSHIP_B, name="大洋街道文化站")

    def test_it_exports_the_filtered_list_in_scope_formula_safe(self) -> None:
        book = self.download(EXPORT, self.staff_a)
        sheet = book.worksheets[0]
        self.assertIn("古城街道", str(sheet["A1"].value))
        self.assertEqual([c.value for c in sheet[2]][:3], ["单位", "类型", "名称"])
        rows = list(sheet.iter_rows(min_row=3))
        names = {r[2].value for r in rows[:-1]}
        self.assertEqual(names, {'=HYPERLINK("http://evil")', "学堂巷文化大院"})
        cell = next(r[2] for r in rows if str(r[2].value).startswith("="))
        self.assertEqual(cell.data_type, "s")  # text, never a formula
        self.assertEqual(rows[-1][0].value, "合计")
        book = self.download(EXPORT, self.staff_a, kind="courtyard")
        self.assertEqual(book.worksheets[0].max_row, 4)  # title, header, one, totals

    def test_the_data_export_imports_again(self) -> None:
        out = io.BytesIO()
        excel.SHEET.write_export(Facility.objects.filter(kind__code="courtyard"), out)
        Facility.objects.all().delete()
        preview = self.upload(out.getvalue())
        self.assertContains(preview, "确认导入 1 处阵地")
        self.confirm(preview)
        again = Facility.objects.get()
        self.assertEqual((again.opened_on, again.closed_on), (date(2008, 5, 1), date(2020, 6, 30)))
