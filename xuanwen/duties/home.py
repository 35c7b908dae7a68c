"""The duties' cards on the home page (core.home)."""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from xuanwen.accounts.permissions import request_user
from xuanwen.core import clock
from xuanwen.core.home import Card, UnitBehind, register_card, units_behind_card
from xuanwen.indicators.periods import quarter_period
from xuanwen.units.dashboard import overseen_unit

from . import compliance


@register_card(20)
def overdue_card(request: HttpRequest) -> Card | None:
    """The periods the user is responsible for and has missed, each with a one-tap link to
    record it; and how many periods are overdue in the whole subtree, for those above."""
    user = request_user(request)
    today = clock.today()
    overdue = compliance.home_overdue(user, today)
    if not overdue.mine and not overdue.subtree_count:
        return None
    return Card(
        "duties/_home_card.html",
        {"mine": overdue.mine, "subtree_count": overdue.subtree_count, "scope": user.scope},
    )


@register_card(26)
def behind_card(request: HttpRequest) -> Card | None:
    """For those who oversee a subtree (the dashboard's duties overdue by child; a township
    station head too, for their villages), beside the units behind on opening: the units
    below with duty periods of this quarter overdue (nothing done, past due), the most overdue
    first, each leading to the compliance page for that unit and quarter. Three queries
    whatever the subtree, the compliance page's own roll-up."""
    unit = overseen_unit(request)  # part of the supervisor's dashboard
    if unit is None:
        return None
    today = clock.today()
    period = quarter_period(today.year, (today.month - 1) // 3 + 1)
    result = compliance.compliance(unit.code, period.start, period.end, today)
    behind = [c for c in result.by_child if c.tally.overdue]
    behind.sort(key=lambda c: (-c.tally.overdue, c.tally.rate or 0, c.unit.code))
    page = reverse("duties:compliance")
    rows = [
        UnitBehind(
            c.unit.name,
            f"{page}?unit={c.unit.code}&period={period.key}",
            _("逾期未做 %(n)s 期 · 按时率 %(rate)s%%（%(a)s/%(b)s 期）")
            % {"n": c.tally.overdue, "rate": c.tally.rate, "a": c.tally.on_time, "b": c.tally.due},
        )
        for c in behind
    ]
    return units_behind_card(
        key="duties",
        title=_("%(p)s常规工作有逾期的下级单位") % {"p": period.label},
        rows=rows,
        all_url=f"{page}?period={period.key}",
    )
