"""Computing indicator values for a unit subtree and a period, in a fixed number of queries.

The functions here take a unit code and trust it: callers first fetch the unit through
`units.selectors.get_unit_for_user`, and a subtree of a unit in scope is in scope.

Indicators that share a source are computed together: one aggregate query (or one GROUP BY
for a roll-up by child) per source, whatever the number of indicators, children or records.
A source that keeps a summary (registry.Summary) answers from it instead, for whole-month
periods, in as many queries over far fewer rows. Computed indicators (registry.Computed)
sharing a computation are one call to it, which costs a constant number of queries too.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Aggregate, F, Q
from django.db.models.functions import Substr
from django.http import Http404
from django.utils.translation import gettext as _

from xuanwen.core import tree
from xuanwen.core.scope import Scope
from xuanwen.units.models import Unit

from .periods import Period, range_period
from .registry import Indicator, Number, PeriodRule, Rule, Summary, get_indicator


def get_indicator_or_404(code: str, scope: Scope | None = None) -> Indicator:
    """The indicator of `code` (a kind's only where `scope` sees the kind), else a 404."""
    indicator = get_indicator(code, scope)
    if indicator is None:
        raise Http404(_("没有这个指标：%(code)s") % {"code": code})
    return indicator


def _by_source(indicators: Iterable[Indicator]) -> dict[str, list[tuple[str, Indicator]]]:
    """Indicators grouped by source key (or computation), each with a query alias (codes
    contain dots)."""
    groups: dict[str, list[tuple[str, Indicator]]] = defaultdict(list)
    for i, ind in enumerate(indicators):
        groups[ind.group_key].append((f"v{i}", ind))
    return groups


def _add_parts(total: dict[str, int | float], parts: dict[str, int | float]) -> None:
    for name, number in parts.items():
        total[name] = total.get(name, 0) + number


def _summarised(
    group: list[tuple[str, Indicator]], period: Period
) -> tuple[Summary, dict[str, Aggregate]] | None:
    """The source's summary and the group's aggregates over it, when it holds every
    indicator of the group and the period is whole months; None: read the records."""
    summary = group[0][1].source.summary
    if summary is None or not period.whole_months:
        return None
    aggregates: dict[str, Aggregate] = {}
    for alias, ind in group:
        own = summary.aggregates(ind, alias)
        if own is None:
            return None
        aggregates |= own
    return summary, aggregates


def _summary_rows(
    summary: Summary,
    aggregates: dict[str, Aggregate],
    unit_code: str,
    children: list[Unit],
    in_period: Q,
) -> list[dict[str, Any]]:
    """Rows shaped like the records' GROUP BY by branch: one per child that has any, and the
    unit's own records as its totals less its children's (one query). `in_period`: the
    summary rows of the period(s)."""
    # The country keeps no row of its own: only its provinces' are asked for.
    paths = [*([unit_code] if unit_code else []), *(child.code for child in children)]
    rows = (
        summary.queryset()
        .filter(in_period, **{f"{summary.path_field}__in": paths})
        .values(branch=F(summary.path_field))
        .annotate(**aggregates)
        .order_by()
    )
    by_path = {row["branch"]: row for row in rows}
    if not unit_code:
        # The country keeps no row of its own (no record's code is ""), and holds none.
        return list(by_path.values())
    totals = by_path.pop(unit_code, {})
    own: dict[str, Any] = {"branch": unit_code}
    for key in aggregates:
        own[key] = (totals.get(key) or 0) - sum(row[key] or 0 for row in by_path.values())
    return [*by_path.values(), own]


def _summary_top(summary: Summary, unit_code: str) -> Q:
    """The summary rows that total the unit's subtree: its own, or for the country (which has
    none) the provinces' (one subquery, however many there are)."""
    if unit_code:
        return Q(**{summary.path_field: unit_code})
    provinces = Unit.objects.children_of("").values("code")
    return Q(**{f"{summary.path_field}__in": provinces})


def values(indicators: list[Indicator], unit_code: str, period: Period) -> dict[str, Number]:
    """Code → value for the unit's subtree in the period: one query per source."""
    out: dict[str, Number] = {}
    for group in _by_source(indicators).values():
        computed = group[0][1].computed
        if computed is not None:
            parts: dict[str, int | float] = {}
            for branch_parts in computed.parts(unit_code, period, len(unit_code)).values():
                _add_parts(parts, branch_parts)
            for alias, ind in group:
                out[ind.code] = ind.finish(ind.row_from_parts(parts, alias), alias)
            continue
        if summarised := _summarised(group, period):
            summary, aggregates = summarised
            rows = summary.queryset().filter(summary.period_q(period))
            row = rows.filter(_summary_top(summary, unit_code)).aggregate(**aggregates)
        else:
            source = group[0][1].source
            aggregates = {k: v for alias, ind in group for k, v in ind.aggregates(alias).items()}
            row = source.records(unit_code, period).aggregate(**aggregates)
        for alias, ind in group:
            out[ind.code] = ind.finish(row, alias)
    return out


def value(indicator: Indicator, unit_code: str, period: Period) -> Number:
    """The indicator's value for the unit's whole subtree in the period (one query)."""
    return values([indicator], unit_code, period)[indicator.code]


@dataclass
class ChildRow:
    """One child of the unit with its values (zero when it has no records)."""

    unit: Unit
    values: dict[str, Number] = field(default_factory=dict)


@dataclass
class ByChild:
    """A roll-up by child: a row per child, plus the records held at the unit itself."""

    rows: list[ChildRow]
    own: dict[str, Number]  # records whose unit is the parent itself, not a child
    total: dict[str, Number]


def table_by_child(indicators: list[Indicator], unit_code: str, period: Period) -> ByChild:
    """Every child of the unit (those with no records too) with each indicator's value.

    Queries: the children, then one GROUP BY per source on the child-length prefix of the
    record's unit code over the subtree range, so 2 for a county of 2 townships or of 40.
    """
    return tables_by_child(indicators, unit_code, [period])[0]


def tables_by_child(
    indicators: list[Indicator], unit_code: str, periods: list[Period]
) -> list[ByChild]:
    """`table_by_child` for each of `periods` (the pivot's columns), in as many queries as
    for one: the children, then one GROUP BY per source whose aggregates are each narrowed to
    one period (a computed indicator: one call per period). Periods may overlap (a year and
    its quarters): each is counted by its own rule, never by adding up the others."""
    children = list(Unit.objects.children_of(unit_code))
    child_len = tree.child_length(unit_code)
    # By period: branch → code → value, the unit's own records, and the totals.
    grouped: list[dict[str, dict[str, Number]]] = [defaultdict(dict) for _ in periods]
    own: list[dict[str, Number]] = [{} for _ in periods]
    total: list[dict[str, Number]] = [{} for _ in periods]
    # A village has no children: everything is its own.
    branch_len = child_len or len(unit_code)
    for group in _by_source(indicators).values():
        if group[0][1].computed is not None:
            for k, period in enumerate(periods):
                _computed_by_child(group, unit_code, period, branch_len,
                                   grouped[k], own[k], total[k])  # fmt: skip
            continue
        aliased = [
            (k, f"p{k}_{alias}", ind) for k, _p in enumerate(periods) for alias, ind in group
        ]
        rows, aggregates = _grouped_rows(group, unit_code, children, periods, branch_len)
        # The totals are sums of the branches' raw aggregates (rates: of numerators and
        # denominators), computed here rather than with another query.
        sums: dict[str, int] = defaultdict(int)
        own_row: dict[str, int] = {}
        for row in rows:
            for key in aggregates:
                sums[key] += row[key] or 0
            # Cut to the child length, a record of the unit itself keeps its own, shorter code.
            if row["branch"] == unit_code:
                own_row = row
            for k, alias, ind in aliased:
                grouped[k][row["branch"]][ind.code] = ind.finish(row, alias)
        for k, alias, ind in aliased:
            total[k][ind.code] = ind.finish(sums, alias)
            own[k][ind.code] = ind.finish(own_row, alias)
    return [
        ByChild(
            rows=[
                ChildRow(
                    unit=child,
                    values={
                        ind.code: grouped[k].get(child.code, {}).get(ind.code, ind.finish({}, "v"))
                        for ind in indicators
                    },
                )
                for child in children
            ],
            own=own[k],
            total=total[k],
        )
        for k in range(len(periods))
    ]


def _computed_by_child(
    group: list[tuple[str, Indicator]],
    unit_code: str,
    period: Period,
    branch_len: int,
    grouped: dict[str, dict[str, Number]],
    own: dict[str, Number],
    total: dict[str, Number],
) -> None:
    """A computed group's values by branch, own and total for one period (one call)."""
    computed = group[0][1].computed
    assert computed is not None
    sums_parts: dict[str, int | float] = {}
    for branch, parts in computed.parts(unit_code, period, branch_len).items():
        _add_parts(sums_parts, parts)
        for alias, ind in group:
            value = ind.finish(ind.row_from_parts(parts, alias), alias)
            grouped[branch][ind.code] = value
            if branch == unit_code:
                own[ind.code] = value
    for alias, ind in group:
        total[ind.code] = ind.finish(ind.row_from_parts(sums_parts, alias), alias)
        own.setdefault(ind.code, ind.finish({}, alias))


def _hull(periods: list[Period], rule: PeriodRule) -> Q:
    """Records of any of `periods`: for an event or a new record, those of the period from the
    first start to the last end (a superset the aggregates narrow, and one range for the
    index); a stock stands at each period's end, so for it each period's filter, or-ed."""
    if len(periods) == 1:
        return rule(periods[0])
    if rule.rule == Rule.STOCK:
        q = Q()
        for period in periods:
            q |= rule(period)
        return q
    first, last = min(p.start for p in periods), max(p.end for p in periods)
    return rule(range_period(first, last))


def _narrowed(aggregates: dict[str, Aggregate], q: Q) -> dict[str, Aggregate]:
    """The aggregates counting only the rows that also match `q` (one period of several)."""
    out: dict[str, Aggregate] = {}
    for name, aggregate in aggregates.items():
        narrowed = aggregate.copy()
        narrowed.filter = q if aggregate.filter is None else q & aggregate.filter
        out[name] = narrowed
    return out


def _grouped_rows(
    group: list[tuple[str, Indicator]],
    unit_code: str,
    children: list[Unit],
    periods: list[Period],
    branch_len: int,
) -> tuple[list[dict[str, Any]], dict[str, Aggregate]]:
    """One source's GROUP BY by branch, its aggregates named `p<k>_<alias>` for period k, read
    from the summary when it holds the group and every period is whole months."""
    source = group[0][1].source
    one = len(periods) == 1
    summarised = [_summarised(group, p) for p in periods]
    if all(summarised):
        summary = source.summary
        assert summary is not None
        aggregates: dict[str, Aggregate] = {}
        for k, (period, found) in enumerate(zip(periods, summarised, strict=True)):
            own = {f"p{k}_{name}": a for name, a in found[1].items()}  # type: ignore[index]
            aggregates |= own if one else _narrowed(own, summary.period_q(period))
        hull = _hull(periods, PeriodRule(source.rule, summary.period_q))
        rows = _summary_rows(summary, aggregates, unit_code, children, hull)
        return rows, aggregates
    aggregates = {}
    for k, period in enumerate(periods):
        own = {
            f"p{k}_{name}": a for alias, ind in group for name, a in ind.aggregates(alias).items()
        }
        aggregates |= own if one else _narrowed(own, source.period_q(period))
    qs = source.queryset().filter(
        tree.subtree_q(unit_code, source.unit_field), _hull(periods, source.period_q)
    )
    rows = list(
        qs.annotate(branch=Substr(source.unit_field, 1, branch_len))
        .values("branch")
        .annotate(**aggregates)
        .order_by()
    )
    return rows, aggregates


@dataclass
class ChildValue:
    """One child's value of one indicator."""

    unit: Unit
    value: Number


def values_by_child(indicator: Indicator, unit_code: str, period: Period) -> list[ChildValue]:
    """One row per child of the unit, zero included, in two queries whatever their number."""
    table = table_by_child([indicator], unit_code, period)
    return [ChildValue(unit=r.unit, value=r.values[indicator.code]) for r in table.rows]
