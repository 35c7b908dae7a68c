"""Reporting's card on the home page (core.home): the reports the user's unit owes (due, then
overdue), and for approvers how many wait for them."""

from django.http import HttpRequest

from xuanwen.accounts.models import APPROVE_ROLES, WRITE_ROLES
from xuanwen.accounts.permissions import request_user
from xuanwen.core import clock
from xuanwen.core.home import Card, register_card

from .selectors import awaiting_approval, owed_by

SHOWN = 6  # owed reports listed; the report set's page has the rest


@register_card(7)
def owed_card(request: HttpRequest) -> Card | None:
    """Three queries at most, whatever the subtree: the sets, the unit's submissions, and
    the count awaiting approval."""
    user = request_user(request)
    if user.scope.is_nothing:
        return None
    role_writes = user.is_superuser or user.role in WRITE_ROLES
    owed = owed_by(user.unit_id, clock.today()) if user.unit_id and role_writes else []
    approving = user.is_superuser or user.role in APPROVE_ROLES
    waiting = awaiting_approval(user).count() if approving else 0
    if not owed and not waiting:
        return None
    return Card(
        "reporting/_home_card.html",
        {
            "owed": owed[:SHOWN],
            "more": max(0, len(owed) - SHOWN),
            "overdue": sum(1 for o in owed if o.overdue),
            "waiting": waiting,
        },
    )
