from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.module_loading import import_string
from django.utils.translation import get_language

from xuanwen.units.models import Unit
from xuanwen.units.selectors import children_with_counts, subtree_counts

from .forms import LockoutAuthenticationForm
from .versioned import cached_part


class LoginView(auth_views.LoginView):
    form_class = LockoutAuthenticationForm
    template_name = "core/login.html"
    redirect_authenticated_user = True


@dataclass
class Card:
    """A block of the home page: an app's own template and its context."""

    template: str
    context: dict[str, Any] = field(default_factory=dict)


# The home page's cards, top first: dotted paths of functions (request) -> Card | None, each
# in the app that owns the records. An app adds its card with one line here; a card with
# nothing to say returns None and is left out. Each must cost a constant number of queries.
HOME_CARDS: list[str] = [
    "xuanwen.opening.home.record_card",  # 开放登记: today's opening in one tap
    "xuanwen.duties.home.overdue_card",  # 常规工作: my overdue periods, the subtree's count
]


def home_cards(request: HttpRequest) -> list[Card]:
    cards = []
    for path in HOME_CARDS:
        card = import_string(path)(request)
        if card is not None:
            cards.append(card)
    return cards


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    unit = user.unit
    # The unit tree changes only by audited imports and edits (core.versioned).
    children, counts = (
        cached_part(
            Unit,
            ("home.tree", unit.code, get_language()),
            lambda: (children_with_counts(unit), subtree_counts(unit)),
        )
        if unit
        else ([], {})
    )
    context = {
        "unit": unit,
        "children": children,
        "counts": counts,
        "cards": home_cards(request) if unit or user.is_superuser else [],
    }
    return render(request, "core/home.html", context)
