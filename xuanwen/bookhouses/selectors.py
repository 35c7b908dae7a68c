"""Reading bookhouses and their registers, always within the user's scope.

A bookhouse is a live facility of kind `bookhouse`; a register row is visible when its
bookhouse is. Totals are computed from the stock ledger by correlated sums, so a list of any
number of bookhouses with their totals is one query, and a roll-up by child unit one GROUP BY
on the prefix of the facility's unit code.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Substr
from django.utils.translation import gettext as _

from xuanwen.accounts.models import User
from xuanwen.core import tree
from xuanwen.facilities.models import Facility
from xuanwen.records.selectors import one_or_404
from xuanwen.units.models import Unit

from .models import (
    ADDITION_SOURCES,
    BOOKHOUSE_KIND,
    Demand,
    DemandStatus,
    Loan,
    StockEntry,
    StockKind,
)

# The published standard of a farmer bookhouse (DESIGN.md): area, books, audio-video items.
STANDARD_AREA = Decimal(20)
STANDARD_BOOKS = 1500
STANDARD_AV = 100

# The annotation each stock kind's total is read into.
TOTAL_FIELDS = {
    StockKind.BOOKS: "books",
    StockKind.AV: "av",
    StockKind.PERIODICALS: "periodicals",
    StockKind.SHELVES: "shelves",
}


# --- Scoped reads --------------------------------------------------------------------------


def bookhouses_for(user: User) -> QuerySet[Facility]:
    """Live bookhouses anywhere in the user's subtree."""
    return Facility.objects.filter(user.scope.q("unit_id"), kind__code=BOOKHOUSE_KIND)


def get_bookhouse_for_user(user: User, pk: int) -> Facility:
    qs = bookhouses_for(user).select_related("unit", "kind")
    return one_or_404(qs, pk, _("未找到该农家书屋，或您无权查看。"))


def _rows_for(model: Any, user: User) -> QuerySet[Any]:
    return model.objects.filter(
        user.scope.q("facility__unit_id"),
        facility__deleted_at__isnull=True,
        facility__kind__code=BOOKHOUSE_KIND,
    )


def stock_entries_for(user: User) -> QuerySet[StockEntry]:
    return _rows_for(StockEntry, user)


def loans_for(user: User) -> QuerySet[Loan]:
    return _rows_for(Loan, user)


def demands_for(user: User) -> QuerySet[Demand]:
    return _rows_for(Demand, user)


def get_stock_entry_for_user(user: User, pk: int) -> StockEntry:
    qs = stock_entries_for(user).select_related("facility__unit")
    return one_or_404(qs, pk, _("未找到该藏书登记，或您无权查看。"))


def get_loan_for_user(user: User, pk: int) -> Loan:
    qs = loans_for(user).select_related("facility__unit")
    return one_or_404(qs, pk, _("未找到该借阅登记，或您无权查看。"))


def get_demand_for_user(user: User, pk: int) -> Demand:
    qs = demands_for(user).select_related("facility__unit")
    return one_or_404(qs, pk, _("未找到该需求登记，或您无权查看。"))


# --- Totals and the standard --------------------------------------------------------------


def stock_total(kind: str, as_of: date | None = None, facility: str = "pk") -> Coalesce:
    """The stock of `kind` of the facility at OuterRef(`facility`) on `as_of` (None: today)."""
    entries = StockEntry.objects.filter(facility=OuterRef(facility), kind=kind)
    if as_of is not None:
        entries = entries.filter(date__lte=as_of)
    total = entries.order_by().values("facility").annotate(s=Sum("count")).values("s")[:1]
    return Coalesce(Subquery(total, output_field=IntegerField()), Value(0))


def with_totals(qs: QuerySet[Facility], as_of: date | None = None) -> QuerySet[Facility]:
    """The bookhouses with books, av, periodicals and shelves annotated (one query)."""
    return qs.annotate(**{name: stock_total(kind, as_of) for kind, name in TOTAL_FIELDS.items()})


# Over with_totals' annotations: the bookhouse meets the standard.
MEETS_STANDARD = Q(area__gte=STANDARD_AREA, books__gte=STANDARD_BOOKS, av__gte=STANDARD_AV)


@dataclass
class StandardCheck:
    """One requirement of the standard against the bookhouse's value."""

    label: str
    value: Any
    required: Any
    measure: str

    @property
    def met(self) -> bool:
        return self.value is not None and self.value >= self.required


def standard_checks(facility: Any) -> list[StandardCheck]:
    """The three requirements for a bookhouse annotated by with_totals."""
    return [
        StandardCheck(_("面积"), facility.area, STANDARD_AREA, _("平方米")),
        StandardCheck(_("图书"), facility.books, STANDARD_BOOKS, _("册")),
        StandardCheck(_("音像制品"), facility.av, STANDARD_AV, _("件")),
    ]


def meets_standard(facility: Any) -> bool:
    return all(c.met for c in standard_checks(facility))


@dataclass
class YearAdditions:
    """What arrived in one year, by source (新增图书)."""

    year: int
    by_source: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.by_source.values())


def additions_by_year(facility: Facility, kind: str = StockKind.BOOKS) -> list[YearAdditions]:
    """Additions of a kind per year and source, newest year first (one query)."""
    rows = (
        StockEntry.objects.filter(facility=facility, kind=kind, source__in=ADDITION_SOURCES)
        .values_list("date__year", "source")
        .annotate(n=Sum("count"))
        .order_by()
    )
    years: dict[int, YearAdditions] = {}
    for year, source, n in rows:
        years.setdefault(year, YearAdditions(year)).by_source[source] = n or 0
    return [years[y] for y in sorted(years, reverse=True)]


@dataclass
class Summary:
    """A bookhouse at a glance: totals against the standard and the registers' counts."""

    facility: Facility
    checks: list[StandardCheck]
    periodicals: int
    shelves: int
    loans_open: int
    loans_overdue: int
    loans_year: int
    readers_year: int
    demands_year: int
    demands_met_year: int
    demands_pending: int

    @property
    def meets_standard(self) -> bool:
        return all(c.met for c in self.checks)


def summary(facility_pk: int, user: User, today: date) -> Summary:
    """The summary of one bookhouse in the user's scope (404 otherwise); three queries."""
    qs = with_totals(bookhouses_for(user)).select_related("unit")
    found = one_or_404(qs, facility_pk, _("未找到该农家书屋，或您无权查看。"))
    year_start = today.replace(month=1, day=1)
    loans = Loan.objects.filter(facility=found).aggregate(
        open=Count("pk", filter=Q(returned_on__isnull=True)),
        overdue=Count("pk", filter=Q(returned_on__isnull=True, due_on__lt=today)),
        year=Count("pk", filter=Q(lent_on__gte=year_start, lent_on__lte=today)),
        readers=Count(
            "reader_key", filter=Q(lent_on__gte=year_start, lent_on__lte=today), distinct=True
        ),
    )
    demands = Demand.objects.filter(facility=found).aggregate(
        year=Count("pk", filter=Q(date__gte=year_start, date__lte=today)),
        met=Count("pk", filter=Q(date__gte=year_start, date__lte=today, status=DemandStatus.MET)),
        pending=Count("pk", filter=Q(status=DemandStatus.PENDING)),
    )
    f: Any = found
    return Summary(
        facility=found,
        checks=standard_checks(found),
        periodicals=f.periodicals,
        shelves=f.shelves,
        loans_open=loans["open"],
        loans_overdue=loans["overdue"],
        loans_year=loans["year"],
        readers_year=loans["readers"],
        demands_year=demands["year"],
        demands_met_year=demands["met"],
        demands_pending=demands["pending"],
    )


# --- The subtree's bookhouses, by child unit -----------------------------------------------


@dataclass
class Rollup:
    """Bookhouses of one branch of the tree with their summed totals."""

    unit: Unit | None  # None: the unit's own bookhouses (not under any child)
    bookhouses: int = 0
    meeting: int = 0
    books: int = 0
    av: int = 0
    shelves: int = 0


def rollup_by_child(unit_code: str) -> tuple[list[Rollup], Rollup, Rollup]:
    """(a row per child, the unit's own, the total): two queries whatever the sizes.

    The caller has checked that the unit is in the user's scope; the subtree of a unit in scope
    is in scope.
    """
    children = list(Unit.objects.children_of(unit_code))
    branch_len = tree.child_length(unit_code) or len(unit_code)
    qs = with_totals(
        Facility.objects.filter(tree.subtree_q(unit_code, "unit_id"), kind__code=BOOKHOUSE_KIND)
    )
    rows = (
        qs.annotate(branch=Substr("unit_id", 1, branch_len))
        .values("branch")
        .annotate(
            n=Count("pk"),
            meeting=Count("pk", filter=MEETS_STANDARD),
            total_books=Sum("books"),
            total_av=Sum("av"),
            total_shelves=Sum("shelves"),
        )
        .order_by()
    )
    by_branch: dict[str, dict[str, Any]] = defaultdict(dict)
    for row in rows:
        by_branch[row["branch"]] = dict(row)

    def make(unit: Unit | None, row: dict[str, Any]) -> Rollup:
        return Rollup(
            unit=unit,
            bookhouses=row.get("n") or 0,
            meeting=row.get("meeting") or 0,
            books=row.get("total_books") or 0,
            av=row.get("total_av") or 0,
            shelves=row.get("total_shelves") or 0,
        )

    out = [make(child, by_branch.get(child.code, {})) for child in children]
    own = make(None, by_branch.get(unit_code, {}))
    total = Rollup(unit=None)
    for r in [*out, own]:
        total.bookhouses += r.bookhouses
        total.meeting += r.meeting
        total.books += r.books
        total.av += r.av
        total.shelves += r.shelves
    return out, own, total
