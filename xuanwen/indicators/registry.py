"""The named indicators (指标) and how each is computed from records.

An indicator is defined once, here or by the app that owns its records, and is then computed
for any unit and period: the unit's whole subtree is a code range, so a value is one aggregate
query and a roll-up by child is one GROUP BY on a prefix of the code (see core.tree).

Registering one, from the owning app's AppConfig.ready(), after describing its records once as
a `Source` (queryset, unit code field, period filter, how a record is listed; see
activities/indicators.py for the activities' own)::

    from xuanwen.indicators.registry import Indicator, Rollup, register

    register(Indicator(code="screenings.count", name="放映场次", measure="场",
                       source=SCREENINGS, rollup=Rollup.COUNT))

(`declare.Group` writes the same in one line, with the app's heading; `declare.within`,
`declare.overlapping`, `declare.standing` and `declare.began` are the period rules and
`declare.list_link` the usual list link.)

Every source declares its **time rule** once, in its `period_q` (a `PeriodRule`), and every
indicator of it follows that rule alike in its value, its roll-up by child, its records and a
plan's progress:

- *event* (`within`, `overlapping`): counted in the periods it happened in;
- *stock* (`standing`): standing at the period's end, from real-world dates (opened and
  closed, founded and disbanded), never from when the row was typed in;
- *new* (`began`): stock that began within the period (新建, 建好, 培育, 创建).

A stock or new record without its start date counts in no period; `Source.undated` lists it
(待补日期) so that a clerk can fill the date in.

Indicators that follow rows of a table (one per activity type, say) are a *family*: a function
registered under a code prefix that builds them on demand, so that a type added by an admin
is an indicator at once::

    @register_family("activities.type.")
    def by_type(key: str | None) -> list[Indicator]: ...   # key None → all of them

Some values are no single aggregate: opening compliance is judged week by week in Python
against the official calendar. Such an indicator is *computed*: its `computed` names a function
that returns additive parts (compliant weeks, judged weeks …) by branch of the tree in a constant
number of queries, and the indicator picks a part (`part`) or a rate of two (`part` out of
`of_part`). Totals and roll-ups by child then work exactly as for the SQL ones::

    WEEKS = Computed(key="opening.weeks", parts=weeks_parts)
    register(Indicator(code="opening.compliance_rate", name="开放达标率", measure="%",
                       source=LOGS, rollup=Rollup.RATE, computed=WEEKS,
                       part="compliant", of_part="judged"))
"""

import dataclasses
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from django.db.models import Aggregate, Count, Model, Q, QuerySet, Sum
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from xuanwen.core import tree
from xuanwen.core.scope import Scope

from .periods import Period

Number = int | float | None
# Names are translated when shown, not when registered at start-up.
Text = str | Promise


class Rollup(StrEnum):
    """How an indicator's value is made from records and added up the tree."""

    COUNT = "count"  # number of records
    SUM = "sum"  # sum of a field of the records
    DISTINCT = "distinct"  # number of distinct values of a field (each counted once)
    RATE = "rate"  # records matching `where` as a percentage of the `denominator` records

    @property
    def label(self) -> str:
        return str(ROLLUP_LABELS[self])


ROLLUP_LABELS = {
    Rollup.COUNT: _("计数"),
    Rollup.SUM: _("求和"),
    Rollup.DISTINCT: _("去重计数"),
    Rollup.RATE: _("比率"),
}


class Rule(StrEnum):
    """What "in a period" means for an indicator's records (see the module's docstring)."""

    EVENT = "event"  # happened within the period (overlapping it, for a span)
    STOCK = "stock"  # standing at the period's end
    NEW = "new"  # began within the period

    @property
    def label(self) -> str:
        return str(RULE_LABELS[self])


RULE_LABELS = {
    Rule.EVENT: _("按发生时间"),
    Rule.STOCK: _("期末存量"),
    Rule.NEW: _("期内新增"),
}


@dataclass(frozen=True)
class PeriodRule:
    """Which records belong to a period, declared with the time rule it follows.

    Called with a period it gives the filter (so it is a source's `period_q`). `start_field`
    is the date a stock or new record starts from (`opened_on`): a record without it belongs
    to no period and is listed as 待补日期.
    """

    rule: Rule
    q: Callable[[Period], Q]
    start_field: str = ""

    def __call__(self, period: Period) -> Q:
        return self.q(period)

    def also(self, extra: Callable[[Period], Q]) -> "PeriodRule":
        """The same rule narrowed by a further condition at the period (a standard met on its
        last day)."""
        q = self.q
        return dataclasses.replace(self, q=lambda p: q(p) & extra(p))


@dataclass(frozen=True)
class RecordRow:
    """One record behind a value, as the records page lists it."""

    title: str
    url: str
    unit_name: str
    date: date | None
    detail: str = ""


@dataclass(frozen=True)
class Summary:
    """Totals of a source's records kept by its services, by subtree and month, so that its
    indicators read a few rows instead of every record (activities.models.ActivityTally).

    A row totals the records of one unit's whole subtree (`path_field`: that unit's code), and
    `period_q` picks the rows of a period whose start and end are whole months (the summary
    cannot cut a month). `aggregates(indicator, alias)` gives the indicator's aggregates over
    the rows under the same names as Indicator.aggregates, or None when the summary does not
    hold what it counts; it is then computed from the records.
    """

    queryset: Callable[[], QuerySet[Any]]
    path_field: str
    period_q: Callable[[Period], Q]
    aggregates: "Callable[[Indicator, str], dict[str, Aggregate] | None]"


@dataclass(frozen=True)
class Source:
    """A kind of record that indicators are computed from (activities, awards, screenings …)."""

    key: str
    # The live records, before any unit or period filter.
    queryset: Callable[[], QuerySet[Any]]
    # Lookup path to the unit code of a record ("unit_id", "activity__unit_id"): the tree path.
    unit_field: str
    # Records belonging to a period, and the time rule that says so (declare.within …).
    period_q: PeriodRule
    # How the records page shows one record (title, link, unit, date).
    row: Callable[[Any], RecordRow]
    select_related: tuple[str, ...] = ()
    # Kept totals that answer its indicators for whole-month periods, if it has any.
    summary: Summary | None = None

    @property
    def rule(self) -> Rule:
        return self.period_q.rule

    def records(self, unit_code: str, period: Period) -> QuerySet[Any]:
        """The records of the unit's whole subtree in the period."""
        return self.queryset().filter(
            tree.subtree_q(unit_code, self.unit_field), self.period_q(period)
        )

    def undated(self, unit_code: str) -> QuerySet[Any] | None:
        """The unit subtree's records that count in no period for want of their start date
        (待补日期); None when the rule needs no such date."""
        start = self.period_q.start_field
        if not start:
            return None
        return self.queryset().filter(
            tree.subtree_q(unit_code, self.unit_field), **{f"{start}__isnull": True}
        )


# Parts by branch: the unit code of the records cut to the branch length → part → number.
Parts = dict[str, dict[str, int | float]]


@dataclass(frozen=True)
class Computed:
    """How computed indicators get their values when no SQL aggregate can say it.

    `parts(unit_code, period, branch_len)` returns additive numbers for the records of the
    unit's subtree in the period, keyed by the record's unit code cut to `branch_len`
    characters (a record of the unit itself keeps its shorter code). It must cost a constant
    number of queries whatever the size of the subtree: the indicator pages, the API and plan
    progress call it once per request and group.
    """

    key: str
    parts: Callable[[str, Period, int], Parts]


@dataclass(frozen=True)
class Indicator:
    """A named measure computed from one source's records, for any unit subtree and period."""

    code: str
    name: Text
    measure: Text  # the unit of measure shown after the number: 次、人次、个、项、%
    source: Source
    rollup: Rollup
    where: Q | None = None  # which of the source's records count (RATE: the hits)
    field: str = ""  # SUM: the summed field; DISTINCT: the field whose values are counted
    denominator: Q | None = None  # RATE: the records the rate is out of (None: all)
    # The list page that shows exactly the records behind a value, when the owning app has one
    # whose filter matches this indicator; otherwise the indicators' own records page is used.
    list_url: Callable[[str, Period], str] | None = dataclasses.field(default=None, compare=False)
    group: Text = ""
    help: Text = ""
    # A computed indicator (see Computed): SUM of `part`, or RATE of `part` out of `of_part`.
    # `source` then only names the records behind it for the records page.
    computed: Computed | None = dataclasses.field(default=None, compare=False)
    part: str = ""
    of_part: str = ""

    @property
    def rule(self) -> Rule:
        """The time rule, declared once on the source's period rule."""
        return self.source.rule

    @property
    def level(self) -> bool:
        """A level held at the period's end (facilities standing, books in stock, teams) rather
        than something done during it: a plan does not scale its target by time elapsed."""
        return self.rule == Rule.STOCK

    @property
    def group_key(self) -> str:
        """Indicators with the same key are computed together (one query, or one call)."""
        return f"computed:{self.computed.key}" if self.computed else self.source.key

    @property
    def accumulates(self) -> bool:
        """Whether the value grows through the period (a count, a sum) rather than being a
        level such as a rate: a plan scales only the former by the elapsed part of its period."""
        return self.rollup != Rollup.RATE and not self.level

    def row_from_parts(self, parts: dict[str, int | float], alias: str) -> dict[str, Any]:
        """A computed indicator's parts in the shape `finish` reads."""
        return {alias: parts.get(self.part, 0), f"{alias}__den": parts.get(self.of_part, 0)}

    def aggregates(self, alias: str) -> dict[str, Aggregate]:
        """The aggregate expressions for this indicator, named after `alias`."""
        where = self.where
        if self.rollup == Rollup.COUNT:
            return {alias: Count("pk", filter=where)}
        if self.rollup == Rollup.SUM:
            return {alias: Sum(self.field, filter=where)}
        if self.rollup == Rollup.DISTINCT:
            return {alias: Count(self.field or "pk", filter=where, distinct=True)}
        return {
            alias: Count("pk", filter=where),
            f"{alias}__den": Count("pk", filter=self.denominator),
        }

    def finish(self, row: dict[str, Any], alias: str) -> Number:
        """The value from an aggregate row (0 when there were no records)."""
        if self.rollup == Rollup.RATE:
            den = row.get(f"{alias}__den") or 0
            if not den:
                return None  # a rate of nothing is not 0 %
            return round(100 * (row.get(alias) or 0) / den, 1)
        return row.get(alias) or 0

    def records(self, unit_code: str, period: Period) -> QuerySet[Any]:
        """Exactly the records counted in the value (for a rate: the hits)."""
        qs = self.source.records(unit_code, period)
        if self.where is not None:
            qs = qs.filter(self.where)
        if self.rollup == Rollup.RATE and self.denominator is not None:
            qs = qs.filter(self.denominator)
        if self.rollup == Rollup.DISTINCT:
            qs = qs.distinct()
        return qs

    def records_url(self, unit_code: str, period: Period) -> str:
        if self.list_url is not None:
            return self.list_url(unit_code, period)
        query = urlencode({"indicator": self.code, "unit": unit_code, "period": period.key})
        return f"{reverse('indicators:records')}?{query}"


Family = Callable[[str | None], Iterable[Indicator]]

# Codes → indicators, prefixes → families, and both in registration order for lists.
_indicators: dict[str, Indicator] = {}
_families: dict[str, Family] = {}
_order: list[str] = []


def _check_free(code: str) -> None:
    taken = code in _indicators or any(code.startswith(p) or p.startswith(code) for p in _families)
    if taken:
        raise ValueError(f"indicator code already registered: {code}")


def register(indicator: Indicator) -> Indicator:
    """Make an indicator known by its code; registering a code twice is a programming error."""
    _check_free(indicator.code)
    _indicators[indicator.code] = indicator
    _order.append(indicator.code)
    return indicator


def register_family(prefix: str) -> Callable[[Family], Family]:
    """Register a function that builds the indicators whose codes start with `prefix`.

    It is called with the rest of the code to build just that one (an empty result if there is
    none), or with None to build all of them for lists.
    """

    def decorator(fn: Family) -> Family:
        _check_free(prefix)
        _families[prefix] = fn
        _order.append(prefix)
        return fn

    return decorator


def unregister(code_or_prefix: str) -> None:
    """Forget an indicator or a family (for tests that register their own)."""
    _indicators.pop(code_or_prefix, None)
    _families.pop(code_or_prefix, None)
    if code_or_prefix in _order:
        _order.remove(code_or_prefix)


def get_indicator(code: str, scope: Scope | None = None) -> Indicator | None:
    """The indicator of `code`; given a `scope`, a kind's indicator only if the scope sees
    the kind (another county's type names no indicator here)."""
    if code in _indicators:
        return _indicators[code]
    for prefix, family in _families.items():
        if code.startswith(prefix):
            viewer = _viewer.set(scope)
            try:
                return next(iter(family(code[len(prefix) :])), None)
            finally:
                _viewer.reset(viewer)
    return None


# While one listing runs: what each family has read, by what it read (a catalogue of kinds),
# so that two families over one catalogue (a kind's standing count and its new count) read it
# once. It lives for that one call only, so it never outlives what it read.
_listing: ContextVar[dict[object, list[Any]] | None] = ContextVar("indicator_listing", default=None)
# While one listing runs: whose listing it is. A family over a vocabulary a unit may own lists
# only the kinds this scope sees (see `listing_sees`); None: every kind (no reader named).
_viewer: ContextVar[Scope | None] = ContextVar("indicator_viewer", default=None)


def listing_sees(catalogue: type[Model]) -> Q | None:
    """The rows of `catalogue` the running listing's reader sees: with an owner field (a
    vocabulary a unit may own), the national ones and their own units' (Scope.sees_owned);
    None when every row is listed (no reader, or a catalogue without owners)."""
    scope = _viewer.get()
    if scope is None or not any(f.name == "owner" for f in catalogue._meta.get_fields()):
        return None
    return scope.sees_owned()


def listed_once(source: object, read: Callable[[], Iterable[Any]]) -> list[Any]:
    """`read()` as a list, read once per `all_indicators()` or `get_indicators()` call for
    each `source`."""
    memo = _listing.get()
    if memo is None:
        return list(read())
    if source not in memo:
        memo[source] = list(read())
    return memo[source]


def all_indicators(scope: Scope | None = None) -> list[Indicator]:
    """Every indicator in registration order, a family's members where it was registered;
    given a `scope`, a per-kind family lists only the kinds it sees (another county's
    activity type is no indicator of this one's)."""
    out: list[Indicator] = []
    token = _listing.set({})
    viewer = _viewer.set(scope)
    try:
        for key in _order:
            if key in _indicators:
                out.append(_indicators[key])
            else:
                out.extend(_families[key](None))
    finally:
        _listing.reset(token)
        _viewer.reset(viewer)
    return out


def get_indicators(codes: Iterable[str]) -> dict[str, Indicator]:
    """The indicators of `codes` that exist, by code: a page naming a few (a plan's items)
    lists only the families they belong to, each catalogue read once, rather than every
    indicator. A code a listing does not hold (a retired kind) is looked up on its own."""
    found: dict[str, Indicator] = {}
    wanted: dict[str, list[str]] = {}
    for code in codes:
        if code in _indicators:
            found[code] = _indicators[code]
            continue
        prefix = next((p for p in _families if code.startswith(p)), None)
        if prefix is not None:
            wanted.setdefault(prefix, []).append(code)
    token = _listing.set({})
    try:
        for prefix, family_codes in wanted.items():
            listed = {i.code: i for i in _families[prefix](None)}
            for code in family_codes:
                one = listed.get(code) or next(iter(_families[prefix](code[len(prefix) :])), None)
                if one is not None:
                    found[code] = one
    finally:
        _listing.reset(token)
    return found
