"""The facts a summary states, gathered from the indicators and the records behind them.

Every number comes from the indicator registry (`indicators.selectors.values`: the same value
the indicator page and the API give for the unit and period, with each indicator's time rule)
and is kept as a `Figure` that knows its indicator and the link to its records, so that the
appendix and the preview can trace it. The lists (highlights, facilities, teams, designations)
are the records behind those figures. A fixed number of queries whatever the number of records:
one per indicator source, one per list.

The functions trust the unit they are given: views fetch it with
`units.selectors.get_unit_for_user` first, and the records of a unit in scope are in scope.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Exists, OuterRef, Prefetch

from xuanwen.activities.models import Activity, ActivityType, Award, MediaCoverage
from xuanwen.core import tree
from xuanwen.core.scope import Scope
from xuanwen.indicators.periods import Period, PeriodKind, year_period
from xuanwen.indicators.registry import Indicator, Number, RecordRow, get_indicators
from xuanwen.indicators.selectors import values
from xuanwen.plans.models import WorkPlan
from xuanwen.plans.selectors import ItemProgress, Status, plan_progress
from xuanwen.units.models import Unit

from . import wording

TYPE_PREFIX = "activities.type."
HIGHLIGHTS_MAX = 10  # the highlights a summary names, newest coverage or award first
LIST_MAX = 20  # the facilities, teams or designations a summary names


@dataclass(frozen=True)
class Figure:
    """A number the document states: its label, its value, the indicator it is, and the link
    to the records it was computed from."""

    label: str
    value: Number
    code: str
    url: str
    measure: str = ""
    approx: bool = False  # stated rounded down with 余 (19500余册)
    indicator_name: str = ""
    rule_label: str = ""  # the indicator's time rule: 按发生时间、期末存量、期内新增

    @property
    def stated(self) -> str:
        """The number as the text writes it, with its measure."""
        return wording.amount(self.value, self.measure, approx=self.approx)

    @property
    def empty(self) -> bool:
        return not self.value


@dataclass(frozen=True)
class DomainSpec:
    key: str
    title: object  # lazy text
    codes: tuple[str, ...]
    listed: str = ""  # the indicator whose records the summary names (facilities, teams …)


# The domains of 二、主要工作及成效, in the order the seed's summaries take them, with the
# indicators each states. A domain whose figures are all zero is left out.
DOMAINS = (
    DomainSpec("activities", "群众文化活动", (
        "activities.count", "activities.participants", "activities.audience",
        "activities.programmes", "activities.covered", "awards.count",
    )),
    DomainSpec("facilities", "文化阵地建设", (
        "facilities.count", "facilities.area", "facilities.opened",
    ), listed="facilities.count"),
    DomainSpec("opening", "免费开放", (
        "opening.days", "opening.visitors", "opening.compliance_rate",
    )),
    DomainSpec("bookhouses", "农家书屋", (
        "bookhouses.count", "bookhouses.books", "bookhouses.av", "bookhouses.loans",
    )),
    DomainSpec("teams", "文艺队伍与培训", (
        "teams.count", "teams.members", "training.classes", "training.sessions",
        "training.trainees", "honours.count",
    ), listed="teams.count"),
    DomainSpec("designations", "文化示范创建", (
        "designations.count", "designations.new", "households.count", "households.new",
    ), listed="designations.new"),
    DomainSpec("duties", "常规工作", (
        "duties.completions", "duties.market_inspections", "duties.businesses_inspected",
        "duties.on_time_rate",
    )),
)  # fmt: skip
# Figures only 三、存在的问题 states, and only when above zero.
PROBLEM_CODES = ("opening.weeks_failing", "duties.overdue_periods")
# Measures the seed writes differently from the indicator's own.
MEASURES = {"activities.count": "场次", "activities.covered": "场次"}
# Big totals stated rounded down with 余.
APPROX = {
    "activities.participants", "activities.audience", "opening.visitors", "bookhouses.books",
    "bookhouses.av", "bookhouses.loans", "facilities.area",
}  # fmt: skip


@dataclass
class Domain:
    spec: DomainSpec
    figures: dict[str, Figure]
    by_type: list[tuple[str, Figure]] = field(default_factory=list)  # (type name, figure)
    records: list[RecordRow] = field(default_factory=list)

    @property
    def title(self) -> str:
        return str(self.spec.title)

    def __getitem__(self, code: str) -> Figure:
        return self.figures[code]

    @property
    def empty(self) -> bool:
        return all(f.empty for f in self.figures.values())


@dataclass
class Highlight:
    """An activity with media coverage or an award."""

    activity: Activity
    coverage: list[MediaCoverage]
    awards: list[Award]


@dataclass
class PlanFact:
    """A plan item the problems or the next steps name, with its figure if it has one."""

    text: str
    status: str
    target: Figure | None = None
    actual: Figure | None = None


@dataclass
class SummaryFacts:
    unit: Unit
    period: Period
    today: date
    domains: list[Domain]
    highlights: list[Highlight]
    problems: list[Figure]  # weeks not compliant, duty periods overdue (above zero only)
    behind: list[PlanFact]  # plan items behind or missed
    remaining: list[PlanFact]  # the year plan's items not yet met or done (the next steps)

    @property
    def half(self) -> bool:
        return self.period.kind == PeriodKind.HALF

    def figures(self) -> list[Figure]:
        """Every figure the document states, in the order it states them."""
        out: list[Figure] = []
        for domain in self.domains:
            out.extend(f for f in domain.figures.values() if not f.empty)
            out.extend(f for _name, f in domain.by_type if not f.empty)
        out.extend(self.problems)
        for fact in self.behind:
            out.extend(f for f in (fact.actual,) if f is not None)
        seen: set[tuple[str, str]] = set()
        unique = []
        for f in out:
            if (f.code, f.label) not in seen:
                seen.add((f.code, f.label))
                unique.append(f)
        return unique


def measure_of(ind: Indicator) -> str:
    """The measure the text writes: the seed's 场次 for activities (each type's count too)."""
    if ind.code.startswith(TYPE_PREFIX):
        return str(MEASURES["activities.count"])
    return str(MEASURES.get(ind.code, ind.measure))


def _figure(ind: Indicator, value: Number, unit: Unit, period: Period, label: str = "") -> Figure:
    return Figure(
        label=label or str(ind.name),
        value=value,
        code=ind.code,
        url=ind.records_url(unit.code, period),
        measure=measure_of(ind),
        approx=ind.code in APPROX,
        indicator_name=str(ind.name),
        rule_label=ind.rule.label,
    )


def _listed(ind: Indicator, unit: Unit, period: Period) -> list[RecordRow]:
    source = ind.source
    rows = ind.records(unit.code, period).select_related(*source.select_related)
    return [source.row(x) for x in rows.order_by("pk")[:LIST_MAX]]


def highlights(unit: Unit, period: Period) -> list[Highlight]:
    """The unit subtree's activities in the period with a media report or an award (three
    queries: the activities, their reports, their awards)."""
    covered = Exists(MediaCoverage.objects.filter(activity=OuterRef("pk")))
    awarded = Exists(Award.objects.filter(activity=OuterRef("pk")))
    rows = (
        Activity.objects.filter(
            tree.subtree_q(unit.code, "unit_id"),
            start_date__lte=period.end,
            end_date__gte=period.start,
        )
        .filter(covered | awarded)
        .order_by("start_date", "pk")
        .prefetch_related(
            Prefetch("coverage", queryset=MediaCoverage.objects.order_by("date", "pk")),
            Prefetch("awards", queryset=Award.objects.order_by("pk")),
        )[:HIGHLIGHTS_MAX]
    )
    return [Highlight(a, list(a.coverage.all()), list(a.awards.all())) for a in rows]


def current_plan(unit: Unit, kind: str, year: int, index: int) -> WorkPlan | None:
    """The latest revision of the unit's own plan for the period, if it has one."""
    return (
        WorkPlan.objects.filter(unit_id=unit.code, kind=kind, year=year, index=index)
        .select_related("unit")
        .order_by("-revision")
        .first()
    )


def _plan_facts(
    rows: Iterable[ItemProgress], statuses: set[str], unit: Unit, period: Period
) -> list[PlanFact]:
    out = []
    for p in rows:
        if p.status not in statuses:
            continue
        item, ind = p.row.item, p.row.indicator
        fact = PlanFact(text=item.text, status=p.status)
        if ind is not None and item.target_min is not None:
            measure = measure_of(ind)
            fact.target = Figure(
                f"{ind.name}（计划目标）", float(item.target_min), ind.code, "",
                measure, indicator_name=str(ind.name),
            )  # fmt: skip
            label = f"{ind.name}（{period.label}）"
            fact.actual = _figure(ind, p.actual, unit, period, label)
        out.append(fact)
    return out


def summary_facts(unit: Unit, period: Period, today: date) -> SummaryFacts:
    """Everything a summary of the unit's subtree for the period states (see the module)."""
    # The activity types this unit sees (national ones and its own line's), in their order.
    kinds = (
        ActivityType.objects.filter(Scope.unit(unit.code).sees_owned(), active=True)
        .order_by("ordering", "name")
        .values_list("pk", "name")
    )
    type_names = {f"{TYPE_PREFIX}{pk}": name for pk, name in kinds}
    codes = [c for spec in DOMAINS for c in spec.codes] + list(PROBLEM_CODES)
    by_code = get_indicators([*codes, *type_names])
    types = [by_code[c] for c in type_names if c in by_code]
    wanted = [by_code[c] for c in codes if c in by_code] + types
    got = values(wanted, unit.code, period)

    domains = []
    for spec in DOMAINS:
        figures = {c: _figure(by_code[c], got[c], unit, period) for c in spec.codes if c in by_code}
        domain = Domain(spec, figures)
        if domain.empty:
            continue
        if spec.key == "activities":
            for ind in types:
                name = type_names[ind.code]
                if got[ind.code]:
                    domain.by_type.append((name, _figure(ind, got[ind.code], unit, period)))
        if spec.listed in by_code and not domain[spec.listed].empty:
            domain.records = _listed(by_code[spec.listed], unit, period)
        domains.append(domain)

    problems = [
        _figure(by_code[c], got[c], unit, period) for c in PROBLEM_CODES if c in by_code and got[c]
    ]
    # The plan of the summary's own period, judged as of today (a half-year summary written in
    # July finds the year's items behind); the year plan's items not yet met are the next steps.
    year = period.start.year
    index = 1 if period.start.month == 1 else 2
    own_plan = (
        current_plan(unit, PeriodKind.YEAR, year, 0)
        if period.kind == PeriodKind.YEAR
        else current_plan(unit, PeriodKind.HALF, year, index)
        or current_plan(unit, PeriodKind.YEAR, year, 0)
    )
    behind: list[PlanFact] = []
    remaining: list[PlanFact] = []
    if own_plan is not None:
        progress = plan_progress(own_plan, today)
        rows = [p for _s, items in progress.sections for p in items]
        plan_period = own_plan.period
        behind = _plan_facts(rows, {Status.BEHIND, Status.MISSED}, unit, plan_period)
        open_statuses = {Status.BEHIND, Status.ON_TRACK, Status.IN_PROGRESS, Status.MISSED}
        if period.kind == PeriodKind.HALF and plan_period == year_period(year):
            remaining = _plan_facts(rows, open_statuses, unit, plan_period)
        elif period.kind == PeriodKind.YEAR:
            remaining = [f for f in behind if f.status == Status.MISSED]
    return SummaryFacts(
        unit=unit,
        period=period,
        today=today,
        domains=domains,
        highlights=highlights(unit, period),
        problems=problems,
        behind=behind,
        remaining=remaining,
    )
