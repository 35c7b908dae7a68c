"""The opening logs' card on the home page (core.views.HOME_CARDS)."""

from typing import Any

from django.http import HttpRequest

from xuanwen.core.views import Card

from .views import may_record


def record_card(request: HttpRequest) -> Card | None:
    """For those who keep a facility's door: today's opening in one tap, or a whole week."""
    user: Any = request.user
    if not may_record(user):
        return None
    return Card("opening/_home_card.html")
