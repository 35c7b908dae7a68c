"""The stock, lending and demand registers as report .xlsx (records.reports): the unit and
the bookhouse by name, the register's own columns, the totals."""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from xuanwen.core.reports import ReportBook

from .models import Demand, DemandStatus, Loan, StockEntry

PLACE = ((_lazy("单位"), 14), (_lazy("书屋"), 22))


@dataclass(frozen=True)
class RegisterReport:
    title: Any
    columns: Sequence[tuple[Any, int]]
    write: Callable[[ReportBook, Iterable[Any]], None]


def _place(x: Any) -> list[Any]:
    return [x.facility.unit.name, x.facility.name]


def _stock(book: ReportBook, entries: Iterable[StockEntry]) -> None:
    total = 0
    for e in entries:
        total += e.count
        book.row([*_place(e), e.date, str(e.get_kind_display()), e.count,
                  str(e.get_source_display()), e.note])  # fmt: skip
    book.total([_("合计"), _("%(n)d 条") % {"n": book.count}, None, None, total])


def _loans(book: ReportBook, loans: Iterable[Loan]) -> None:
    returned = 0
    for loan in loans:
        returned += loan.returned_on is not None
        book.row([*_place(loan), loan.lent_on, loan.reader_name, loan.reader_phone,
                  loan.title, loan.due_on, loan.returned_on])  # fmt: skip
    n = _("%(n)d 次") % {"n": book.count}
    back = _("已还 %(n)d 次") % {"n": returned}
    book.total([_("合计"), n, None, None, None, None, None, back])


def _demands(book: ReportBook, demands: Iterable[Demand]) -> None:
    met = 0
    for d in demands:
        met += d.status == DemandStatus.MET
        book.row([*_place(d), d.date, d.reader_name, d.reader_phone, d.wanted,
                  str(d.get_status_display()), d.status_date, d.note])  # fmt: skip
    n = _("%(n)d 条") % {"n": book.count}
    book.total([_("合计"), n, None, None, None, None, _("已满足 %(n)d 条") % {"n": met}])


REPORTS = {
    "stock": RegisterReport(
        _lazy("农家书屋藏书登记"),
        (*PLACE, (_lazy("日期"), 12), (_lazy("类别"), 10), (_lazy("数量"), 8),
         (_lazy("来源"), 10), (_lazy("备注"), 24)),
        _stock,
    ),
    "loans": RegisterReport(
        _lazy("农家书屋借阅登记"),
        (*PLACE, (_lazy("借出日期"), 12), (_lazy("读者"), 10), (_lazy("联系电话"), 14),
         (_lazy("书名"), 24), (_lazy("应还日期"), 12), (_lazy("归还日期"), 12)),
        _loans,
    ),
    "demands": RegisterReport(
        _lazy("农家书屋需求登记"),
        (*PLACE, (_lazy("登记日期"), 12), (_lazy("读者"), 10), (_lazy("联系电话"), 14),
         (_lazy("需求"), 24), (_lazy("处理情况"), 10), (_lazy("处理日期"), 12),
         (_lazy("备注"), 24)),
        _demands,
    ),
}  # fmt: skip
