"""The opening logs' card on the home page (core.home)."""

from typing import Any

from django.http import HttpRequest

from xuanwen.core.home import Card, register_card

from .views import may_record


@register_card(10)
def record_card(request: HttpRequest) -> Card | None:
    """For those who keep a facility's door: today's opening in one tap, or a whole week."""
    user: Any = request.user
    if not may_record(user):
        return None
    return Card("opening/_home_card.html")
