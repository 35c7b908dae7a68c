"""The bookhouses' routes for the scope walker (see xuanwen/tests/walk.py)."""

from collections.abc import Callable
from datetime import date

from django.utils import timezone

from xuanwen.accounts.models import WRITE_ROLES, User
from xuanwen.facilities.models import Facility, FacilityKind
from xuanwen.testing import Tree
from xuanwen.tests.walk import GHOST_ID, Values, records, sample
from xuanwen.units.models import Unit

from ..models import Demand, Loan, StockEntry


def bookhouse_kind() -> FacilityKind:
    kind, _created = FacilityKind.objects.get_or_create(
        code="bookhouse", defaults={"name": "农家书屋", "min_days_per_week": 5}
    )
    return kind


def bookhouse_fixtures(root: User, admin: User) -> None:
    """A bookhouse in every unit with a row of each register, a deleted bookhouse in township
    A (outside for all), and a facility of another kind (no bookhouse, so outside too)."""
    kind = bookhouse_kind()
    for unit in Unit.objects.order_by("code"):
        f = Facility.objects.create(unit=unit, kind=kind, name=f"{unit.name}农家书屋", area=30)
        StockEntry.objects.create(
            facility=f, date=date(2025, 3, 1), kind="books", count=100, source="distributed"
        )
        Loan.objects.create(
            facility=f, lent_on=date(2025, 3, 1), due_on=date(2025, 3, 31), reader_name="张三",
            title="乡村振兴读本", reader_key=f"{f.pk}|张三",
        )  # fmt: skip
        Demand.objects.create(facility=f, date=date(2025, 3, 1), reader_name="李四", wanted="果树")
    Facility.objects.create(
        unit_id=Tree.TOWNSHIP_A, kind=kind, name="已删除的书屋", deleted_at=timezone.now()
    )
    other, _created = FacilityKind.objects.get_or_create(
        code="walk-other", defaults={"name": "走查用其他阵地"}
    )
    Facility.objects.create(unit_id=Tree.TOWNSHIP_A, kind=other, name="文化室")


def bookhouse_ids(user: User) -> Values:
    """Bookhouses inside or outside; a deleted one or another kind of facility in scope is
    outside too (it is no bookhouse of the user's)."""

    def visible(code: str) -> bool:
        return user.scope.contains(code)

    rows = Facility.all_objects.order_by("pk").values_list(
        "pk", "unit_id", "kind__code", "deleted_at"
    )
    inside = [
        pk
        for pk, code, kind, gone in rows
        if visible(code) and kind == "bookhouse" and gone is None
    ]
    outside = [(str(pk), code) for pk, code, _k, _g in rows if not visible(code)]
    hidden = [
        str(pk) for pk, code, kind, gone in rows if visible(code) and (kind != "bookhouse" or gone)
    ]
    return Values(
        inside=str(inside[0]) if inside else None,
        outside=[*sample(outside, user.scope), *hidden[:2], GHOST_ID],
    )  # fmt: skip


stock_ids = records(StockEntry, "facility__unit_id")
loan_ids = records(Loan, "facility__unit_id")
demand_ids = records(Demand, "facility__unit_id")

FIXTURES: list[Callable[[User, User], None]] = [bookhouse_fixtures]

PARAMS: dict[str, Callable[[User], Values] | None] = {
    "bookhouses:pk": bookhouse_ids,  # /bookhouses/<pk>/… pages
    "bookhouses:facility_id": bookhouse_ids,  # /api/v1/bookhouses/{facility_id}/summary/
    "stock:pk": stock_ids,
    "stock:entry_id": stock_ids,
    "loans:pk": loan_ids,
    "loans:loan_id": loan_ids,
    "demands:pk": demand_ids,
    "demands:demand_id": demand_ids,
    # query parameters and body fields of the registers' API
    "stock:facility": bookhouse_ids,
    "loans:facility": bookhouse_ids,
    "demands:facility": bookhouse_ids,
    "stock:start": None,
    "stock:end": None,
    "stock:kind": None,
    "loans:start": None,
    "loans:end": None,
    "demands:start": None,
    "demands:end": None,
}

FORM_PAGES = {
    "/bookhouses/{pk}/stock/new/": WRITE_ROLES,
    "/bookhouses/{pk}/loans/new/": WRITE_ROLES,
    "/bookhouses/{pk}/demands/new/": WRITE_ROLES,
    "/bookhouses/stock/{pk}/edit/": WRITE_ROLES,
    "/bookhouses/loans/{pk}/edit/": WRITE_ROLES,
    "/bookhouses/demands/{pk}/edit/": WRITE_ROLES,
    "/bookhouses/stock/import/": WRITE_ROLES,
    "/bookhouses/stock/import/template.xlsx": WRITE_ROLES,
    "/bookhouses/loans/import/": WRITE_ROLES,
    "/bookhouses/loans/import/template.xlsx": WRITE_ROLES,
    "/bookhouses/demands/import/": WRITE_ROLES,
    "/bookhouses/demands/import/template.xlsx": WRITE_ROLES,
}
