"""Making designations for the designation tests."""

from typing import Any

from xuanwen.core.text import pinyin_of
from xuanwen.designations.models import Designation, DesignationKind
from xuanwen.units.models import Unit


def kind(code: str) -> DesignationKind:
    return DesignationKind.objects.get(code=code)


def make_designation(
    unit_code: str, kind_code: str = "model_village", level: str = "county", **fields: Any
) -> Designation:
    """A designation straight in the database (setup only; what is under test uses services)."""
    full, initials = pinyin_of(Unit.objects.get(code=unit_code).name)
    values: dict[str, Any] = {
        "unit_id": unit_code,
        "kind": kind(kind_code),
        "level": level,
        "search_pinyin": f"{full} {initials}",
    }
    values.update(fields)
    return Designation.objects.create(**values)
