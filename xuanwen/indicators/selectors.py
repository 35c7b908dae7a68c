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

from django.db.models import Aggregate, F
from django.db.models.functions import Substr
from django.http import Http404
from django.utils.translation import gettext as _

from xuanwen.core import tree
from xuanwen.core.scope import Scope
from xuanwen.units.models import Unit

from .periods import Period
from .registry import Indicator, Number, Summary, get_indicator


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
    period: Period,
) -> list[dict[str, Any]]:
    """Rows shaped like the records' GROUP BY by branch: one per child that has any, and the
    unit's own records as its totals less its children's (one query)."""
    paths = [unit_code, *(child.code for child in children)]
    rows = (
        summary.queryset()
        .filter(summary.period_q(period), **{f"{summary.path_field}__in": paths})
        .values(branch=F(summary.path_field))
        .annotate(**aggregates)
        .order_by()
    )
    by_path = {row["branch"]: row for row in rows}
    totals = by_path.pop(unit_code, {})
    own: dict[str, Any] = {"branch": unit_code}
    for key in aggregates:
        own[key] = (totals.get(key) or 0) - sum(row[key] or 0 for row in by_path.values())
    return [*by_path.values(), own]


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
            row = rows.filter(**{summary.path_field: unit_code}).aggregate(**aggregates)
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
    children = list(Unit.objects.filter(parent_id=unit_code).order_by("code"))
    child_len = tree.child_length(unit_code)
    grouped: dict[str, dict[str, Number]] = defaultdict(dict)  # branch → code → value
    own: dict[str, Number] = {}
    total: dict[str, Number] = {}
    # A village has no children: everything is its own.
    branch_len = child_len or len(unit_code)
    for group in _by_source(indicators).values():
        computed = group[0][1].computed
        if computed is not None:
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
            continue
        if summarised := _summarised(group, period):
            summary, aggregates = summarised
            rows = _summary_rows(summary, aggregates, unit_code, children, period)
        else:
            source = group[0][1].source
            aggregates = {k: v for alias, ind in group for k, v in ind.aggregates(alias).items()}
            qs = source.records(unit_code, period)
            rows = list(
                qs.annotate(branch=Substr(source.unit_field, 1, branch_len))
                .values("branch")
                .annotate(**aggregates)
                .order_by()
            )
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
            for alias, ind in group:
                grouped[row["branch"]][ind.code] = ind.finish(row, alias)
        for alias, ind in group:
            total[ind.code] = ind.finish(sums, alias)
            own[ind.code] = ind.finish(own_row, alias)
    return ByChild(
        rows=[
            ChildRow(
                unit=child,
                values={
                    ind.code: grouped.get(child.code, {}).get(ind.code, ind.finish({}, "v"))
                    for ind in indicators
                },
            )
            for child in children
        ],
        own=own,
        total=total,
    )


@dataclass
class ChildValue:
    """One child's value of one indicator."""

    unit: Unit
    value: Number


def values_by_child(indicator: Indicator, unit_code: str, period: Period) -> list[ChildValue]:
    """One row per child of the unit, zero included, in two queries whatever their number."""
    table = table_by_child([indicator], unit_code, period)
    return [ChildValue(unit=r.unit, value=r.values[indicator.code]) for r in table.rows]
