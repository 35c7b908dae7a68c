"""Compliance of duties, period by period, in a constant number of queries.

Each period of a duty's cycle (see cycles.py) is, on a given day:

- on time (按时): a completion for it dated on or before its due date (plus the grace of a
  day-of-month duty);
- late (逾期补做): only completions after that (recorded for the period afterwards);
- overdue (逾期未做): nothing done and the due date (with grace) has passed;
- pending (未到期): nothing done yet, not due yet.

Periods that start after today are not judged at all, nor are inactive duties. The due
periods are the judged ones that are not pending; the rate is on time out of due.

Everything is read with two queries (the duties, their completions in the window), whatever
the number of duties, units or periods, and rolled up by child unit in Python: a period's
status is no SQL aggregate.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from xuanwen.accounts.models import User
from xuanwen.core import clock, tree
from xuanwen.units.models import Unit

from . import cycles
from .models import Duty, DutyCompletion

# How far back the home page looks for overdue periods: a quarter, so that last quarter's
# missed market inspection still shows in the first weeks of the next one.
HOME_LOOKBACK_DAYS = 92


class Status(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    OVERDUE = "overdue"
    PENDING = "pending"

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self])


STATUS_LABELS = {
    Status.ON_TIME: _("按时完成"),
    Status.LATE: _("逾期补做"),
    Status.OVERDUE: _("逾期未做"),
    Status.PENDING: _("未到期"),
}


@dataclass
class PeriodStatus:
    """One period of one duty and how it stands."""

    duty: Duty
    period: cycles.DutyPeriod
    status: Status
    done_on: list[date] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.status.label


@dataclass
class Tally:
    """Counts of periods by status; adds up over duties and units."""

    on_time: int = 0
    late: int = 0
    overdue: int = 0
    pending: int = 0

    def add(self, status: Status) -> None:
        setattr(self, status.value, getattr(self, status.value) + 1)

    def merge(self, other: "Tally") -> None:
        for s in Status:
            setattr(self, s.value, getattr(self, s.value) + getattr(other, s.value))

    @property
    def due(self) -> int:
        return self.on_time + self.late + self.overdue

    @property
    def rate(self) -> float | None:
        """On time as a percentage of the due periods; None when nothing was due."""
        return round(100 * self.on_time / self.due, 1) if self.due else None

    def parts(self) -> dict[str, int | float]:
        return {s.value: getattr(self, s.value) for s in Status} | {"due": self.due}


@dataclass
class DutyCompliance:
    duty: Duty
    periods: list[PeriodStatus]
    tally: Tally

    @property
    def overdue(self) -> list[PeriodStatus]:
        return [p for p in self.periods if p.status == Status.OVERDUE]

    @property
    def current(self) -> PeriodStatus | None:
        return self.periods[-1] if self.periods else None


def judge(
    duty: Duty, done: dict[date, list[date]], first: date, last: date, today: date
) -> DutyCompliance:
    """The duty's periods overlapping [first, last] that have started by `today`.

    `done` maps a period's first day to the dates of its completions.
    """
    if not duty.active:
        return DutyCompliance(duty, [], Tally())
    periods = cycles.periods_between(
        duty.cycle, duty.due_day, first, min(last, today), since=duty.start_date
    )
    out: list[PeriodStatus] = []
    tally = Tally()
    for period in periods:
        dates = sorted(done.get(period.start, []))
        until = cycles.on_time_until(duty.cycle, period)
        if dates and dates[0] <= until:
            status = Status.ON_TIME
        elif dates:
            status = Status.LATE
        elif today > until:
            status = Status.OVERDUE
        else:
            status = Status.PENDING
        out.append(PeriodStatus(duty, period, status, dates))
        tally.add(status)
    return DutyCompliance(duty, out, tally)


def completion_dates(
    duties: QuerySet[Duty] | Iterable[int], first: date, last: date
) -> dict[int, dict[date, list[date]]]:
    """duty id → period start → completion dates, for periods that may overlap [first, last]
    (one query). `duties` is a queryset (a subquery) or ids."""
    if isinstance(duties, QuerySet):
        ids_q = Q(duty__in=duties.values("pk"))
    else:
        ids_q = Q(duty_id__in=list(duties))
    # The earliest period that overlaps `first` starts at most a year before it (yearly).
    rows = DutyCompletion.objects.filter(
        ids_q, period_start__gte=first - timedelta(days=366), period_start__lte=last
    ).values_list("duty_id", "period_start", "done_on")
    out: dict[int, dict[date, list[date]]] = defaultdict(lambda: defaultdict(list))
    for duty_id, start, done_on in rows:
        out[duty_id][start].append(done_on)
    return out


def judge_all(
    duties: QuerySet[Duty], first: date, last: date, today: date | None = None
) -> list[DutyCompliance]:
    """Every duty of the queryset judged over [first, last]: two queries."""
    today = today or clock.today()
    listed = list(duties)
    done = completion_dates(duties, first, last)
    return [judge(d, done.get(d.pk, {}), first, last, today) for d in listed]


def subtree_duties(unit_code: str) -> QuerySet[Duty]:
    return Duty.objects.filter(tree.subtree_q(unit_code, "unit_id"), active=True)


@dataclass
class ChildCompliance:
    unit: Unit
    tally: Tally


@dataclass
class Compliance:
    """A unit subtree's compliance over a window: per duty, by child, and the overdue list."""

    duties: list[DutyCompliance]
    total: Tally
    own: Tally
    by_child: list[ChildCompliance]

    @property
    def overdue(self) -> list[PeriodStatus]:
        rows = [p for d in self.duties for p in d.overdue]
        return sorted(rows, key=lambda p: (p.period.due, p.duty.unit_id, p.duty.name))


def compliance(unit_code: str, first: date, last: date, today: date | None = None) -> Compliance:
    """The subtree of `unit_code` (trusted: the caller checked it is in scope). Three queries:
    the children, the duties, their completions."""
    today = today or clock.today()
    children = list(Unit.objects.children_of(unit_code))
    judged = judge_all(subtree_duties(unit_code).select_related("unit"), first, last, today)
    child_len = tree.child_length(unit_code)
    branches: dict[str, Tally] = defaultdict(Tally)
    total, own = Tally(), Tally()
    for d in judged:
        total.merge(d.tally)
        if d.duty.unit_id == unit_code or child_len is None:
            own.merge(d.tally)
        else:
            branches[d.duty.unit_id[:child_len]].merge(d.tally)
    by_child = [ChildCompliance(c, branches.get(c.code, Tally())) for c in children]
    return Compliance(duties=judged, total=total, own=own, by_child=by_child)


def parts_by_branch(
    unit_code: str, first: date, last: date, branch_len: int, today: date | None = None
) -> dict[str, dict[str, int | float]]:
    """Tallies of the subtree's duties keyed by unit code cut to `branch_len` (the shape the
    indicator registry's computed indicators take); two queries."""
    judged = judge_all(subtree_duties(unit_code), first, last, today)
    branches: dict[str, Tally] = defaultdict(Tally)
    for d in judged:
        branches[d.duty.unit_id[:branch_len]].merge(d.tally)
    return {branch: tally.parts() for branch, tally in branches.items()}


def responsible_q(user: User) -> Q:
    """Duties the user is responsible for: named, or by role at the user's own unit."""
    q = Q(assignees=user)
    if user.unit_id and user.role:
        q |= Q(role=user.role, unit_id=user.unit_id)
    return q


@dataclass
class HomeOverdue:
    """The home page's card: the user's own overdue periods, and the count in their subtree."""

    mine: list[PeriodStatus]
    subtree_count: int


def mine_overdue(user: User, today: date | None = None) -> list[PeriodStatus]:
    """The overdue periods of the duties the user is responsible for, within the home page's
    look-back, the longest overdue first: two queries (the duties, their completions)."""
    from .selectors import duties_for

    today = today or clock.today()
    first = today - timedelta(days=HOME_LOOKBACK_DAYS)
    scoped = duties_for(user).filter(active=True)
    mine_ids = scoped.filter(responsible_q(user)).values("pk").distinct()
    mine = judge_all(scoped.filter(pk__in=mine_ids).select_related("unit"), first, today, today)
    return sorted((p for d in mine for p in d.overdue), key=lambda p: (p.period.due, p.duty.name))


def home_overdue(user: User, today: date | None = None) -> HomeOverdue:
    """Four queries: the user's duties and their completions, the subtree's and theirs."""
    from .selectors import duties_for

    today = today or clock.today()
    first = today - timedelta(days=HOME_LOOKBACK_DAYS)
    everyone = judge_all(duties_for(user).filter(active=True), first, today, today)
    return HomeOverdue(
        mine=mine_overdue(user, today), subtree_count=sum(d.tally.overdue for d in everyone)
    )
