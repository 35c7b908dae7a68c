import io
from datetime import date
from unittest import mock

from django.test import SimpleTestCase
from openpyxl import load_workbook

from xuanwen.core import sheets
from xuanwen.records.excel import Report
from xuanwen.testing import frozen


@frozen(date(2026, 6, 1))
class ReportTests(SimpleTestCase):
    def report(self) -> Report:
        return Report(sheet_title="表", title="标题", subtitle="=副标题", columns=[("名称", 10)])

    def test_title_subtitle_header_rows_and_totals_stay_text(self) -> None:
        report = self.report()
        for name in report.records(["=1+1", "乙"], room=4):
            report.row([name])
        report.row([report.bold("合计"), report.bold("=SUM(A1)")])
        out = io.BytesIO()
        self.assertEqual(report.save(out), 2)
        sheet = load_workbook(out)["表"]
        values = [[c.value for c in r] for r in sheet.iter_rows()]
        title = "标题（制表时间：2026-06-01 10:00）"
        self.assertEqual(values[:4], [[title, None], ["=副标题", None], ["名称", None],
                                      ["=1+1", None]])  # fmt: skip
        self.assertEqual(values[-1], ["合计", "=SUM(A1)"])
        # What would read as a formula is text, bold or not.
        self.assertEqual(
            {sheet["A2"].data_type, sheet["A4"].data_type, sheet["B6"].data_type}, {"s"}
        )
        self.assertTrue(sheet["A6"].font.bold and sheet["B6"].font.bold)

    def test_records_stop_where_the_room_for_the_totals_begins(self) -> None:
        report = self.report()
        with mock.patch.object(sheets, "EXPORT_MAX", 10):
            taken = list(report.records(range(100), room=4))
        self.assertEqual((len(taken), report.save(io.BytesIO())), (6, 6))
