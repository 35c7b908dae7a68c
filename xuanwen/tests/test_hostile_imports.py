"""The shared import page bounds what a workbook can make the server do (issue #11): a refused
file is named by its cause and its upload is deleted; a long list of problems is cut short; a
large confirmation has PostgreSQL's statistics of the tables it wrote refreshed.

The opening register stands for every register here: they all go through core.imports."""

import io
import re
import zipfile
from datetime import date
from unittest import mock

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xuanwen.core import imports, sheets, sheetscan
from xuanwen.opening.excel import facility_label
from xuanwen.opening.models import OpeningLog
from xuanwen.opening.tests.helpers import make_facility
from xuanwen.testing import BaseTestCase, Tree, frozen, xlsx_bytes

HEADERS = ["阵地", "日期", "开放时长（小时）", "接待人次", "备注"]


def declaring(content: bytes, ref: str | None) -> bytes:
    """The workbook with its data sheet's <dimension ref> set to `ref` (None: declaring none)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                text, count = re.subn(r'<dimension ref="[^"]*"\s*/>', "", data.decode())
                assert count == 1, "the sheet's XML is not what the test expects"
                if ref is not None:
                    text = text.replace("<sheetData", f'<dimension ref="{ref}"/><sheetData')
                data = text.encode()
            target.writestr(info, data)
    return out.getvalue()


class HostileImportTests(BaseTestCase):
    def setUp(self) -> None:
        self.enterContext(frozen(date(2026, 11, 27)))
        self.station = make_facility(Tree.TOWNSHIP_A, name="古城街道综合文化站")
        self.client.force_login(self.staff_a)

    def post(self, content: bytes) -> object:
        upload = SimpleUploadedFile("开放.xlsx", content)
        return self.client.post(reverse("opening:import"), {"file": upload})

    def stashed(self) -> list[str]:
        try:
            return default_storage.listdir(imports.STASH_DIR)[1]
        except FileNotFoundError:
            return []

    def row(self, day: object) -> list[object]:
        return [facility_label(self.station), day, 3, 10, ""]

    def test_a_sheet_declaring_a_million_rows_is_refused_and_its_upload_deleted(self) -> None:
        content = declaring(xlsx_bytes("开放登记", HEADERS, [self.row("2026-03-09")]),
                            "A1:XFD1048576")  # fmt: skip
        r = self.post(content)
        self.assertProblems(
            r,
            "工作表的范围声明为 1048576 行，超过导入的上限 200000 行。"
            "请删除数据下方多余的行，另存后重新上传，或分批导入。",
        )
        self.assertEqual(self.stashed(), [])
        self.assertFalse(OpeningLog.objects.exists())

    def test_a_formula_without_its_result_is_named_on_its_cell(self) -> None:
        rows = [self.row("2026-03-09"), [facility_label(self.station), "2026-03-10", 3, "=1+1"]]
        r = self.post(xlsx_bytes("开放登记", HEADERS, rows))
        self.assertProblems(
            r, "第 3 行 第 D 列（接待人次）：公式没有计算结果，请在 Excel 中保存后再上传。"
        )
        self.assertEqual(self.stashed(), [])

    def test_only_the_first_problems_are_listed_then_how_many_more(self) -> None:
        rows = [self.row(f"2026-13-{day:02d}") for day in range(1, 151)]
        r = self.post(xlsx_bytes("开放登记", HEADERS, rows))
        shown = r.context["problems_shown"]  # type: ignore[attr-defined]
        self.assertEqual(len(shown), imports.PROBLEMS_SHOWN)
        self.assertTrue(shown[0].startswith("第 2 行 第 B 列（日期）"), shown[0])
        self.assertContains(r, "还有 50 处问题未列出，请先改正以上问题。")
        self.assertEqual(self.stashed(), [])

    def test_reading_stops_once_the_problems_pass_the_limit(self) -> None:
        rows = [self.row(f"2026-13-{day:02d}") for day in range(1, 31)]
        with mock.patch.object(sheets, "PROBLEMS_MAX", 10):
            r = self.post(xlsx_bytes("开放登记", HEADERS, rows))
        shown = r.context["problems_shown"]  # type: ignore[attr-defined]
        assert shown[0] == "问题已超过 10 处，没有继续读取。请先改正这些问题，再重新上传。"
        # The first ten rows' problems, and nothing read after them.
        assert len(shown) == 11 and shown[-1].startswith("第 11 行 第 B 列（日期）"), shown
        self.assertEqual(self.stashed(), [])

    def test_a_large_confirmation_analyses_the_tables_it_wrote(self) -> None:
        rows = [self.row(f"2026-03-{day:02d}") for day in range(1, 4)]
        r = self.post(xlsx_bytes("开放登记", HEADERS, rows))
        token = r.context["token"]  # type: ignore[attr-defined]
        # A "large" import here is one of more than 2 rows; on PostgreSQL ANALYZE really runs.
        with (
            mock.patch.object(imports, "ANALYZE_AFTER", 2),
            mock.patch.object(imports, "analyze", wraps=imports.analyze) as analyze,
        ):
            r = self.client.post(reverse("opening:import_confirm"), {"token": token})
        self.assertEqual(r.status_code, 302)  # type: ignore[attr-defined]
        self.assertEqual(OpeningLog.objects.count(), 3)
        (tables,), _kwargs = analyze.call_args
        self.assertIn(OpeningLog._meta.db_table, tables)

    def test_a_small_confirmation_analyses_nothing(self) -> None:
        r = self.post(xlsx_bytes("开放登记", HEADERS, [self.row("2026-03-09")]))
        token = r.context["token"]  # type: ignore[attr-defined]
        with mock.patch.object(imports, "analyze") as analyze:
            self.client.post(reverse("opening:import_confirm"), {"token": token})
        analyze.assert_not_called()
        self.assertEqual(OpeningLog.objects.count(), 1)


class UndeclaredSizeTests(BaseTestCase):
    """A sheet without a declared size is counted as bytes before openpyxl parses it (which
    would read all of it just to find the size missing): see core.sheetscan."""

    def setUp(self) -> None:
        self.enterContext(frozen(date(2026, 11, 27)))
        self.station = make_facility(Tree.TOWNSHIP_A, name="古城街道综合文化站")
        rows = [[facility_label(self.station), f"2026-03-{d:02d}", 3, 10, ""] for d in range(1, 21)]
        self.content = declaring(xlsx_bytes("开放登记", HEADERS, rows), None)

    def test_rows_and_cells_are_counted_exactly_across_any_chunk_boundary(self) -> None:
        with zipfile.ZipFile(io.BytesIO(self.content)) as archive:
            xml = archive.read("xl/worksheets/sheet1.xml")
        cells = len(re.findall(rb"<c[ >/]", xml))
        assert cells > 21
        # 21 rows (the header and 20); chunks of a few bytes split every tag.
        for chunk in (3, 7, 64, 1 << 20):
            with (
                mock.patch.object(sheetscan, "CHUNK", chunk),
                zipfile.ZipFile(io.BytesIO(self.content)) as archive,
            ):
                over = sheetscan.undeclared_oversized(archive, rows_max=20, cells_max=10**6)
                assert over is not None and over.rows == 21, (chunk, over)
                over = sheetscan.undeclared_oversized(archive, rows_max=21, cells_max=cells - 1)
                assert over is not None and over.cells == cells, (chunk, over)
                fits = sheetscan.undeclared_oversized(archive, rows_max=21, cells_max=cells)
                assert fits is None, chunk

    def test_a_declared_size_is_read_from_the_first_chunk_only(self) -> None:
        content = xlsx_bytes("开放登记", HEADERS, [])
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            assert sheetscan.undeclared_oversized(archive, rows_max=0, cells_max=0) is None

    def test_an_undeclared_sheet_beyond_the_rows_is_refused_at_upload(self) -> None:
        self.client.force_login(self.staff_a)
        with mock.patch.object(sheets, "SHEET_ROWS_MAX", 10):
            r = self.client.post(
                reverse("opening:import"), {"file": SimpleUploadedFile("开放.xlsx", self.content)}
            )
        self.assertContains(r, "工作表没有写明范围，且超过 10 行，超过导入的上限。")
        self.assertFalse(OpeningLog.objects.exists())
        # Within the limits the same file reads as any other.
        r = self.client.post(
            reverse("opening:import"), {"file": SimpleUploadedFile("开放.xlsx", self.content)}
        )
        self.assertContains(r, "确认导入 20 天")
