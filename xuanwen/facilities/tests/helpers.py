"""Making facilities for the facility tests."""

from typing import Any

from xuanwen.facilities.models import Facility, FacilityKind
from xuanwen.records.tests.make import make_record

_counter = iter(range(1, 1_000_000))


def kind(code: str) -> FacilityKind:
    return FacilityKind.objects.get(code=code)


def make_facility(unit_code: str, kind_code: str = "station", **fields: Any) -> Facility:
    """A facility straight in the database (setup only; the pages under test use services)."""
    name = fields.pop("name", f"文化站{next(_counter)}")
    return make_record(Facility, unit_code, kind_code, search=name, name=name, **fields)
