"""The opening indicators, registered from OpeningConfig.ready().

Days, hours and visitors are plain aggregates of the logs. A log is one session and a facility
may open several times a day: hours and visitors add up over sessions, while a day open
counts once per facility (the day's first session stands for it). Compliance is judged week
by week in Python (compliance.py) and registered as computed indicators: the indicator
pages, the API and plan progress get their totals and roll-ups by child from compliance.weeks_parts.
"""

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from xuanwen.indicators.declare import Group, list_link, part_of, record_row, within
from xuanwen.indicators.registry import Computed, RecordRow, Rollup

from .compliance import weeks_parts
from .models import OpeningLog

G = Group(_("开放"))


def _row(log: OpeningLog) -> RecordRow:
    facility = log.facility
    detail = _("%(hours)s 小时 · %(n)d 人次") % {"hours": log.hours, "n": log.visitors}
    if log.times:
        detail = f"{log.times} · {detail}"
    return record_row(log, facility.unit, title=facility.name, date=log.date, detail=detail)


# A deleted facility's days disappear with it.
LOGS = part_of("opening.logs", OpeningLog, "facility", period_q=within("date"), row=_row)


# The first live session of its facility and day: counting these counts days open, each once
# however many sessions it had (a deleted session's day is held by the next one).
FIRST_OF_DAY = ~Q(
    Exists(
        OpeningLog.objects.filter(
            facility_id=OuterRef("facility_id"), date=OuterRef("date"), pk__lt=OuterRef("pk")
        )
    )
)


WEEKS = Computed(key="opening.weeks", parts=weeks_parts)


LOG_LIST = list_link("opening:list")
COMPLIANCE = list_link("opening:compliance", dates="period")


def register_all() -> None:
    G.add("opening.compliance_rate", _("开放达标率"), "%", LOGS, Rollup.RATE, computed=WEEKS,
          part="compliant", of_part="judged", list_url=COMPLIANCE,
          help=_(
              "达标的阵地周数占已判定阵地周数的百分比。每周（周一至周日）按阵地类型的规定判定，"
              "如综合文化站每周至少开放 3 天、每天至少 3 小时，遇法定节假日按当周工作日数减少。"
          ))  # fmt: skip
    G.add("opening.weeks_compliant", _("开放达标周数"), _("周"), LOGS, Rollup.SUM, computed=WEEKS,
          part="compliant", list_url=COMPLIANCE,
          help=_("按阵地计：两个阵地各达标一周计 2 周。"))  # fmt: skip
    G.add("opening.weeks_failing", _("开放未达标周数"), _("周"), LOGS, Rollup.SUM, computed=WEEKS,
          part="failing", list_url=COMPLIANCE)  # fmt: skip
    G.add("opening.days", _("开放天数"), _("天"), LOGS, where=FIRST_OF_DAY, list_url=LOG_LIST,
          help=_("按阵地计：每个阵地每开放一天计 1 天，一天开放几场也只计 1 天。"))  # fmt: skip
    G.add("opening.hours", _("开放时长"), _("小时"), LOGS, Rollup.SUM, field="hours",
          list_url=LOG_LIST,
          help=_("各阵地各场开放时长之和：上午、下午各开放一场的，两场时长相加。"))  # fmt: skip
    G.add("opening.visitors", _("开放接待人次"), _("人次"), LOGS, Rollup.SUM, field="visitors",
          list_url=LOG_LIST)  # fmt: skip
