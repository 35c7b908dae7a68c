"""Making bookhouses and register rows straight in the database (setup only: the pages and
the API under test write through the services)."""

from datetime import date
from decimal import Decimal
from typing import Any

from xuanwen.bookhouses.models import Demand, Loan, StockEntry
from xuanwen.bookhouses.services import reader_key
from xuanwen.facilities.models import Facility, FacilityKind


def bookhouse_kind() -> FacilityKind:
    kind, _created = FacilityKind.objects.get_or_create(
        code="bookhouse", defaults={"name": "农家书屋", "min_days_per_week": 5}
    )
    return kind


def make_bookhouse(
    unit_code: str, name: str = "农家书屋", area: Any = 25, **dates: date | None
) -> Facility:
    """A bookhouse standing since 2015 unless `opened_on` / `closed_on` say otherwise."""
    return Facility.objects.create(
        unit_id=unit_code,
        kind=bookhouse_kind(),
        name=name,
        area=None if area is None else Decimal(area),
        **{"opened_on": date(2015, 1, 1), **dates},
    )


def add_stock(facility: Facility, count: int, kind: str = "books", **fields: Any) -> StockEntry:
    values: dict[str, Any] = {"date": date(2026, 3, 2), "source": "distributed"}
    values.update(fields)
    return StockEntry.objects.create(facility=facility, kind=kind, count=count, **values)


def add_loan(facility: Facility, reader: str = "王大妈", **fields: Any) -> Loan:
    values: dict[str, Any] = {
        "lent_on": date(2026, 3, 2),
        "due_on": date(2026, 4, 1),
        "title": "果树栽培技术",
    }
    values.update(fields)
    return Loan.objects.create(
        facility=facility, reader_name=reader, reader_key=reader_key(facility.pk, reader), **values
    )


def add_demand(facility: Facility, **fields: Any) -> Demand:
    values: dict[str, Any] = {"date": date(2026, 3, 2), "reader_name": "李大爷", "wanted": "养蜂"}
    values.update(fields)
    return Demand.objects.create(facility=facility, **values)
