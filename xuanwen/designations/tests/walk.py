"""The designations' part of the scope walk (see xuanwen/tests/walk.py)."""

import datetime as dt

from django.utils import timezone

from xuanwen.accounts.models import User
from xuanwen.designations.models import Designation, DesignationKind
from xuanwen.testing import Tree
from xuanwen.tests.walk import register_forms, register_params
from xuanwen.units.models import Unit


def designation_fixtures(root: User, admin: User) -> None:
    """A designation in every unit, and a soft-deleted one in township A (outside for all)."""
    kind = DesignationKind.objects.get(code="model_village")
    for unit in Unit.objects.order_by("code"):
        Designation.objects.create(
            unit=unit, kind=kind, level="county", designated_on=dt.date(2025, 5, 1)
        )
    Designation.objects.create(
        unit_id=Tree.TOWNSHIP_A, kind=kind, level="city", deleted_at=timezone.now()
    )


FIXTURES = [designation_fixtures]
PARAMS = register_params("designations", "designation", Designation, ("level",))
FORM_PAGES = register_forms("designations")
