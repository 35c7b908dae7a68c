"""The plans' card on the home page (core.home): what waits on the user about plans — plans
submitted for their approval, and their own unit's plans sent back to them — then a link to how
this year's plan stands."""

from django.http import HttpRequest

from xuanwen.accounts.permissions import request_user
from xuanwen.core import clock
from xuanwen.core.home import Card, register_card

from .models import PlanKind, PlanStatus
from .selectors import latest_plans_for
from .services import can_approve_plan

SHOWN = 10  # plans listed on the card; the plan list has the rest


@register_card(5)
def plans_card(request: HttpRequest) -> Card | None:
    """Three queries whatever the subtree: submitted plans, returned ones, this year's own."""
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
    year = clock.today().year
    current = (
        latest.filter(
            unit_id=user.unit_id, kind=PlanKind.YEAR, year=year, status=PlanStatus.APPROVED
        )
        .order_by("-revision")
        .first()
        if user.unit_id
        else None
    )
    if not (awaiting or returned or current):
        return None
    return Card(
        "plans/_home_card.html",
        {"awaiting": awaiting, "returned": returned, "current": current},
    )
