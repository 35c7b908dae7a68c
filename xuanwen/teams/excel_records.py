"""Training classes and honours in Excel: their import templates and readers.

A training class is one row of the sheet “培训班”. Its sessions (课次) are optional and given
in the same row, the clearest form for a township's few classes a year: “课次日期” lists the
dates (2026-03-02、2026-03-09 …) and “每次课时（小时）” the hours of each. Sessions of
different lengths, the trainees and the roll call are added on the class's page afterwards.
Each class is saved through services.training_create, so it creates or links its 培训
activity exactly as the page does.

An honour is one row of the sheet “荣誉”, in the export's columns (an export imports again).
A person or team is named, and looked up by name in the row's unit and below, as everywhere
else in this app: someone of the unit itself first, two of that name below it refused.
"""

import re
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from xuanwen.accounts.models import User
from xuanwen.core import sheets, tree
from xuanwen.core.files import max_bytes
from xuanwen.core.imports import ImportResult
from xuanwen.core.models import Level
from xuanwen.core.sheets import (
    DATE_FORMAT,
    MAX_ROWS,
    TEXT_FORMAT,
    CellError,
    Column,
    choice_parser,
    parse_count,
    parse_date,
    parse_decimal,
    parse_required_date,
    parse_required_text,
    read_table,
)
from xuanwen.units.selectors import template_units, units_by_code

from . import imports
from .excel import HONOURS_SHEET, TRAINING_SHEET, UNIT, UNIT_NAME, _labels
from .models import HolderKind, Person, Team
from .services import HonourData, SessionData, TrainingData

TENTH = Decimal("0.1")
CHUNK = 500  # names per `name IN (…)` query, under SQLite's parameter limit


def _common_lines() -> list[str]:
    return [
        _("导入是“全部或全不”：只要有一处问题就一条也不导入，页面会列出每个问题的行号和列名。"),
        _("只能为本单位及下级单位导入；“单位”表列出了您可以填写的单位代码。"),
        _("上传后先预览，确认无误后再导入。一次最多 %(n)d 行，文件不超过 %(mb)d MB。")
        % {"n": MAX_ROWS, "mb": max_bytes() // 1024 // 1024},
    ]


def _numbered(lines: Iterable[str]) -> list[str]:
    return [f"{i}. {line}" for i, line in enumerate(lines, start=1)]


# --- Training classes --------------------------------------------------------------------------


def parse_dates(value: object) -> list[date]:
    """Session dates: one date cell, or dates in text separated by 、 , ; or line breaks."""
    if value is None or isinstance(value, date | datetime | int | float):
        one = parse_date(value, required=False)
        return [one] if one else []
    parts = [p for p in re.split(r"[、，,；;\s]+", str(value)) if p]
    return [parse_required_date(p) for p in parts]


def parse_hours(value: object) -> Any:
    try:
        hours = parse_decimal(value)
    except CellError as exc:
        raise CellError(_("课时应为数字，如 2 或 1.5。")) from exc
    # A number cell reads as 2.00; the sessions keep one decimal, which it fits.
    if hours is not None and hours == hours.quantize(TENTH):
        hours = hours.quantize(TENTH)
    return hours


TRAINING_IMPORT_COLUMNS = (
    UNIT,
    UNIT_NAME,
    Column("title", "培训班名称", 24, True,
           _lazy("不超过 200 字；同一单位同一开始日期不能有两个同名的班。"),
           parse=parse_required_text),
    Column("trainer", "授课老师", 12, False, _lazy("可不填。")),
    Column("start_date", "开始日期", 12, True, _lazy("如 2026-03-02。"),
           parse=parse_required_date, fmt=DATE_FORMAT),
    Column("end_date", "结束日期", 12, True, _lazy("不早于开始日期；一天的班与开始日期相同。"),
           parse=parse_required_date, fmt=DATE_FORMAT),
    Column("place", "地点", 16, False, _lazy("可不填。")),
    Column("session_dates", "课次日期", 30, False,
           _lazy("每次上课的日期，用顿号“、”或逗号分开，如 2026-03-02、2026-03-09；"
                 "须在起止日期之内。可不填，导入后在培训班页面添加课次。"),
           parse=parse_dates, fmt=TEXT_FORMAT),
    Column("hours", "每次课时（小时）", 12, False,
           _lazy("填写了课次日期时必填：每次课的小时数，如 2 或 1.5，各课次相同。"
                 "课时不同的课次请导入后在培训班页面添加。"),
           parse=parse_hours),
    Column("note", "内容简介", 30, False, _lazy("可不填。")),
)  # fmt: skip


def build_training_template(*, user: User) -> bytes:
    lines = _numbered(
        [
            _("在“培训班”表中每行填写一个培训班，从第 2 行开始；第 1 行的列名不要修改。"),
            *_common_lines(),
            _("每个培训班导入后按一次“培训”活动计入（与在页面登记相同）；"
              "本单位已在活动中登记的同名、同开始日期的培训会与之关联，不会重复计数。"),
            _("课次：在“课次日期”中列出每次上课的日期，并在“每次课时（小时）”中填写每次的小时数。"
              "学员和点名请导入后在培训班页面登记。"),
        ]
    )  # fmt: skip
    return sheets.build_template(
        units=template_units(user), sheet_title=TRAINING_SHEET,
        columns=TRAINING_IMPORT_COLUMNS, options={},
        help_title=_("培训班批量导入：填写说明"), help_lines=lines,
        checks=[sheets.date_check("start_date"), sheets.date_check("end_date"),
                sheets.decimal_check("hours")],
    )  # fmt: skip


def read_training(
    source: str | IO[bytes], *, user: User, check_rules: bool = True
) -> ImportResult[imports.TrainingRow]:
    """Read the classes of an upload into the services' data, naming every problem."""
    table = read_table(
        source, sheet_title=TRAINING_SHEET, columns=TRAINING_IMPORT_COLUMNS,
        empty_message=_("文件中没有培训班：表“培训班”第 2 行起每行一个培训班。"),
    )  # fmt: skip
    result: ImportResult[imports.TrainingRow] = ImportResult(table)
    units = units_by_code(user, result.unit_codes())
    for number, v in table.rows:
        unit = result.unit_of(number, v, units)
        if unit is None:
            continue
        dates, hours = v.get("session_dates") or [], v.get("hours")
        if dates and hours is None:
            result.add(number, "hours", _("填写了课次日期时，每次课时不能为空。"))
            continue
        data = TrainingData(
            unit=unit, title=v["title"], start_date=v["start_date"], end_date=v["end_date"],
            trainer=v.get("trainer", ""), place=v.get("place", ""), note=v.get("note", ""),
        )  # fmt: skip
        sessions = [SessionData(date=d, hours=hours) for d in dates if hours is not None]
        result.keep(number, imports.TrainingRow(data=data, sessions=sessions))
    if check_rules and result.rows:
        result.add_rule_problems(
            imports.training_problems(user=user, rows=result.rows, row_numbers=result.row_numbers)
        )
    result.sort()
    return result


# --- Honours -----------------------------------------------------------------------------------


def parse_required_year(value: object) -> int:
    year = parse_count(value) if value is not None and str(value).strip() else None
    if year is None:
        raise CellError(_("不能为空。"))
    if not 1900 <= year <= 2100:
        raise CellError(_("“%(value)s”不是年份（如 2025）。") % {"value": str(value).strip()})
    return year


def parse_optional_whole(value: object) -> int | None:
    """A whole number, or None for a blank cell (the services' rules judge its range)."""
    return parse_count(value) if value is not None and str(value).strip() else None


def honour_columns() -> tuple[Column, ...]:
    kinds = choice_parser(_labels(HolderKind.choices), what="授予对象", required=True)
    levels = choice_parser(_labels(Level.choices), what="级别", required=True)
    return (
        Column("unit", "单位代码", 16, True,
               _lazy("获得荣誉的单位；个人或队伍的荣誉填其所在单位（或上级单位）的代码。"),
               parse=sheets.parse_unit_code, fmt=TEXT_FORMAT),
        UNIT_NAME,
        Column("holder_kind", "授予对象", 10, True, _lazy("单位、个人或队伍，从下拉列表中选择。"),
               parse=kinds, options="授予对象"),
        Column("holder", "获得者", 16, False,
               _lazy("个人的姓名或队伍的名称，在该单位及下级中查找（须已登记）；"
                     "授予对象为单位时不填。"), parse=sheets.parse_text),
        Column("name", "荣誉名称", 24, True, _lazy("不超过 200 字。"), parse=parse_required_text),
        Column("level", "级别", 10, True, _lazy("从下拉列表中选择。"), parse=levels,
               options="级别"),
        Column("year", "年份", 8, True, _lazy("获得荣誉的年份，如 2025。"),
               parse=parse_required_year, fmt="0"),
        Column("month", "月", 6, False,
               _lazy("知道月份的填 1—12；只填年份的荣誉只计入全年，不计入某季度或某月。"),
               parse=parse_optional_whole, fmt="0"),
        Column("day", "日", 6, False, _lazy("知道日期的填写，可不填。"),
               parse=parse_optional_whole, fmt="0"),
        Column("awarded_by", "授予单位", 20, False, _lazy("可不填。")),
        Column("note", "备注", 30, False, _lazy("可不填。")),
    )  # fmt: skip


def build_honours_template(*, user: User) -> bytes:
    lines = _numbered(
        [
            _("在“荣誉”表中每行填写一项荣誉，从第 2 行开始；第 1 行的列名不要修改。"),
            *_common_lines(),
            _("个人和队伍按名称在所填单位及下级中查找，须先在人员、队伍页面登记；"
              "同名多人的请先在人员页区分。"),
            _("同一获得者同一年的同名荣誉只登记一次；从本系统导出的荣誉表可直接修改后导入新增的行。"),
        ]
    )  # fmt: skip
    with translation.override("zh-hans"):
        kinds = [str(label) for label in HolderKind.labels]
        levels = [str(label) for label in Level.labels]
    return sheets.build_template(
        units=template_units(user), sheet_title=HONOURS_SHEET, columns=honour_columns(),
        options={"授予对象": kinds, "级别": levels}, help_title=_("荣誉批量导入：填写说明"),
        help_lines=lines,
        checks=[sheets.whole_check("year"), sheets.whole_check("month"), sheets.whole_check("day")],
    )  # fmt: skip


def _by_name(model: type[Person] | type[Team], user: User, names: set[str]) -> dict[str, list[Any]]:
    """The user's live people (or teams) of these names, in a query per CHUNK names."""
    wanted = sorted(names)
    found: dict[str, list[Any]] = {}
    for start in range(0, len(wanted), CHUNK):
        for record in model.objects.filter(
            user.scope.q("unit_id"), name__in=wanted[start : start + CHUNK]
        ).select_related("unit"):
            found.setdefault(record.name, []).append(record)
    return found


def _holder(kind: str, name: str, unit: Any, found: dict[str, list[Any]]) -> Any:
    """The person or team of that name in the unit's subtree, or CellError saying why not."""
    matches = [r for r in found.get(name, []) if tree.in_subtree(r.unit_id, unit.code)]
    own = [r for r in matches if r.unit_id == unit.code]
    if len(own) == 1 or len(matches) == 1:
        return own[0] if len(own) == 1 else matches[0]
    what = _("人员") if kind == HolderKind.PERSON else _("队伍")
    if matches:
        raise CellError(
            _("“%(name)s”在本单位及下级有多个同名%(what)s，请先在%(what)s页区分。")
            % {"name": name, "what": what}
        )
    raise CellError(
        _("“%(unit)s”及下级单位中没有名为“%(name)s”的%(what)s。")
        % {"unit": unit.name, "name": name, "what": what}
    )


def read_honours(
    source: str | IO[bytes], *, user: User, check_rules: bool = True
) -> ImportResult[HonourData]:
    """Read the honours of an upload into the services' data, naming every problem."""
    table = read_table(
        source, sheet_title=HONOURS_SHEET, columns=honour_columns(),
        empty_message=_("文件中没有荣誉：表“荣誉”第 2 行起每行一项荣誉。"),
    )  # fmt: skip
    # The services name a holder's problem by its field; in the sheet it is one column.
    result: ImportResult[HonourData] = ImportResult(
        table, fields={"person": "holder", "team": "holder"}
    )
    units = units_by_code(user, result.unit_codes())
    rows = [
        (number, unit, v)
        for number, v in table.rows
        if (unit := result.unit_of(number, v, units)) is not None
    ]
    names: dict[str, set[str]] = {HolderKind.PERSON: set(), HolderKind.TEAM: set()}
    for _n, _unit, v in rows:
        if v["holder_kind"] in names and v.get("holder"):
            names[v["holder_kind"]].add(v["holder"])
    found = {
        HolderKind.PERSON: _by_name(Person, user, names[HolderKind.PERSON]),
        HolderKind.TEAM: _by_name(Team, user, names[HolderKind.TEAM]),
    }
    for number, unit, v in rows:
        kind, name = v["holder_kind"], v.get("holder", "")
        data = HonourData(
            holder_kind=kind, unit=unit, name=v["name"], level=v["level"], year=v["year"],
            month=v.get("month"), day=v.get("day"),
            awarded_by=v.get("awarded_by", ""), note=v.get("note", ""),
        )  # fmt: skip
        try:
            if kind == HolderKind.UNIT:
                if name and name != unit.name:
                    raise CellError(_("授予对象为单位时，获得者不填（或填该单位的名称）。"))
            elif not name:
                raise CellError(_("请填写获得荣誉的个人姓名或队伍名称。"))
            elif kind == HolderKind.PERSON:
                data.person = _holder(kind, name, unit, found[kind])
            else:
                data.team = _holder(kind, name, unit, found[kind])
        except CellError as exc:
            result.add(number, "holder", str(exc))
            continue
        result.keep(number, data)
    if check_rules and result.rows:
        result.add_rule_problems(
            imports.honours_problems(user=user, rows=result.rows, row_numbers=result.row_numbers)
        )
    result.sort()
    return result
