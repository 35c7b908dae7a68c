"""Assessment's card on the home page (core.home): the latest published ranking the user
sees, for supervisors (and admins) who run the assessment. Two queries whatever the subtree."""

from django.http import HttpRequest

from xuanwen.accounts.models import APPROVE_ROLES
from xuanwen.accounts.permissions import request_user
from xuanwen.core.home import Card, register_card

from .selectors import latest_published, results_for

SHOWN = 5  # units listed; the results page has them all


@register_card(8)
def ranking_card(request: HttpRequest) -> Card | None:
    user = request_user(request)
    if user.scope.is_nothing or not (user.is_superuser or user.role in APPROVE_ROLES):
        return None
    run = latest_published(user)
    if run is None:
        return None
    top = list(results_for(user, run)[:SHOWN])
    return Card("assessment/_home_card.html", {"run": run, "top": top})
