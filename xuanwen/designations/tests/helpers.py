"""Making designations for the designation tests."""

from typing import Any

from xuanwen.designations.models import Designation, DesignationKind
from xuanwen.records.tests.make import make_record
from xuanwen.units.models import Unit


def kind(code: str) -> DesignationKind:
    return DesignationKind.objects.get(code=code)


def make_designation(
    unit_code: str, kind_code: str = "model_village", level: str = "county", **fields: Any
) -> Designation:
    """A designation straight in the database (setup only; what is under test uses services)."""
    search = Unit.objects.get(code=unit_code).name  # a designation is searched by its unit
    return make_record(Designation, unit_code, kind_code, search=search, level=level, **fields)
