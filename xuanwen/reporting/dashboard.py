"""Reporting's card of the supervisor's dashboard (units.dashboard, core.home): for each report
set the children of the user's unit owe, its latest ended period — how many reports each
child's subtree owes, has sent and sent on time — and the children late or missing, each
leading to the set's completeness page for that child and period.

Four queries whatever the number of sets, units or submissions: the sets, the units owing
counted by child and level, the received submissions counted by set, child and on time, and
the children.
"""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.db.models.functions import Length, Substr
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from xuanwen.accounts.permissions import request_user
from xuanwen.core import clock, tree
from xuanwen.core.home import Card, UnitBehind, register_card, stacked_by_unit
from xuanwen.indicators.periods import Period
from xuanwen.units.dashboard import overseen_unit
from xuanwen.units.models import Unit

from .models import RECEIVED, ReportSet, Submission
from .selectors import Tally, last_period, report_sets_for

LATE_SHOWN = 10  # late or missing (set, unit) pairs listed; each set's page has them all


@dataclass
class ChildReports:
    """One child's subtree in one set's period (or over every set): reports expected, received
    and on time, with the pages behind them."""

    unit: Unit
    tally: Tally
    url: str = ""  # the set's completeness page for the child and period
    received_url: str = ""  # the submissions counted as received
    on_time_url: str = ""  # those on time

    @property
    def missing(self) -> int:
        return self.tally.expected - self.tally.received


@dataclass
class SetReports:
    """A report set's latest ended period, a row a child that owes it."""

    report_set: ReportSet
    period: Period
    rows: list[ChildReports]


def _owed_sets(user_sets: list[ReportSet], unit: Unit) -> list[tuple[ReportSet, Period]]:
    """The sets the units below `unit` owe (those of its line, and its children's own) with
    their latest ended period, when that period was owed at all (its deadline came after the
    set was made)."""
    child_len = tree.child_length(unit.code)
    today = clock.today()
    out = []
    for report_set in user_sets:
        ours = unit.code.startswith(report_set.owner_id)
        a_childs = len(report_set.owner_id) == child_len
        if not (ours or a_childs) or not any(n > len(unit.code) for n in report_set.code_lengths):
            continue
        period = last_period(report_set, today)
        if report_set.deadline(period) >= report_set.first_day:
            out.append((report_set, period))
    return out


def children_reports(request: HttpRequest, unit: Unit) -> dict[str, Any] | None:
    """The card's figures, None when the units below owe nothing."""
    user = request_user(request)
    child_len = tree.child_length(unit.code) or len(unit.code)
    owed = _owed_sets(list(report_sets_for(user).filter(active=True)), unit)
    if not owed:
        return None
    below = Q(tree.subtree_q(unit.code)) & ~Q(code=unit.code)
    lengths = {n for s, _p in owed for n in s.code_lengths}
    counts = (
        Unit.objects.filter(below)
        .annotate(n=Length("code"), branch=Substr("code", 1, child_len))
        .filter(n__in=lengths)
        .values("branch", "n")
        .annotate(c=Count("pk"))
        .order_by()
    )
    units_by: dict[tuple[str, int], int] = {(r["branch"], r["n"]): r["c"] for r in counts}
    which = Q()
    for report_set, period in owed:
        which |= Q(report_set=report_set, period_key=period.key)
    received = (
        Submission.objects.filter(which, tree.subtree_q(unit.code, "unit_id"), status__in=RECEIVED)
        .exclude(unit_id=unit.code)
        .annotate(branch=Substr("unit_id", 1, child_len))
        .values("report_set_id", "branch", "on_time")
        .annotate(c=Count("pk"))
        .order_by()
    )
    sent: dict[tuple[int, str], Tally] = defaultdict(Tally)
    for r in received:
        tally = sent[(r["report_set_id"], r["branch"])]
        if r["on_time"]:
            tally.on_time += r["c"]
        else:
            tally.late += r["c"]
    children = list(Unit.objects.filter(parent_id=unit.code).order_by("code"))
    totals = {child.code: ChildReports(child, Tally()) for child in children}
    sets: list[SetReports] = []
    late: list[UnitBehind] = []
    for report_set, period in owed:
        page = reverse("reporting:set", args=[report_set.pk])
        listed = reverse("reporting:submissions", args=[report_set.pk])
        rows = []
        for child in children:
            code = child.code
            if not code.startswith(report_set.owner_id):
                continue  # a set of another child's own
            expected = sum(units_by.get((code, n), 0) for n in report_set.code_lengths)
            if not expected:
                continue
            got = sent.get((report_set.pk, code), Tally())
            tally = Tally(expected=expected, on_time=got.on_time, late=got.late)
            query = {"unit": code, "period": period.key}
            rows.append(
                ChildReports(
                    child,
                    tally,
                    f"{page}?{urlencode(query)}",
                    f"{listed}?{urlencode(query)}",
                    f"{listed}?{urlencode({**query, 'which': 'on_time'})}",
                )
            )
            total = totals[code].tally
            total.expected += expected
            total.on_time += got.on_time
            total.late += got.late
            if expected > got.received or got.late:
                meta = _("%(set)s · %(period)s：未报 %(m)s，迟报 %(l)s") % {
                    "set": report_set.name,
                    "period": period.label,
                    "m": expected - got.received,
                    "l": got.late,
                }
                late.append(UnitBehind(child.name, f"{page}?{urlencode(query)}", meta))
        if rows:
            sets.append(SetReports(report_set, period, rows))
    if not sets:
        return None
    return {
        "sets": sets,
        "totals": [row for row in totals.values() if row.tally.expected],
        "late": late[:LATE_SHOWN],
        "more": len(late) - LATE_SHOWN,
    }


@register_card(50)
def owed_by_children_card(request: HttpRequest) -> Card | None:
    """For those who oversee a subtree: the reports the children owe, sent and on time."""
    unit = overseen_unit(request)
    found = children_reports(request, unit) if unit else None
    if found is None:
        return None
    rows: list[ChildReports] = found["totals"]
    chart = stacked_by_unit(
        _("下级单位报表上报情况"),
        [r.unit.name for r in rows],
        [
            (_("按时上报"), [r.tally.on_time for r in rows]),
            (_("逾期上报"), [r.tally.late for r in rows]),
            (_("未报"), [r.missing for r in rows]),
        ],
        ["#15803d", "#d97706", "#b91c1c"],
    )
    return Card("reporting/_dashboard_owed.html", {**found, "chart": chart}, charts=True)
