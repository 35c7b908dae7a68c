"""Designations in Excel: the import template, reading a filled-in workbook, the data export
(the template's shape, so it imports again) and the report export (a titled table with names,
not codes, and totals by kind, for a report to the level above).

The generic parts (upload check, cell parsers, formula-safe writing) are core.sheets'; reading
a register's sheet of coded kinds, its template, its data export and the report sheet are
records.excel's (RegisterSheet, Report). This module declares the designation columns and
sheet, and writes the report's rows. Reading is all or nothing: every
problem is named with its row and column before anything is saved.
"""

from collections import Counter
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

from .models import Designation, DesignationKind
from .services import DesignationData, designations_import_problems

SHEET_TITLE = "命名"
LEVELS = dict(Level.choices)
REPORT_TITLE = "文化示范村等命名统计表"


COLUMNS: tuple[Column, ...] = (
    unit_column(_lazy("被命名的村（社区）或乡镇的区划代码，见“单位”表。")),
    UNIT_NAME_COLUMN,
    kind_column("命名类型", 14, _lazy("从下拉列表中选择，如文化示范村。")),
    choice_column(
        "level",
        "级别",
        10,
        Level,
        options="levels",
        note=_lazy("从下拉列表中选择：国家级、省级、市级、县级、乡镇级。"),
    ),
    date_column(
        "designated_on",
        "命名日期",
        _lazy("如 2026-05-20；不填则不计入任何时段的命名数（待补日期）。"),
    ),
    date_column("revoked_on", "撤销日期", _lazy("被撤销或摘牌的日期；仍有效的不填。")),
    Column("document_no", "文号", 20, False, _lazy("如：临文〔2026〕12号。不超过 100 字。")),
    Column("awarded_by", "授予单位", 20, False, _lazy("不超过 100 字。")),
    Column("note", "备注", 30, False, _lazy("可不填。")),
)


SHEET = RegisterSheet(
    title=SHEET_TITLE,
    columns=COLUMNS,
    kinds=DesignationKind,
    data=DesignationData,
    rules=designations_import_problems,
    empty_message=_lazy("表中没有命名：请从第 2 行起每行填写一项。"),
    kind_message=_lazy("命名类型只能是：%(names)s。"),
    help_title=_lazy("命名导入说明"),
    help_lines=(
        _lazy("每行填写一项命名（文化示范村、文化先进村、文化特色村、文化示范社区、文化强镇等）。"),
        *HELP_LINES,
        _lazy(
            "同一单位可在不同级别、不同日期获得同一命名；同一单位、类型、级别、命名日期只能登记一次。"
        ),
    ),
    options={"levels": Level.labels},
    checks=lambda: [sheets.date_check("designated_on"), sheets.date_check("revoked_on")],
    exports={"level": lambda x: str(LEVELS.get(x.level, x.level))},
)


# --- The report: a titled table a clerk sends up as it is ----------------------------------

# (header, width) of the report's columns: names only, no codes.
REPORT_COLUMNS = (
    (_lazy("序号"), 6),
    (_lazy("被命名单位"), 18),
    (_lazy("上级单位"), 18),
    (_lazy("命名类型"), 14),
    (_lazy("级别"), 10),
    (_lazy("命名日期"), 12),
    (_lazy("状态"), 14),
    (_lazy("文号"), 20),
    (_lazy("授予单位"), 20),
)


def write_report(
    designations: Iterable[Designation],
    target: str | IO[bytes],
    *,
    subtitle: str = "",
    unit: str = "",
    period: str = "",
) -> int:
    """The designations as a report: a title row, a subtitle (scope and date), a header, one
    row per designation with units, kinds and levels by name, then the totals (all, by kind).
    The designations come with `unit__parent` read (a village's township). Returns the rows."""
    report = Report(
        sheet_title=REPORT_TITLE, title=_(REPORT_TITLE), subtitle=subtitle, columns=REPORT_COLUMNS,
        unit=unit, period=period,
    )  # fmt: skip
    by_kind: Counter[str] = Counter()
    in_force = 0
    today = clock.today()
    # Room for the rows around the data (the totals by kind among them) within the row limit.
    for x in report.records(designations, room=10):
        by_kind[x.kind.name] += 1
        if x.revoked_on is not None and x.revoked_on <= today:
            state = _("%(d)s 撤销") % {"d": x.revoked_on.isoformat()}
        else:
            state = _("有效")
            in_force += 1
        report.row(
            (
                report.count,
                x.unit.name,
                x.unit.parent.name if x.unit.parent else "",
                x.kind.name,
                str(LEVELS.get(x.level, x.level)),
                x.designated_on or _("待补日期"),
                state,
                x.document_no,
                x.awarded_by,
            )
        )
    report.row([])
    in_force_text = _("其中有效 %(n)d 项") % {"n": in_force}
    report.row([report.bold(_("合计")), report.bold(report.count), in_force_text])
    for name, n in sorted(by_kind.items(), key=lambda kv: (-kv[1], kv[0])):
        report.row([None, name, n])
    return report.save(target)
