"""The unit tree's card on the home page (core.home): the subtree's counts by level, the unit
picker and a way to the unit's own page (its children, records and figures), at the foot of the
page below every app's card."""

from django.http import HttpRequest

from xuanwen.accounts.permissions import request_user
from xuanwen.core.home import Card, register_card

from .selectors import subtree_counts


@register_card(90)
def tree_card(request: HttpRequest) -> Card | None:
    """A superuser, bound to no unit, gets the picker alone (the whole country is too large
    to list)."""
    user = request_user(request)
    unit = user.unit
    if unit is None:
        return Card("units/_home_tree.html", {"unit": None}) if user.is_superuser else None
    return Card(
        "units/_home_tree.html",
        {"unit": unit, "counts": subtree_counts(unit)},
    )
