from typing import Any

from xuanwen.plans import services
from xuanwen.plans.models import WorkPlan
from xuanwen.testing import TOWNSHIP_A
from xuanwen.units.models import Unit


def make_plan(user: Any, unit_code: str = TOWNSHIP_A, year: int = 2026, **kw: Any) -> WorkPlan:
    data = services.PlanData(
        unit=Unit.objects.get(code=unit_code),
        kind=kw.pop("kind", "year"),
        year=year,
        index=kw.pop("index", 0),
    )
    kw.setdefault("template", "township_station_year")
    return services.plan_create(user=user, data=data, **kw)


def walk_fixtures(root: Any, admin: Any) -> None:
    """For the scope walker (xuanwen/tests/test_scope_walk.py): a plan with a section and an item
    in every unit of the shared tree, so every persona has plans inside and outside reach."""
    for unit in Unit.objects.order_by("code"):
        plan = make_plan(root, unit.code, template="")
        section = services.section_create(user=root, plan=plan, title="重点工作")
        services.item_create(user=root, section=section, data=services.ItemData(text="开展活动"))
