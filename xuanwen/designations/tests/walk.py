"""The designations' part of the scope walk (see xuanwen/tests/walk.py)."""

import datetime as dt

from django.utils import timezone

from xuanwen.accounts.models import WRITE_ROLES, User
from xuanwen.designations.models import Designation, DesignationKind
from xuanwen.testing import Tree
from xuanwen.tests.walk import records
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


designation_ids = records(Designation, "unit_id")

FIXTURES = [designation_fixtures]
PARAMS = {
    "designations:pk": designation_ids,  # the pages
    "designations:designation_id": designation_ids,  # the API
    "designations:kind": None,  # a kind code (list filter and body field)
    "designations:level": None,  # a level value (list filter and body field)
    "designations:start": None,  # designated on or after (the new counts' link)
    "designations:end": None,
    "designations:undated": None,  # only those without a designated date (待补日期)
}
FORM_PAGES = {
    "/designations/new/": WRITE_ROLES,
    "/designations/{pk}/edit/": WRITE_ROLES,
    "/designations/import/": WRITE_ROLES,
    "/designations/import/template.xlsx": WRITE_ROLES,
}
