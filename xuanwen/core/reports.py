"""Report exports: a table a user sees, as an .xlsx to print or send up.

A report is not a data file (core.sheets.write_export writes those, in an import template's
columns): row 1 is a title naming the table, the unit, the period and when it was made
(制表时间, from core.clock); row 2 the bold header; then a row per line of the page, with names,
never ids or codes, and numbers as numbers; then the totals where they add. Every text is
written formula-safe (core.sheets.export_value).

    book = ReportBook(title="指标", unit=unit.name, period=period.label,
                      columns=[("单位", 16), ("活动场次", 10)])
    for row in rows:
        book.row([row.name, row.count])
    book.total([_("合计"), total])
    return book.response(stem="指标")

The tables reported this way are a page's (a unit's children, a plan's items), so they are
small; they are bounded anyway by `ROWS_MAX` (the rows past it are dropped and said).
"""

import tempfile
from collections.abc import Iterable, Sequence
from typing import IO, Any

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from . import clock, sheets

BOLD = Font(bold=True)
TITLE_FONT = Font(bold=True, size=14)
# A page's table is at most a few thousand lines (a county's facilities); past this the
# export stops and says so in its last row.
ROWS_MAX = 100_000


def title_text(title: Any, *, unit: Any = "", period: Any = "") -> str:
    """Row 1 of a report: "<unit> <period> <title>（制表时间：2026-12-07 10:00）"."""
    stamp = timezone.localtime(clock.now()).strftime("%Y-%m-%d %H:%M")
    head = " ".join(str(p) for p in (unit, period, title) if str(p))
    return _("%(head)s（制表时间：%(at)s）") % {"head": head, "at": stamp}


class ReportBook:
    """One sheet: the title row, the header, the rows, the totals (see the module)."""

    def __init__(
        self,
        *,
        title: Any,
        columns: Sequence[tuple[Any, int]],
        unit: Any = "",
        period: Any = "",
        sheet_title: Any = "",
        rows_max: int = ROWS_MAX,
        into: "ReportBook | None" = None,
    ) -> None:
        # A book of several tables (one a sheet) is the first's workbook with the others
        # added by `add_sheet`; it is saved once, from the first.
        self.book: Workbook = into.book if into is not None else Workbook(write_only=True)
        self.siblings: list[ReportBook] = []
        name = sheets.safe_text(str(sheet_title or title))[:31]
        for bad in "[]:*?/\\":
            name = name.replace(bad, " ")
        self.sheet = self.book.create_sheet(name or "Sheet")
        for i, (_header, width) in enumerate(columns, start=1):
            self.sheet.column_dimensions[get_column_letter(i)].width = width
        self.count = 0
        self.dropped = 0
        self.rows_max = rows_max
        self.unit, self.period = unit, period
        self._append([self.bold(title_text(title, unit=unit, period=period), TITLE_FONT)])
        self._append([self.bold(str(header)) for header, _width in columns])

    def add_sheet(
        self, *, title: Any, columns: Sequence[tuple[Any, int]], sheet_title: Any = ""
    ) -> "ReportBook":
        """Another table in the same .xlsx, on its own sheet, with the same unit and period
        in its title row (statistics by domain: one sheet each)."""
        sheet = ReportBook(
            title=title, columns=columns, unit=self.unit, period=self.period,
            sheet_title=sheet_title, rows_max=self.rows_max, into=self,
        )  # fmt: skip
        self.siblings.append(sheet)
        return sheet

    def bold(self, value: Any, font: Font = BOLD) -> Cell:
        value = sheets.export_value(self.sheet, value)
        cell = value if isinstance(value, Cell) else WriteOnlyCell(self.sheet, value=value)
        cell.font = font
        return cell

    def _append(self, values: Iterable[Any]) -> None:
        plain = sheets.export_value
        self.sheet.append([v if isinstance(v, Cell) else plain(self.sheet, v) for v in values])

    def row(self, values: Iterable[Any]) -> None:
        """A line of the table: text (formula-safe), numbers and dates as they are."""
        if self.count >= self.rows_max:
            self.dropped += 1
            return
        self.count += 1
        self._append(values)

    def total(self, values: Iterable[Any]) -> None:
        """The totals row, bold."""
        self._append([None if v is None else self.bold(v) for v in values])

    def section(self, heading: Any, columns: Sequence[Any]) -> None:
        """A second table under the first: a blank row, its heading, its header."""
        self._append([])
        self._append([self.bold(str(heading))])
        self._append([self.bold(str(header)) for header in columns])

    def note(self, text: Any) -> None:
        """A line under the table (what was left out, how a rate is computed)."""
        self._append([str(text)])

    def save(self, target: IO[bytes]) -> int:
        """Write the book to `target`; the number of rows written."""
        for book in (self, *self.siblings):
            if book.dropped:
                book.note(_("另有 %(n)d 行未导出，请缩小范围后再导出。") % {"n": book.dropped})
        self.book.save(target)
        return self.count + sum(book.count for book in self.siblings)

    def response(self, *, stem: Any) -> FileResponse:
        """The book as a download named "<stem>-<today>.xlsx", from a temporary file (a
        list's report may be long; write_only keeps one row in memory at a time)."""
        target = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (FileResponse closes it)
        self.save(target)
        target.seek(0)
        return FileResponse(
            target,
            as_attachment=True,
            filename=sheets.export_name(str(stem)),
            content_type=sheets.XLSX_MIME,
        )


def rate(value: float | None) -> float | None:
    """A percentage as the page shows it (a number, or blank for "—")."""
    return None if value is None else float(value)
