"""Making facilities for the facility tests."""

from typing import Any

from xuanwen.core.text import pinyin_of
from xuanwen.facilities.models import Facility, FacilityKind

_counter = iter(range(1, 1_000_000))


def kind(code: str) -> FacilityKind:
    return FacilityKind.objects.get(code=code)


def make_facility(unit_code: str, kind_code: str = "station", **fields: Any) -> Facility:
    """A facility straight in the database (setup only; the pages under test use services)."""
    name = fields.pop("name", f"文化站{next(_counter)}")
    full, initials = pinyin_of(name)
    values: dict[str, Any] = {
        "unit_id": unit_code,
        "kind": kind(kind_code),
        "name": name,
        "search_pinyin": f"{full} {initials}",
    }
    values.update(fields)
    return Facility.objects.create(**values)
