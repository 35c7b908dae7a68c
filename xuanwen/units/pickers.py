"""Unit pickers for entry forms and list filters: a unit is chosen from an indented list of the
user's subtree, or searched for when the subtree is too large to list."""

from typing import Any

from django.utils.safestring import SafeString

from xuanwen.accounts.models import WRITE_ROLES, User
from xuanwen.accounts.permissions import can_write
from xuanwen.core.entry import options_html
from xuanwen.core.scope import Scope

from .models import Unit
from .selectors import units_for

# Up to this many units a plain <select> is quicker than typing (a township and its villages,
# a county's few hundred); above it (a city, a province) the form offers a search instead.
UNIT_SELECT_MAX = 400


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
    units = list(units_for(user).order_by("code")[: UNIT_SELECT_MAX + 1])
    return None if len(units) > UNIT_SELECT_MAX else units


def visible_units(user: User) -> list[Unit] | None:
    """The units of the user's subtree for a filter select, or None when there are too many."""
    units = list(units_for(user).order_by("code")[: UNIT_SELECT_MAX + 1])
    return None if len(units) > UNIT_SELECT_MAX else units


def unit_choices(user: User) -> list[tuple[str, str]] | None:
    """visible_units as (code, indented name) pairs, read without building Unit objects."""
    units = units_for(user).order_by("code")
    # Whether there are too many is one step along the index; reading them all to find out
    # cost a county's page 400 rows it then threw away.
    if units[UNIT_SELECT_MAX : UNIT_SELECT_MAX + 1].exists():
        return None
    rows = list(units.values_list("code", "name"))
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
