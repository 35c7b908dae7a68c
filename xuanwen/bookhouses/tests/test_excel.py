import io
from datetime import date
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xuanwen.audit.models import Action, AuditEntry
from xuanwen.bookhouses import excel
from xuanwen.bookhouses.filters import demand_filters
from xuanwen.bookhouses.models import Demand, Loan, StockEntry
from xuanwen.testing import BaseTestCase, Tree, read_xlsx, xlsx_upload

from .helpers import add_demand, add_loan, add_stock, make_bookhouse

STOCK_HEADERS = ["单位代码", "书屋名称", "日期", "类别", "数量", "来源", "备注"]
LOAN_HEADERS = [
    "单位代码",
    "书屋名称",
    "借出日期",
    "读者",
    "联系电话",
    "书名",
    "应还日期",
    "归还日期",
]
DEMAND_HEADERS = [
    "单位代码",
    "书屋名称",
    "登记日期",
    "读者",
    "联系电话",
    "需求（书名或主题）",
    "处理情况",
    "处理日期",
    "备注",
]


def xlsx(rows: list[list[Any]], headers: list[str], title: str) -> SimpleUploadedFile:
    return xlsx_upload("登记.xlsx", title, headers, rows)


class ExcelTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.house = make_bookhouse(Tree.VILLAGE_A, "文化社区农家书屋")
        cls.other = make_bookhouse(Tree.VILLAGE_B, "府东社区农家书屋")

    def test_the_template_has_drop_downs_and_instructions(self) -> None:
        self.client.force_login(self.keeper)
        url = reverse("bookhouses:stock_import_template")
        sheet = self.assertImportTemplate(url, "藏书登记", STOCK_HEADERS).worksheets[0]
        formulas = {dv.formula1 for dv in sheet.data_validations.dataValidation}
        self.assertIn("stock_kinds", formulas)
        self.assertIn("stock_sources", formulas)
        self.client.force_login(self.viewer)
        self.assertEqual(
            self.client.get(reverse("bookhouses:stock_import_template")).status_code, 403
        )

    def test_every_problem_is_named_and_nothing_is_imported(self) -> None:
        self.client.force_login(self.keeper)
        upload = xlsx(
            [
                [Tree.VILLAGE_A, "", "2026-03-02", "图书", 1500, "上级配送", ""],
                [Tree.VILLAGE_A, "", "2026-13-02", "图书", 10, "捐赠", ""],
                [Tree.VILLAGE_A, "", "2026-03-02", "图书", 10, "剔旧报损", ""],
                [Tree.VILLAGE_B, "", "2026-03-02", "图书", 10, "自购", ""],
                [Tree.VILLAGE_A, "另一个书屋", "2026-03-02", "光盘", 10, "自购", ""],
            ],
            STOCK_HEADERS,
            "藏书登记",
        )
        r = self.client.post(reverse("bookhouses:stock_import"), {"file": upload})
        problems = r.context["problems_shown"]
        text = "\n".join(problems)
        self.assertIn("第 3 行 第 C 列（日期）", text)
        self.assertIn("第 6 行 第 D 列（类别）：类别只能是", text)
        self.assertIn("第 5 行 第 A 列（单位代码）：该单位没有农家书屋，或不在您的管辖范围内", text)
        self.assertFalse(StockEntry.objects.exists())
        # Once the reading is clean the rules speak, on their cells.
        upload = xlsx(
            [
                [Tree.VILLAGE_A, "", "2026-03-02", "图书", 1500, "上级配送", ""],
                [Tree.VILLAGE_A, "", "2026-03-02", "图书", 10, "剔旧报损", ""],
            ],
            STOCK_HEADERS,
            "藏书登记",
        )
        r = self.client.post(reverse("bookhouses:stock_import"), {"file": upload})
        self.assertProblems(r, "第 3 行 第 E 列（数量）：剔旧报损的数量应为负数，如 -20。")
        self.assertFalse(StockEntry.objects.exists())

    def test_a_clean_file_is_previewed_then_imported_whole(self) -> None:
        make_bookhouse(Tree.VILLAGE_A2, "井头书屋")
        self.client.force_login(self.staff_a)
        upload = xlsx(
            [
                [Tree.VILLAGE_A, "", "2026-03-02", "图书", 1500, "上级配送", "配送"],
                [Tree.VILLAGE_A2, "井头书屋", date(2026, 3, 5), "音像制品", 100, "捐赠", "+1+1"],
            ],
            STOCK_HEADERS,
            "藏书登记",
        )
        r = self.client.post(reverse("bookhouses:stock_import"), {"file": upload})
        self.assertEqual(r.context["total"], 2)
        self.assertFalse(StockEntry.objects.exists())  # a preview writes nothing
        r = self.client.post(
            reverse("bookhouses:stock_import_confirm"), {"token": r.context["token"]}
        )
        self.assertRedirects(r, reverse("bookhouses:stock_all"))
        self.assertEqual(StockEntry.objects.count(), 2)
        self.assertTrue(
            AuditEntry.objects.filter(action=Action.IMPORT, model="bookhouses.stockentry").exists()
        )

    def test_loans_import(self) -> None:
        self.client.force_login(self.keeper)
        upload = xlsx(
            [[Tree.VILLAGE_A, "", "2026-03-02", "王大妈", "13800000000", "果树栽培", "", ""]],
            LOAN_HEADERS,
            "借阅登记",
        )
        r = self.client.post(reverse("bookhouses:loans_import"), {"file": upload})
        self.client.post(reverse("bookhouses:loans_import_confirm"), {"token": r.context["token"]})
        loan = Loan.objects.get()
        self.assertEqual((loan.reader_name, loan.due_on), ("王大妈", date(2026, 4, 1)))

    def test_the_export_is_scoped_and_formula_safe(self) -> None:
        add_stock(self.house, 20, note='=HYPERLINK("http://x")')
        add_stock(self.other, 30)
        add_loan(self.house, reader="+danger")
        self.client.force_login(self.staff_a)
        r = self.client.get(reverse("bookhouses:stock_export"))
        book = read_xlsx(r)
        rows = list(book.active.iter_rows(min_row=3, values_only=True))  # type: ignore[union-attr]
        self.assertEqual(len(rows), 2)  # township B's bookhouse is not staff_a's; the totals
        self.assertEqual(rows[0][6], '=HYPERLINK("http://x")')
        self.assertEqual(rows[0][:2], ("文化社区", self.house.name))  # names, not codes
        self.assertEqual((rows[1][0], rows[1][4]), ("合计", 20))
        cell = book.active.cell(row=3, column=7)  # type: ignore[union-attr]
        self.assertEqual(cell.data_type, "s")
        r = self.client.get(reverse("bookhouses:loans_export"))
        book = read_xlsx(r)
        self.assertEqual(book.active.cell(row=3, column=4).data_type, "s")  # type: ignore[union-attr]

    def test_the_preview_shows_labels_not_codes(self) -> None:
        self.client.force_login(self.keeper)
        upload = xlsx(
            [[Tree.VILLAGE_A, "", "2026-03-02", "音像制品", 120, "上级配送", ""]],
            STOCK_HEADERS,
            "藏书登记",
        )
        r = self.client.post(reverse("bookhouses:stock_import"), {"file": upload})
        cells = ["2026-03-02", "音像制品", 120, "上级配送"]
        self.assertEqual(r.context["preview"], [(2, ("文化社区农家书屋", cells))])
        self.assertContains(r, "<td>音像制品</td>", html=True)
        self.assertNotContains(r, "distributed")
        self.assertNotContains(r, "<td>av</td>", html=True)


class DemandExcelTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.house = make_bookhouse(Tree.VILLAGE_A, "文化社区农家书屋")
        cls.other = make_bookhouse(Tree.VILLAGE_B, "府东社区农家书屋")

    def upload(self, rows: list[list[Any]]) -> Any:
        return self.client.post(
            reverse("bookhouses:demands_import"), {"file": xlsx(rows, DEMAND_HEADERS, "需求登记")}
        )

    def assertRefused(self, rows: list[list[Any]], *problems: str) -> None:
        """The file is refused with these problems, and no demand is saved."""
        self.assertProblems(self.upload(rows), *problems)
        self.assertFalse(Demand.objects.exists())

    def test_the_template_has_the_status_drop_down_and_instructions(self) -> None:
        self.client.force_login(self.keeper)
        url = reverse("bookhouses:demands_import_template")
        book = self.assertImportTemplate(url, "需求登记", DEMAND_HEADERS)
        sheet = book["需求登记"]
        formulas = {dv.formula1 for dv in sheet.data_validations.dataValidation}
        self.assertIn("demand_statuses", formulas)
        options = [c.value for c in book["选项"]["A"]]
        self.assertEqual(options, ["demand_statuses", "待处理", "已满足", "已上报", "无法满足"])
        help_text = " ".join(str(c.value) for row in book["填写说明"].iter_rows() for c in row)
        self.assertIn("处理情况", help_text)

    def test_read_only_roles_get_403(self) -> None:
        self.client.force_login(self.viewer)
        for name in ("demands_import_template", "demands_import"):
            self.assertEqual(self.client.get(reverse(f"bookhouses:{name}")).status_code, 403)
        r = self.client.post(reverse("bookhouses:demands_import_confirm"), {"token": "x"})
        self.assertEqual(r.status_code, 403)
        # Reading is theirs: the list links the export, not the import.
        page = self.client.get(reverse("bookhouses:demands_all"))
        self.assertContains(page, reverse("bookhouses:demands_export"))
        self.assertNotContains(page, reverse("bookhouses:demands_import"))

    def test_a_bad_cell_is_named_and_nothing_is_saved_then_the_fixed_file_imports(self) -> None:
        self.client.force_login(self.keeper)
        rows = [
            [Tree.VILLAGE_A, "", "2026-03-02", "李大爷", "", "养蜂技术", "", "", ""],
            [Tree.VILLAGE_A, "", "2026-03-03", "王大妈", "138x", "果树栽培", "办好了", "", ""],
            [Tree.VILLAGE_A, "", "2026-03-04", "张三", "", "", "已满足", "2026-03-01", ""],
        ]
        self.assertRefused(
            rows,
            "第 3 行 第 G 列（处理情况）：处理情况只能是：待处理、已满足、已上报、无法满足。",
            "第 4 行 第 F 列（需求（书名或主题））：不能为空。",
        )
        # The cells read; now the rules speak, on their cells too.
        rows[1][6] = "已上报"
        rows[2][5] = "农机维修"
        self.assertRefused(
            rows,
            "第 3 行 第 E 列（联系电话）：联系电话只能包含数字、空格和 + - ( )。",
            "第 4 行 第 H 列（处理日期）：处理日期不能早于登记日期。",
        )
        rows[1][4] = "13800000000"
        rows[2][7] = "2026-03-06"
        r = self.upload(rows)
        self.assertEqual(r.context["total"], 3)
        self.assertEqual(
            [cells for _n, (_b, cells) in r.context["preview"]],
            [
                ["2026-03-02", "李大爷", "养蜂技术", "待处理"],
                ["2026-03-03", "王大妈", "果树栽培", "已上报"],
                ["2026-03-04", "张三", "农机维修", "已满足"],
            ],
        )
        self.assertFalse(Demand.objects.exists())  # a preview writes nothing
        r = self.client.post(
            reverse("bookhouses:demands_import_confirm"), {"token": r.context["token"]}
        )
        self.assertRedirects(r, reverse("bookhouses:demands_all"))
        saved = {d.reader_name: d for d in Demand.objects.all()}
        self.assertEqual(len(saved), 3)
        self.assertEqual((saved["李大爷"].status, saved["李大爷"].status_date), ("pending", None))
        self.assertEqual(saved["王大妈"].reader_phone, "13800000000")
        self.assertEqual(
            (saved["张三"].status, saved["张三"].status_date), ("met", date(2026, 3, 6))
        )
        self.assertEqual({d.created_by for d in saved.values()}, {self.keeper})
        audit = AuditEntry.objects.get(action=Action.IMPORT, model="bookhouses.demand")
        self.assertEqual(audit.unit_code, Tree.VILLAGE_A)
        # The token is spent.
        r = self.client.post(
            reverse("bookhouses:demands_import_confirm"), {"token": r.wsgi_request.POST["token"]}
        )
        self.assertContains(r, "预览已过期或该文件已经导入")
        self.assertEqual(Demand.objects.count(), 3)

    def test_rows_outside_the_scope_are_refused(self) -> None:
        self.client.force_login(self.staff_a)
        self.assertRefused(
            [
                [Tree.VILLAGE_A, "", "2026-03-02", "李大爷", "", "养蜂技术", "", "", ""],
                [Tree.VILLAGE_B, "", "2026-03-02", "王大妈", "", "果树栽培", "", "", ""],
                ["331081001001", "", "2026-03-02", "赵六", "", "家常菜", "", "", ""],
            ],
            "第 3 行 第 A 列（单位代码）：该单位没有农家书屋，或不在您的管辖范围内。",
            "第 4 行 第 A 列（单位代码）：该单位没有农家书屋，或不在您的管辖范围内。",
        )

    def test_the_export_is_scoped_filtered_and_formula_safe(self) -> None:
        add_demand(self.house, wanted="=1+1", reader_name="@SUM(A1)", status="met",
                   status_date=date(2026, 3, 5))  # fmt: skip
        add_demand(self.house, date=date(2025, 3, 2), wanted="去年的")
        add_demand(self.other, wanted="别镇的")
        self.client.force_login(self.staff_a)
        r = self.client.get(reverse("bookhouses:demands_export"), {"start": "2026-01-01"})
        self.assertEqual(r.status_code, 200)
        book = read_xlsx(r)
        sheet = book.worksheets[0]
        self.assertIn("制表时间", str(sheet["A1"].value))
        rows = list(sheet.iter_rows(min_row=3, values_only=True))
        self.assertEqual(len(rows), 2)  # last year's is filtered out, township B's not staff_a's
        self.assertEqual(rows[0][3:7], ("@SUM(A1)", None, "=1+1", "已满足"))
        self.assertEqual(rows[0][7].date(), date(2026, 3, 5))  # type: ignore[union-attr]
        self.assertEqual(sheet.cell(row=3, column=6).data_type, "s")
        self.assertEqual(sheet.cell(row=3, column=4).data_type, "s")
        self.assertEqual(rows[1][0], "合计")
        # The data export imports again as it is.
        out = io.BytesIO()
        demands = demand_filters(self.staff_a, {"start": "2026-01-01"}).qs
        excel.write_export(excel.DEMANDS, demands, out)
        self.client.force_login(self.keeper)
        r = self.client.post(
            reverse("bookhouses:demands_import"),
            {"file": SimpleUploadedFile("需求.xlsx", out.getvalue())},
        )
        self.assertEqual(r.context["total"], 1, r.context.get("problems_shown"))
