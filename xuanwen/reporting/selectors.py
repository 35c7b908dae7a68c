"""Reads of reporting, scoped to the user: report sets of their line, submissions of their
subtree (other ids: 404), and completeness (expected, received, on time, late, missing) per
unit and rolled up, in a constant number of queries whatever the number of units."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q, QuerySet
from django.db.models.functions import Length
from django.shortcuts import get_object_or_404

from xuanwen.accounts.models import User
from xuanwen.core import tree
from xuanwen.indicators.periods import Period
from xuanwen.units.models import Unit

from .models import RECEIVED, ReportSet, Submission, SubmissionStatus


def report_sets_for(user: User) -> QuerySet[ReportSet]:
    """The report sets the user sees: those owned in their subtree, and those owed by their
    unit (owned by an ancestor)."""
    root = user.scope.root
    if root is None:
        return ReportSet.objects.none()
    line = Q(owner_id__in=tree.ancestor_codes(root)) if root else Q()
    return ReportSet.objects.filter(tree.subtree_q(root, "owner_id") | line).select_related("owner")


def get_report_set_for_user(user: User, pk: int) -> ReportSet:
    return get_object_or_404(report_sets_for(user), pk=pk)


def submissions_for(user: User) -> QuerySet[Submission]:
    root = user.scope.root
    if root is None:
        return Submission.objects.none()
    return Submission.objects.filter(tree.subtree_q(root, "unit_id")).select_related(
        "unit", "report_set", "report_set__owner", "submitted_by", "approved_by"
    )


def get_submission_for_user(user: User, pk: int) -> Submission:
    return get_object_or_404(submissions_for(user), pk=pk)


def units_owing(report_set: ReportSet, unit_code: str) -> QuerySet[Unit]:
    """The units of `unit_code`'s subtree (itself included) that owe the report set."""
    prefix = unit_code if unit_code.startswith(report_set.owner_id) else report_set.owner_id
    return (
        Unit.objects.filter(tree.subtree_q(prefix))
        .annotate(code_length=Length("code"))
        .filter(code_length__in=report_set.code_lengths)
        .order_by("code")
    )


def owing_below(report_set: ReportSet, unit_code: str) -> QuerySet[Unit]:
    """The units strictly below `unit_code` that owe the report set."""
    return units_owing(report_set, unit_code).exclude(code=unit_code)


def last_period(report_set: ReportSet, today: date) -> Period:
    """The latest period of the set that has ended by `today`: what is being reported now."""
    ended = [
        p
        for year in (today.year - 1, today.year)
        for p in report_set.periods(year)
        if p.end < today
    ]
    return ended[-1]


# --- Completeness ---------------------------------------------------------------------------


@dataclass
class Tally:
    """Expected, received, on time, late and missing reports of some units."""

    expected: int = 0
    on_time: int = 0
    late: int = 0
    missing: list[Unit] = field(default_factory=list)

    @property
    def received(self) -> int:
        return self.on_time + self.late

    @property
    def missing_count(self) -> int:
        return len(self.missing)

    @property
    def on_time_rate(self) -> float | None:
        return round(100 * self.on_time / self.expected, 1) if self.expected else None


@dataclass
class CompletenessRow:
    unit: Unit
    tally: Tally
    own: bool = False  # the unit's own report, not its children's


@dataclass
class Completeness:
    report_set: ReportSet
    unit: Unit
    period: Period
    deadline: date
    rows: list[CompletenessRow]
    total: Tally
    status_of: dict[str, Submission]  # unit code → its submission of the period


def completeness(report_set: ReportSet, unit: Unit, period: Period) -> Completeness:
    """The unit's subtree: a row per child (its subtree rolled up) and one for the unit's own
    report when it owes one, with the totals. Three queries, whatever the number of units."""
    owing = list(units_owing(report_set, unit.code))
    submissions = (
        {
            s.unit_id: s
            for s in Submission.objects.filter(
                report_set=report_set, period_key=period.key, unit_id__in=[u.code for u in owing]
            )
        }
        if owing
        else {}
    )
    children = list(Unit.objects.children_of(unit.code))
    child_len = tree.child_length(unit.code)
    by_branch: dict[str, Tally] = {c.code: Tally() for c in children}
    own = Tally()
    total = Tally()
    for owed in owing:
        branch = owed.code[:child_len] if child_len and owed.code != unit.code else unit.code
        tally = own if branch == unit.code else by_branch.setdefault(branch, Tally())
        for t in (tally, total):
            t.expected += 1
            sub = submissions.get(owed.code)
            if sub is None or sub.status not in RECEIVED:
                t.missing.append(owed)
            elif sub.on_time:
                t.on_time += 1
            else:
                t.late += 1
    rows = [CompletenessRow(c, by_branch[c.code]) for c in children if by_branch[c.code].expected]
    if own.expected:
        rows.insert(0, CompletenessRow(unit, own, own=True))
    return Completeness(
        report_set=report_set,
        unit=unit,
        period=period,
        deadline=report_set.deadline(period),
        rows=rows,
        total=total,
        status_of=submissions,
    )


def submission_list(
    user: User, report_set: ReportSet, unit: Unit, period: Period, which: str = ""
) -> list[Submission]:
    """The submissions a completeness figure counts (`which`: on_time, late, or all received)."""
    qs = (
        submissions_for(user)
        .filter(report_set=report_set, period_key=period.key, status__in=RECEIVED)
        .filter(tree.subtree_q(unit.code, "unit_id"))
    )
    if which == "on_time":
        qs = qs.filter(on_time=True)
    elif which == "late":
        qs = qs.filter(on_time=False)
    return list(qs.order_by("unit_id"))


# --- What a unit owes ------------------------------------------------------------------------


@dataclass
class Owed:
    report_set: ReportSet
    period: Period
    deadline: date
    overdue: bool
    submission: Submission | None


def owed_by(unit_code: str, today: date) -> list[Owed]:
    """The reports the unit still owes this year (ended periods not received), oldest first:
    due until the deadline, overdue after. Two queries."""
    sets = [
        s
        for s in ReportSet.objects.filter(
            active=True, owner_id__in=[*tree.ancestor_codes(unit_code), unit_code]
        )
        if s.owes(unit_code)
    ]
    if not sets:
        return []
    # This year's periods and the last of last year's (December's report is due in January).
    first = date(today.year - 1, 1, 1)
    subs = {
        (s.report_set_id, s.period_key): s
        for s in Submission.objects.filter(
            report_set__in=sets, unit_id=unit_code, period_start__gte=first
        )
    }
    out: list[Owed] = []
    for report_set in sets:
        for period in [*report_set.periods(today.year - 1)[-1:], *report_set.periods(today.year)]:
            # Owed once ended, from the first whose deadline had not passed when the set was made.
            if period.end >= today or report_set.deadline(period) < report_set.first_day:
                continue
            sub = subs.get((report_set.pk, period.key))
            if sub is not None and sub.status in RECEIVED:
                continue
            deadline = report_set.deadline(period)
            out.append(Owed(report_set, period, deadline, today > deadline, sub))
    return sorted(out, key=lambda o: (o.deadline, o.report_set.pk))


def awaiting_approval(user: User) -> QuerySet[Submission]:
    """Submissions in the user's subtree waiting for approval (not their own unit's)."""
    return (
        submissions_for(user)
        .filter(status=SubmissionStatus.SUBMITTED)
        .exclude(unit_id=user.unit_id)
    )
