"""Culture households in Excel: the import template, reading a filled-in workbook, and the
list's report export.

The generic parts (upload check, cell parsers, formula-safe writing, the Problem type) are
core.sheets'; reading a register's sheet of coded kinds, its template and the report sheet are
records.excel's (RegisterSheet, Report). This module declares the household columns and sheet,
and writes the report's rows. Reading is all
or nothing: every problem is named with its row and column before anything is saved.

The export is a report to print or send up, not a data file: a title row, the date it was
made, names rather than codes (village, kind, level) and a total row (households, members).
"""

from collections.abc import Iterable
from typing import IO

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from xuanwen.core import clock, sheets
from xuanwen.core.models import Level
from xuanwen.core.sheets import Column
from xuanwen.records.excel import (
    HELP_LINES,
    UNIT_NAME_COLUMN,
    RegisterSheet,
    Report,
    choice_column,
    date_column,
    kind_column,
    unit_column,
)

from .models import Household, HouseholdKind
from .services import HouseholdData, households_import_problems

SHEET_TITLE = "文化户"


def _members(value: object) -> int:
    """Blank is one (the head alone); the services' rules bound the rest."""
    return 1 if sheets.parse_text(value) == "" else sheets.parse_count(value)


COLUMNS: tuple[Column, ...] = (
    unit_column(_lazy("村（社区）的区划代码，12 位数字，见“单位”表。")),
    UNIT_NAME_COLUMN,
    kind_column("类型", 12, _lazy("从下拉列表中选择：文化户、文化大户、文化中心户。")),
    Column("head", "户主", 12, True, _lazy("户主姓名，不超过 50 字；不登记电话。"),
           parse=sheets.parse_required_text),
    Column("speciality", "特长", 16, False, _lazy("如：剪纸、锣鼓，不超过 100 字。")),
    Column("members", "参与人数", 10, False,
           _lazy("家中参与文化活动的人数，1 至 50；不填为 1。"),
           parse=_members),
    Column("member_names", "参与成员", 20, False, _lazy("可不填；用顿号分隔。")),
    choice_column("level", "认定级别", 10, Level, required=False, options="levels",
                  note=_lazy("从下拉列表中选择，可不填。")),
    date_column("designated_on", "认定日期",
           _lazy("如 2026-03-05；只知道年份的填该年 1 月 1 日。不填则不计入任何时段的文化户数。")),
    date_column("revoked_on", "撤销日期", _lazy("被撤销的日期；仍在册的不填。")),
    Column("note", "备注", 30, False, _lazy("可不填。")),
)  # fmt: skip


SHEET = RegisterSheet(
    title=SHEET_TITLE,
    columns=COLUMNS,
    kinds=HouseholdKind,
    data=HouseholdData,
    rules=households_import_problems,
    empty_message=_lazy("表中没有文化户：请从第 2 行起每行填写一户。"),
    kind_message=_lazy("类型只能是：%(names)s。"),
    help_title=_lazy("文化户导入说明"),
    help_lines=(
        _lazy("每行填写一户文化户（文化户、文化大户或文化中心户）。"),
        *HELP_LINES,
        _lazy("同一村（社区）同一户主的同类文化户只能有一户。"),
    ),
    options={"levels": Level.labels},
    checks=lambda: [
        sheets.whole_check("members"),
        sheets.date_check("designated_on"),
        sheets.date_check("revoked_on"),
    ],
)

BOOK = SHEET.book(Household)  # the data export: no sub-records


# --- The report export ---------------------------------------------------------------------

REPORT_TITLE = "文化户名录"
# (header, width) of the report's columns; names, never codes.
REPORT_COLUMNS = (
    ("序号", 6), ("村（社区）", 16), ("类型", 10), ("户主", 10), ("特长", 16), ("参与人数", 9),
    ("参与成员", 20), ("认定级别", 9), ("认定日期", 12), ("撤销日期", 12), ("备注", 24),
)  # fmt: skip


def write_export(
    households: Iterable[Household], target: str | IO[bytes], *, unit: str = "", period: str = ""
) -> int:
    """The list's households as a report: title (the unit, the period, 制表时间), the date,
    header, a row each, the totals (households, members). Returns the number of households."""
    report = Report(
        sheet_title=SHEET_TITLE,
        title=REPORT_TITLE,
        subtitle=_("导出日期：%(d)s") % {"d": clock.today().isoformat()},
        columns=REPORT_COLUMNS,
        unit=unit,
        period=period,
    )
    levels = dict(Level.choices)
    members = 0
    # Room for the four rows around the data within Excel's row limit.
    for x in report.records(households, room=4):
        members += x.members
        report.row([report.count, x.unit.name, x.kind.name, x.head, x.speciality, x.members,
                    x.member_names, str(levels.get(x.level, "")), x.designated_on or _("待补日期"),
                    x.revoked_on, x.note])  # fmt: skip
    n = _("%(n)d 户") % {"n": report.count}
    report.row([report.bold(_("合计")), report.bold(n), None, None, None, report.bold(members)])
    return report.save(target)
