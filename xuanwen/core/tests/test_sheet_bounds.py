"""Hostile and careless workbooks are refused with their cause named, before or while reading,
without reading what they pretend to hold."""

import io
import re
import zipfile

from django.test import SimpleTestCase
from openpyxl import Workbook

from xuanwen.core.sheets import BLANK_RUN_MAX, Column, parse_count, read_table, set_cell

COLUMNS = (
    Column("name", "名称", 20, True, ""),
    Column("count", "人数", 10, False, "", parse=parse_count),
)


def workbook(rows: dict[int, list[object]]) -> bytes:
    """A workbook whose data sheet has the headers in row 1 and `rows` by row number."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "数据"
    sheet.append(["名称", "人数"])
    for number, values in rows.items():
        for column, value in enumerate(values, start=1):
            sheet.cell(row=number, column=column, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rewrite_sheet(content: bytes, change: "re.Pattern[str]", new: str) -> bytes:
    """The workbook with its first sheet's XML changed (what openpyxl would never write)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data, count = change.subn(new, data.decode())
                assert count == 1, "the sheet's XML is not what the test expects"
                data = data.encode()
            target.writestr(info, data)
    return out.getvalue()


def read(content: bytes) -> list[str]:
    table = read_table(
        io.BytesIO(content), sheet_title="数据", columns=COLUMNS, empty_message="没有数据。"
    )
    return [str(p) for p in table.problems]


def declaring(ref: str) -> bytes:
    """A workbook of one data row whose sheet declares the dimension `ref`."""
    dimension = re.compile(r'<dimension ref="[^"]*"\s*/>')
    return rewrite_sheet(workbook({2: ["甲", 1]}), dimension, f'<dimension ref="{ref}"/>')


class DeclaredSizeTests(SimpleTestCase):
    def test_a_sheet_declaring_a_million_rows_is_refused_before_its_rows_are_read(self) -> None:
        # 9.8 KB in the issue: one cell in the last row makes openpyxl pad a million rows.
        self.assertEqual(
            read(declaring("A1:XFD1048576")),
            ["工作表的范围声明为 1048576 行，超过导入的上限 200000 行。"
             "请删除数据下方多余的行，另存后重新上传，或分批导入。"],
        )  # fmt: skip

    def test_a_sheet_declaring_thousands_of_columns_is_refused(self) -> None:
        self.assertEqual(
            read(declaring("A1:XFD3")),
            ["工作表的范围声明为 16384 列，超过 256 列。请删除数据右侧多余的列，另存后重新上传。"],
        )

    def test_a_sheet_within_the_limits_reads(self) -> None:
        self.assertEqual(read(workbook({2: ["甲", 1], 500: ["乙", 2]})), [])


class BlankRunTests(SimpleTestCase):
    def test_a_long_run_of_blank_rows_stops_the_reading_with_its_cause(self) -> None:
        # Rows missing from the XML are read as blank rows, as many as the gap: the reading
        # stops after BLANK_RUN_MAX of them instead of going on to row 300,000.
        content = workbook({2: ["甲", 1], 300_000: ["乙", 2]})
        self.assertEqual(
            read(content),
            [f"从第 3 行起连续 {BLANK_RUN_MAX} 行是空行，没有继续读取。"
             "请删除多余的空行，另存后重新上传。"],
        )  # fmt: skip

    def test_fewer_blank_rows_between_the_data_are_skipped(self) -> None:
        self.assertEqual(read(workbook({2: ["甲", 1], BLANK_RUN_MAX + 1: ["乙", 2]})), [])


class FormulaTests(SimpleTestCase):
    def test_a_formula_without_a_cached_result_is_a_problem_of_its_cell(self) -> None:
        # openpyxl writes the formula without a result, as any program but Excel and WPS does.
        content = workbook({2: ["甲", "=1+1"], 3: ["乙", 3]})
        self.assertEqual(
            read(content),
            ["第 2 行 第 B 列（人数）：公式没有计算结果，请在 Excel 中保存后再上传。"],
        )

    def test_a_formula_with_its_result_reads_as_the_result(self) -> None:
        content = rewrite_sheet(
            workbook({2: ["甲", "=1+1"]}), re.compile(r"<f>1\+1</f><v\s*/>|<f>1\+1</f><v></v>"),
            "<f>1+1</f><v>2</v>",
        )  # fmt: skip
        table = read_table(
            io.BytesIO(content), sheet_title="数据", columns=COLUMNS, empty_message=""
        )
        self.assertEqual(table.problems, [])
        self.assertEqual(table.rows, [(2, {"name": "甲", "count": 2})])

    def test_text_that_looks_like_a_formula_stays_text(self) -> None:
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(["名称", "人数"])
        set_cell(sheet, 2, 1, "=1+1")  # typed as '=1+1, or exported by us
        out = io.BytesIO()
        book.save(out)
        table = read_table(out, sheet_title="数据", columns=COLUMNS, empty_message="")
        self.assertEqual(table.problems, [])
        self.assertEqual(table.rows, [(2, {"name": "=1+1", "count": 0})])
