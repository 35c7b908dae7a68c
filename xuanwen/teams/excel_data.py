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

from . import excel, selectors, services
from .models import Person, Team, TeamMember, TeamPerformance

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
    data = services.MemberData(person=person, role=values.get("role", ""),
                               joined_on=values.get("joined_on"))  # fmt: skip
    return services.team_member_set(user=user, team=owner, data=data)


def _performance_add(*, user: User, owner: Team, values: dict[str, Any]) -> TeamPerformance:
    activity = _activity(user, values)
    if activity is None:
        raise ValidationError(_("没有这项活动。"))
    return services.team_performance_add(user=user, team=owner, activity=activity)


MEMBERS = Part(
    "队员",
    "members",
    (
        Column(
            "person_unit",
            "人员单位代码",
            16,
            True,
            UNIT_NOTE,
            parse=sheets.parse_unit_code,
            fmt=TEXT_FORMAT,
        ),
        Column(
            "person_name", "姓名", 12, True, _lazy("人员的姓名。"), parse=sheets.parse_required_text
        ),
        Column(
            "birth_year",
            "出生年份",
            10,
            False,
            _lazy("人员的出生年份，可不填。"),
            parse=excel.parse_year,
            fmt="0",
        ),
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
    exports={
        "person_unit": lambda m: m.person.unit_id,
        "person_name": lambda m: m.person.name,
        "birth_year": lambda m: m.person.birth_year,
    },
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
