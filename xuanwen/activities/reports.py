"""The activity list as a report .xlsx (records.reports): names, numbers, the totals."""

from collections.abc import Iterable
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from xuanwen.core.reports import ReportBook

from .models import Activity, Funding

TITLE = _lazy("活动一览")
COLUMNS = (
    (_lazy("单位"), 16), (_lazy("活动类型"), 10), (_lazy("活动名称"), 30),
    (_lazy("开始日期"), 12), (_lazy("结束日期"), 12), (_lazy("地点"), 16),
    (_lazy("主办单位"), 16), (_lazy("参与人数"), 10), (_lazy("观众人数"), 10),
    (_lazy("经费（元）"), 12), (_lazy("经费来源"), 10),
)  # fmt: skip


def write_rows(book: ReportBook, activities: Iterable[Activity]) -> None:
    funding = {value: str(label) for value, label in Funding.choices}
    participants = audience = 0
    cost = Decimal(0)
    for a in activities:
        participants += a.participants
        audience += a.audience
        cost += a.cost or 0
        book.row([
            a.unit.name, a.type.name, a.title, a.start_date, a.end_date, a.place, a.organisers,
            a.participants, a.audience, a.cost, funding.get(a.funding, ""),
        ])  # fmt: skip
    n = _("%(n)d 项") % {"n": book.count}
    book.total([_("合计"), None, n, None, None, None, None, participants, audience, cost])
