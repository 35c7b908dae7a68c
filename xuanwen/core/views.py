from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .home import home_cards


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    unit = user.unit
    # Every block below the greeting is an app's card (core.home), the unit tree's included.
    cards = home_cards(request) if unit or user.is_superuser else []
    context = {"unit": unit, "cards": cards, "charts": any(card.charts for card in cards)}
    return render(request, "core/home.html", context)


@login_required
def menu(request: HttpRequest) -> HttpResponse:
    """Every section of the site as a list of large targets: where 更多 leads on a phone, whose
    top bar shows only the first few."""
    return render(request, "menu.html")
