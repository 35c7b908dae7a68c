"""The duties' card on the home page (core.home)."""

from django.http import HttpRequest

from xuanwen.accounts.permissions import request_user
from xuanwen.core import clock
from xuanwen.core.home import Card, register_card

from . import compliance


@register_card(20)
def overdue_card(request: HttpRequest) -> Card | None:
    """The periods the user is responsible for and has missed, each with a one-tap link to
    record it; and how many periods are overdue in the whole subtree, for those above."""
    user = request_user(request)
    today = clock.today()
    overdue = compliance.home_overdue(user, today)
    if not overdue.mine and not overdue.subtree_count:
        return None
    return Card(
        "duties/_home_card.html",
        {"mine": overdue.mine, "subtree_count": overdue.subtree_count, "scope": user.scope},
    )
