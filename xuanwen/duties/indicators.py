"""Indicators of recurring duties, registered from DutiesConfig.ready().

Completions, market inspections and inspected businesses are SQL counts (a completion belongs
to the period of its date). On-time rate, on-time periods and overdue periods are judged
period by period (compliance.py), so they are computed indicators (registry.Computed).
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xuanwen.indicators.declare import Group, list_link, part_of, record_row, within
from xuanwen.indicators.periods import Period
from xuanwen.indicators.registry import Computed, PeriodRule, RecordRow, Rollup, Rule, Source

from . import compliance
from .models import Duty, DutyCompletion, InspectedBusiness

G = Group(_("常规工作"))


def _completion_row(c: DutyCompletion) -> RecordRow:
    return record_row(c, c.duty.unit, title=c.duty.name, date=c.done_on, detail=c.note[:60])


def _business_row(b: InspectedBusiness) -> RecordRow:
    c = b.completion
    detail = f"{b.get_kind_display()} · {b.findings[:40]}"
    return record_row(c, c.duty.unit, title=b.name, date=c.done_on, detail=detail)


def _duty_row(d: Duty) -> RecordRow:
    return record_row(d, d.unit, title=d.name, date=d.start_date, detail=d.cycle_label)


COMPLETIONS = part_of(
    "duties.completions", DutyCompletion, "duty", period_q=within("done_on"), row=_completion_row
)
BUSINESSES = part_of(
    "duties.businesses", InspectedBusiness, "completion__duty", live=("completion",),
    period_q=within("completion__done_on"), row=_business_row,
)  # fmt: skip
# The duties judged by the computed indicators (the records page lists them).
DUTIES = Source(
    key="duties.duties",
    queryset=lambda: Duty.objects.filter(active=True),
    unit_field="unit_id",
    # The duties running by the period's end, whose periods the computed indicators judge.
    period_q=PeriodRule(Rule.EVENT, lambda p: Q(start_date__lte=p.end)),
    row=_duty_row,
    select_related=("unit",),
)


def _parts(unit_code: str, period: Period, branch_len: int) -> dict[str, dict[str, int | float]]:
    return compliance.parts_by_branch(unit_code, period.start, period.end, branch_len)


PERIODS = Computed(key="duties.periods", parts=_parts)


COMPLIANCE = list_link("duties:compliance", dates="period")


def register_all() -> None:
    G.add("duties.completions", _("常规工作完成次数"), _("次"), COMPLETIONS,
          list_url=list_link("duties:completions"))  # fmt: skip
    G.add("duties.market_inspections", _("文化市场检查次数"), _("次"), COMPLETIONS,
          where=Q(duty__needs_inspections=True))  # fmt: skip
    G.add("duties.businesses_inspected", _("检查经营单位户次"), _("户次"), BUSINESSES)
    G.add("duties.rectifications_required", _("责令整改户次"), _("户次"), BUSINESSES,
          where=Q(rectification_required=True))  # fmt: skip
    G.add("duties.on_time_rate", _("常规工作按时完成率"), "%", DUTIES, Rollup.RATE,
          computed=PERIODS, part="on_time", of_part="due", list_url=COMPLIANCE,
          help=_("已到期的各期中按时完成的百分比（黑板报每半月一期、例会每周一次……）。"),
    )  # fmt: skip
    G.add("duties.on_time_periods", _("常规工作按时完成期数"), _("期"), DUTIES, Rollup.SUM,
          computed=PERIODS, part="on_time", list_url=COMPLIANCE)  # fmt: skip
    G.add("duties.overdue_periods", _("常规工作逾期未做期数"), _("期"), DUTIES, Rollup.SUM,
          computed=PERIODS, part="overdue", list_url=COMPLIANCE)  # fmt: skip
