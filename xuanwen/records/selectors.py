"""Reads every record type repeats: one record the user may see, else a 404 that says so, and
the parts (photos, rooms, members …) of live records in the user's subtree.

An app's selectors keep their own scoped querysets (`activities_for(user)`) and declare their
getters with these in one statement each.
"""

from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from django.db import models
from django.db.models import QuerySet
from django.http import Http404

from xuanwen.accounts.models import User

from .filters import ID_MAX

RowT = TypeVar("RowT", bound=models.Model)
KeyT = TypeVar("KeyT", str, int)

# Keys per `IN (…)` list: under SQLite's 999 parameters (Django's assumption for any SQLite
# build), with room for the query's other values.
IN_CHUNK = 500


def one_or_404(queryset: QuerySet[RowT], pk: int, missing: str) -> RowT:
    """Row `pk` of a queryset already scoped to the user, else Http404 with `missing` (in
    Chinese, e.g. "未找到该活动，或您无权查看。"). A record outside the scope and one that does
    not exist answer alike, so a 404 tells nothing about other units' records."""
    # An id beyond what a key holds names no record (and would overflow in the database).
    row = queryset.filter(pk=pk).first() if 0 < pk <= ID_MAX else None
    if row is None:
        raise Http404(missing)
    return row


def parts_in_scope(model: type[RowT], user: User, parent: str) -> QuerySet[RowT]:
    """The parts of live records in the user's subtree: `parent` names the part's foreign key
    to a record with a `unit` and a `deleted_at` (a photo's "activity", a room's "facility").
    A part of a deleted record is out of reach until its record is restored."""
    return model._default_manager.filter(
        user.scope.q(f"{parent}__unit_id"), **{f"{parent}__deleted_at__isnull": True}
    )


def get_part(model: type[RowT], user: User, parent: str, pk: int, missing: str) -> RowT:
    """Part `pk` of a live record in the user's subtree (see parts_in_scope), with its record,
    else Http404 with `missing`."""
    return one_or_404(parts_in_scope(model, user, parent).select_related(parent), pk, missing)


def in_chunks(keys: Iterable[KeyT]) -> Iterator[list[KeyT]]:
    """The distinct keys, sorted, in slices of at most IN_CHUNK: one query each, however many
    rows an import brings."""
    wanted = sorted(set(keys))
    for start in range(0, len(wanted), IN_CHUNK):
        yield wanted[start : start + IN_CHUNK]


def values_in(
    queryset: QuerySet[Any], field: str, keys: Iterable[KeyT], *columns: str
) -> set[tuple[Any, ...]]:
    """The `columns` of the rows of `queryset` whose `field` is one of `keys`, read a chunk of
    keys at a time (an import's duplicate check: what is stored already)."""
    found: set[tuple[Any, ...]] = set()
    for chunk in in_chunks(keys):
        found.update(queryset.filter(**{f"{field}__in": chunk}).values_list(*columns))
    return found
