"""Declaring an app's indicators in a line or two each.

What every app's `indicators.py` repeats, written once: the heading its indicators are listed
under (`Group`), the period rules of its sources — the time rule each follows: *event*
(`within`, `overlapping`), *stock* (`standing`) or *new* (`began`) —, the sources of a
record's parts, counted under their record's unit while it lives (`part_of`), the link from a
value to the app's own list filtered to the same unit and period (`list_link`) and a record's
row on the records page (`record_row`)::

    G = Group(_("队伍与培训"))
    SESSIONS = part_of("training_sessions", TrainingSession, "training_class",
                       period_q=within("date"), row=_session_row)

    def register_all() -> None:  # from the app's AppConfig.ready()
        G.add("training.sessions", _("培训课次"), _("次"), SESSIONS)  # a COUNT by default
        G.add("training.hours", _("培训课时"), _("小时"), SESSIONS, Rollup.SUM, field="hours")

    COURTYARDS = Source(key="facilities", ..., period_q=standing("opened_on", "closed_on"), ...)
    OPENED = Source(key="facilities.opened", ..., period_q=began("opened_on"), ...)

A dated register (facilities, households, designations, teams) declares both sources, its
indicators and its per-kind families with `registers.DatedRegister` instead.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, ParamSpec, Protocol, TypedDict, TypeVar, Unpack

from django.db.models import Q
from django.urls import reverse
from django.utils.http import urlencode

from xuanwen.core.models import Catalogue
from xuanwen.units.models import Unit

from .periods import Period
from .registry import (
    Computed,
    Indicator,
    PeriodRule,
    RecordRow,
    Rollup,
    Rule,
    Source,
    Text,
    listed_once,
    listing_sees,
    register,
)

ListUrl = Callable[[str, Period], str]
KindT = TypeVar("KindT", bound=Catalogue)
P = ParamSpec("P")


class Options(TypedDict, total=False):
    """The optional fields of an Indicator (see registry.Indicator for what each means)."""

    where: Q | None
    field: str
    denominator: Q | None
    list_url: ListUrl | None
    help: Text
    computed: Computed | None
    part: str
    of_part: str


def registering(build: Callable[P, Indicator]) -> Callable[P, Indicator]:
    """`build`, registering each indicator it builds."""

    def add(*args: P.args, **kwargs: P.kwargs) -> Indicator:
        return register(build(*args, **kwargs))

    return add


@dataclass(frozen=True)
class Group:
    """The heading an app's indicators are listed under; builds and registers them."""

    name: Text

    def indicator(
        self,
        code: str,
        name: Text,
        measure: Text,
        source: Source,
        rollup: Rollup = Rollup.COUNT,
        **options: Unpack[Options],
    ) -> Indicator:
        """An indicator of this group (a family builds these without registering them)."""
        return Indicator(
            code=code,
            name=name,
            measure=measure,
            source=source,
            rollup=rollup,
            group=self.name,
            **options,
        )

    # The same, registered: what an app's register_all() declares its indicators with.
    add = registering(indicator)


def per_kind(
    catalogue: type[KindT],
    key: str | None,
    named: Callable[[str], Q | None],
    build: Callable[[KindT], Indicator],
) -> list[Indicator]:
    """A family of one indicator per kind of a catalogue (activity types, facility kinds).

    Listing the family (`key` None) gives one per kind still offered; a key gives the kind
    `named(key)` finds, a retired one too, since plans written last year may point at it, and
    nothing when `named` says the key cannot name a kind (None)."""
    kinds = catalogue._default_manager.all()
    if key is None:
        offered = kinds.filter(active=True)
        if (sees := listing_sees(catalogue)) is not None:
            offered = offered.filter(sees)
        return [build(kind) for kind in listed_once(catalogue, lambda: offered)]
    if (q := named(key)) is not None:
        if (sees := listing_sees(catalogue)) is not None:
            kinds = kinds.filter(sees)
        return [build(kind) for kind in kinds.filter(q)]
    return []


def _between(field: str, p: Period) -> Q:
    return Q(**{f"{field}__gte": p.start, f"{field}__lte": p.end})


def within(field: str) -> PeriodRule:
    """An *event* rule: records whose `field` (a date) falls inside the period."""
    return PeriodRule(Rule.EVENT, lambda p: _between(field, p))


def overlapping(prefix: str = "") -> PeriodRule:
    """An *event* rule: records whose `start_date`–`end_date` (after `prefix`) overlap it, the
    rule of the lists' date filter, so a count and the list it links to agree."""
    return PeriodRule(
        Rule.EVENT,
        lambda p: Q(**{f"{prefix}end_date__gte": p.start, f"{prefix}start_date__lte": p.end}),
    )


def standing_on(day: date, start_field: str, end_field: str | None = None) -> Q:
    """Records standing on `day`: begun on or before it and not ended by it (an end on that
    very day or before has ended it). A null start matches nothing, so a record whose start
    is not known stands on no day."""
    q = Q(**{f"{start_field}__lte": day})
    if end_field:
        q &= Q(**{f"{end_field}__isnull": True}) | Q(**{f"{end_field}__gt": day})
    return q


def standing(start_field: str, end_field: str | None = None) -> PeriodRule:
    """A *stock* rule: records standing at the period's end — `start_field` on or before its
    last day, `end_field` (closed, disbanded, revoked) empty or after it. Real-world dates,
    never when the row was entered; no start date: in no period (待补日期). Without an
    `end_field` nothing ends (a ledger's entries up to the period's end)."""
    return PeriodRule(
        Rule.STOCK, lambda p: standing_on(p.end, start_field, end_field), start_field=start_field
    )


def began(start_field: str) -> PeriodRule:
    """A *new* rule: records whose `start_field` falls within the period (新建, 建好, 培育,
    创建), whether or not they still stand at its end."""
    return PeriodRule(Rule.NEW, lambda p: _between(start_field, p), start_field=start_field)


def part_of(
    key: str,
    model: Any,
    owner: str,
    *,
    period_q: PeriodRule,
    row: Callable[[Any], RecordRow],
    live: tuple[str, ...] = (),
    select_related: tuple[str, ...] = (),
    where: Q | None = None,
) -> Source:
    """A source of records that are parts of another (an activity's awards, a facility's
    opening days): counted under their `owner`'s unit (`owner` is the lookup path to it,
    "activity" or "session__training_class"), and only while the owner and the records on the
    `live` paths (a trainee's person) are not deleted: a part of a deleted record counts
    nowhere. `where` narrows them further (a bookhouse's rows: facilities that are bookhouses)."""
    alive = {f"{path}__deleted_at__isnull": True for path in (owner, *live)}
    return Source(
        key=key,
        queryset=lambda: model.objects.filter(where or Q(), **alive),
        unit_field=f"{owner}__unit_id",
        period_q=period_q,
        row=row,
        select_related=(*select_related, f"{owner}__unit"),
    )


class Page(Protocol):
    """A record with a page of its own."""

    def get_absolute_url(self) -> str: ...


def record_row(
    page: Page, unit: Unit, *, title: str, date: date | None, detail: str = ""
) -> RecordRow:
    """How the records page lists a value's record: linked to `page` (the record itself, or
    the record it is part of: an award's activity) and named with the unit it belongs to."""
    return RecordRow(
        title=title, url=page.get_absolute_url(), unit_name=unit.name, date=date, detail=detail
    )


Dates = Literal["range", "as_of", "period", "none"]


def list_link(
    url_name: str, *, dates: Dates = "range", filters: Mapping[str, str | int] | None = None
) -> ListUrl:
    """A value's link to a list page filtered to the unit's subtree and the period.

    `dates` says how the list takes the period: its first and last days (`start`, `end`), its
    last day (`as_of`: things standing then), its key (`period`), or not at all. `filters` are
    further fixed filters (a type, a kind). The URL is reversed when a link is asked for, after
    every app's URLs are loaded.
    """

    def url(unit_code: str, period: Period) -> str:
        query: dict[str, str | int] = {"unit": unit_code, **(filters or {})}
        if dates == "range":
            query |= {"start": period.start.isoformat(), "end": period.end.isoformat()}
        elif dates == "as_of":
            query["as_of"] = period.end.isoformat()
        elif dates == "period":
            query["period"] = period.key
        return f"{reverse(url_name)}?{urlencode(query)}"

    return url
