"""Making culture households for the household tests."""

from typing import Any

from xuanwen.households.models import Household, HouseholdKind
from xuanwen.records.tests.make import make_record

_counter = iter(range(1, 1_000_000))


def kind(code: str) -> HouseholdKind:
    return HouseholdKind.objects.get(code=code)


def make_household(unit_code: str, kind_code: str = "major", **fields: Any) -> Household:
    """A household straight in the database (setup only; the pages under test use services)."""
    head = fields.pop("head", f"户主{next(_counter)}")
    return make_record(Household, unit_code, kind_code, search=head, head=head, **fields)
