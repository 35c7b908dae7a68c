"""Reading work plans, always within the user's scope, and computing their progress."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Protocol

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xuanwen.accounts.models import User
from xuanwen.activities.models import Activity
from xuanwen.core import tree
from xuanwen.indicators.registry import Indicator, Number, get_indicators
from xuanwen.indicators.selectors import values
from xuanwen.records.selectors import one_or_404, parts_in_scope

from .models import PlanItem, PlanSection, WorkPlan
from .numbering import item_number, section_number


def plans_for(user: User) -> QuerySet[WorkPlan]:
    """Live plans (every revision) of units in the user's subtree."""
    return WorkPlan.objects.filter(user.scope.q("unit_id"))


def latest_plans_for(user: User) -> QuerySet[WorkPlan]:
    """The latest revision of each plan, annotated as such; superseded ones are left out."""
    newer = WorkPlan.objects.filter(replaces=OuterRef("pk"))
    return plans_for(user).exclude(Exists(newer)).select_related("unit")


def get_plan_for_user(user: User, pk: int) -> WorkPlan:
    qs = plans_for(user).select_related("unit", "approved_by")
    return one_or_404(qs, pk, _("未找到该计划，或您无权查看。"))


def get_section_for_user(user: User, pk: int) -> PlanSection:
    qs = parts_in_scope(PlanSection, user, "plan").select_related("plan__unit")
    return one_or_404(qs, pk, _("未找到该计划，或您无权查看。"))


def get_item_for_user(user: User, pk: int) -> PlanItem:
    qs = parts_in_scope(PlanItem, user, "section__plan").select_related("section__plan__unit")
    return one_or_404(qs, pk, _("未找到该计划条目，或您无权查看。"))


def plan_revisions(plan: WorkPlan) -> list[WorkPlan]:
    """Every live revision of the plan's unit and period, oldest first (one query)."""
    return list(
        WorkPlan.objects.filter(
            unit_id=plan.unit_id, kind=plan.kind, year=plan.year, index=plan.index
        ).order_by("revision")
    )


def indicators_by_code(codes: set[str]) -> dict[str, Indicator]:
    """The indicators named by `codes`, their families listed once (registry.get_indicators)."""
    return get_indicators(codes)


@dataclass
class ItemRow:
    """An item as a page shows it: its rendered number and its indicator."""

    item: PlanItem
    number: str
    indicator: Indicator | None
    evidence: list[Activity] = field(default_factory=list)  # live ones, newest first


@dataclass
class SectionRow:
    """A section as a page shows it: its rendered number and its items."""

    section: PlanSection
    number: str
    items: list[ItemRow]


def plan_content(plan: WorkPlan) -> list[SectionRow]:
    """Sections and items, numbered, with evidence: a fixed number of queries at any size."""
    sections = list(plan.sections.prefetch_related("items"))
    # The evidence: read from the plan's (item, activity) pairs with their activities, one
    # query driven by the plan; the few rows are sorted here. (Asked for as live activities in
    # date order, the database would walk the activities in that order looking for them.)
    evidence: dict[int, list[Activity]] = {}
    pairs = PlanItem.evidence.through.objects.filter(planitem__section__plan=plan)
    for pair in pairs.select_related("activity__type").order_by():
        if pair.activity.deleted_at is None:  # deleted ones drop out, as everywhere
            evidence.setdefault(pair.planitem_id, []).append(pair.activity)
    for shown in evidence.values():
        shown.sort(key=lambda a: (a.start_date, a.pk), reverse=True)
    codes = {i.indicator for s in sections for i in s.items.all() if i.indicator}
    indicators = indicators_by_code(codes) if codes else {}
    return [
        SectionRow(
            section=s,
            number=section_number(n),
            items=[
                ItemRow(
                    item=i,
                    number=item_number(m, s.item_style),
                    indicator=indicators.get(i.indicator),
                    evidence=evidence.get(i.pk, []),
                )
                for m, i in enumerate(s.items.all(), start=1)
            ],
        )
        for n, s in enumerate(sections, start=1)
    ]


class Status:
    """Where an item stands, from the one clock (issue #12): 未开始 before the plan's period;
    during it 进行中 (a target on track or behind, or an item without a target to judge);
    已完成 once met or marked done; 未完成 only once the period is over."""

    NOT_STARTED = "not_started"
    MET = "met"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    IN_PROGRESS = "in_progress"
    MISSED = "missed"
    DONE = "done"
    NO_TARGET = "no_target"  # measured, with no target: its value and no verdict
    NO_INDICATOR = "no_indicator"


STATUS_LABELS = {
    Status.NOT_STARTED: gettext_lazy("未开始"),
    Status.MET: gettext_lazy("已完成"),
    Status.ON_TRACK: gettext_lazy("进行中（正常）"),
    Status.BEHIND: gettext_lazy("进行中（落后）"),
    Status.IN_PROGRESS: gettext_lazy("进行中"),
    Status.MISSED: gettext_lazy("未完成"),
    Status.DONE: gettext_lazy("已完成"),
    Status.NO_TARGET: gettext_lazy("未设目标"),
    Status.NO_INDICATOR: gettext_lazy("指标不可用"),
}


@dataclass
class ItemProgress:
    """One item's progress: for a target, actual against expected; else done or not."""

    row: ItemRow
    status: str
    actual: Number = None
    percent: float | None = None  # actual as a percentage of the target minimum
    expected: float | None = None  # target minimum × elapsed fraction of the period
    records_url: str = ""

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


def target_status(
    actual: Number, target_min: Decimal, elapsed: float, accumulates: bool = True, *, ended: bool
) -> tuple[str, float]:
    """(status, expected) of a target minimum given the actual value, the elapsed fraction of
    the period and whether the period is over (`ended`: its last day has passed).

    Met once the actual reaches the minimum. Before that, the expected value is the minimum
    spread evenly over the period (minimum × elapsed fraction): at or above it is on track,
    below it behind, and only once the period is over is a target not met missed. E.g. 3
    trainings a year, 1 held by 1 July (elapsed 0.50, expected 1.5): behind; on 31 December
    still 1: behind (the day is not over); on 1 January: missed.

    A level such as a rate (`accumulates` False: 开放达标率 100 %) does not build up over the
    period, so it is expected in full from the start: 90 % in July is behind, not ahead of a
    scaled 50 %. With nothing to judge yet (no value) it is on track until the period ends.
    """
    minimum = float(target_min)
    if not accumulates:
        if actual is None:
            return (Status.MISSED if ended else Status.ON_TRACK), minimum
        if float(actual) >= minimum:
            return Status.MET, minimum
        return (Status.MISSED if ended else Status.BEHIND), minimum
    expected = round(minimum * elapsed, 2)
    value = float(actual or 0)
    if value >= minimum:
        return Status.MET, expected
    if ended:
        return Status.MISSED, expected
    return (Status.ON_TRACK if value >= expected else Status.BEHIND), expected


@dataclass
class PlanProgress:
    """A plan's progress as of a day: its sections, each item's progress, and the summary."""

    today: date
    elapsed: float
    sections: list[tuple[SectionRow, list[ItemProgress]]]

    @property
    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for _section, items in self.sections:
            for p in items:
                out[p.status] = out.get(p.status, 0) + 1
        return out


class Judged(Protocol):
    """What the status of an item is judged from: a PlanItem, or a row of its fields."""

    indicator: str
    target_min: Decimal | None
    done_on: date | None


def item_status(
    item: Judged,
    indicator: Indicator | None,
    actual: Number,
    elapsed: float,
    *,
    started: bool,
    ended: bool,
) -> tuple[str, float | None]:
    """(status, expected) of one item whose indicator (if it names one) is `indicator` and
    its value `actual`, at `elapsed` of the plan's period: the progress page's and the
    dashboard's one rule. An item marked done by hand is 已完成 whatever its value; before the
    period every item is 未开始."""
    if item.indicator and indicator is None:
        return Status.NO_INDICATOR, None
    expected: float | None = None
    if indicator is None:
        status = Status.MISSED if ended else Status.IN_PROGRESS
    elif item.target_min is None:
        status = Status.NO_TARGET
    else:
        status, expected = target_status(
            actual, item.target_min, elapsed, indicator.accumulates, ended=ended
        )
    if item.done_on:
        return Status.DONE, expected  # what was expected by now still shows beside it
    if not started:
        return Status.NOT_STARTED, None
    return status, expected


def plan_progress(plan: WorkPlan, today: date) -> PlanProgress:
    """Every item's progress for the plan's unit subtree and period, as of `today`.

    Actual values come from the indicators, all computed together (one query per source),
    so the page costs the same for 3 items or 30. Before the period every item is 未开始
    (values are still shown); an item marked done by hand is 已完成 whatever its value.
    """
    period = plan.period
    elapsed = period.elapsed_fraction(today)
    started, ended = today >= period.start, today > period.end
    content = plan_content(plan)
    measured = {r.indicator.code: r.indicator for s in content for r in s.items if r.indicator}
    actuals = values(list(measured.values()), plan.unit_id, period) if measured else {}
    sections = []
    for s in content:
        rows = []
        for r in s.items:
            item = r.item
            if item.indicator and r.indicator is None:
                rows.append(ItemProgress(row=r, status=Status.NO_INDICATOR))
                continue
            progress = ItemProgress(row=r, status=Status.NOT_STARTED)
            if r.indicator is not None:
                progress.actual = actuals[r.indicator.code]
                progress.records_url = r.indicator.records_url(plan.unit_id, period)
                if item.target_min:
                    progress.percent = round(
                        100 * float(progress.actual or 0) / float(item.target_min)
                    )
            progress.status, progress.expected = item_status(
                item, r.indicator, progress.actual, elapsed, started=started, ended=ended
            )
            rows.append(progress)
        sections.append((s, rows))
    return PlanProgress(today=today, elapsed=elapsed, sections=sections)


def evidence_choices(plan: WorkPlan) -> QuerySet[Activity]:
    """Activities that can back an item: the plan unit's subtree, within the plan's period."""
    period = plan.period
    return (
        Activity.objects.filter(
            tree.subtree_q(plan.unit_id, "unit_id"),
            end_date__gte=period.start,
            start_date__lte=period.end,
        )
        .select_related("unit", "type")
        .order_by("start_date", "id")
    )
