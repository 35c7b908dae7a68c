"""The households' part of the scope walk (see xuanwen/tests/walk.py)."""

from datetime import date

from django.utils import timezone

from xuanwen.accounts.models import WRITE_ROLES, User
from xuanwen.households.models import Household, HouseholdKind
from xuanwen.testing import Tree
from xuanwen.tests.walk import records
from xuanwen.units.models import Unit


def household_fixtures(root: User, admin: User) -> None:
    """A household in every unit, and a soft-deleted one in township A (outside for everyone)."""
    major = HouseholdKind.objects.get(code="major")
    for unit in Unit.objects.order_by("code"):
        Household.objects.create(
            unit=unit, kind=major, head=f"{unit.name}户主", designated_on=date(2025, 3, 1)
        )
    Household.objects.create(
        unit_id=Tree.TOWNSHIP_A, kind=major, head="已删除的户主", deleted_at=timezone.now()
    )


household_ids = records(Household, "unit_id")

FIXTURES = [household_fixtures]
PARAMS = {
    "households:pk": household_ids,  # the pages
    "households:household_id": household_ids,  # the API
    "households:kind": None,  # a kind code (list filter and body field)
    "households:level": None,
    "households:start": None,  # designated on or after (the new counts' link)
    "households:end": None,
    "households:undated": None,  # only those without a designation date (待补日期)
}
FORM_PAGES = {
    "/households/new/": WRITE_ROLES,
    "/households/{pk}/edit/": WRITE_ROLES,
    "/households/import/": WRITE_ROLES,
    "/households/import/template.xlsx": WRITE_ROLES,
}
