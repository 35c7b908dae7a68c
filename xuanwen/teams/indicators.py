"""Indicators of teams, training and honours, registered by TeamsConfig.ready().

Periods: a team counts in every period from its founding year on (a team of unknown founding
year, always); a membership from its joining date on; a training class, its trainees and the
class count in every period the class overlaps (the rule of the training list filter); a
session, its hours and its attendance on the session's date; an honour in the periods that
contain its year (an honour carries a year, not a day).

The plan target "举办3—5期培训" is not counted here: each class owns an activity of type 培训
(see services), which `activities.type.<培训>` counts once per class.
"""

from django.db.models import Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from xuanwen.core.models import Level
from xuanwen.indicators.declare import Group, ListUrl, list_link, overlapping, record_row, within
from xuanwen.indicators.periods import Period
from xuanwen.indicators.registry import PeriodRule, RecordRow, Rollup, Rule, Source

from .models import Attendance, Honour, Team, TeamMember, Trainee, TrainingClass, TrainingSession

T = Group(_("队伍与培训"))
H = Group(_("荣誉"))


def _team_row(t: Team) -> RecordRow:
    return record_row(t, t.unit, title=t.name, date=None, detail=t.genre.name)


def _member_row(m: TeamMember) -> RecordRow:
    team = m.team
    return record_row(team, team.unit, title=m.person.name, date=m.joined_on, detail=team.name)


def _class_row(tc: TrainingClass) -> RecordRow:
    return record_row(tc, tc.unit, title=tc.title, date=tc.start_date, detail=tc.trainer)


def _session_row(s: TrainingSession) -> RecordRow:
    tc = s.training_class
    title = f"{tc.title} · {s.topic}" if s.topic else tc.title
    detail = _("%(h)s 小时") % {"h": s.hours}
    return record_row(tc, tc.unit, title=title, date=s.date, detail=detail)


def _trainee_row(t: Trainee) -> RecordRow:
    tc = t.training_class
    return record_row(tc, tc.unit, title=t.person.name, date=tc.start_date, detail=tc.title)


def _attendance_row(a: Attendance) -> RecordRow:
    s = a.session
    tc = s.training_class
    return record_row(tc, tc.unit, title=a.trainee.person.name, date=s.date, detail=tc.title)


def _honour_row(h: Honour) -> RecordRow:
    detail = f"{h.year} · {h.get_level_display()} · {h.holder_name}"
    return record_row(h, h.unit, title=h.name, date=None, detail=detail)


TEAMS = Source(
    key="teams",
    queryset=lambda: Team.objects.all(),
    unit_field="unit_id",
    period_q=PeriodRule(
        Rule.STOCK, lambda p: Q(founded_year__isnull=True) | Q(founded_year__lte=p.end.year)
    ),
    row=_team_row,
    select_related=("unit", "genre"),
)
TEAM_MEMBERS = Source(
    key="team_members",
    queryset=lambda: TeamMember.objects.filter(
        team__deleted_at__isnull=True, person__deleted_at__isnull=True, team__active=True
    ),
    unit_field="team__unit_id",
    period_q=PeriodRule(
        Rule.STOCK,
        lambda p: (
            (Q(joined_on__isnull=True) | Q(joined_on__lte=p.end))
            & (Q(team__founded_year__isnull=True) | Q(team__founded_year__lte=p.end.year))
        ),
    ),
    row=_member_row,
    select_related=("person", "team", "team__unit"),
)
TRAININGS = Source(
    key="trainings",
    queryset=lambda: TrainingClass.objects.all(),
    unit_field="unit_id",
    period_q=overlapping(),
    row=_class_row,
    select_related=("unit",),
)
SESSIONS = Source(
    key="training_sessions",
    queryset=lambda: TrainingSession.objects.filter(training_class__deleted_at__isnull=True),
    unit_field="training_class__unit_id",
    period_q=within("date"),
    row=_session_row,
    select_related=("training_class", "training_class__unit"),
)
TRAINEES = Source(
    key="trainees",
    queryset=lambda: Trainee.objects.filter(
        training_class__deleted_at__isnull=True, person__deleted_at__isnull=True
    ),
    unit_field="training_class__unit_id",
    period_q=overlapping("training_class__"),
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
    period_q=within("session__date"),
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
    period_q=PeriodRule(Rule.EVENT, lambda p: Q(year__gte=p.start.year, year__lte=p.end.year)),
    row=_honour_row,
    select_related=("unit", "person", "team"),
)


def register_all() -> None:
    """Register this app's indicators (once, from TeamsConfig.ready)."""
    T.add("teams.count", _("业余文艺队伍数"), _("支"), TEAMS, where=Q(active=True),
          list_url=list_link("teams:team_list", dates="none", filters={"active": 1}),
          help=_("正常活动的队伍，成立年份不晚于期末。"))  # fmt: skip
    T.add("teams.members", _("队伍队员人数"), _("人"), TEAM_MEMBERS, Rollup.DISTINCT,
          field="person_id",
          help=_("正常活动的队伍的队员，一人参加几支队伍只计一次。"))  # fmt: skip
    T.add("training.classes", _("培训班期数"), _("期"), TRAININGS,
          list_url=list_link("teams:training_list"))  # fmt: skip
    T.add("training.sessions", _("培训课次"), _("次"), SESSIONS)
    T.add("training.hours", _("培训课时"), _("小时"), SESSIONS, Rollup.SUM, field="hours")
    T.add("training.trainees", _("培训学员人数"), _("人"), TRAINEES, Rollup.DISTINCT,
          field="person_id", help=_("一人参加几期培训只计一次。"))  # fmt: skip
    T.add("training.attendance", _("培训出勤人次"), _("人次"), ATTENDANCE,
          help=_("每位学员每出勤一个课次计一人次。"))  # fmt: skip
    H.add("honours.count", _("荣誉总数"), _("项"), HONOURS, list_url=_honour_url())
    for level in Level:
        H.add(f"honours.level.{level.value}", format_lazy(_("{level}荣誉"), level=level.label),
              _("项"), HONOURS, where=Q(level=level.value),
              list_url=_honour_url(level.value))  # fmt: skip


def _honour_url(level: str = "") -> ListUrl:
    """The honours list filters by one year; a period of several years uses the records page."""
    code = f"honours.level.{level}" if level else "honours.count"
    filters: dict[str, str | int] = {"level": level} if level else {}

    def url(unit_code: str, period: Period) -> str:
        if period.start.year != period.end.year:
            query = urlencode({"indicator": code, "unit": unit_code, "period": period.key})
            return f"{reverse('indicators:records')}?{query}"
        query = urlencode({"unit": unit_code, "year": period.start.year, **filters})
        return f"{reverse('teams:honour_list')}?{query}"

    return url
