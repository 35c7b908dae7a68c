"""Making culture households for the household tests."""

from typing import Any

from xuanwen.core.text import pinyin_of
from xuanwen.households.models import Household, HouseholdKind

_counter = iter(range(1, 1_000_000))


def kind(code: str) -> HouseholdKind:
    return HouseholdKind.objects.get(code=code)


def make_household(unit_code: str, kind_code: str = "major", **fields: Any) -> Household:
    """A household straight in the database (setup only; the pages under test use services)."""
    head = fields.pop("head", f"户主{next(_counter)}")
    full, initials = pinyin_of(head)
    values: dict[str, Any] = {
        "unit_id": unit_code,
        "kind": kind(kind_code),
        "head": head,
        "search_pinyin": f"{full} {initials}",
    }
    values.update(fields)
    return Household.objects.create(**values)
