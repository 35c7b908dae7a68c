"""Excel of the duties: the duty import (template, reading, rules) and the completions export.

The generic parts (upload check, cell parsers, formula-safe writing, template layout) are
core.sheets'; this module only says which columns a duty has and how a row becomes DutyData.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from xuanwen.accounts.models import WRITE_ROLES, Role
from xuanwen.accounts.permissions import can_write
from xuanwen.core import sheets
from xuanwen.core.sheets import Column, Problem

from . import cycles, services
from .models import Cycle, DutyCompletion

SHEET = "常规工作"
YES, NO = "是", "否"
CYCLE_BY_LABEL = {str(label): value for value, label in Cycle.choices} | {
    value: value for value in Cycle.values
}
ROLE_BY_LABEL = {str(r.label): r.value for r in Role if r in WRITE_ROLES}


def parse_flag(value: object) -> bool:
    text = sheets.parse_text(value)
    if text in ("", NO, "否", "0", "N", "n", "FALSE", "False"):
        return False
    if text in (YES, "1", "Y", "y", "TRUE", "True", "√", "✓"):
        return True
    raise sheets.CellError(_("应填“是”或“否”。"))


def parse_due_day(value: object) -> int | None:
    if value is None or sheets.parse_text(value) == "":
        return None
    day = sheets.parse_count(value)
    if not 1 <= day <= 31:
        raise sheets.CellError(_("应为 1–31 之间的整数。"))
    return day


COLUMNS = (
    Column(
        "unit", "单位代码", 16, True, _lazy("本单位或下级单位的代码，见“单位”表。"),
        parse=sheets.parse_unit_code, fmt=sheets.TEXT_FORMAT,
    ),
    Column("name", "名称", 20, True, _lazy("如：黑板报、宣传橱窗、周例会。同一单位不能重名。"),
           parse=sheets.parse_required_text),
    Column(
        "cycle", "周期", 12, True, _lazy("每周、每半月、每月、每季度、每年或每月固定日。"),
        parse=sheets.choice_parser(CYCLE_BY_LABEL, what="周期", required=True), options="周期",
    ),
    Column("due_day", "每月几日", 10, False,
           _lazy("仅“每月固定日”填写，如 10；31 表示每月最后一天。"), parse=parse_due_day),
    Column("needs_photo", "需要照片", 10, False, _lazy("是/否"), parse=parse_flag, options="是否"),
    Column("needs_note", "需要文字记录", 12, False, _lazy("是/否"), parse=parse_flag,
           options="是否"),
    Column("needs_file", "需要文件", 10, False, _lazy("是/否"), parse=parse_flag, options="是否"),
    Column("needs_inspections", "需要检查记录", 12, False,
           _lazy("是/否。文化市场检查填“是”：每次要记录检查的经营单位。"), parse=parse_flag,
           options="是否"),
    Column(
        "role", "责任角色", 12, False, _lazy("该单位中负责的角色：专干/站长、村管理员等。"),
        parse=sheets.choice_parser(ROLE_BY_LABEL, what="责任角色"), options="角色",
    ),
    Column("start_date", "开始日期", 12, True, _lazy("从哪天起按周期考核，如 2026-01-01。"),
           parse=sheets.parse_required_date, fmt=sheets.DATE_FORMAT),
    Column("description", "说明", 30, False, _lazy("可不填。")),
)  # fmt: skip

HELP_LINES = (
    _lazy("每行一项常规工作。表头不要修改；列的顺序可以调整。"),
    _lazy("佐证至少选一种（照片、文字记录、文件、检查记录），完成时必须提供。"),
    _lazy("只要有一处问题就一条也不导入，并指出每个问题的行和列。"),
)


def build_template(*, user: Any) -> bytes:
    return sheets.build_template(
        user=user,
        sheet_title=SHEET,
        columns=COLUMNS,
        options={
            "周期": [str(label) for label in Cycle.labels],
            "是否": [YES, NO],
            "角色": list(ROLE_BY_LABEL),
        },
        help_title=str(_("常规工作导入说明")),
        help_lines=[str(line) for line in HELP_LINES],
        checks=[sheets.date_check("start_date")],
    )


@dataclass
class ReadResult:
    rows: list[services.DutyData] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def read_workbook(source: IO[bytes], *, user: Any) -> ReadResult:
    """Every row as DutyData with the services' rules applied, or every problem with its cell."""
    table = sheets.read_table(
        source, sheet_title=SHEET, columns=COLUMNS, empty_message=_("表中没有常规工作。")
    )
    result = ReadResult()
    if not table.rows:
        result.problems = table.problems
        return result
    units = sheets.units_by_code(user, {values["unit"] for _n, values in table.rows})
    seen: dict[tuple[str, str], int] = {}
    existing = services.existing_names(list(units))
    for number, values in table.rows:
        unit = units.get(values["unit"])
        if unit is None:
            table.add(number, "unit", sheets.unknown_unit_message(values["unit"]))
            continue
        data = services.DutyData(unit=unit, **{k: v for k, v in values.items() if k != "unit"})
        errors = services.duty_check(data, user)
        if not can_write(user, unit.code):
            errors["unit"] = _("您不能为该单位管理常规工作。")
        key = (unit.code, data.name.strip())
        if key in existing:
            errors.setdefault("name", _("该单位已有同名的常规工作。"))
        elif key in seen:
            errors.setdefault("name", _("与第 %(row)d 行重复。") % {"row": seen[key]})
        seen.setdefault(key, number)
        for name, message in errors.items():
            # "evidence" names no single column: put it on the first evidence column.
            table.add(number, "needs_photo" if name == "evidence" else name, message)
        if not errors:
            result.rows.append(data)
            result.row_numbers.append(number)
    table.sort()
    result.problems = table.problems
    return result


# --- Completions export --------------------------------------------------------------------

EXPORT_COLUMNS = (
    Column("unit", "单位代码", 16, True, ""),
    Column("unit_name", "单位名称", 20, True, ""),
    Column("duty", "常规工作", 20, True, ""),
    Column("cycle", "周期", 12, True, ""),
    Column("period", "所属期间", 20, True, ""),
    Column("done_on", "完成日期", 12, True, ""),
    Column("done_by", "完成人", 12, False, ""),
    Column("note", "记录", 40, False, ""),
    Column("evidence", "佐证材料", 10, False, ""),
    Column("businesses", "检查经营单位", 40, False, ""),
)


def completion_rows(completions: Sequence[DutyCompletion] | Any) -> Iterator[list[Any]]:
    for c in completions:
        duty = c.duty
        period = cycles.period_of(duty.cycle, duty.due_day, c.period_start)
        businesses = "；".join(
            f"{b.name}（{b.get_kind_display()}）{b.findings}" for b in c.businesses.all()
        )
        yield [
            duty.unit_id,
            duty.unit.name,
            duty.name,
            duty.cycle_label,
            period.label,
            c.done_on,
            (c.done_by.get_full_name() or c.done_by.username) if c.done_by else "",
            c.note,
            len(c.evidence.all()),
            businesses,
        ]
