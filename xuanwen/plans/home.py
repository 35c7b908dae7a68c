"""The plans' card on the home page (core.home): what waits on the user about plans — plans
submitted for their approval, and their own unit's plans sent back to them — then how their
unit's current plan (this year's approved one, else last year's) stands: its items 落后 or
未完成 (the progress states of plans.selectors), each with its value against its target, and a
link to the whole progress page."""

from dataclasses import dataclass

from django.http import HttpRequest

from xuanwen.accounts.permissions import request_user
from xuanwen.core import clock
from xuanwen.core.home import Card, register_card

from .models import PlanKind, PlanStatus, WorkPlan
from .selectors import ItemProgress, Status, latest_plans_for, plan_progress
from .services import can_approve_plan

SHOWN = 10  # plans listed on the card; the plan list has the rest
ITEMS_SHOWN = 5  # items behind listed on the card; the progress page has them all
LAGGING = (Status.BEHIND, Status.MISSED)


@dataclass(frozen=True)
class Lagging:
    """The current plan's items behind or missed: the first few, and how many in all."""

    items: list[ItemProgress]
    count: int

    @property
    def more(self) -> int:
        return self.count - len(self.items)


def lagging_items(plan: WorkPlan) -> Lagging:
    """The plan's items 落后 or 未完成 today, in the plan's order; the progress page's own
    computation, so a constant number of queries whatever the items or the units below."""
    progress = plan_progress(plan, clock.today())
    found = [p for _section, rows in progress.sections for p in rows if p.status in LAGGING]
    return Lagging(found[:ITEMS_SHOWN], len(found))


@register_card(5)
def plans_card(request: HttpRequest) -> Card | None:
    """Three queries whatever the subtree (submitted plans, returned ones, the current own),
    and the progress of the current plan, the same whatever its items or the units below."""
    user = request_user(request)
    if user.scope.is_nothing:
        return None
    latest = latest_plans_for(user)
    submitted = latest.filter(status=PlanStatus.SUBMITTED).order_by("submitted_at", "pk")
    # Whether this user may approve each is decided by the plan's level against the user's
    # scope and role (no query); a few more are read than shown, for those they may not.
    awaiting = [p for p in submitted[: SHOWN * 3] if can_approve_plan(user, p)][:SHOWN]
    returned = list(
        latest.filter(status=PlanStatus.DRAFT, unit_id=user.unit_id)
        .exclude(return_note="")
        .order_by("-updated_at")[:SHOWN]
    )
    # This year's approved plan; until it is approved, last year's, whose items 未完成 the
    # year-end summary still has to account for.
    year = clock.today().year
    current = (
        latest.filter(
            unit_id=user.unit_id,
            kind=PlanKind.YEAR,
            year__in=(year, year - 1),
            status=PlanStatus.APPROVED,
        )
        .order_by("-year", "-revision")
        .first()
        if user.unit_id
        else None
    )
    if not (awaiting or returned or current):
        return None
    lagging = lagging_items(current) if current else None
    return Card(
        "plans/_home_card.html",
        {"awaiting": awaiting, "returned": returned, "current": current, "lagging": lagging},
    )
