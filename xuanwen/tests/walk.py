"""What the scope walker (test_scope_walk.py) is made of, for apps to describe their routes.

An app whose pages or API take parameters that name records adds `xuanwen/<app>/tests/walk.py`
with any of:

- `FIXTURES`: functions `(root, admin) -> None` that make records inside and outside every
  persona's subtree (at least one per unit of the shared tree);
- `PARAMS`: parameter keys (see test_scope_walk.PARAMS) → a factory of `Values`, or None;
- `FORM_PAGES`: page templates whose GET is a form for a write → the roles that may write.

The walker finds these modules itself (`discover()`), so apps never edit the walker.
"""

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Model

from xuanwen.accounts.models import WRITE_ROLES, User
from xuanwen.core import tree
from xuanwen.core.scope import Scope
from xuanwen.units.models import Unit

GHOST_CODE = "331082999999"  # a well-formed code that no unit has
GHOST_ID = "987654321"


@dataclass(frozen=True)
class Values:
    inside: str | None  # a value inside the persona's subtree (None: the fixtures have none)
    outside: list[str]  # values outside it; the last one names nothing at all


def sample(rows: list[tuple[str, str]], user_scope: Scope) -> list[str]:
    """A few values out of (value, unit code) rows outside the scope, one per relation to it:
    the parent's, the nearest cousin's (a sibling), the furthest cousin's (another county),
    and one of no unit. Every value outside would say little more and cost many requests.
    For an empty scope everything is outside: the nearest and furthest of all rows."""
    scope = user_scope.root or ""

    def common(code: str) -> int:
        same = [a == b for a, b in zip(code, scope, strict=False)]
        return same.index(False) if False in same else len(same)

    parent = tree.parent_code(scope) if scope else None
    cousins = [(v, c) for v, c in rows if c and not scope.startswith(c)]
    picks = [
        next((v for v, c in rows if c == parent), None),
        max(cousins, key=lambda r: (common(r[1]), -len(r[1])), default=(None,))[0],
        min(cousins, key=lambda r: (common(r[1]), -len(r[1])), default=(None,))[0],
        next((v for v, c in rows if not c), None),
    ]
    return list(dict.fromkeys(v for v in picks if v is not None))


def unit_codes(user: User) -> Values:
    codes = Unit.objects.order_by("code").values_list("code", flat=True)
    outside = [(c, c) for c in codes if not user.scope.contains(c)]
    return Values(inside=user.scope.unit_code, outside=[*sample(outside, user.scope), GHOST_CODE])


def owned_kinds(model: type[Model]) -> Callable[[User], Values]:
    """Ids of a vocabulary's kinds (records.models: national, or owned by the unit that added
    them). Inside: one the persona's admin rights reach, their unit's own (a national one for
    the country); outside: kinds of units off the persona's line (another county's), which
    the persona does not see, and nothing."""

    def factory(user: User) -> Values:
        # The oracle, independent of the app's selectors: a kind is seen from the unit that
        # owns it and every unit below; a national one (no owner) from everywhere.
        mine = user.scope.unit_code
        line = {code for code in (tree.ancestor_codes(mine) if mine else [])} | {mine}
        rows = list(model._default_manager.order_by("pk").values_list("pk", "owner_id"))
        inside = next((pk for pk, owner in rows if owner == mine), None)
        hidden = [(str(pk), owner) for pk, owner in rows if owner and owner not in line]
        return Values(
            inside=str(inside) if inside is not None else None,
            outside=[*sample(hidden, user.scope), GHOST_ID],
        )

    return factory


def records(model: type[Model], unit_field: str) -> Callable[[User], Values]:
    """Ids of `model`'s rows, inside or outside by the unit code found at `unit_field`
    ("unit_id", "activity__unit_id", …). A soft-deleted row in scope counts as outside too."""

    def factory(user: User) -> Values:
        # The oracle, written independently of the app's selectors: a record is visible when
        # its unit is in the subtree; a record of no unit (a country-wide import's audit
        # entry, say) only to superusers.
        def visible(code: str | None) -> bool:
            return bool(code) and user.scope.contains(str(code))

        alive = model._default_manager.order_by("pk").values_list("pk", unit_field)
        everything = model._base_manager.order_by("pk").values_list("pk", unit_field)
        inside = [pk for pk, code in alive if visible(code)]
        alive_pks = {pk for pk, _code in alive}
        outside = [(str(pk), code or "") for pk, code in everything if not visible(code)]
        deleted = [str(pk) for pk, code in everything if visible(code) and pk not in alive_pks]
        return Values(
            inside=str(inside[0]) if inside else None,
            outside=[*sample(outside, user.scope), *deleted[:1], GHOST_ID],
        )

    return factory


def on_line(model: type[Model], owner_field: str) -> Callable[[User], Values]:
    """Ids of what a unit owns for the units below it (a report set, an assessment scheme),
    seen from the owner's subtree and by the units below it, so along the owner's whole line.
    Inside: one owned in the user's subtree, else one owned above their unit; outside: ones
    owned off the user's line."""

    def factory(user: User) -> Values:
        root = user.scope.root

        def visible(owner: str) -> bool:
            return root is not None and (user.scope.contains(owner) or root.startswith(owner))

        rows = list(model._default_manager.order_by("pk").values_list("pk", owner_field))
        owned = [pk for pk, owner in rows if root is not None and user.scope.contains(owner)]
        seen = [pk for pk, owner in rows if visible(owner)]
        inside = (owned or seen or [None])[0]
        outside = [(str(pk), owner) for pk, owner in rows if not visible(owner)]
        return Values(
            inside=str(inside) if inside is not None else None,
            outside=[*sample(outside, user.scope), GHOST_ID],
        )

    return factory


def register_params(
    app: str, arg: str, model: type[Model], filters: tuple[str, ...] = ()
) -> dict[str, Any]:
    """A dated register's `PARAMS`: its records' ids, by their `unit_id`, for the pages (`pk`)
    and the API (`<arg>_id`), and its list filters, which name no record: a kind code (list
    filter and body field), the `filters` of its own (a level), `start` and `end` (the new
    counts' link) and `undated` (待补日期)."""
    ids = records(model, "unit_id")
    free = ("kind", *filters, "start", "end", "undated")
    return {f"{app}:pk": ids, f"{app}:{arg}_id": ids, **{f"{app}:{name}": None for name in free}}


def register_forms(prefix: str) -> dict[str, frozenset[str]]:
    """The `FORM_PAGES` of a record type routed under `/<prefix>/` by records.urls: its entry
    form (new, edit) and its import (the upload page and the template), each for the roles
    that write."""
    paths = ("new/", "{pk}/edit/", "import/", "import/template.xlsx")
    return {f"/{prefix}/{path}": WRITE_ROLES for path in paths}


def discover() -> tuple[list[Any], dict[str, Any], dict[str, frozenset[str]]]:
    """FIXTURES, PARAMS and FORM_PAGES of every app's tests/walk.py but core's, merged."""
    fixtures: list[Any] = []
    params: dict[str, Any] = {}
    form_pages: dict[str, frozenset[str]] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("xuanwen.") or config.name == "xuanwen.core":
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.walk")
        except ModuleNotFoundError as e:
            if e.name not in (f"{config.name}.tests", f"{config.name}.tests.walk"):
                raise
            continue
        fixtures.extend(getattr(module, "FIXTURES", []))
        for key, factory in getattr(module, "PARAMS", {}).items():
            if key in params and params[key] is not factory:
                raise AssertionError(f"scope walk parameter {key!r} claimed twice")
            params[key] = factory
        form_pages.update(getattr(module, "FORM_PAGES", {}))
    return fixtures, params, form_pages
