"""Reading activities, always within the user's scope."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.db.models.functions import Length
from django.utils.translation import gettext as _

from xuanwen.accounts.models import User
from xuanwen.core import tree
from xuanwen.core.scope import Scope
from xuanwen.records.selectors import get_part, one_or_404
from xuanwen.records.vocab import offered_kinds
from xuanwen.units.models import Unit
from xuanwen.units.selectors import units_for

from . import counts
from .models import Activity, ActivityType, Attachment, Award, MediaCoverage


def activities_for(user: User) -> QuerySet[Activity]:
    """Live activities held anywhere in the user's subtree."""
    return Activity.objects.filter(user.scope.q("unit_id"))


def get_activity_for_user(user: User, pk: int) -> Activity:
    qs = activities_for(user).select_related("unit", "type")
    return one_or_404(qs, pk, _("未找到该活动，或您无权查看。"))


def get_attachment_for_user(user: User, pk: int) -> Attachment:
    return get_part(Attachment, user, "activity", pk, _("未找到该附件，或您无权查看。"))


def villages_for(user: User) -> QuerySet[Unit]:
    """The villages (communities) of the user's subtree, that an activity may have reached."""
    village = tree.LEVEL_LENGTHS[-1]
    return units_for(user).annotate(n=Length("code")).filter(n=village).order_by("code")


def activity_types(scope: Scope) -> QuerySet[ActivityType]:
    """The kinds the scope sees (national and its units' own, see records.models) still
    offered for new records (retired ones are kept by the records that use them)."""
    return offered_kinds(ActivityType, scope)


@dataclass
class ActivityFilter:
    """The list filter: subtree, type, period and free text (name, place or pinyin)."""

    unit: str = ""
    type_id: int | None = None
    start: date | None = None
    end: date | None = None
    text: str = ""


def _effective_scope(user: User, unit: str) -> Scope:
    """The one subtree to search: the filter's unit narrows the user's scope (one range, not
    two: with two on the same column SQLite uses the first, the wider, and reads all of it).
    A unit outside the scope (the form never lets one through, but other callers might)
    leaves nothing."""
    return user.scope.narrowed(unit) if unit else user.scope


def _search(user: User, f: ActivityFilter) -> QuerySet[Activity]:
    qs = Activity.objects.filter(_effective_scope(user, f.unit).q("unit_id"))
    if f.type_id:
        qs = qs.filter(type_id=f.type_id)
    # An activity belongs to the period it overlaps.
    if f.start:
        qs = qs.filter(end_date__gte=f.start)
    if f.end:
        qs = qs.filter(start_date__lte=f.end)
    text = f.text.strip()
    if text:
        if text.isascii() and text.isalpha():
            qs = qs.filter(search_pinyin__contains=text.lower())
        else:
            qs = qs.filter(Q(title__contains=text) | Q(place__contains=text))
    return qs.select_related("unit", "type")


def activity_search(user: User, f: ActivityFilter) -> QuerySet[Activity]:
    """Live activities in the user's scope matching the filter, newest first."""
    return _search(user, f)


# What a row of the list shows.
LIST_FIELDS = (
    "pk", "title", "start_date", "end_date", "place", "audience", "unit__name", "type__name",
)  # fmt: skip
PAGE_SIZE = 50
LAST = "last"  # the page at the oldest end


@dataclass(frozen=True)
class ActivityPage:
    """One page of the list, newest first, and where the pages beside it start.

    Pages are marked by the row they follow ("o" + its key: the rows older than it) or precede
    ("n" + key: the rows newer than it), not by a number: a page is then read from the list's
    index starting at that row and stops after the page, so the thousandth page costs what
    the first does, where OFFSET would read and skip every row before it.
    """

    rows: list[Any]  # named tuples of LIST_FIELDS
    # Exact, from the counters, when the filter is a subtree and a type only; also when the
    # whole result fits on the first page. None otherwise: counting a text search over a
    # county's million activities would read them all.
    total: int | None
    newer: str | None  # the `at` of the page before, None on the newest
    older: str | None  # the `at` of the page after, None on the oldest


def _key(row: Any) -> str:
    return f"{row.start_date.isoformat()}.{row.pk}"


def _parse_key(text: str) -> tuple[date, int] | None:
    day, _, pk = text.partition(".")
    try:
        return date.fromisoformat(day), int(pk)
    except ValueError:
        return None


def _beyond(key: tuple[date, int], op: str) -> Q:
    """The rows after the row of `key` in the list's order (start date, then id), `op` "gt"
    upwards (newer) and "lt" downwards; the plain bound on the start date lets the index
    range start there."""
    day, pk = key
    return Q(
        Q(**{f"start_date__{op}": day}) | Q(start_date=day, **{f"pk__{op}": pk}),
        **{f"start_date__{op}e": day},
    )


def activity_page(
    user: User, f: ActivityFilter, at: str = "", size: int = PAGE_SIZE
) -> ActivityPage:
    """The page of the list that `at` names ("" the newest, LAST the oldest, or as made by
    ActivityPage.newer / .older); an `at` that cannot be read is the newest page."""
    qs = _search(user, f).values_list(*LIST_FIELDS, named=True)
    key = _parse_key(at[1:]) if at[:1] in ("o", "n") else None
    # Towards the newer rows, the page is read from the oldest end (or upwards from the row)
    # and turned round; towards the older ones, downwards as the list shows it.
    upwards = at == LAST or (key is not None and at[0] == "n")
    if key is not None:
        qs = qs.filter(_beyond(key, "gt" if upwards else "lt"))
    order = ("start_date", "pk") if upwards else ("-start_date", "-pk")
    found = list(qs.order_by(*order)[: size + 1])
    more = len(found) > size
    rows: list[Any] = found[:size][::-1] if upwards else found[:size]
    more_newer, more_older = (more, key is not None) if upwards else (key is not None, more)
    total: int | None = None
    if not (f.start or f.end or f.text.strip()):
        total = counts.live_total(_effective_scope(user, f.unit), f.type_id)
    elif not at and not more_older:
        total = len(rows)
    return ActivityPage(
        rows=rows,
        total=total,
        newer="n" + _key(rows[0]) if more_newer and rows else None,
        older="o" + _key(rows[-1]) if more_older and rows else None,
    )


def get_coverage_for_user(user: User, pk: int) -> MediaCoverage:
    return get_part(MediaCoverage, user, "activity", pk, _("未找到该报道，或您无权查看。"))


def get_award_for_user(user: User, pk: int) -> Award:
    return get_part(Award, user, "activity", pk, _("未找到该奖项，或您无权查看。"))


def activities_in_period(user: User, start: date, end: date, unit: str = "") -> list[Activity]:
    """Every in-scope activity overlapping [start, end], oldest first (one query)."""
    qs = activity_search(user, ActivityFilter(unit=unit, start=start, end=end))
    return list(qs.order_by("start_date", "id"))
