"""The bookhouses' card on the home page (core.home): loans overdue or due in the next days in
the user's subtree, oldest due first, for those who keep the registers."""

from datetime import timedelta

from django.db.models import Count, Q
from django.http import HttpRequest

from xuanwen.accounts.models import WRITE_ROLES
from xuanwen.accounts.permissions import request_user
from xuanwen.core import clock
from xuanwen.core.home import Card, register_card

from .selectors import loans_for

SOON_DAYS = 3  # "due soon": the reader can still be reminded before it is late
SHOWN = 5


@register_card(30)
def loans_card(request: HttpRequest) -> Card | None:
    """Two queries whatever the subtree: the counts, and the first few loans."""
    user = request_user(request)
    if not (user.is_superuser or user.role in WRITE_ROLES) or user.scope.is_nothing:
        return None
    today = clock.today()
    soon = today + timedelta(days=SOON_DAYS)
    out = loans_for(user).filter(returned_on__isnull=True, due_on__lte=soon)
    counts = out.aggregate(due=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))
    if not counts["due"]:
        return None
    loans = list(out.select_related("facility").order_by("due_on", "pk")[:SHOWN])
    return Card(
        "bookhouses/_home_card.html",
        {"loans": loans, "today": today, "overdue": counts["overdue"], "due": counts["due"]},
    )
