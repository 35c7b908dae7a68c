"""The home page's cards: each app that has something to say on the home page registers a
function (request) -> Card | None from its own AppConfig.ready(), as apps register their
indicators, so the home page knows no app by name.

A card with nothing to say returns None and is left out. Each must cost a constant number of
queries, whatever the size of the user's subtree.

Positions, top first: what waits on the user (5–30: plans and reports to act on, the day's
opening, duties and loans due, the units behind); then the supervisor's dashboard of the
children of their unit (40–69: 40 the activity trend, 45 plan progress, 50 reports owed,
60 rankings on key indicators, 65 kept for the assessment's ranking of scores); the unit tree
at the foot (90).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest


@dataclass
class Card:
    """A block of the home page: an app's own template and its context (`card` in it).
    `charts`: it draws charts (core/_chart.html), so the page loads the chart scripts, once
    however many cards draw."""

    template: str
    context: dict[str, Any] = field(default_factory=dict)
    charts: bool = False


CardMaker = Callable[[HttpRequest], Card | None]

# Position → card maker; a lower position stands higher on the page.
_cards: dict[int, CardMaker] = {}


def register_card(position: int) -> Callable[[CardMaker], CardMaker]:
    """Put a card on the home page at `position` (lower is higher up); two cards at one
    position is a programming error."""

    def decorator(fn: CardMaker) -> CardMaker:
        if position in _cards and _cards[position] is not fn:
            raise ValueError(f"home card position already taken: {position}")
        _cards[position] = fn
        return fn

    return decorator


def home_cards(request: HttpRequest) -> list[Card]:
    """The cards for this request, top first."""
    cards = (_cards[position](request) for position in sorted(_cards))
    return [card for card in cards if card is not None]


# Charts ---------------------------------------------------------------------------------------


def stacked_by_unit(
    title: str, units: list[str], series: list[tuple[str, list[int]]], colors: list[str]
) -> dict[str, Any]:
    """The data of a chart (core/_chart.html, drawn by charts.js) of bars laid across, one row
    a unit (so that a county's 19 townships fit a phone), each bar the `series` stacked in
    their `colors`: how a dashboard card compares the units below."""
    return {
        "title": title,
        "categories": units,
        "horizontal": True,
        "stack": True,
        "colors": colors,
        "series": [{"name": name, "data": data} for name, data in series],
    }


# Units behind ---------------------------------------------------------------------------------
# The shape of a card naming the units below that are behind on something (opening hours,
# duties), worst first, each a tap away from the page that says why.

UNITS_SHOWN = 10  # units listed on such a card; the page behind it has them all


@dataclass(frozen=True)
class UnitBehind:
    """One unit on a "units behind" card: its name, the page filtered to it, how it stands."""

    name: str
    url: str
    meta: str


def units_behind_card(*, key: str, title: str, rows: list[UnitBehind], all_url: str) -> Card | None:
    """A card of the first UNITS_SHOWN of `rows` (already worst first) and how many more, with
    `all_url` for the rest; None when no unit is behind. `key` names the card in the page
    (`id="<key>-behind"`)."""
    if not rows:
        return None
    return Card(
        "core/_home_behind.html",
        {
            "id": f"{key}-behind",
            "title": title,
            "rows": rows[:UNITS_SHOWN],
            "more": len(rows) - UNITS_SHOWN,
            "all_url": all_url,
        },
    )
