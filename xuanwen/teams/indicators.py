"""Indicators of teams, training and honours, registered by TeamsConfig.ready().

Time rules, declared on each source:

- *stock*: a team stands at a period's end from its real-world dates (founded on or before
  the last day, not disbanded by then); one without a founding date counts in no period and
  is listed as 待补日期. A team stopped without a disbanding date counts nowhere, as it did
  before dates were kept. A membership counts where its team stands, from its joining date
  on (a member whose joining date is unknown, from the team's founding).
- *new*: teams founded within the period (组建, 创建).
- *event*: a training class, its trainees and the class count in every period the class
  overlaps (the rule of the training list filter); a session, its hours and its attendance
  on the session's date; an honour in the periods that hold the whole of its date, as
  precisely as it is known — one of 2011 counts in 2011 and in no quarter or month of it,
  one of 2011-12 in December, 2011-Q4, 2011-H2 and 2011, not in 2011-01.

The plan target "举办3—5期培训" is not counted here: each class owns an activity of type 培训
(see services), which `activities.type.<培训>` counts once per class.
"""

from datetime import date, timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from xuanwen.core.models import Level
from xuanwen.indicators.declare import (
    Group,
    ListUrl,
    list_link,
    overlapping,
    part_of,
    record_row,
    standing,
    within,
)
from xuanwen.indicators.periods import Period
from xuanwen.indicators.registers import DatedRegister
from xuanwen.indicators.registry import PeriodRule, RecordRow, Rollup, Rule, Source

from .models import Attendance, Honour, Team, TeamMember, Trainee, TrainingClass, TrainingSession

T = Group(_("队伍与培训"))
H = Group(_("荣誉"))


def _team_row(t: Team) -> RecordRow:
    return record_row(t, t.unit, title=t.name, date=t.founded_on, detail=t.genre.name)


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
    detail = f"{h.date_label} · {h.get_level_display()} · {h.holder_name}"
    return record_row(h, h.unit, title=h.name, date=h.awarded_on, detail=detail)


# Teams whose dates say when they stood: those still active, and those stopped on a known day.
DATED = Q(active=True) | Q(disbanded_on__isnull=False)

TEAMS = DatedRegister(
    T, "teams", Team, "founded_on", "disbanded_on", row=_team_row,
    select_related=("unit", "genre"), dated=DATED,
)  # fmt: skip
TEAM_MEMBERS = Source(
    key="team_members",
    queryset=lambda: TeamMember.objects.filter(
        Q(team__active=True) | Q(team__disbanded_on__isnull=False),
        team__deleted_at__isnull=True,
        person__deleted_at__isnull=True,
    ),
    unit_field="team__unit_id",
    period_q=standing("team__founded_on", "team__disbanded_on").also(
        lambda p: Q(joined_on__isnull=True) | Q(joined_on__lte=p.end)
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
SESSIONS = part_of(
    "training_sessions", TrainingSession, "training_class",
    period_q=within("date"), row=_session_row, select_related=("training_class",),
)  # fmt: skip
TRAINEES = part_of(
    "trainees", Trainee, "training_class", live=("person",),
    period_q=overlapping("training_class__"), row=_trainee_row,
    select_related=("person", "training_class"),
)  # fmt: skip
ATTENDANCE = part_of(
    "training_attendance", Attendance, "session__training_class", live=("trainee__person",),
    period_q=within("session__date"), row=_attendance_row,
    select_related=("trainee__person", "session", "session__training_class"),
)  # fmt: skip
HONOURS = Source(
    key="honours",
    queryset=lambda: Honour.objects.all(),
    unit_field="unit_id",
    period_q=PeriodRule(Rule.EVENT, lambda p: honoured_within(p)),
    row=_honour_row,
    select_related=("unit", "person", "team"),
)


def honoured_within(p: Period) -> Q:
    """Honours whose whole date lies inside the period: a day inside it, a month whose first
    and last days are, a year whose 1 January and 31 December are (awarded_on is the first
    day of that span; month and day say how precise it is)."""
    day = Q(day__isnull=False, awarded_on__gte=p.start, awarded_on__lte=p.end)
    # The first days of the whole months inside the period.
    first_month = p.start if p.start.day == 1 else _next_month(p.start)
    # Months starting before this bound end inside the period (p.end's own month only when
    # p.end is its last day).
    ends_a_month = (p.end + timedelta(days=1)).day == 1
    month_bound = _next_month(p.end) if ends_a_month else p.end.replace(day=1)
    month = Q(month__isnull=False, day__isnull=True)
    month &= Q(awarded_on__gte=first_month, awarded_on__lt=month_bound)
    first_year = p.start.year if (p.start.month, p.start.day) == (1, 1) else p.start.year + 1
    last_year = p.end.year if (p.end.month, p.end.day) == (12, 31) else p.end.year - 1
    year = Q(month__isnull=True, year__gte=first_year, year__lte=last_year)
    return day | month | year


def _next_month(d: date) -> date:
    return date(d.year + d.month // 12, d.month % 12 + 1, 1)


def register_all() -> None:
    """Register this app's indicators (once, from TeamsConfig.ready)."""
    TEAMS.add_stock("teams.count", _("业余文艺队伍数"), _("支"),
                    help=_("期末存在的队伍：成立日期不晚于期末、未解散（或期末后才解散）。"
                           "未填成立日期的不计。"))  # fmt: skip
    TEAMS.add_new("teams.founded", _("新组建队伍数"), _("支"),
                  help=_("成立日期在本时段内的队伍。"))  # fmt: skip
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
    """The honours list filters by one year, which is exactly what a year counts; any other
    period (a quarter, a month, several years) uses the records page, which follows the rule."""
    code = f"honours.level.{level}" if level else "honours.count"
    filters: dict[str, str | int] = {"level": level} if level else {}

    def url(unit_code: str, period: Period) -> str:
        edges = (period.start.month, period.start.day, period.end.month, period.end.day)
        if period.start.year != period.end.year or edges != (1, 1, 12, 31):
            query = urlencode({"indicator": code, "unit": unit_code, "period": period.key})
            return f"{reverse('indicators:records')}?{query}"
        query = urlencode({"unit": unit_code, "year": period.start.year, **filters})
        return f"{reverse('teams:honour_list')}?{query}"

    return url
