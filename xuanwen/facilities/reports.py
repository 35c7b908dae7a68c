"""The facility list as a report .xlsx (records.reports): names, numbers, the totals."""

from collections.abc import Iterable
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from xuanwen.core.reports import ReportBook

from .models import Facility

TITLE = _lazy("文化阵地")
COLUMNS = (
    (_lazy("单位"), 16), (_lazy("类型"), 14), (_lazy("名称"), 30), (_lazy("面积（平方米）"), 12),
    (_lazy("地址"), 24), (_lazy("建成日期"), 12), (_lazy("停用日期"), 12),
    (_lazy("开放时间"), 24), (_lazy("免费开放"), 8), (_lazy("管理员"), 10),
    (_lazy("联系电话"), 14), (_lazy("备注"), 30),
)  # fmt: skip


def write_rows(book: ReportBook, facilities: Iterable[Facility]) -> None:
    area = Decimal(0)
    yes, no = _("是"), _("否")
    for f in facilities:
        area += f.area or 0
        book.row([
            f.unit.name, f.kind.name, f.name, f.area, f.address, f.opened_on or _("待补日期"),
            f.closed_on, f.opening_schedule, yes if f.free_opening else no, f.keeper, f.phone,
            f.notes,
        ])  # fmt: skip
    n = _("%(n)d 处") % {"n": book.count}
    book.total([_("合计"), None, n, area])
