"""People and teams in Excel (import template, all-or-nothing import), and the export of every
list of the app (people, teams, training classes, honours), formula-safe.

Reading turns cells into the services' data and names every problem by row and column; the
rules are the services' (person_check, team_check, the right to write, duplicates), applied
here to every row before anything is saved (see imports.py). The machinery every import
shares is core.sheets. Training classes and honours are read in excel_records.py. Column
names are the file format and stay Chinese.
"""

from collections.abc import Iterable, Iterator
from typing import IO, Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from xuanwen.accounts.models import WRITE_ROLES, User
from xuanwen.core import sheets
from xuanwen.core.files import max_bytes
from xuanwen.core.imports import ImportResult
from xuanwen.core.models import Level
from xuanwen.core.scope import Scope
from xuanwen.core.sheets import (
    DATE_FORMAT,
    MAX_ROWS,
    TEXT_FORMAT,
    CellError,
    Column,
    choice_parser,
    parse_count,
    parse_text,
    parse_unit_code,
    read_table,
    whole_check,
)
from xuanwen.records.vocab import visible_kinds
from xuanwen.units.selectors import template_units, units_by_code

from . import imports, selectors
from .forms import split_names
from .models import Gender, HolderKind, Honour, Person, Team, TeamGenre, TrainingClass
from .services import PersonData, TeamData

PEOPLE_SHEET = "人员"
TEAMS_SHEET = "队伍"
TRAINING_SHEET = "培训班"
HONOURS_SHEET = "荣誉"


def _labels(choices: Any) -> dict[str, str]:
    """Label → value in Chinese (the file format) and in today's language, values too."""
    out = {str(label): value for value, label in choices}
    with translation.override("zh-hans"):
        out.update({str(label): value for value, label in choices})
    out.update({value: value for value, _label in choices})
    return out


def _zh(choices: Any) -> dict[str, str]:
    with translation.override("zh-hans"):
        return {value: str(label) for value, label in choices}


def parse_year(value: object) -> int | None:
    if value is None or str(value).strip() == "":
        return None
    year = parse_count(value)
    if not 1900 <= year <= 2100:
        raise CellError(_("“%(value)s”不是年份（如 1968）。") % {"value": str(value).strip()})
    return year


def parse_yes_no(value: object) -> bool:
    text = parse_text(value)
    if text in ("", "是", "正常", "yes", "1", "true"):
        return True
    if text in ("否", "停止", "no", "0", "false"):
        return False
    raise CellError(_("只能填“是”或“否”。"))


UNIT = Column("unit", "单位代码", 16, True, _lazy("区划代码，见“单位”表。"),
              parse=parse_unit_code, fmt=TEXT_FORMAT)  # fmt: skip
UNIT_NAME = Column("unit_name", "单位名称(可选)", 14, False,
                   _lazy("便于核对，可不填；填写时须与单位代码相符。"))  # fmt: skip


def people_columns(with_phone: bool = True) -> tuple[Column, ...]:
    gender = choice_parser(_labels(Gender.choices), what="性别")
    cols = (
        UNIT,
        UNIT_NAME,
        Column("name", "姓名", 12, True, _lazy("不超过 50 字。")),
        Column("gender", "性别", 8, False, _lazy("男或女，可不填。"), parse=gender,
               options="性别"),
        Column("birth_year", "出生年份", 10, False, _lazy("四位数年份，如 1968，可不填。"),
               parse=parse_year, fmt="0"),
        Column("phone", "电话", 16, False, _lazy("可不填。"), fmt=TEXT_FORMAT),
        Column("specialty", "特长", 16, False, _lazy("如 唢呐、秧歌，可不填。")),
        Column("note", "备注", 30, False, _lazy("可不填。")),
    )  # fmt: skip
    return cols if with_phone else tuple(c for c in cols if c.key != "phone")


class _GenreParser:
    """A team genre by name, looked up once per file."""

    def __init__(self, scope: Scope) -> None:
        # The genres the importer's scope sees: another county's are unknown here.
        self.genres = {g.name: g for g in visible_kinds(TeamGenre, scope)}

    def __call__(self, value: object) -> TeamGenre:
        name = parse_text(value)
        genre = self.genres.get(name)
        if not name:
            raise CellError(_("不能为空。"))
        if genre is None or not genre.active:
            active = "、".join(g.name for g in self.genres.values() if g.active)
            raise CellError(
                _("没有“%(name)s”这个队伍类别。可选：%(names)s。") % {"name": name, "names": active}
            )
        return genre


def team_columns(genre_parser: Any = parse_text) -> tuple[Column, ...]:
    return (
        UNIT,
        UNIT_NAME,
        Column("name", "队伍名称", 20, True, _lazy("不超过 100 字；同一单位不能重名。")),
        Column("genre", "类别", 12, True, _lazy("从下拉列表中选择。"), parse=genre_parser,
               options="类别"),
        Column("leader", "负责人", 12, False,
               _lazy("姓名；在本单位及下级的人员中查找，没有的将作为本单位人员新建。")),
        Column("members", "队员", 40, False,
               _lazy("姓名，用顿号“、”或逗号分开；查找和新建的规则同负责人。")),
        Column("founded_on", "成立日期", 12, False,
               _lazy("如 2015-03-01；只知道年份的填该年 1 月 1 日。不填则不计入任何时段的队伍数。"),
               parse=sheets.parse_optional_date, fmt=DATE_FORMAT),
        Column("disbanded_on", "解散日期", 12, False, _lazy("已解散的填写，可不填。"),
               parse=sheets.parse_optional_date, fmt=DATE_FORMAT),
        Column("active", "正常活动", 10, False, _lazy("是或否，不填为是。"), parse=parse_yes_no,
               options="是否"),
        Column("note", "简介", 30, False, _lazy("可不填。")),
    )  # fmt: skip


def read_workbook(
    kind: str, source: str | IO[bytes], *, user: User, check_rules: bool = True
) -> ImportResult[Any]:
    """Read the people or teams sheet into the services' data, naming every problem."""
    if kind == "people":
        cols = people_columns()
        sheet, empty = PEOPLE_SHEET, _("文件中没有人员：表“人员”第 2 行起每行一人。")
    else:
        cols = team_columns(_GenreParser(user.scope))
        sheet, empty = TEAMS_SHEET, _("文件中没有队伍：表“队伍”第 2 行起每行一支队伍。")
    table = read_table(source, sheet_title=sheet, columns=cols, empty_message=empty)
    result: ImportResult[Any] = ImportResult(table)
    units = units_by_code(user, result.unit_codes())
    for number, values in table.rows:
        unit = result.unit_of(number, values, units)
        if unit is not None:
            result.keep(number, _row(kind, unit, values))
    if check_rules and result.rows:
        check = imports.people_problems if kind == "people" else imports.teams_problems
        result.add_rule_problems(check(user=user, rows=result.rows, row_numbers=result.row_numbers))
    result.sort()
    return result


def _row(kind: str, unit: Any, v: dict[str, Any]) -> Any:
    if kind == "people":
        return PersonData(
            unit=unit,
            name=v["name"],
            gender=v.get("gender", ""),
            birth_year=v.get("birth_year"),
            phone=v.get("phone", ""),
            specialty=v.get("specialty", ""),
            note=v.get("note", ""),
        )
    return imports.TeamRow(
        data=TeamData(
            unit=unit,
            name=v["name"],
            genre=v["genre"],
            founded_on=v.get("founded_on"),
            disbanded_on=v.get("disbanded_on"),
            active=v.get("active", True),
            note=v.get("note", ""),
        ),
        leader=v.get("leader", "").strip(),
        members=split_names(v.get("members", "")),
    )


def build_template(kind: str, *, user: User) -> bytes:
    """The import template of people or teams: drop-downs, the instructions, the units."""
    common = [
        _("2. 导入是“全部或全不”：只要有一处问题就一条也不导入，页面会列出每个问题的行号和列名。"),
        _("3. 只能为本单位及下级单位导入；“单位”表列出了您可以填写的单位代码。"),
        _("4. 上传后先预览，确认无误后再导入。一次最多 %(n)d 行，文件不超过 %(mb)d MB。")
        % {"n": MAX_ROWS, "mb": max_bytes() // 1024 // 1024},
    ]
    if kind == "people":
        lines = [
            _("1. 在“人员”表中每行填写一人，从第 2 行开始；第 1 行的列名不要修改。"),
            *common,
            _("5. 同一单位同名且出生年份相同的视为同一人，不能重复导入。"),
        ]
        with translation.override("zh-hans"):
            genders = [str(label) for label in Gender.labels]
        return sheets.build_template(
            units=template_units(user), sheet_title=PEOPLE_SHEET, columns=people_columns(),
            options={"性别": genders}, help_title=_("人员批量导入：填写说明"),
            help_lines=[str(line) for line in lines], checks=[whole_check("birth_year")],
        )  # fmt: skip
    lines = [
        _("1. 在“队伍”表中每行填写一支队伍，从第 2 行开始；第 1 行的列名不要修改。"),
        *common,
        _("5. 负责人和队员按姓名在本单位及下级的人员中查找；找不到的作为本单位人员新建，"
          "同名多人的请先在人员页区分。"),
    ]  # fmt: skip
    return sheets.build_template(
        units=template_units(user), sheet_title=TEAMS_SHEET, columns=team_columns(),
        options={"类别": [g.name for g in selectors.team_genres(user.scope)], "是否": ["是", "否"]},
        help_title=_("队伍批量导入：填写说明"), help_lines=[str(line) for line in lines],
        checks=[sheets.date_check("founded_on"), sheets.date_check("disbanded_on")],
    )  # fmt: skip


# --- Exports ---------------------------------------------------------------------------------


def people_rows(user: User, people: Iterable[Person], *, with_phone: bool) -> Iterator[list[Any]]:
    """People in people_columns(with_phone)' order; phones only of units the user may write
    in."""
    genders = _zh(Gender.choices)
    for p in people:
        phone = p.phone if selectors.phone_visible(user, p.unit_id) else ""
        values = [p.unit_id, p.unit.name, p.name, genders.get(p.gender, ""), p.birth_year]
        yield [*values, *([phone] if with_phone else []), p.specialty, p.note]


def export_people(user: User, people: Iterable[Person], target: str | IO[bytes]) -> int:
    """People in the template's columns; phones only of units the user may write in (and the
    column left out altogether for a user who may write nowhere)."""
    with_phone = user.is_superuser or user.role in WRITE_ROLES
    return sheets.write_export(
        people_rows(user, people, with_phone=with_phone), target, sheet_title=PEOPLE_SHEET,
        columns=people_columns(with_phone),
    )  # fmt: skip


def team_rows(teams: Iterable[Team]) -> Iterator[list[Any]]:
    """Teams in team_columns()' order (the data export's and the report's rows)."""
    for t in teams:
        members = "、".join(m.person.name for m in t.members.all() if m.person.deleted_at is None)
        yield [
            t.unit_id, t.unit.name, t.name, t.genre.name, t.leader.name if t.leader else "",
            members, t.founded_on, t.disbanded_on, "是" if t.active else "否", t.note,
        ]  # fmt: skip


def export_teams(teams: Iterable[Team], target: str | IO[bytes]) -> int:
    return sheets.write_export(
        team_rows(teams), target, sheet_title=TEAMS_SHEET, columns=team_columns()
    )


TRAINING_COLUMNS = (
    UNIT,
    Column("unit_name", "单位名称", 14, False, ""),
    Column("title", "培训班名称", 24, True, ""),
    Column("trainer", "授课老师", 12, False, ""),
    Column("start_date", "开始日期", 12, True, "", fmt=DATE_FORMAT),
    Column("end_date", "结束日期", 12, True, "", fmt=DATE_FORMAT),
    Column("place", "地点", 16, False, ""),
    Column("sessions", "课次", 8, False, "", fmt="0"),
    Column("hours", "课时（小时）", 10, False, "", fmt="0.0"),
    Column("trainees", "学员人数", 10, False, "", fmt="0"),
    Column("attendance", "出勤人次", 10, False, "", fmt="0"),
)


def training_rows(classes: Iterable[TrainingClass]) -> Iterator[list[Any]]:
    """Classes in TRAINING_COLUMNS' order; the counts are annotations of
    selectors.training_list and with_totals."""
    for tc in classes:
        yield [
            tc.unit_id,
            tc.unit.name,
            tc.title,
            tc.trainer,
            tc.start_date,
            tc.end_date,
            tc.place,
            getattr(tc, "session_count", 0),
            getattr(tc, "total_hours", None) or 0,
            getattr(tc, "trainee_count", 0),
            getattr(tc, "attendance_count", 0),
        ]


def export_training(classes: Iterable[TrainingClass], target: str | IO[bytes]) -> int:
    rows = training_rows(classes)
    return sheets.write_export(rows, target, sheet_title=TRAINING_SHEET, columns=TRAINING_COLUMNS)


HONOUR_COLUMNS = (
    UNIT,
    Column("unit_name", "单位名称", 14, False, ""),
    Column("holder_kind", "授予对象", 10, True, ""),
    Column("holder", "获得者", 16, True, ""),
    Column("name", "荣誉名称", 24, True, ""),
    Column("level", "级别", 10, True, ""),
    Column("year", "年份", 8, True, "", fmt="0"),
    Column("month", "月", 6, False, "", fmt="0"),
    Column("day", "日", 6, False, "", fmt="0"),
    Column("awarded_by", "授予单位", 20, False, ""),
    Column("note", "备注", 30, False, ""),
)


def honour_rows(honours: Iterable[Honour]) -> Iterator[list[Any]]:
    """Honours in HONOUR_COLUMNS' order."""
    kinds, levels = _zh(HolderKind.choices), _zh(Level.choices)
    for h in honours:
        yield [
            h.unit_id,
            h.unit.name,
            kinds.get(h.holder_kind, ""),
            h.holder_name,
            h.name,
            levels.get(h.level, ""),
            h.year,
            h.month,
            h.day,
            h.awarded_by,
            h.note,
        ]


def export_honours(honours: Iterable[Honour], target: str | IO[bytes]) -> int:
    rows = honour_rows(honours)
    return sheets.write_export(rows, target, sheet_title=HONOURS_SHEET, columns=HONOUR_COLUMNS)
