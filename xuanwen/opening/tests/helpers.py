from datetime import date
from decimal import Decimal
from typing import Any

from xuanwen.facilities.models import Facility, FacilityKind
from xuanwen.opening.models import OpeningLog
from xuanwen.units.models import Unit


def kind(code: str, name: str, days: int | None, hours: str | None) -> FacilityKind:
    """The kind by code (or name), made or set to the given rule: the facilities app's data
    migration may have made it already, perhaps with other numbers."""
    found = (
        FacilityKind.objects.filter(code=code).first()
        or FacilityKind.objects.filter(name=name).first()
    )
    if found is None:
        found = FacilityKind(code=code, name=name)
    found.min_days_per_week = days
    found.min_hours_per_day = Decimal(hours) if hours else None
    found.save()
    return found


def station_kind() -> FacilityKind:
    return kind("station", "综合文化站", 3, "3.0")


def bookhouse_kind() -> FacilityKind:
    return kind("bookhouse", "农家书屋", 5, None)


def square_kind() -> FacilityKind:
    return kind("square", "文化广场", None, None)


def make_facility(unit_code: str, k: FacilityKind | None = None, name: str = "") -> Facility:
    k = k or station_kind()
    unit = Unit.objects.get(code=unit_code)
    return Facility.objects.create(unit=unit, kind=k, name=name or f"{unit.name}{k.name}")


def log(
    facility: Facility, day: date, hours: str = "3.5", visitors: int = 10, **kw: Any
) -> OpeningLog:
    return OpeningLog.objects.create(
        facility=facility, date=day, hours=Decimal(hours), visitors=visitors, **kw
    )


def walk_fixtures(root: Any, admin: Any) -> None:
    """For the scope walker: a station with a day's log in every unit, and a deleted log."""
    k = station_kind()
    for unit in Unit.objects.order_by("code"):
        facility = Facility.objects.create(unit=unit, kind=k, name=f"{unit.name}开放阵地")
        log(facility, date(2026, 3, 2))
    facility = Facility.objects.filter(unit_id="331082001").order_by("pk").first()
    assert facility is not None
    deleted = log(facility, date(2026, 3, 3))
    OpeningLog.objects.filter(pk=deleted.pk).update(deleted_at="2026-03-04T00:00:00+08:00")
