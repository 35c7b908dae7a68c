import io
import tempfile
from datetime import date
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from xuanwen.audit.models import Action, AuditEntry
from xuanwen.bookhouses.models import Loan, StockEntry
from xuanwen.testing import VILLAGE_A, VILLAGE_A2, VILLAGE_B, BaseTestCase

from .helpers import add_loan, add_stock, make_bookhouse

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


def xlsx(rows: list[list[Any]], headers: list[str], title: str) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    sheet.append(headers)
    for r in rows:
        sheet.append(r)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("登记.xlsx", out.getvalue())


@override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="xuanwen-bookhouses-"))
class ExcelTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.house = make_bookhouse(VILLAGE_A, "文化社区农家书屋")
        cls.other = make_bookhouse(VILLAGE_B, "府东社区农家书屋")

    def test_the_template_has_drop_downs_and_instructions(self) -> None:
        self.client.force_login(self.keeper)
        r = self.client.get(reverse("bookhouses:stock_import_template"))
        self.assertEqual(r.status_code, 200)
        book = load_workbook(io.BytesIO(b"".join(r.streaming_content)))  # type: ignore[attr-defined]
        self.assertEqual(book.sheetnames[:2], ["藏书登记", "填写说明"])
        sheet = book["藏书登记"]
        self.assertEqual([c.value for c in sheet[1]], STOCK_HEADERS)
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
                [VILLAGE_A, "", "2026-03-02", "图书", 1500, "上级配送", ""],
                [VILLAGE_A, "", "2026-13-02", "图书", 10, "捐赠", ""],
                [VILLAGE_A, "", "2026-03-02", "图书", 10, "剔旧报损", ""],
                [VILLAGE_B, "", "2026-03-02", "图书", 10, "自购", ""],
                [VILLAGE_A, "另一个书屋", "2026-03-02", "光盘", 10, "自购", ""],
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
                [VILLAGE_A, "", "2026-03-02", "图书", 1500, "上级配送", ""],
                [VILLAGE_A, "", "2026-03-02", "图书", 10, "剔旧报损", ""],
            ],
            STOCK_HEADERS,
            "藏书登记",
        )
        r = self.client.post(reverse("bookhouses:stock_import"), {"file": upload})
        self.assertEqual(
            r.context["problems_shown"],
            ["第 3 行 第 E 列（数量）：剔旧报损的数量应为负数，如 -20。"],
        )
        self.assertFalse(StockEntry.objects.exists())

    def test_a_clean_file_is_previewed_then_imported_whole(self) -> None:
        make_bookhouse(VILLAGE_A2, "井头书屋")
        self.client.force_login(self.staff_a)
        upload = xlsx(
            [
                [VILLAGE_A, "", "2026-03-02", "图书", 1500, "上级配送", "配送"],
                [VILLAGE_A2, "井头书屋", date(2026, 3, 5), "音像制品", 100, "捐赠", "=1+1"],
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
            [[VILLAGE_A, "", "2026-03-02", "王大妈", "13800000000", "果树栽培", "", ""]],
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
        book = load_workbook(io.BytesIO(b"".join(r.streaming_content)))  # type: ignore[attr-defined]
        rows = list(book.active.iter_rows(min_row=2, values_only=True))  # type: ignore[union-attr]
        self.assertEqual(len(rows), 1)  # township B's bookhouse is not staff_a's
        self.assertEqual(rows[0][6], '=HYPERLINK("http://x")')
        cell = book.active.cell(row=2, column=7)  # type: ignore[union-attr]
        self.assertEqual(cell.data_type, "s")
        r = self.client.get(reverse("bookhouses:loans_export"))
        book = load_workbook(io.BytesIO(b"".join(r.streaming_content)))  # type: ignore[attr-defined]
        self.assertEqual(book.active.cell(row=2, column=4).data_type, "s")  # type: ignore[union-attr]
