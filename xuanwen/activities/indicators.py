"""The first indicators: computed from activities, their media coverage and their awards.

Registered when the activities app is ready (ActivitiesConfig.ready), like every app's own
indicators. An activity belongs to every period it overlaps, the same rule as the activity list
filter (activities.selectors.activity_search), so a count and the list it links to always show
the same records.
"""

from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.text import format_lazy
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from xuanwen.core.models import Level
from xuanwen.indicators.periods import Period
from xuanwen.indicators.registry import (
    Indicator,
    RecordRow,
    Rollup,
    Source,
    register,
    register_family,
)

from .models import Activity, ActivityType, Award, MediaCoverage


def activity_list_url(unit_code: str, period: Period, type_id: int | None = None) -> str:
    """The activity list filtered to the unit's subtree, the period and optionally a type."""
    try:
        base = reverse("activities:list")
    except NoReverseMatch:
        # The activity pages are built alongside; their list is mounted at /activities/.
        base = "/activities/"
    params: dict[str, Any] = {"unit": unit_code}
    if type_id is not None:
        params["type"] = type_id
    params["start"] = period.start.isoformat()
    params["end"] = period.end.isoformat()
    return f"{base}?{urlencode(params)}"


def _activity_row(a: Activity) -> RecordRow:
    return RecordRow(
        title=a.title,
        url=a.get_absolute_url(),
        unit_name=a.unit.name,
        date=a.start_date,
        detail=a.type.name,
    )


def _award_row(w: Award) -> RecordRow:
    return RecordRow(
        title=f"{w.name} {w.rank}".strip(),
        url=w.activity.get_absolute_url(),
        unit_name=w.activity.unit.name,
        date=w.activity.start_date,
        detail=f"{w.get_level_display()} · {w.winner} · {w.activity.title}",
    )


ACTIVITIES = Source(
    key="activities",
    queryset=lambda: Activity.objects.all(),
    unit_field="unit_id",
    period_q=lambda p: Q(end_date__gte=p.start, start_date__lte=p.end),
    row=_activity_row,
    select_related=("unit", "type"),
)

AWARDS = Source(
    key="awards",
    # An award of a deleted activity disappears with it.
    queryset=lambda: Award.objects.filter(activity__deleted_at__isnull=True),
    unit_field="activity__unit_id",
    period_q=lambda p: Q(activity__end_date__gte=p.start, activity__start_date__lte=p.end),
    row=_award_row,
    select_related=("activity__unit",),
)

# EXISTS rather than a join, so that several reports on one activity count it once and other
# indicators of the same source can share the query without their sums being multiplied.
HAS_COVERAGE = Q(Exists(MediaCoverage.objects.filter(activity=OuterRef("pk"))))

GROUP_ACTIVITIES = _("活动")
GROUP_AWARDS = _("获奖")

register(
    Indicator(
        code="activities.count",
        name=_("活动总次数"),
        measure=_("次"),
        source=ACTIVITIES,
        rollup=Rollup.COUNT,
        list_url=lambda unit, period: activity_list_url(unit, period),
        group=GROUP_ACTIVITIES,
    )
)


@register_family("activities.type.")
def activity_type_indicators(key: str | None) -> list[Indicator]:
    """One count per activity type: `activities.type.<type id>`."""
    if key is None:
        types = list(ActivityType.objects.filter(active=True))
    elif key.isdigit():
        # Inactive types still resolve: plans written last year may point at them.
        types = list(ActivityType.objects.filter(pk=int(key)))
    else:
        types = []
    return [_type_indicator(t) for t in types]


# Marks the string below for makemessages, which does not know the gettext_now alias.
gettext_noop("%(type)s活动次数")


def _type_indicator(t: ActivityType) -> Indicator:
    return Indicator(
        code=f"activities.type.{t.pk}",
        # Built per request, so the plain gettext is in the reader's language.
        name=gettext_now("%(type)s活动次数") % {"type": t.name},
        measure=_("次"),
        source=ACTIVITIES,
        rollup=Rollup.COUNT,
        where=Q(type_id=t.pk),
        list_url=lambda unit, period: activity_list_url(unit, period, t.pk),
        group=GROUP_ACTIVITIES,
    )


register(
    Indicator(
        code="activities.participants",
        name=_("活动参与人次"),
        measure=_("人次"),
        source=ACTIVITIES,
        rollup=Rollup.SUM,
        field="participants",
        list_url=lambda unit, period: activity_list_url(unit, period),
        group=GROUP_ACTIVITIES,
    )
)
register(
    Indicator(
        code="activities.audience",
        name=_("活动观众人次"),
        measure=_("人次"),
        source=ACTIVITIES,
        rollup=Rollup.SUM,
        field="audience",
        list_url=lambda unit, period: activity_list_url(unit, period),
        group=GROUP_ACTIVITIES,
    )
)
register(
    Indicator(
        code="activities.covered",
        name=_("有媒体报道的活动"),
        measure=_("次"),
        source=ACTIVITIES,
        rollup=Rollup.DISTINCT,
        where=HAS_COVERAGE,
        group=GROUP_ACTIVITIES,
        help=_("每个活动只计一次，不论有几篇报道。"),
    )
)
register(
    Indicator(
        code="activities.coverage_rate",
        name=_("活动媒体报道率"),
        measure="%",
        source=ACTIVITIES,
        rollup=Rollup.RATE,
        where=HAS_COVERAGE,
        group=GROUP_ACTIVITIES,
        help=_("有媒体报道的活动占全部活动的百分比。"),
    )
)
register(
    Indicator(
        code="awards.count",
        name=_("获奖总数"),
        measure=_("项"),
        source=AWARDS,
        rollup=Rollup.COUNT,
        group=GROUP_AWARDS,
    )
)
for _level in Level:
    register(
        Indicator(
            code=f"awards.level.{_level.value}",
            name=format_lazy(_("{level}获奖"), level=_level.label),
            measure=_("项"),
            source=AWARDS,
            rollup=Rollup.COUNT,
            where=Q(level=_level.value),
            group=GROUP_AWARDS,
        )
    )
