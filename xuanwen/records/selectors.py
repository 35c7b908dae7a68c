"""Reads every record type repeats: one record the user may see, else a 404 that says so, and
the parts (photos, rooms, members …) of live records in the user's subtree.

An app's selectors keep their own scoped querysets (`activities_for(user)`) and declare their
getters with these in one statement each.
"""

from typing import TypeVar

from django.db import models
from django.db.models import QuerySet
from django.http import Http404

from xuanwen.accounts.models import User

from .filters import ID_MAX

RowT = TypeVar("RowT", bound=models.Model)


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
