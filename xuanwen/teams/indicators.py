"""Indicators of teams, training and honours, registered by TeamsConfig.ready().

Periods: a team counts in every period from its founding year on (a team of unknown founding
year, always); a membership from its joining date on; a training class, its trainees and the
class count in every period the class overlaps (the rule of the training list filter); a
session, its hours and its attendance on the session's date; an honour in the periods that
contain its year (an honour carries a year, not a day).

The plan target "举办3—5期培训" is not counted here: each class owns an activity of type 培训
(see services), which `activities.type.<培训>` counts once per class.
"""

from collections.abc import Callable
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from xuanwen.core.models import Level
from xuanwen.indicators.periods import Period
from xuanwen.indicators.registry import Indicator, RecordRow, Rollup, Source, register

from .models import Attendance, Honour, Team, TeamMember, Trainee, TrainingClass, TrainingSession

GROUP_TEAMS = _("队伍与培训")
GROUP_HONOURS = _("荣誉")


def _list_url(name: str, unit_code: str, period: Period, dated: bool = True) -> str:
    params: dict[str, Any] = {"unit": unit_code}
    if dated:
        params["start"] = period.start.isoformat()
        params["end"] = period.end.isoformat()
    return f"{reverse(name)}?{urlencode(params)}"


def _team_row(t: Team) -> RecordRow:
    return RecordRow(
        title=t.name, url=t.get_absolute_url(), unit_name=t.unit.name, date=None,
        detail=t.genre.name,
    )  # fmt: skip


def _member_row(m: TeamMember) -> RecordRow:
    return RecordRow(
        title=m.person.name,
        url=m.team.get_absolute_url(),
        unit_name=m.team.unit.name,
        date=m.joined_on,
        detail=m.team.name,
    )


def _class_row(tc: TrainingClass) -> RecordRow:
    return RecordRow(
        title=tc.title, url=tc.get_absolute_url(), unit_name=tc.unit.name, date=tc.start_date,
        detail=tc.trainer,
    )  # fmt: skip


def _session_row(s: TrainingSession) -> RecordRow:
    tc = s.training_class
    return RecordRow(
        title=f"{tc.title} · {s.topic}" if s.topic else tc.title,
        url=tc.get_absolute_url(),
        unit_name=tc.unit.name,
        date=s.date,
        detail=_("%(h)s 小时") % {"h": s.hours},
    )


def _trainee_row(t: Trainee) -> RecordRow:
    tc = t.training_class
    return RecordRow(
        title=t.person.name, url=tc.get_absolute_url(), unit_name=tc.unit.name,
        date=tc.start_date, detail=tc.title,
    )  # fmt: skip


def _attendance_row(a: Attendance) -> RecordRow:
    s = a.session
    tc = s.training_class
    return RecordRow(
        title=a.trainee.person.name, url=tc.get_absolute_url(), unit_name=tc.unit.name,
        date=s.date, detail=tc.title,
    )  # fmt: skip


def _honour_row(h: Honour) -> RecordRow:
    return RecordRow(
        title=h.name, url=h.get_absolute_url(), unit_name=h.unit.name, date=None,
        detail=f"{h.year} · {h.get_level_display()} · {h.holder_name}",
    )  # fmt: skip


def _overlaps(p: Period, prefix: str = "") -> Q:
    return Q(**{f"{prefix}end_date__gte": p.start, f"{prefix}start_date__lte": p.end})


TEAMS = Source(
    key="teams",
    queryset=lambda: Team.objects.all(),
    unit_field="unit_id",
    period_q=lambda p: Q(founded_year__isnull=True) | Q(founded_year__lte=p.end.year),
    row=_team_row,
    select_related=("unit", "genre"),
)
TEAM_MEMBERS = Source(
    key="team_members",
    queryset=lambda: TeamMember.objects.filter(
        team__deleted_at__isnull=True, person__deleted_at__isnull=True, team__active=True
    ),
    unit_field="team__unit_id",
    period_q=lambda p: (
        (Q(joined_on__isnull=True) | Q(joined_on__lte=p.end))
        & (Q(team__founded_year__isnull=True) | Q(team__founded_year__lte=p.end.year))
    ),
    row=_member_row,
    select_related=("person", "team", "team__unit"),
)
TRAININGS = Source(
    key="trainings",
    queryset=lambda: TrainingClass.objects.all(),
    unit_field="unit_id",
    period_q=_overlaps,
    row=_class_row,
    select_related=("unit",),
)
SESSIONS = Source(
    key="training_sessions",
    queryset=lambda: TrainingSession.objects.filter(training_class__deleted_at__isnull=True),
    unit_field="training_class__unit_id",
    period_q=lambda p: Q(date__gte=p.start, date__lte=p.end),
    row=_session_row,
    select_related=("training_class", "training_class__unit"),
)
TRAINEES = Source(
    key="trainees",
    queryset=lambda: Trainee.objects.filter(
        training_class__deleted_at__isnull=True, person__deleted_at__isnull=True
    ),
    unit_field="training_class__unit_id",
    period_q=lambda p: _overlaps(p, "training_class__"),
    row=_trainee_row,
    select_related=("person", "training_class", "training_class__unit"),
)
ATTENDANCE = Source(
    key="training_attendance",
    queryset=lambda: Attendance.objects.filter(
        session__training_class__deleted_at__isnull=True,
        trainee__person__deleted_at__isnull=True,
    ),
    unit_field="session__training_class__unit_id",
    period_q=lambda p: Q(session__date__gte=p.start, session__date__lte=p.end),
    row=_attendance_row,
    select_related=(
        "trainee__person",
        "session",
        "session__training_class",
        "session__training_class__unit",
    ),
)
HONOURS = Source(
    key="honours",
    queryset=lambda: Honour.objects.all(),
    unit_field="unit_id",
    period_q=lambda p: Q(year__gte=p.start.year, year__lte=p.end.year),
    row=_honour_row,
    select_related=("unit", "person", "team"),
)


def register_all() -> None:
    """Register this app's indicators (once, from TeamsConfig.ready)."""
    register(
        Indicator(
            code="teams.count",
            level=True,
            name=_("业余文艺队伍数"),
            measure=_("支"),
            source=TEAMS,
            rollup=Rollup.COUNT,
            where=Q(active=True),
            list_url=lambda unit, p: (
                _list_url("teams:team_list", unit, p, dated=False) + "&active=1"
            ),
            group=GROUP_TEAMS,
            help=_("正常活动的队伍，成立年份不晚于期末。"),
        )
    )
    register(
        Indicator(
            code="teams.members",
            level=True,
            name=_("队伍队员人数"),
            measure=_("人"),
            source=TEAM_MEMBERS,
            rollup=Rollup.DISTINCT,
            field="person_id",
            group=GROUP_TEAMS,
            help=_("正常活动的队伍的队员，一人参加几支队伍只计一次。"),
        )
    )
    register(
        Indicator(
            code="training.classes",
            name=_("培训班期数"),
            measure=_("期"),
            source=TRAININGS,
            rollup=Rollup.COUNT,
            list_url=lambda unit, p: _list_url("teams:training_list", unit, p),
            group=GROUP_TEAMS,
        )
    )
    register(
        Indicator(
            code="training.sessions",
            name=_("培训课次"),
            measure=_("次"),
            source=SESSIONS,
            rollup=Rollup.COUNT,
            group=GROUP_TEAMS,
        )
    )
    register(
        Indicator(
            code="training.hours",
            name=_("培训课时"),
            measure=_("小时"),
            source=SESSIONS,
            rollup=Rollup.SUM,
            field="hours",
            group=GROUP_TEAMS,
        )
    )
    register(
        Indicator(
            code="training.trainees",
            name=_("培训学员人数"),
            measure=_("人"),
            source=TRAINEES,
            rollup=Rollup.DISTINCT,
            field="person_id",
            group=GROUP_TEAMS,
            help=_("一人参加几期培训只计一次。"),
        )
    )
    register(
        Indicator(
            code="training.attendance",
            name=_("培训出勤人次"),
            measure=_("人次"),
            source=ATTENDANCE,
            rollup=Rollup.COUNT,
            group=GROUP_TEAMS,
            help=_("每位学员每出勤一个课次计一人次。"),
        )
    )
    register(
        Indicator(
            code="honours.count",
            name=_("荣誉总数"),
            measure=_("项"),
            source=HONOURS,
            rollup=Rollup.COUNT,
            list_url=lambda unit, p: _honour_url(unit, p),
            group=GROUP_HONOURS,
        )
    )
    for level in Level:
        register(
            Indicator(
                code=f"honours.level.{level.value}",
                name=format_lazy(_("{level}荣誉"), level=level.label),
                measure=_("项"),
                source=HONOURS,
                rollup=Rollup.COUNT,
                where=Q(level=level.value),
                list_url=_honour_level_url(level.value),
                group=GROUP_HONOURS,
            )
        )


def _honour_level_url(level: str) -> Callable[[str, Period], str]:
    return lambda unit, period: _honour_url(unit, period, level)


def _honour_url(unit_code: str, period: Period, level: str = "") -> str:
    # The honours list filters by one year; a period of several years uses the records page.
    if period.start.year != period.end.year:
        code = f"honours.level.{level}" if level else "honours.count"
        query = urlencode({"indicator": code, "unit": unit_code, "period": period.key})
        return f"{reverse('indicators:records')}?{query}"
    params: dict[str, Any] = {"unit": unit_code, "year": period.start.year}
    if level:
        params["level"] = level
    return f"{reverse('teams:honour_list')}?{urlencode(params)}"
