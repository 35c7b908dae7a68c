"""The opening indicators, registered from OpeningConfig.ready().

Days and visitors are plain aggregates of the logs. Compliance is judged week by week in Python
(compliance.py) and registered as computed indicators: the indicator pages, the API and plan
progress get their totals and roll-ups by child from compliance.weeks_parts.
"""

from django.db.models import Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from xuanwen.indicators.periods import Period
from xuanwen.indicators.registry import (
    Computed,
    Indicator,
    RecordRow,
    Rollup,
    Source,
    register,
)

from .compliance import weeks_parts
from .models import OpeningLog

GROUP = _("开放")


def _row(log: OpeningLog) -> RecordRow:
    return RecordRow(
        title=log.facility.name,
        url=log.get_absolute_url(),
        unit_name=log.facility.unit.name,
        date=log.date,
        detail=_("%(hours)s 小时 · %(n)d 人次") % {"hours": log.hours, "n": log.visitors},
    )


LOGS = Source(
    key="opening.logs",
    # A deleted facility's days disappear with it.
    queryset=lambda: OpeningLog.objects.filter(facility__deleted_at__isnull=True),
    unit_field="facility__unit_id",
    period_q=lambda p: Q(date__gte=p.start, date__lte=p.end),
    row=_row,
    select_related=("facility__unit",),
)


WEEKS = Computed(key="opening.weeks", parts=weeks_parts)


def log_list_url(unit: str, period: Period) -> str:
    query = {"unit": unit, "start": period.start.isoformat(), "end": period.end.isoformat()}
    return f"{reverse('opening:list')}?{urlencode(query)}"


def compliance_url(unit: str, period: Period) -> str:
    return f"{reverse('opening:compliance')}?{urlencode({'unit': unit, 'period': period.key})}"


def register_all() -> None:
    register(
        Indicator(
            code="opening.compliance_rate",
            name=_("开放达标率"),
            measure="%",
            source=LOGS,
            rollup=Rollup.RATE,
            computed=WEEKS,
            part="compliant",
            of_part="judged",
            list_url=compliance_url,
            group=GROUP,
            help=_(
                "达标的阵地周数占已判定阵地周数的百分比。每周（周一至周日）按阵地类型的规定判定，"
                "如综合文化站每周至少开放 3 天、每天至少 3 小时，遇法定节假日按当周工作日数减少。"
            ),
        )
    )
    register(
        Indicator(
            code="opening.weeks_compliant",
            name=_("开放达标周数"),
            measure=_("周"),
            source=LOGS,
            rollup=Rollup.SUM,
            computed=WEEKS,
            part="compliant",
            list_url=compliance_url,
            group=GROUP,
            help=_("按阵地计：两个阵地各达标一周计 2 周。"),
        )
    )
    register(
        Indicator(
            code="opening.weeks_failing",
            name=_("开放未达标周数"),
            measure=_("周"),
            source=LOGS,
            rollup=Rollup.SUM,
            computed=WEEKS,
            part="failing",
            list_url=compliance_url,
            group=GROUP,
        )
    )
    register(
        Indicator(
            code="opening.days",
            name=_("开放天数"),
            measure=_("天"),
            source=LOGS,
            rollup=Rollup.COUNT,
            list_url=log_list_url,
            group=GROUP,
            help=_("按阵地计：每个阵地每开放一天计 1 天。"),
        )
    )
    register(
        Indicator(
            code="opening.visitors",
            name=_("开放接待人次"),
            measure=_("人次"),
            source=LOGS,
            rollup=Rollup.SUM,
            field="visitors",
            list_url=log_list_url,
            group=GROUP,
        )
    )
