"""The first indicators: computed from activities, their media coverage and their awards.

Registered when the activities app is ready (ActivitiesConfig.ready), like every app's own
indicators. An activity belongs to every period it overlaps, the same rule as the activity list
filter (activities.selectors.activity_search), so a count and the list it links to always show
the same records. For whole-month periods they are read from the kept tallies
(counts.change, models.ActivityTally) rather than from the activities themselves.
"""

from django.db.models import Aggregate, Exists, OuterRef, Q, Sum
from django.utils.text import format_lazy
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from xuanwen.core.models import Level
from xuanwen.indicators.declare import (
    Group,
    ListUrl,
    list_link,
    overlapping,
    part_of,
    per_kind,
    record_row,
    within,
)
from xuanwen.indicators.periods import Period
from xuanwen.indicators.registry import (
    Indicator,
    RecordRow,
    Rollup,
    Source,
    Summary,
    register_family,
)

from .counts import month_of
from .models import (
    Activity,
    ActivityTally,
    ActivityType,
    ActivityVillage,
    Award,
    MediaCoverage,
)


def activity_list(type_id: int | None = None) -> ListUrl:
    """The activity list filtered to the unit's subtree, the period and optionally a type."""
    return list_link("activities:list", filters={"type": type_id} if type_id is not None else None)


def _activity_row(a: Activity) -> RecordRow:
    return record_row(a, a.unit, title=a.title, date=a.start_date, detail=a.type.name)


def _award_row(w: Award) -> RecordRow:
    a = w.activity
    title = f"{w.name} {w.rank}".strip()
    detail = f"{w.get_level_display()} · {w.winner} · {a.title}"
    return record_row(a, a.unit, title=title, date=a.start_date, detail=detail)


def _village_row(v: ActivityVillage) -> RecordRow:
    a = v.activity
    return record_row(a, a.unit, title=v.village.name, date=a.start_date, detail=a.title)


def _coverage_row(c: MediaCoverage) -> RecordRow:
    a = c.activity
    title = f"{c.outlet} {c.title}".strip()
    views = gettext_now("阅读/点击 %(n)s") % {"n": c.views} if c.views is not None else ""
    return record_row(a, a.unit, title=title, date=c.date, detail=f"{a.title} {views}".strip())


def _tally_months(p: Period) -> Q:
    """The tally rows of a whole-month period: by the overlapping rule, at month grain."""
    return Q(end_month__gte=month_of(p.start), start_month__lte=month_of(p.end))


def _by_type(where: Q | None) -> bool:
    """Whether `where` only picks activity types (the per-type counts' `Q(type_id=…)`), a
    filter the tally rows answer as they are, having the type too."""
    return where is None or (
        not where.negated
        and all(isinstance(c, tuple) and c[0] in ("type", "type_id") for c in where.children)
    )


def _tallied(ind: Indicator, alias: str) -> dict[str, Aggregate] | None:
    """The activity indicator over ActivityTally rows, or None when the tally does not hold it."""
    if ind.where is HAS_COVERAGE and ind.rollup == Rollup.DISTINCT and not ind.field:
        return {alias: Sum("covered")}
    if ind.where is HAS_COVERAGE and ind.rollup == Rollup.RATE and ind.denominator is None:
        return {alias: Sum("covered"), f"{alias}__den": Sum("live")}
    if not _by_type(ind.where):
        return None
    if ind.rollup == Rollup.COUNT:
        return {alias: Sum("live", filter=ind.where)}
    if ind.rollup == Rollup.SUM and ind.field in ("participants", "audience", "programmes"):
        return {alias: Sum(ind.field, filter=ind.where)}
    return None


ACTIVITIES = Source(
    key="activities",
    queryset=lambda: Activity.objects.all(),
    unit_field="unit_id",
    period_q=overlapping(),
    row=_activity_row,
    select_related=("unit", "type"),
    summary=Summary(
        queryset=lambda: ActivityTally.objects.all(),
        path_field="path",
        period_q=_tally_months,
        aggregates=_tallied,
    ),
)

# An award of a deleted activity disappears with it (and so do its villages and reports).
AWARDS = part_of("awards", Award, "activity", period_q=overlapping("activity__"), row=_award_row)
# The villages reached, by the activity's unit and dates (the activities' own rule).
REACHED = part_of(
    "activity_villages", ActivityVillage, "activity",
    period_q=overlapping("activity__"), row=_village_row, select_related=("village",),
)  # fmt: skip
# The media reports, by the activity's unit and the report's own date.
COVERAGE = part_of(
    "activity_coverage", MediaCoverage, "activity", period_q=within("date"), row=_coverage_row
)

# EXISTS rather than a join, so that several reports on one activity count it once and other
# indicators of the same source can share the query without their sums being multiplied.
HAS_COVERAGE = Q(Exists(MediaCoverage.objects.filter(activity=OuterRef("pk"))))

A = Group(_("活动"))
W = Group(_("获奖"))

A.add("activities.count", _("活动总次数"), _("次"), ACTIVITIES, list_url=activity_list())


@register_family("activities.type.")
def activity_type_indicators(key: str | None) -> list[Indicator]:
    """One count per activity type: `activities.type.<type id>`."""
    return per_kind(ActivityType, key, _type_q, _type_indicator)


def _type_q(key: str) -> Q | None:
    """A type is named by its id."""
    return Q(pk=int(key)) if key.isdigit() else None


# Marks the string below for makemessages, which does not know the gettext_now alias.
gettext_noop("%(type)s活动次数")


def _type_indicator(t: ActivityType) -> Indicator:
    # Built per request, so the plain gettext is in the reader's language.
    name = gettext_now("%(type)s活动次数") % {"type": t.name}
    return A.indicator(f"activities.type.{t.pk}", name, _("次"), ACTIVITIES,
                       where=Q(type_id=t.pk), list_url=activity_list(t.pk))  # fmt: skip


A.add("activities.participants", _("活动参与人次"), _("人次"), ACTIVITIES, Rollup.SUM,
      field="participants", list_url=activity_list())  # fmt: skip
A.add("activities.audience", _("活动观众人次"), _("人次"), ACTIVITIES, Rollup.SUM,
      field="audience", list_url=activity_list())  # fmt: skip
A.add("activities.programmes", _("演出节目数"), _("个"), ACTIVITIES, Rollup.SUM,
      field="programmes", list_url=activity_list(),
      help=_("期间内（按活动日期）各场演出的节目数之和。"))  # fmt: skip
A.add("activities.villages", _("覆盖村数"), _("个"), REACHED, Rollup.DISTINCT,
      field="village_id",
      help=_("期间内活动到过的村（社区），同一村多场活动只计一次。"))  # fmt: skip
A.add("activities.covered", _("有媒体报道的活动"), _("次"), ACTIVITIES, Rollup.DISTINCT,
      where=HAS_COVERAGE, help=_("每个活动只计一次，不论有几篇报道。"))  # fmt: skip
A.add("activities.coverage_views", _("媒体报道阅读量"), _("次"), COVERAGE, Rollup.SUM,
      field="views", help=_("期间内（按报道日期）各篇媒体报道的阅读/点击量之和。"))  # fmt: skip
A.add("activities.coverage_rate", _("活动媒体报道率"), "%", ACTIVITIES, Rollup.RATE,
      where=HAS_COVERAGE, help=_("有媒体报道的活动占全部活动的百分比。"))  # fmt: skip
W.add("awards.count", _("获奖总数"), _("项"), AWARDS)
for _level in Level:
    W.add(f"awards.level.{_level.value}", format_lazy(_("{level}获奖"), level=_level.label),
          _("项"), AWARDS, where=Q(level=_level.value))  # fmt: skip
