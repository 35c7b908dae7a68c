"""The plans' card of the supervisor's dashboard (units.dashboard, core.home): how each child
unit's approved plan for this year stands — its targets met, on track and behind — as
stacked bars with the same figures as a table, each unit leading to its plan's progress page.

The progress page's own rule (selectors.item_status) over every child at once: the children's
plans, their items, and each indicator's value by child (indicators.selectors.table_by_child,
one query per source), so the card costs the same for 2 townships or 40 and for any items.
"""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from xuanwen.accounts.permissions import request_user
from xuanwen.core import clock
from xuanwen.core.home import Card, register_card, stacked_by_unit
from xuanwen.indicators.periods import year_period
from xuanwen.indicators.registry import get_indicators
from xuanwen.indicators.selectors import table_by_child
from xuanwen.units.dashboard import overseen_unit
from xuanwen.units.models import Unit

from .models import PlanItem, PlanKind, PlanStatus, WorkPlan
from .selectors import Status, item_status, plans_for

# The three figures of a unit, and the statuses each gathers: a target met or an item marked
# done; on track (or under way without a target to judge); behind or missed.
GROUPS = {
    "met": (Status.MET, Status.DONE),
    "on_track": (Status.ON_TRACK, Status.IN_PROGRESS),
    "behind": (Status.BEHIND, Status.MISSED),
}


@dataclass
class UnitProgress:
    """One child unit: its current plan (None when it has no approved one) and its figures."""

    unit: Unit
    plan: WorkPlan | None
    met: int = 0
    on_track: int = 0
    behind: int = 0

    @property
    def url(self) -> str:
        if self.plan is None:
            return f"{reverse('plans:list')}?{urlencode({'unit': self.unit.code})}"
        return reverse("plans:progress", args=[self.plan.pk])


def children_progress(request: HttpRequest, unit: Unit) -> list[UnitProgress]:
    """Every child of `unit` with its approved plan of this year and how its items stand."""
    user = request_user(request)
    today = clock.today()
    period = year_period(today.year)
    newer = WorkPlan.objects.filter(replaces=OuterRef("pk"), status=PlanStatus.APPROVED)
    plans = {
        p.unit_id: p
        for p in plans_for(user)
        .filter(unit__parent_id=unit.code, kind=PlanKind.YEAR, year=today.year)
        .filter(status=PlanStatus.APPROVED)
        .exclude(Exists(newer))  # the latest approved revision is the one in force
    }
    # The items' fields a status is judged from (selectors.Judged), by the plan's unit.
    items: dict[str, list[Any]] = defaultdict(list)
    for item in PlanItem.objects.filter(section__plan__in=list(plans.values())).values_list(
        "section__plan__unit_id", "indicator", "target_min", "done_on", named=True
    ):
        items[item.section__plan__unit_id].append(item)
    indicators = get_indicators(
        {i.indicator for rows in items.values() for i in rows if i.indicator}
    )
    table = table_by_child(list(indicators.values()), unit.code, period)
    elapsed = period.elapsed_fraction(today)
    rows = []
    for child in table.rows:
        row = UnitProgress(child.unit, plans.get(child.unit.code))
        for item in items.get(child.unit.code, []):
            indicator = indicators.get(item.indicator)
            actual = child.values.get(indicator.code) if indicator else None
            status, _expected = item_status(
                item, indicator, actual, elapsed, started=True, ended=today > period.end
            )
            for name, statuses in GROUPS.items():
                if status in statuses:
                    setattr(row, name, getattr(row, name) + 1)
        rows.append(row)
    return rows


@register_card(45)
def progress_card(request: HttpRequest) -> Card | None:
    """For those who oversee a subtree: the children's plan progress this year."""
    unit = overseen_unit(request)
    rows = children_progress(request, unit) if unit else []
    if not any(r.plan for r in rows):
        return None  # no child has an approved plan of this year: nothing to compare yet
    year = clock.today().year
    chart = stacked_by_unit(
        _("各单位%(y)d年计划目标进度") % {"y": year},
        [r.unit.name for r in rows],
        [
            (_("已完成"), [r.met for r in rows]),
            (_("进行中（正常）"), [r.on_track for r in rows]),
            (_("落后或未完成"), [r.behind for r in rows]),
        ],
        ["#15803d", "#9aa4ae", "#b91c1c"],
    )
    context = {"rows": rows, "chart": chart, "year": year}
    return Card("plans/_dashboard_progress.html", context, charts=True)
