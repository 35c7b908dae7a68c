"""Scoring a scheme: every unit's lines, totals, ranks, grades and rewards.

**Queries do not grow with the units.** Each indicator is computed for all the scored units at
once: one GROUP BY per source of records on the prefix of the record's unit code as long as
the scored level's codes (a village's records count for its township), over the owner's
subtree — the indicators' roll-up by branch; a computed indicator (duties, opening) is one call
of its parts by branch. So scoring 19 townships or 1,000 costs the same number of queries.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models.functions import Length, Substr
from django.urls import reverse
from django.utils.translation import gettext as _

from xuanwen.core import tree
from xuanwen.indicators.periods import Period, year_period
from xuanwen.indicators.registry import Indicator, Number, get_indicators
from xuanwen.units.models import Unit

from .models import (
    Adjustment,
    Grade,
    ItemRule,
    Reward,
    RewardBasis,
    Scheme,
    SchemeItem,
    ScoredLine,
)

CENT = Decimal("0.01")


def points(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def item_points(item: SchemeItem, actual: Number) -> Decimal:
    """The points an item gives for the indicator's value (a rate of nothing counts as 0)."""
    a = Decimal(str(actual or 0))
    top = item.points
    target = item.target or Decimal(0)
    per = item.per or Decimal(0)
    if item.rule == ItemRule.PROPORTIONAL:
        if target <= 0:
            return top
        return points(min(top, top * a / target))
    if item.rule == ItemRule.THRESHOLD:
        return top if a >= target else Decimal(0)
    if item.rule == ItemRule.PER_OCCURRENCE:
        return points(min(top, per * a))
    return points(max(item.floor, top - per * a))  # deduction


def grade_of(scheme: Scheme, total: Decimal) -> Grade:
    if total >= scheme.excellent_min:
        return Grade.EXCELLENT
    if total >= scheme.good_min:
        return Grade.GOOD
    if total >= scheme.pass_min:
        return Grade.PASS
    return Grade.FAIL


def reward_of(
    scheme: Scheme, rewards: list[Reward], grade: str, rank: int
) -> tuple[Decimal | None, str]:
    """The reward a grade earns (by grade), or the first band whose top rank reaches `rank`
    (by rank: 前 3 名 then 前 10 名)."""
    if scheme.reward_by == RewardBasis.RANK:
        banded = sorted((r for r in rewards if r.top_rank), key=lambda r: r.top_rank or 0)
        hit = next((r for r in banded if rank <= (r.top_rank or 0)), None)
    else:
        hit = next((r for r in rewards if r.grade == grade), None)
    return (hit.amount, hit.title) if hit else (None, "")


def ranks(totals: list[Decimal]) -> list[int]:
    """Competition ranking (1, 2, 2, 4): equal totals share a rank."""
    order = sorted(totals, reverse=True)
    first: dict[Decimal, int] = {}
    for i, t in enumerate(order):
        first.setdefault(t, i + 1)
    return [first[t] for t in totals]


def scored_units(scheme: Scheme) -> list[Unit]:
    """The units of the scheme's level in its owner's subtree (one query)."""
    length = tree.LEVEL_LENGTHS[scheme.level - 1]
    return list(
        Unit.objects.filter(tree.subtree_q(scheme.owner_id))
        .annotate(code_length=Length("code"))
        .filter(code_length=length)
        .order_by("code")
    )


Progress = Callable[[int, int], None]


def values_by_branch(
    indicators: Iterable[Indicator], root: str, period: Period, length: int, step: Progress
) -> dict[str, dict[str, Number]]:
    """Indicator code → branch code (`length` characters) → value, for every branch of `root`'s
    subtree that has records: one query (or one computation) per source."""
    groups: dict[str, list[tuple[str, Indicator]]] = defaultdict(list)
    for i, ind in enumerate(indicators):
        groups[ind.group_key].append((f"v{i}", ind))
    out: dict[str, dict[str, Number]] = {}
    for n, group in enumerate(groups.values()):
        step(n, len(groups))
        first = group[0][1]
        if first.computed is not None:
            for branch, parts in first.computed.parts(root, period, length).items():
                for alias, ind in group:
                    value = ind.finish(ind.row_from_parts(parts, alias), alias)
                    out.setdefault(ind.code, {})[branch] = value
            continue
        source = first.source
        aggregates = {k: v for alias, ind in group for k, v in ind.aggregates(alias).items()}
        rows = (
            source.records(root, period)
            .annotate(branch=Substr(source.unit_field, 1, length))
            .values("branch")
            .annotate(**aggregates)
            .order_by()
        )
        for row in rows:
            for alias, ind in group:
                out.setdefault(ind.code, {})[row["branch"]] = ind.finish(row, alias)
    step(len(groups), len(groups))
    return out


@dataclass
class UnitScore:
    unit: Unit
    lines: list[ScoredLine] = field(default_factory=list)
    total: Decimal = Decimal(0)
    rank: int = 0
    grade: str = Grade.FAIL
    reward_amount: Decimal | None = None
    reward_title: str = ""


def _no_progress(done: int, total: int) -> None:
    pass


def compute(
    scheme: Scheme, step: Progress = _no_progress, *, links: bool = True
) -> list[UnitScore]:
    """Every scored unit's score, ranked (best first), computed live from the records; without
    `links`, the lines carry no URL (an answer that shows no breakdown is spared the reverses).

    Queries: the items, rewards and adjustments (3), the units (1), the indicators' catalogues
    where a family needs them, and one per source of records — none per unit.
    """
    items = list(scheme.items.all())
    rewards = list(scheme.rewards.all())
    adjustments: dict[str, list[Adjustment]] = defaultdict(list)
    for adj in scheme.adjustments.order_by("uploaded_at", "pk"):
        adjustments[adj.unit_id].append(adj)
    units = scored_units(scheme)
    period = year_period(scheme.year)
    length = tree.LEVEL_LENGTHS[scheme.level - 1]
    indicators = get_indicators(item.indicator for item in items)
    values = values_by_branch(indicators.values(), scheme.owner_id, period, length, step)
    link = {
        code: _link_maker(ind, period, units[0].code) if units and links else _no_link
        for code, ind in indicators.items()
    }
    # A unit without records: 0 for a count or sum, None (no rate) for a rate.
    empty = {code: ind.finish({}, "v") for code, ind in indicators.items()}
    scores = []
    for unit in units:
        score = UnitScore(unit)
        for item in items:
            ind = indicators.get(item.indicator)
            actual = values.get(item.indicator, {}).get(unit.code, empty.get(item.indicator))
            score.lines.append(
                ScoredLine(
                    name=item.name,
                    indicator=item.indicator,
                    rule=item.rule,
                    actual=actual,
                    target=item.target,
                    max_points=item.points,
                    points=item_points(item, actual),
                    url=link[item.indicator](unit.code) if ind else "",
                )
            )
        for adj in adjustments.get(unit.code, []):
            label = _("加分") if adj.points > 0 else _("扣分")
            score.lines.append(
                ScoredLine(
                    name=f"{label}：{adj.reason}",
                    indicator="",
                    rule="",
                    actual=None,
                    target=None,
                    max_points=None,
                    points=adj.points,
                    url=reverse("assessment:evidence", args=[adj.pk]),
                )
            )
        score.total = points(sum((line.points for line in score.lines), Decimal(0)))
        scores.append(score)
    for score, rank in zip(scores, ranks([s.total for s in scores]), strict=True):
        score.rank = rank
        score.grade = grade_of(scheme, score.total)
        score.reward_amount, score.reward_title = reward_of(scheme, rewards, score.grade, rank)
    scores.sort(key=lambda s: (s.rank, s.unit.code))
    return scores


def _no_link(code: str) -> str:
    return ""


def _link_maker(ind: Indicator, period: Period, sample: str) -> Callable[[str], str]:
    """The indicator's records link of any unit in the period: reversed once for `sample` and
    its unit swapped (55,000 lines of a province would otherwise be as many reverses), or
    reversed unit by unit where the link does not name the unit plainly once."""
    url = ind.records_url(sample, period)
    marker = f"unit={sample}"
    if url.count(marker) != 1:
        return lambda code: ind.records_url(code, period)
    head, tail = url.split(marker)
    return lambda code: f"{head}unit={code}{tail}"
