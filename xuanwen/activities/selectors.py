"""Reading activities, always within the user's scope."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from django.db import connection
from django.db.models import CharField, F, Func, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from xuanwen.core import tree
from xuanwen.core.versioned import cached_count

from .models import Activity, ActivityType, Attachment, Award, MediaCoverage

ChildT = TypeVar("ChildT", Attachment, MediaCoverage, Award)


def activities_for(user: Any) -> QuerySet[Activity]:
    """Live activities held anywhere in the user's subtree."""
    return Activity.objects.filter(tree.subtree_q(user.scope, "unit_id"))


def get_activity_for_user(user: Any, pk: int) -> Activity:
    activity = activities_for(user).select_related("unit", "type").filter(pk=pk).first()
    if activity is None:
        raise Http404(_("未找到该活动，或您无权查看。"))
    return activity


def _part_for_user(model: type[ChildT], user: Any, pk: int, missing: str) -> ChildT:
    """A photo, report or award of a live activity in the user's subtree, else 404."""
    part = (
        model._default_manager.filter(
            tree.subtree_q(user.scope, "activity__unit_id"), activity__deleted_at__isnull=True
        )
        .select_related("activity")
        .filter(pk=pk)
        .first()
    )
    if part is None:
        raise Http404(missing)
    return part


def get_attachment_for_user(user: Any, pk: int) -> Attachment:
    return _part_for_user(Attachment, user, pk, _("未找到该附件，或您无权查看。"))


def activity_types() -> QuerySet[ActivityType]:
    return ActivityType.objects.filter(active=True)


@dataclass
class ActivityFilter:
    """The list filter: subtree, type, period and free text (name, place or pinyin)."""

    unit: str = ""
    type_id: int | None = None
    start: date | None = None
    end: date | None = None
    text: str = ""


def _subtree_q(prefix: str, field: str) -> Q:
    # A village has no children: equality lets the (unit, start_date) index deliver its rows
    # already in date order, where a range would make the database sort them.
    if len(prefix) == tree.LEVEL_LENGTHS[-1]:
        return Q(**{field: prefix})
    return tree.subtree_q(prefix, field)


def _effective_unit(user: Any, unit: str) -> str | None:
    """The one subtree to search: the filter's when it lies in the scope, else the scope's.

    None when the filter's unit lies outside the scope (the form never lets one through, but
    other callers might): both ranges then apply, and nothing matches.
    """
    if not unit:
        return str(user.scope)
    return unit if tree.in_subtree(unit, user.scope) else None


class _Unindexed(Func):
    """`+unit_id` on SQLite: the same value, but hidden from the planner, so that a search
    over a large subtree walks the start_date index in the page's order instead of reading
    and sorting the whole subtree."""

    template = "+%(expressions)s"
    output_field = CharField()


def _search(user: Any, f: ActivityFilter, field: str = "unit_id") -> QuerySet[Activity]:
    qs = Activity.objects.all()
    if field != "unit_id":
        qs = qs.alias(**{field: _Unindexed(F("unit_id"))})
    unit = _effective_unit(user, f.unit)
    if unit is None:
        qs = qs.filter(tree.subtree_q(user.scope, field), tree.subtree_q(f.unit, field))
    else:
        # One range only: with two on the same column SQLite uses the first (the scope's,
        # the wider) and reads every row of it.
        qs = qs.filter(_subtree_q(unit, field))
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


def activity_search(user: Any, f: ActivityFilter) -> QuerySet[Activity]:
    """Live activities in the user's scope matching the filter, newest first."""
    return _search(user, f)


# Above this many matches a page is read along the start_date index (see _Unindexed); up to
# it, reading the subtree through the unit index and sorting it is quicker.
BY_DATE_ABOVE = 2000


class ActivityResults:
    """The list's matches for a Paginator: an exact count, then each page by the cheaper plan.

    The count is served by the covering (unit, deleted_at) index, and counted only once per
    version of the table (core.versioned). Knowing it, a page of a
    large result (a county's tens of thousands) is read in date order along the start_date
    index and stops after the page; a small one (a village, a rare type) through the unit
    index and sorted. PostgreSQL chooses between those plans from its statistics; SQLite
    without statistics always takes the unit index, so there the choice is made here.
    """

    ordered = True

    def __init__(
        self,
        qs: QuerySet[Activity],
        by_date: Callable[[], QuerySet[Activity]] | None,
        count_key: Any = None,
    ) -> None:
        self.qs = qs
        self.count_key = count_key
        # Built only when a page is read along the date index (building a queryset is a good
        # part of a small page's time).
        self.by_date = by_date
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            self._count = cached_count(self.qs, self.count_key)
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key: slice) -> Any:
        count = self.count()
        if self.by_date is None or count <= BY_DATE_ABOVE:
            return self.qs[key]
        start, stop = key.start or 0, min(key.stop if key.stop is not None else count, count)
        if stop * 2 <= count:
            return self.by_date()[start:stop]
        # The walk reads every row before the page: for the later half, walk from the
        # oldest end and turn the page round.
        return list(reversed(self.by_date().reverse()[max(count - stop, 0) : count - start]))


# What a row of the list shows: read as tuples, since building 150 model instances (with their
# unit and type) was a good part of the page's time.
LIST_FIELDS = (
    "pk", "title", "start_date", "end_date", "place", "audience", "unit__name", "type__name",
)  # fmt: skip


def activity_results(user: Any, f: ActivityFilter) -> ActivityResults:
    """activity_search for the paged list: rows are named tuples of LIST_FIELDS."""
    unit = _effective_unit(user, f.unit)
    village = unit is not None and len(unit) == tree.LEVEL_LENGTHS[-1]

    def by_date() -> QuerySet[Any]:
        return _search(user, f, field="unit_unindexed").values_list(*LIST_FIELDS, named=True)

    walk = by_date if connection.vendor == "sqlite" and not village else None
    # The scope and the filter are all that _search builds the query from.
    count_key = ("activity_results", user.scope, f)
    return ActivityResults(_search(user, f).values_list(*LIST_FIELDS, named=True), walk, count_key)


def get_coverage_for_user(user: Any, pk: int) -> MediaCoverage:
    return _part_for_user(MediaCoverage, user, pk, _("未找到该报道，或您无权查看。"))


def get_award_for_user(user: Any, pk: int) -> Award:
    return _part_for_user(Award, user, pk, _("未找到该奖项，或您无权查看。"))


def activities_in_period(user: Any, start: date, end: date, unit: str = "") -> list[Activity]:
    """Every in-scope activity overlapping [start, end], oldest first (one query)."""
    qs = activity_search(user, ActivityFilter(unit=unit, start=start, end=end))
    return list(qs.order_by("start_date", "id"))
