"""Reads and checks of the vocabularies of kinds a unit may own (see `records.models`)."""

from typing import Any, TypeVar

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from xuanwen.accounts.models import User
from xuanwen.core import tree
from xuanwen.core.scope import Scope

from .models import OwnedCatalogue

KindT = TypeVar("KindT", bound=OwnedCatalogue)


def visible_kinds(model: type[KindT], scope: Scope) -> QuerySet[KindT]:
    """Every kind of `model` the scope sees, retired ones included: the national ones and
    those owned by the scope's top unit or its ancestors."""
    return model._default_manager.filter(scope.sees_owned())


def offered_kinds(model: type[KindT], scope: Scope) -> QuerySet[KindT]:
    """The kinds the scope sees and may still pick for a new record (the active ones)."""
    return visible_kinds(model, scope).filter(active=True)


def kind_owner(user: User) -> str | None:
    """The unit a kind the user adds belongs to: theirs; None (national) for the country."""
    return user.scope.unit_code


def kind_usable(kind: Any, unit_code: str | None) -> bool:
    """Whether a record of unit `unit_code` may use `kind`: a national one, or one owned by
    the unit or an ancestor of it."""
    owner = getattr(kind, "owner_id", None)
    return owner is None or (bool(unit_code) and tree.in_subtree(str(unit_code), owner))


def kind_refused(kind: Any, unit_code: str | None, field: str = "kind") -> dict[str, str]:
    """The rule error of a record whose kind its unit does not see (another county's type),
    keyed by the field; empty when the kind is usable or not given."""
    if kind is None or kind_usable(kind, unit_code):
        return {}
    return {field: _("“%(name)s”是其他单位添加的类型，本单位不能使用。") % {"name": kind.name}}


def may_change_kind(user: User, kind: Any) -> bool:
    """Whether the user's admin rights reach `kind`: its owner's scope (the country for a
    national kind). The caller checks the admin role itself."""
    return getattr(kind, "owner_id", None) == kind_owner(user) and not user.scope.is_nothing
