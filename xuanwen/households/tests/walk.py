"""The households' part of the scope walk (see xuanwen/tests/walk.py)."""

from datetime import date

from django.utils import timezone

from xuanwen.accounts.models import User
from xuanwen.households.models import Household, HouseholdKind
from xuanwen.testing import Tree
from xuanwen.tests.walk import register_forms, register_params
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


FIXTURES = [household_fixtures]
PARAMS = register_params("households", "household", Household, ("level",))
FORM_PAGES = register_forms("households")
