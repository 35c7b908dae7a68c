import datetime as dt

from django.urls import reverse

from xuanwen.audit.models import Action, AuditEntry
from xuanwen.designations import excel
from xuanwen.designations.excel import REPORT_TITLE
from xuanwen.designations.models import Designation
from xuanwen.records.tests.excel import RegisterExcelCase, SheetRows
from xuanwen.testing import Tree, frozen

from .helpers import make_designation

D = dt.date
EXPORT = reverse("designations:export")
REPORT = reverse("designations:report")

# A valid row, cell by cell (keyed by column): a test changes only the cells it is about.
SHEET = SheetRows(
    excel.SHEET,
    {
        "unit": Tree.VILLAGE_A,
        "unit_name": "",
        "kind": "文化示范村",
        "level": "县级",
        "designated_on": "2026-05-20",
        "revoked_on": "",
        "document_no": "临文〔2026〕12号",
        "awarded_by": "临海市文化和旅游局",
        "note": "",
    },
)
HEADERS = SHEET.headers
row = SHEET.row
xlsx = SHEET.xlsx


@frozen(D(2026, 6, 1))
class ImportTests(RegisterExcelCase):
    app = "designations"

    def test_the_template(self) -> None:
        self.client.force_login(self.staff_a)
        book = self.assertImportTemplate(reverse("designations:import_template"), "命名", HEADERS)
        options = [c.value for c in book["选项"]["A"][1:]] + [
            c.value for c in book["选项"]["B"][1:]
        ]
        self.assertIn("文化示范村", options)
        self.assertIn("县级", options)
        self.client.force_login(self.viewer)
        self.assertEqual(self.client.get(reverse("designations:import_template")).status_code, 403)

    def test_a_good_file_saves_every_row(self) -> None:
        rows = [
            row(),
            row(level="市级", designated_on="2024-03-01"),
            row(unit=Tree.TOWNSHIP_A, kind="strong_township", level="city", designated_on=""),
        ]
        preview = self.upload(xlsx(rows))
        self.assertContains(preview, "确认导入 3 项命名")
        self.assertFalse(Designation.objects.exists())  # a dry run
        response = self.confirm(preview)
        self.assertRedirects(response, reverse("designations:list"))
        self.assertEqual(Designation.objects.count(), 3)
        town = Designation.objects.get(unit_id=Tree.TOWNSHIP_A)
        self.assertEqual(
            (town.kind.code, town.level, town.designated_on), ("strong_township", "city", None)
        )
        self.assertEqual(AuditEntry.objects.filter(action=Action.IMPORT).count(), 3)

    def test_one_bad_row_saves_nothing_and_is_named_by_row_and_column(self) -> None:
        make_designation(Tree.VILLAGE_A2, designated_on=D(2026, 5, 20))
        rows = [
            row(),
            row(unit=Tree.VILLAGE_A2),  # stored already
            row(kind="文明村"),
            row(level="村级", designated_on="2025-01-01"),
            row(revoked_on="2026-01-01", designated_on="2026-02-01"),
            row(),  # the same as row 2
            row(unit=Tree.OTHER_TOWNSHIP),
        ]
        response = self.upload(xlsx(rows))
        self.assertProblems(
            response,
            "第 3 行 第 C 列（命名类型）：该单位已有同一类型、同一级别、同一命名日期的命名。",
            "第 4 行 第 C 列（命名类型）：命名类型只能是："
            "文化示范村、文化先进村、文化特色村、文化示范社区、文化强镇。",
            "第 5 行 第 D 列（级别）：级别只能是：国家级、省级、市级、县级、乡镇级、其他。",
            "第 6 行 第 F 列（撤销日期）：撤销日期应晚于命名日期。",
            "第 7 行 第 C 列（命名类型）：与第 2 行重复："
            "同一单位、同一类型、同一级别、同一命名日期。",
            f"第 8 行 第 A 列（单位代码）：单位代码“{Tree.OTHER_TOWNSHIP}”"
            "不存在或不在您的管辖范围内。",
        )
        self.assertEqual(Designation.objects.count(), 1)
        self.assertNotIn("token", response.context)


@frozen(D(2026, 6, 1))
class ExportTests(RegisterExcelCase):
    app = "designations"

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        make_designation(Tree.VILLAGE_A, designated_on=D(2019, 3, 1), document_no="=1+1")
        make_designation(
            Tree.VILLAGE_A, level="city", designated_on=D(2024, 3, 1), revoked_on=D(2026, 3, 1)
        )
        make_designation(Tree.VILLAGE_A2, "feature_village")
        make_designation(Tree.VILLAGE_B, designated_on=D(2024, 3, 1))

    def test_the_data_export_is_the_scoped_list_and_imports_again(self) -> None:
        book = self.download(EXPORT, self.staff_a)
        sheet = book["命名"]
        self.assertEqual([c.value for c in sheet[1]], HEADERS)
        rows = list(sheet.iter_rows(min_row=2, values_only=True))
        self.assertEqual(len(rows), 3)
        self.assertEqual({r[2] for r in rows}, {"文化示范村", "文化特色村"})
        self.assertIn("=1+1", {r[6] for r in rows})  # text, never a formula
        Designation.objects.all().delete()
        preview = self.upload_book(book)
        self.assertContains(preview, "确认导入 3 项命名")
        self.confirm(preview)
        revoked = Designation.objects.get(level="city")
        self.assertEqual(
            (revoked.designated_on, revoked.revoked_on), (D(2024, 3, 1), D(2026, 3, 1))
        )

    def test_the_report_has_a_title_names_and_totals(self) -> None:
        book = self.download(REPORT, self.staff_a)
        sheet = book[REPORT_TITLE]
        values = [list(r) for r in sheet.iter_rows(values_only=True)]
        self.assertEqual(
            values[0][0], "古城街道 全部时间 文化示范村等命名统计表（制表时间：2026-06-01 10:00）"
        )
        self.assertIn("古城街道", values[1][0])
        self.assertEqual(values[2][:5], ["序号", "被命名单位", "上级单位", "命名类型", "级别"])
        body = values[3:6]
        self.assertEqual(sorted(r[1] for r in body), ["井头社区", "文化社区", "文化社区"])
        self.assertTrue(all(r[2] == "古城街道" for r in body))  # names, not codes
        self.assertNotIn(Tree.VILLAGE_A, [c for r in values for c in r])
        self.assertIn("待补日期", [r[5] for r in body])
        self.assertIn("2026-03-01 撤销", [r[6] for r in body])
        totals = {r[0]: r for r in values[6:] if r and r[0]}
        self.assertEqual(totals["合计"][1], 3)
        self.assertEqual(totals["合计"][2], "其中有效 2 项")
        by_kind = {r[1]: r[2] for r in values[6:] if r and r[0] is None and r[1]}
        self.assertEqual(by_kind, {"文化示范村": 2, "文化特色村": 1})
        # The list's filter applies.
        book = self.download(REPORT, self.supervisor, kind="feature_village")
        self.assertEqual(book[REPORT_TITLE]["B4"].value, "井头社区")
