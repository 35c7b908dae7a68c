"""The opening log list as a report .xlsx (records.reports): a row per session, names,
numbers, the totals."""

from collections.abc import Iterable
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from xuanwen.core.reports import ReportBook

from .models import OpeningLog

TITLE = _lazy("开放登记")
COLUMNS = (
    (_lazy("单位"), 16), (_lazy("阵地"), 24), (_lazy("日期"), 12), (_lazy("时间"), 12),
    (_lazy("开放时长（小时）"), 12), (_lazy("接待人次"), 10), (_lazy("备注"), 30),
)  # fmt: skip


def write_rows(book: ReportBook, logs: Iterable[OpeningLog]) -> None:
    hours, visitors = Decimal(0), 0
    for log in logs:
        hours += log.hours or 0
        visitors += log.visitors
        book.row([
            log.facility.unit.name, log.facility.name, log.date, log.times or _("全天"),
            log.hours, log.visitors, log.note,
        ])  # fmt: skip
    n = _("%(n)d 场") % {"n": book.count}
    book.total([_("合计"), n, None, None, hours, visitors])
