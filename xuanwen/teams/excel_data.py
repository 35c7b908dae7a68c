"""The teams' data export: the import template's sheet (队伍), then their members (队员) with
role and joining date, and their performances (演出), which the teams' import reads back.

A member is named by the person's unit, name and birth year (the people import's key), a
performance by its activity's unit, title and start date (the activities import's key): the
people and the activities are records of their own, exported and imported with their own data
exports first. The main sheet's 队员 column stays blank, the members being on their sheet; its
负责人 is found by name as the template's import does (and made a member, whose row on the 队员
sheet then sets the role).
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from xuanwen.accounts.models import User
from xuanwen.activities.models import Activity
from xuanwen.activities.selectors import activities_for
from xuanwen.core import sheets
from xuanwen.core.sheets import DATE_FORMAT, TEXT_FORMAT, Column
from xuanwen.records.excel import DataBook, Part

from . import excel, excel_records, selectors, services
from .models import Person, Team, TeamMember, TeamPerformance, TrainingClass

UNIT_NOTE = _lazy("区划代码，见“单位”表。")


def _person(user: User, v: dict[str, Any]) -> Person | None:
    found = selectors.people_for(user).filter(
        unit_id=v["person_unit"], name=v["person_name"], birth_year=v.get("birth_year")
    )
    return found.first()


def _activity(user: User, v: dict[str, Any]) -> Activity | None:
    found = activities_for(user).filter(
        unit_id=v["activity_unit"], title=v["activity_title"], start_date=v["activity_start"]
    )
    return found.first()


def _member_check(user: User, v: dict[str, Any]) -> dict[str, str]:
    if _person(user, v) is None:
        message = _("在您的管辖范围内没有这个人员（单位、姓名、出生年份），请先导入人员。")
        return {"person_name": message}
    return {}


def _performance_check(user: User, v: dict[str, Any]) -> dict[str, str]:
    if _activity(user, v) is None:
        message = _("在您的管辖范围内没有这项活动（单位、名称、开始日期），请先导入活动。")
        return {"activity_title": message}
    return {}


def _member_add(*, user: User, owner: Team, values: dict[str, Any]) -> TeamMember:
    person = _person(user, values)
    if person is None:
        raise ValidationError(_("没有这个人员。"))
    role, joined_on = values.get("role", ""), values.get("joined_on")
    # The leader is a member already (team_create makes them one): their row sets the role.
    member = owner.members.filter(person=person).first()
    if member is not None:
        return services.team_member_update(user=user, member=member, role=role,
                                           joined_on=joined_on)  # fmt: skip
    data = services.MemberData(person=person, role=role, joined_on=joined_on)
    return services.team_member_add(user=user, team=owner, data=data)


def _performance_add(*, user: User, owner: Team, values: dict[str, Any]) -> TeamPerformance:
    activity = _activity(user, values)
    if activity is None:
        raise ValidationError(_("没有这项活动。"))
    return services.team_performance_add(user=user, team=owner, activity=activity)


# A person by the people import's key: unit, name and birth year.
PERSON_COLUMNS = (
    Column("person_unit", "人员单位代码", 16, True, UNIT_NOTE,
           parse=sheets.parse_unit_code, fmt=TEXT_FORMAT),
    Column("person_name", "姓名", 12, True, _lazy("人员的姓名。"),
           parse=sheets.parse_required_text),
    Column("birth_year", "出生年份", 10, False, _lazy("人员的出生年份，可不填。"),
           parse=excel.parse_year, fmt="0"),
)  # fmt: skip


def _person_cells(person_of: Any) -> dict[str, Any]:
    return {
        "person_unit": lambda x: person_of(x).unit_id,
        "person_name": lambda x: person_of(x).name,
        "birth_year": lambda x: person_of(x).birth_year,
    }


MEMBERS = Part(
    "队员",
    "members",
    (
        *PERSON_COLUMNS,
        Column("role", "队内职务", 12, False, _lazy("不超过 30 字。")),
        Column(
            "joined_on",
            "加入日期",
            12,
            False,
            _lazy("可不填。"),
            parse=sheets.parse_optional_date,
            fmt=DATE_FORMAT,
        ),
    ),
    add=_member_add,
    exports=_person_cells(lambda m: m.person),
    check=_member_check,
)
PERFORMANCES = Part(
    "演出",
    "performances",
    (
        Column(
            "activity_unit",
            "活动单位代码",
            16,
            True,
            UNIT_NOTE,
            parse=sheets.parse_unit_code,
            fmt=TEXT_FORMAT,
        ),
        Column(
            "activity_title",
            "活动名称",
            24,
            True,
            _lazy("活动的名称。"),
            parse=sheets.parse_required_text,
        ),
        Column(
            "activity_start",
            "活动开始日期",
            12,
            True,
            _lazy("活动的开始日期。"),
            parse=sheets.parse_required_date,
            fmt=DATE_FORMAT,
        ),
    ),
    add=_performance_add,
    exports={
        "activity_unit": lambda p: p.activity.unit_id,
        "activity_title": lambda p: p.activity.title,
        "activity_start": lambda p: p.activity.start_date,
    },
    check=_performance_check,
)


def _team_row(t: Team) -> list[Any]:
    return [
        t.unit_id, t.unit.name, t.name, t.genre.name, t.leader.name if t.leader else "",
        "", t.founded_on, t.disbanded_on, "是" if t.active else "否", t.note,
    ]  # fmt: skip


BOOK = DataBook(
    model=Team,
    title=excel.TEAMS_SHEET,
    columns=excel.team_columns(),
    row=_team_row,
    parts=(MEMBERS, PERFORMANCES),
    prefetch=("members__person", "performances__activity"),
)


# --- Training classes: the class, its sessions, trainees and roll call -----------------------


def _session_add(*, user: User, owner: TrainingClass, values: dict[str, Any]) -> Any:
    data = services.SessionData(date=values["date"], hours=values["hours"],
                                topic=values.get("topic", ""))  # fmt: skip
    return services.session_add(user=user, training=owner, data=data)


def _trainee_add(*, user: User, owner: TrainingClass, values: dict[str, Any]) -> int:
    person = _person(user, values)
    if person is None:
        raise ValidationError(_("没有这个人员。"))
    return services.trainees_add(user=user, training=owner, people=[person])


def _attendance_add(*, user: User, owner: TrainingClass, values: dict[str, Any]) -> int:
    """Mark a trainee present at the class's session of that date (and topic)."""
    sessions = owner.sessions.filter(date=values["session_date"])
    session = sessions.filter(topic=values.get("session_topic", "")).first() or sessions.first()
    person = _person(user, values)
    trainee = owner.trainees.filter(person=person).first() if person else None
    if session is None or trainee is None:
        raise ValidationError(_("该培训班没有这个课次或这名学员，请先在“课次”“学员”表中填写。"))
    present = [*session.attendance.values_list("trainee_id", flat=True), trainee.pk]
    return services.attendance_set(user=user, session=session, present=present)


SESSIONS = Part(
    "课次",
    "sessions",
    (
        Column(
            "date",
            "日期",
            12,
            True,
            _lazy("上课的日期。"),
            parse=sheets.parse_required_date,
            fmt=DATE_FORMAT,
        ),
        Column(
            "hours",
            "课时（小时）",
            10,
            True,
            _lazy("可有 1 位小数。"),
            parse=excel_records.parse_hours,
        ),
        Column("topic", "内容", 20, False, _lazy("不超过 200 字。")),
    ),
    add=_session_add,
)
TRAINEES = Part(
    "学员", "trainees", PERSON_COLUMNS, add=_trainee_add,
    exports=_person_cells(lambda t: t.person), check=_member_check,
)  # fmt: skip
ATTENDANCE = Part(
    "出勤",
    "sessions",
    (
        Column(
            "session_date",
            "课次日期",
            12,
            True,
            _lazy("学员出勤的课次的日期。"),
            parse=sheets.parse_required_date,
            fmt=DATE_FORMAT,
        ),
        Column("session_topic", "课次内容", 20, False, _lazy("同一天有多个课次时据此区分。")),
        *PERSON_COLUMNS,
    ),
    add=_attendance_add,
    exports={
        "session_date": lambda a: a.session.date,
        "session_topic": lambda a: a.session.topic,
        **_person_cells(lambda a: a.trainee.person),
    },
    check=_member_check,
    rows_of=lambda tc: [a for s in tc.sessions.all() for a in s.attendance.all()],
)


def _training_row(tc: TrainingClass) -> list[Any]:
    # The sessions are on their own sheet: 课次日期 and 每次课时 stay blank.
    return [tc.unit_id, tc.unit.name, tc.title, tc.trainer, tc.start_date, tc.end_date, tc.place,
            "", None, tc.note]  # fmt: skip


TRAINING_BOOK = DataBook(
    model=TrainingClass,
    title=excel.TRAINING_SHEET,
    columns=excel_records.TRAINING_IMPORT_COLUMNS,
    row=_training_row,
    parts=(SESSIONS, TRAINEES, ATTENDANCE),
    prefetch=("sessions__attendance__trainee__person", "trainees__person"),
)
