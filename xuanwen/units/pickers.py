"""Unit pickers for entry forms and list filters: a unit is chosen from an indented list of the
user's subtree, or searched for when the subtree is too large to list."""

from typing import Any

from django.db.models import QuerySet
from django.utils.safestring import SafeString

from xuanwen.accounts.models import WRITE_ROLES, User
from xuanwen.accounts.permissions import can_write
from xuanwen.core.entry import options_html
from xuanwen.core.scope import Scope

from .models import Unit
from .selectors import units_for

# Up to this many units a plain <select> is quicker than typing (a township and its villages);
# above it the form offers a search instead.
UNIT_SELECT_MAX = 400
# A scope whose top is a county or above (level 3 or less) holds hundreds to tens of thousands
# of units, too many to scroll through on a phone, so it always searches, and knows so without
# asking the database; a township (4) or a village (5) lists its units.
SELECT_FROM_LEVEL = 4


def _listed(user: User, units: QuerySet[Unit]) -> QuerySet[Unit] | None:
    """The units to read for a select (at most UNIT_SELECT_MAX + 1), or None for a search."""
    scope = user.scope
    if not scope.is_nothing and scope.level < SELECT_FROM_LEVEL:
        return None
    return units.order_by("code")[: UNIT_SELECT_MAX + 1]


def may_write_somewhere(user: User) -> bool:
    """Whether the user may record anything at all (for their own unit or below)."""
    if user.is_superuser:
        return True
    return user.unit_id is not None and can_write(user, user.unit_id)


def unit_label(unit: Unit, scope: Scope) -> str:
    return scope.indented(unit.code, unit.name)


def writable_units(user: User) -> list[Unit] | None:
    """The units the user may record for, or None when there are too many to list."""
    if not (user.is_superuser or user.role in WRITE_ROLES):
        return []
    listed = _listed(user, units_for(user))
    units = None if listed is None else list(listed)
    return None if units is None or len(units) > UNIT_SELECT_MAX else units


def visible_units(user: User) -> list[Unit] | None:
    """The units of the user's subtree for a filter select, or None when there are too many."""
    listed = _listed(user, units_for(user))
    units = None if listed is None else list(listed)
    return None if units is None or len(units) > UNIT_SELECT_MAX else units


def unit_choices(user: User) -> list[tuple[str, str]] | None:
    """visible_units as (code, indented name) pairs, read without building Unit objects."""
    listed = _listed(user, units_for(user))
    if listed is None:
        return None
    rows = list(listed.values_list("code", "name"))
    if len(rows) > UNIT_SELECT_MAX:
        return None
    scope = user.scope
    return [(code, scope.indented(code, name)) for code, name in rows]


def picked_unit(form: Any, user: User) -> Unit | None:
    """The unit chosen in a form's search picker, shown as a checked radio (None when the form
    lists its units in a select, or none is chosen yet)."""
    code = form["unit"].value()
    if form.units is not None or not code:
        return None
    return units_for(user).filter(code=str(code)).first()


def unit_options(user: User, selected: str) -> SafeString | None:
    """The <option>s of a list's unit filter (up to a few hundred). None when the subtree is
    too large for a select (the filter then takes a typed code)."""
    choices = unit_choices(user)
    if choices is None:
        return None
    return options_html(choices, selected)
