"""The activities' figures on the home page (core.home): this year's activities, participants and
audience so far against the same months of last year, and a small chart of both years by month.

Read from the kept tallies (models.ActivityTally) of the user's unit in one query, by the rule
the indicators follow (an activity counts in every month it overlaps), so each figure is the
indicator page's for the same months, and links there.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from xuanwen.accounts.models import Role
from xuanwen.accounts.permissions import request_user
from xuanwen.core import clock
from xuanwen.core.home import Card, register_card
from xuanwen.indicators.periods import month_period
from xuanwen.indicators.registry import get_indicator

from .models import ActivityTally

# Who are shown the figures: those who answer for a subtree; a village keeper's home is for
# the day's tasks.
FIGURE_ROLES = {Role.ADMIN, Role.SUPERVISOR, Role.STAFF, Role.VIEWER}
SUMS = ("live", "participants", "audience")


@dataclass(frozen=True)
class Figure:
    label: str
    this_year: int
    last_year: int
    url: str  # the indicator page for this year's months

    @property
    def change(self) -> int | None:
        """Percent up or down on last year's, None when last year had none."""
        if not self.last_year:
            return None
        return round((self.this_year - self.last_year) * 100 / self.last_year)


def _months(year: int, last: int) -> list[date]:
    return [date(year, m, 1) for m in range(1, last + 1)]


def year_figures(unit_code: str, today: date) -> dict[str, Any]:
    """This year's months up to today's and last year's same months: the three sums over
    each span, and each month's activities and audience for the charts; one query."""
    year, month = today.year, today.month
    rows = list(
        ActivityTally.objects.filter(
            path=unit_code, end_month__gte=date(year - 1, 1, 1), start_month__lte=date(year, 12, 1)
        ).values_list("start_month", "end_month", *SUMS)
    )

    def overlapping(first: date, last: date) -> list[int]:
        # An activity counts once in a span it overlaps (its row's months meet the span's).
        found = [r[2:] for r in rows if r[0] <= last and r[1] >= first]
        return [sum(r[i] for r in found) for i in range(len(SUMS))]

    spans = {y: (date(y, 1, 1), date(y, month, 1)) for y in (year, year - 1)}
    totals = {y: overlapping(*span) for y, span in spans.items()}
    # Each month's (activities, participants, audience), last year's whole and this year's so far.
    monthly = {y: [overlapping(m, m) for m in _months(y, month if y == year else 12)]
               for y in (year - 1, year)}  # fmt: skip
    chart = {str(y): [sums[0] for sums in rows] for y, rows in monthly.items()}
    audience = {str(y): [sums[2] for sums in rows] for y, rows in monthly.items()}
    return {"totals": totals, "chart": chart, "audience": audience}


@register_card(40)
def figures_card(request: HttpRequest) -> Card | None:
    user = request_user(request)
    if user.unit_id is None or user.role not in FIGURE_ROLES:
        return None
    today = clock.today()
    year, month = today.year, today.month
    found = year_figures(user.unit_id, today)
    this, last = found["totals"][year], found["totals"][year - 1]
    end = date(year, month + 1, 1) if month < 12 else date(year + 1, 1, 1)
    period = f"{year}-01-01..{(end - timedelta(days=1)).isoformat()}"
    url = f"{reverse('indicators:table')}?unit={user.unit_id}&period={period}"
    labels = (_("活动场次"), _("参与人次"), _("观众人次"))
    figures = [Figure(str(label), this[i], last[i], url) for i, label in enumerate(labels)]
    months = [_("%(m)d月") % {"m": m} for m in range(1, 13)]
    years = [(int(y), _("%(y)d年") % {"y": int(y)}) for y in found["chart"]]

    def series(key: str, kind: str) -> list[dict[str, Any]]:
        return [{"name": name, "data": found[key][str(y)], "type": kind} for y, name in years]

    chart = {"months": months, "series": series("chart", "bar"), "title": _("各月活动场次")}
    audience = {"months": months, "series": series("audience", "line"), "title": _("各月观众人次")}
    span = _("%(y)d年1—%(m)d月") % {"y": year, "m": month}
    context = {
        "figures": figures,
        "chart": chart,
        "audience": audience,
        "span": span,
        "table": month_table(user.unit_id, found, today),
    }
    return Card("activities/_home_figures.html", context, charts=True)


@dataclass(frozen=True)
class MonthRow:
    """A month of the charts as a table row: this year's figures (linked to the activities
    counted) and last year's."""

    label: str
    live: int | None  # None: a month still to come
    live_url: str
    live_last: int
    audience: int | None
    audience_last: int


def month_table(unit_code: str, found: dict[str, Any], today: date) -> list[MonthRow]:
    """The charts' figures month by month, each of this year's a link to its activities."""
    year = today.year
    this_live, last_live = found["chart"][str(year)], found["chart"][str(year - 1)]
    this_aud, last_aud = found["audience"][str(year)], found["audience"][str(year - 1)]
    count = get_indicator("activities.count")
    rows = []
    for m in range(1, 13):
        shown = m <= len(this_live)
        url = count.records_url(unit_code, month_period(year, m)) if count and shown else ""
        rows.append(
            MonthRow(
                _("%(m)d月") % {"m": m},
                this_live[m - 1] if shown else None,
                url,
                last_live[m - 1],
                this_aud[m - 1] if shown else None,
                last_aud[m - 1],
            )
        )
    return rows
