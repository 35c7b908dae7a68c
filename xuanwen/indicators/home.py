"""The rankings card of the supervisor's dashboard (units.dashboard, core.home): the children
of the user's unit ranked on a few key indicators this year, each figure linking to the
records behind it (Indicator.records_url), as on the indicator page.

One roll-up by child for them all (selectors.table_by_child): the children, then one query
per source or computation, whatever the number of children or records. A ranking of
assessment scores is the assessment's own card, below this one.
"""

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from xuanwen.core import clock
from xuanwen.core.home import Card, register_card
from xuanwen.units.dashboard import overseen_unit
from xuanwen.units.models import Unit

from .periods import year_period
from .registry import Indicator, Number, get_indicators
from .selectors import table_by_child

# The indicators ranked, by code: what a county compares its townships on first (activities
# held, audience reached, opening hours kept). Named, not imported: each app registers its
# own, and one not registered (an app left out) is simply not ranked.
KEY_INDICATORS = ("activities.count", "activities.audience", "opening.compliance_rate")
RANKED_SHOWN = 10  # units listed, the first on the first indicator; the indicator page has all


@dataclass(frozen=True)
class Cell:
    value: Number
    rank: int | None  # 1 for the highest; None for no value (a rate of nothing)
    url: str


@dataclass(frozen=True)
class RankedRow:
    unit: Unit
    cells: list[Cell]


def ranks(values: list[Number]) -> list[int | None]:
    """Competition ranks, highest first (1, 2, 2, 4); None for no value."""
    known = sorted((v for v in values if v is not None), reverse=True)
    return [None if v is None else known.index(v) + 1 for v in values]


@register_card(60)
def rankings_card(request: HttpRequest) -> Card | None:
    unit = overseen_unit(request)
    if unit is None:
        return None
    found = get_indicators(KEY_INDICATORS)
    indicators: list[Indicator] = [found[code] for code in KEY_INDICATORS if code in found]
    if not indicators:
        return None
    period = year_period(clock.today().year)
    table = table_by_child(indicators, unit.code, period)
    if not table.rows:
        return None
    columns = [ranks([row.values[ind.code] for row in table.rows]) for ind in indicators]
    rows = [
        RankedRow(
            row.unit,
            [
                Cell(row.values[ind.code], columns[i][n], ind.records_url(row.unit.code, period))
                for i, ind in enumerate(indicators)
            ],
        )
        for n, row in enumerate(table.rows)
    ]
    # Ranked on the first indicator, ties (and no values) by code as the tree lists them.
    rows.sort(key=lambda r: (r.cells[0].rank is None, r.cells[0].rank or 0, r.unit.code))
    title = _("%(p)s下级单位主要指标排名") % {"p": period.label}
    query = [("unit", unit.code), ("period", period.key), ("by", "child")]
    query += [("indicator", ind.code) for ind in indicators]
    context = {
        "title": title,
        "indicators": indicators,
        "rows": rows[:RANKED_SHOWN],
        "more": len(rows) - RANKED_SHOWN,
        "all_url": f"{reverse('indicators:table')}?{urlencode(query)}",
    }
    return Card("indicators/_home_rankings.html", context)
