"""Designations in Excel: the import template, reading a filled-in workbook, the data export
(the template's shape, so it imports again) and the report export (a titled table with names,
not codes, and totals by kind, for a report to the level above).

The generic parts (upload check, cell parsers, formula-safe writing) are core.sheets'; this
module only knows the designation columns. Reading is all or nothing: every problem is named
with its row and column before anything is saved.
"""

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from xuanwen.accounts.models import User
from xuanwen.core import clock, sheets
from xuanwen.core.imports import ImportResult
from xuanwen.core.models import Level
from xuanwen.core.sheets import Column
from xuanwen.units.selectors import template_units, units_by_code

from .models import Designation, DesignationKind
from .services import DesignationData, designations_import_problems

SHEET_TITLE = "命名"
REPORT_TITLE = "文化示范村等命名统计表"


def _level_labels() -> dict[str, str]:
    """Level name → value, in Chinese (the file format) and in today's language, codes too."""
    out = {str(label): value for value, label in Level.choices}
    with translation.override("zh-hans"):
        out.update({str(label): value for value, label in Level.choices})
    out.update({value: value for value in Level.values})
    return out


COLUMNS: tuple[Column, ...] = (
    Column(
        "unit",
        "单位代码",
        16,
        True,
        _lazy("被命名的村（社区）或乡镇的区划代码，见“单位”表。"),
        parse=sheets.parse_unit_code,
        fmt=sheets.TEXT_FORMAT,
    ),
    Column(
        "unit_name",
        "单位名称(可选)",
        14,
        False,
        _lazy("便于核对，可不填；填写时须与单位代码相符。"),
    ),
    Column(
        "kind",
        "命名类型",
        14,
        True,
        _lazy("从下拉列表中选择，如文化示范村。"),
        parse=sheets.parse_required_text,
        options="kinds",
    ),
    Column(
        "level",
        "级别",
        10,
        True,
        _lazy("从下拉列表中选择：国家级、省级、市级、县级、乡镇级。"),
        parse=sheets.choice_parser(_level_labels(), what="级别", required=True),
        options="levels",
    ),
    Column(
        "designated_on",
        "命名日期",
        12,
        False,
        _lazy("如 2026-05-20；不填则不计入任何时段的命名数（待补日期）。"),
        parse=sheets.parse_optional_date,
        fmt=sheets.DATE_FORMAT,
    ),
    Column(
        "revoked_on",
        "撤销日期",
        12,
        False,
        _lazy("被撤销或摘牌的日期；仍有效的不填。"),
        parse=sheets.parse_optional_date,
        fmt=sheets.DATE_FORMAT,
    ),
    Column("document_no", "文号", 20, False, _lazy("如：临文〔2026〕12号。不超过 100 字。")),
    Column("awarded_by", "授予单位", 20, False, _lazy("不超过 100 字。")),
    Column("note", "备注", 30, False, _lazy("可不填。")),
)

HELP_LINES = (
    _lazy("每行填写一项命名（文化示范村、文化先进村、文化特色村、文化示范社区、文化强镇等）。"),
    _lazy("带底色的列为必填。第 1 行的列名不要修改；没有列名的列不会读取。"),
    _lazy("上传后先预览；只要有一处问题就一条也不导入，并列出每个问题的行和列。"),
    _lazy(
        "同一单位可在不同级别、不同日期获得同一命名；同一单位、类型、级别、命名日期只能登记一次。"
    ),
)


def _kinds() -> dict[str, DesignationKind]:
    """Active kinds by name and by code (a sheet may carry either)."""
    out: dict[str, DesignationKind] = {}
    for kind in DesignationKind.objects.filter(active=True):
        out[kind.name] = kind
        out[kind.code] = kind
    return out


def read_workbook(
    source: str | IO[bytes], *, user: User, check_rules: bool = True
) -> ImportResult[DesignationData]:
    """Every row as DesignationData, or every problem; the services' rules too if check_rules."""
    table = sheets.read_table(
        source,
        sheet_title=SHEET_TITLE,
        columns=COLUMNS,
        empty_message=_("表中没有命名：请从第 2 行起每行填写一项。"),
    )
    result: ImportResult[DesignationData] = ImportResult(table)
    if any(p.row <= 1 for p in table.problems):
        return result  # the file or its header is wrong: the rows mean nothing yet
    units = units_by_code(user, result.unit_codes())
    kinds = _kinds()
    for number, values in table.rows:
        unit = result.unit_of(number, values, units)
        kind = kinds.get(values["kind"])
        if kind is None:
            names = "、".join(k.name for k in DesignationKind.objects.filter(active=True))
            result.add(number, "kind", _("命名类型只能是：%(names)s。") % {"names": names})
        if unit is None or kind is None:
            continue
        result.keep(
            number,
            DesignationData(
                unit=unit,
                kind=kind,
                level=values["level"],
                designated_on=values.get("designated_on"),
                revoked_on=values.get("revoked_on"),
                document_no=values.get("document_no", ""),
                awarded_by=values.get("awarded_by", ""),
                note=values.get("note", ""),
            ),
        )
    result.sort()
    # The rules too, on the rows that read cleanly, so that one upload names every problem.
    if check_rules:
        result.add_rule_problems(
            designations_import_problems(
                user=user, rows=result.rows, row_numbers=result.row_numbers
            )
        )
    return result


def build_template(*, user: User) -> bytes:
    kinds = [k.name for k in DesignationKind.objects.filter(active=True)]
    return sheets.build_template(
        units=template_units(user),
        sheet_title=SHEET_TITLE,
        columns=COLUMNS,
        options={"kinds": kinds, "levels": [str(label) for label in Level.labels]},
        help_title=_("命名导入说明"),
        help_lines=[str(line) for line in HELP_LINES],
        checks=[sheets.date_check("designated_on"), sheets.date_check("revoked_on")],
    )


LEVELS = dict(Level.choices)


def export_rows(designations: Iterable[Designation]) -> Iterator[Sequence[Any]]:
    """The list's designations in the template's columns, so an export can be imported again."""
    for x in designations:
        yield (
            x.unit_id,
            x.unit.name,
            x.kind.name,
            str(LEVELS.get(x.level, x.level)),
            x.designated_on,
            x.revoked_on,
            x.document_no,
            x.awarded_by,
            x.note,
        )


def write_export(designations: Iterable[Designation], target: str | IO[bytes]) -> int:
    return sheets.write_export(
        export_rows(designations), target, sheet_title=SHEET_TITLE, columns=COLUMNS
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
BOLD = Font(bold=True)
TITLE_FONT = Font(bold=True, size=14)


def _bold(sheet: Any, value: Any, font: Font = BOLD) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=sheets.export_value(sheet, value))
    cell.font = font
    return cell


def write_report(
    designations: Iterable[Designation],
    target: str | IO[bytes],
    *,
    subtitle: str = "",
) -> int:
    """The designations as a report: a title row, a subtitle (scope and date), a header, one
    row per designation with units, kinds and levels by name, then the totals (all, by kind).
    The designations come with `unit__parent` read (a village's township). Returns the rows."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(REPORT_TITLE)
    for i, (_header, width) in enumerate(REPORT_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.append([_bold(sheet, _(REPORT_TITLE), TITLE_FONT)])
    sheet.append([sheets.export_value(sheet, subtitle)])
    sheet.append([_bold(sheet, str(header)) for header, _width in REPORT_COLUMNS])
    by_kind: Counter[str] = Counter()
    in_force = 0
    count = 0
    today = clock.today()
    for x in designations:
        if count >= sheets.EXPORT_MAX - 10:
            break
        count += 1
        by_kind[x.kind.name] += 1
        if x.revoked_on is not None and x.revoked_on <= today:
            state = _("%(d)s 撤销") % {"d": x.revoked_on.isoformat()}
        else:
            state = _("有效")
            in_force += 1
        row = (
            count,
            x.unit.name,
            x.unit.parent.name if x.unit.parent else "",
            x.kind.name,
            str(LEVELS.get(x.level, x.level)),
            x.designated_on or _("待补日期"),
            state,
            x.document_no,
            x.awarded_by,
        )
        sheet.append([sheets.export_value(sheet, v) for v in row])
    sheet.append([])
    in_force_text = _("其中有效 %(n)d 项") % {"n": in_force}
    sheet.append([_bold(sheet, _("合计")), _bold(sheet, count), in_force_text])
    for name, n in sorted(by_kind.items(), key=lambda kv: (-kv[1], kv[0])):
        sheet.append([None, sheets.export_value(sheet, name), n])
    book.save(target)
    return count
