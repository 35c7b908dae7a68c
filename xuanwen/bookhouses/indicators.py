"""The bookhouses' indicators, registered from BookhousesConfig.ready().

Stock is a ledger, so "books at the period's end" is the sum of every entry dated up to the
period's last day, and "books added in the period" the sum of the additions dated inside it.
A bookhouse counts as a facility does (facilities.indicators): standing at the period's end
by its opening and closing dates, never by when it was entered; one without an opening date
counts in no period. It meets the standard when, standing on the period's last day, its
area, books and audio-video items all reach the published minimums (see selectors.STANDARD_*).
"""

from collections.abc import Callable
from typing import Any

from django.db.models import Q
from django.db.models.lookups import GreaterThanOrEqual
from django.utils.translation import gettext_lazy as _

from xuanwen.facilities.indicators import facility_list
from xuanwen.facilities.models import Facility
from xuanwen.facilities.selectors import CLOSED, OPENED
from xuanwen.indicators.declare import Group, list_link, part_of, record_row, standing, within
from xuanwen.indicators.periods import Period
from xuanwen.indicators.registry import PeriodRule, RecordRow, Rollup, Source

from .models import ADDITION_SOURCES, BOOKHOUSE_KIND, Demand, DemandStatus, Loan, StockEntry
from .models import StockKind as K
from .selectors import STANDARD_AREA, STANDARD_AV, STANDARD_BOOKS, stock_total

G = Group(_("农家书屋"))


def _stock_row(e: StockEntry) -> RecordRow:
    title = f"{e.get_kind_display()} {e.count:+d}"
    detail = f"{e.facility.name} · {e.get_source_display()}"
    return record_row(e, e.facility.unit, title=title, date=e.date, detail=detail)


def _loan_row(loan: Loan) -> RecordRow:
    detail = f"{loan.facility.name} · {loan.reader_name}"
    return record_row(
        loan, loan.facility.unit, title=f"《{loan.title}》", date=loan.lent_on, detail=detail
    )


def _demand_row(d: Demand) -> RecordRow:
    detail = f"{d.facility.name} · {d.reader_name} · {d.get_status_display()}"
    return record_row(d, d.facility.unit, title=d.wanted, date=d.date, detail=detail)


def _bookhouse_row(f: Facility) -> RecordRow:
    from django.urls import reverse

    return RecordRow(
        title=f.name,
        url=reverse("bookhouses:detail", args=[f.pk]),
        unit_name=f.unit.name,
        date=f.opened_on,
        detail=f"{f.area or '—'} m²",
    )


def _register(
    key: str, model: Any, period_q: PeriodRule, row: Callable[[Any], RecordRow]
) -> Source:
    """A bookhouse register's rows (stock, loans, demands), under the bookhouse's unit: a row
    of a deleted bookhouse, or of a facility that is no bookhouse, counts nowhere."""
    where = Q(facility__kind__code=BOOKHOUSE_KIND)
    return part_of(key, model, "facility", period_q=period_q, row=row, where=where)


def _bookhouses() -> Any:
    return Facility.objects.filter(kind__code=BOOKHOUSE_KIND)


def _meets_standard_q(p: Period) -> Q:
    """Bookhouses meeting the standard on the period's last day (correlated ledger sums)."""
    return Q(
        Q(area__gte=STANDARD_AREA),
        GreaterThanOrEqual(stock_total(K.BOOKS, p.end), STANDARD_BOOKS),
        GreaterThanOrEqual(stock_total(K.AV, p.end), STANDARD_AV),
    )


STOCK_TO_END = _register("bookhouses.stock_to_end", StockEntry, standing("date"), _stock_row)
STOCK_IN_PERIOD = _register("bookhouses.stock", StockEntry, within("date"), _stock_row)
LOANS = _register("bookhouses.loans", Loan, within("lent_on"), _loan_row)
DEMANDS = _register("bookhouses.demands", Demand, within("date"), _demand_row)
BOOKHOUSES = Source(
    key="bookhouses.bookhouses",
    queryset=_bookhouses,
    unit_field="unit_id",
    period_q=standing(OPENED, CLOSED),
    row=_bookhouse_row,
    select_related=("unit",),
)
BOOKHOUSES_MEETING = Source(
    key="bookhouses.meeting",
    queryset=_bookhouses,
    unit_field="unit_id",
    period_q=standing(OPENED, CLOSED).also(_meets_standard_q),
    row=_bookhouse_row,
    select_related=("unit",),
)

ADDITIONS = Q(source__in=ADDITION_SOURCES)


def register_all() -> None:
    # The facility list filtered to bookhouses standing at the period's end: the same rule.
    G.add("bookhouses.count", _("农家书屋数"), _("个"), BOOKHOUSES,
          list_url=facility_list(BOOKHOUSE_KIND))  # fmt: skip
    G.add(
        "bookhouses.standard_met", _("达标农家书屋数"), _("个"), BOOKHOUSES_MEETING,
        help=_("期末面积不少于 20 平方米、图书不少于 1500 册、音像制品不少于 100 件。"),
    )  # fmt: skip
    G.add("bookhouses.books", _("农家书屋藏书（期末）"), _("册"), STOCK_TO_END, Rollup.SUM,
          field="count", where=Q(kind=K.BOOKS),
          help=_("截至时段最后一天的图书总数。"))  # fmt: skip
    G.add("bookhouses.av", _("农家书屋音像制品（期末）"), _("件"), STOCK_TO_END, Rollup.SUM,
          field="count", where=Q(kind=K.AV))  # fmt: skip
    G.add("bookhouses.books_added", _("农家书屋新增图书"), _("册"), STOCK_IN_PERIOD, Rollup.SUM,
          field="count", where=Q(kind=K.BOOKS) & ADDITIONS,
          list_url=list_link("bookhouses:stock_all"),
          help=_("上级配送、捐赠和自购的图书。"))  # fmt: skip
    G.add("bookhouses.loans", _("农家书屋借阅次数"), _("次"), LOANS,
          list_url=list_link("bookhouses:loans_all"))  # fmt: skip
    G.add("bookhouses.readers", _("农家书屋借阅读者"), _("人"), LOANS, Rollup.DISTINCT,
          field="reader_key", help=_("同一书屋同名读者只计一次。"))  # fmt: skip
    G.add("bookhouses.demands", _("农家书屋读者需求"), _("条"), DEMANDS,
          list_url=list_link("bookhouses:demands_all"))  # fmt: skip
    G.add("bookhouses.demands_met", _("农家书屋已满足需求"), _("条"), DEMANDS,
          where=Q(status=DemandStatus.MET))  # fmt: skip
