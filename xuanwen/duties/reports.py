"""The completions list as a report .xlsx (records.reports): the export's rows without the
unit code, and the totals."""

from collections.abc import Iterable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from xuanwen.core.reports import ReportBook

from .excel import EXPORT_COLUMNS, completion_rows
from .models import DutyCompletion

TITLE = _lazy("常规工作完成记录")
# The data export's columns after the unit code: names and numbers only.
COLUMNS = tuple((c.header, c.width) for c in EXPORT_COLUMNS[1:])


def write_rows(book: ReportBook, completions: Iterable[DutyCompletion]) -> None:
    evidence = 0
    for row in completion_rows(completions):
        evidence += row[8]
        book.row(row[1:])
    n = _("%(n)d 条") % {"n": book.count}
    book.total([_("合计"), n, None, None, None, None, None, evidence])
