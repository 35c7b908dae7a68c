"""The opening logs' card on the home page (core.home)."""

from django.http import HttpRequest

from xuanwen.accounts.permissions import request_user
from xuanwen.core.home import Card, register_card

from .views import may_record


@register_card(10)
def record_card(request: HttpRequest) -> Card | None:
    """For those who keep a facility's door: today's opening in one tap, or a whole week."""
    user = request_user(request)
    if not may_record(user):
        return None
    return Card("opening/_home_card.html")
