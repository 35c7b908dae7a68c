"""Assessment's part of the scope walk (see xuanwen/tests/walk.py).

A scheme (and each of its versions) is seen from its owner's subtree and by the units it
scores, so from the owner's whole line; a unit's result and an adjustment are records of
their unit."""

from decimal import Decimal

from xuanwen.accounts.models import APPROVE_ROLES, User
from xuanwen.assessment import services
from xuanwen.assessment.models import Adjustment, ItemRule, Run, Scheme, UnitResult
from xuanwen.core import tree
from xuanwen.tests.walk import on_line, records, unit_codes
from xuanwen.units.models import Unit

from .helpers import evidence


def assessment_fixtures(root: User, admin: User) -> None:
    """A scheme owned by every unit with children, scoring them, scored and published, with an
    adjustment for each child."""
    children: dict[str, list[str]] = {}
    for code, parent in Unit.objects.order_by("code").values_list("code", "parent_id"):
        if parent:
            children.setdefault(parent, []).append(code)
    for owner, codes in children.items():
        item = services.ItemData("活动", "activities.count", ItemRule.THRESHOLD, Decimal(10),
                                 target=Decimal(1))  # fmt: skip
        scheme = services.scheme_create(
            user=root,
            data=services.SchemeData(
                owner=Unit.objects.get(code=owner), name=f"{owner}考核", year=2024,
                level=tree.level_of(owner) + 1, items=[item],
            ),
        )  # fmt: skip
        for code in codes:
            services.adjustment_add(
                user=root, scheme=scheme, evidence=evidence(),
                data=services.AdjustmentData(Unit.objects.get(code=code), Decimal(1), "表彰"),
            )  # fmt: skip
        run = services.score_request(user=root, scheme=scheme)
        services.run_publish(user=root, run=run)


scheme_ids = on_line(Scheme, "owner_id")
run_ids = on_line(Run, "scheme__owner_id")
result_ids = records(UnitResult, "unit_id")
adjustment_ids = records(Adjustment, "unit_id")

FIXTURES = [assessment_fixtures]
PARAMS = {
    "schemes:pk": scheme_ids,  # pages
    "schemes:scheme_id": scheme_ids,  # API
    "runs:pk": run_ids,
    "runs:run_id": run_ids,
    "results:pk": result_ids,
    "results:result_id": result_ids,
    "adjustments:pk": adjustment_ids,
    "schemes:owner": unit_codes,
    "schemes:name": None,
    "schemes:year": None,
    "schemes:level": None,
    "schemes:excellent_min": None,
    "schemes:good_min": None,
    "schemes:pass_min": None,
    "schemes:reward_by": None,
    "schemes:items": None,
    "schemes:rewards": None,
}
FORM_PAGES = {
    "/assessment/schemes/new/": APPROVE_ROLES,
    "/assessment/schemes/{pk}/edit/": APPROVE_ROLES,
}
