from datetime import date
from typing import Any
from urllib.parse import parse_qs, urlsplit

from xuanwen.activities.selectors import ActivityFilter, activity_search
from xuanwen.core import clock
from xuanwen.plans import services
from xuanwen.plans.models import PlanItem, WorkPlan
from xuanwen.testing import Tree
from xuanwen.units.models import Unit

# The "new plan" form as staff_a fills it in to start township A's 2026 plan from the template.
NEW_FROM_TEMPLATE = {
    "unit": Tree.TOWNSHIP_A,
    "kind": "year",
    "year": 2026,
    "start": "template",
    "template": "township_station_year",
}


def make_plan(user: Any, unit_code: str = Tree.TOWNSHIP_A, year: int = 2026, **kw: Any) -> WorkPlan:
    data = services.PlanData(
        unit=Unit.objects.get(code=unit_code),
        kind=kw.pop("kind", "year"),
        year=year,
        index=kw.pop("index", 0),
    )
    kw.setdefault("template", "township_station_year")
    return services.plan_create(user=user, data=data, **kw)


def plan_with_item(
    user: Any, unit_code: str, indicator: str, **item: Any
) -> tuple[WorkPlan, PlanItem]:
    """The unit's 2026 plan (no template) with one item counting `indicator`; `item` gives its
    text and targets (text=, target_min=, target_max=): how a plan-target test starts."""
    plan = make_plan(user, unit_code, template="")
    section = services.section_create(user=user, plan=plan, title="重点工作")
    data = services.ItemData(**{"text": "开展活动", **item, "indicator": indicator})
    return plan, services.item_create(user=user, section=section, data=data)


def listed_by(url: str, user: object) -> set[int]:
    """The ids of the activities the activity list shows at `url` (its own filter)."""
    q = parse_qs(urlsplit(url).query)
    f = ActivityFilter(
        unit=q["unit"][0],
        type_id=int(q["type"][0]) if "type" in q else None,
        start=date.fromisoformat(q["start"][0]),
        end=date.fromisoformat(q["end"][0]),
    )
    return set(activity_search(user, f).values_list("pk", flat=True))


def walk_fixtures(root: Any, admin: Any) -> None:
    """For the scope walker (xuanwen/tests/test_scope_walk.py): a plan with a section and an item
    in every unit of the shared tree, so every persona has plans inside and outside reach."""
    # This year's: pages that default to this year (next year's plan draft) find one on any day.
    year = clock.today().year
    for unit in Unit.objects.order_by("code"):
        plan = make_plan(root, unit.code, year=year, template="")
        section = services.section_create(user=root, plan=plan, title="重点工作")
        services.item_create(user=root, section=section, data=services.ItemData(text="开展活动"))
