"""Excel of the duties: the duty import, the completions import and the completions export.

The generic parts (upload check, cell parsers, formula-safe writing, template layout) are
core.sheets'; this module only says which columns a duty and a completion have and how rows
become the services' DutyData and CompletionData.

A completion names its duty by unit code + duty name. No photo or file can come through a
sheet, so from a plain .xlsx a duty that needs one is refused row by row (its completions come
from the data package, which carries their evidence, or are recorded on the page); those that
need only a note or an inspection record can be imported either way. A market inspection takes
one row per inspected business: rows with the same unit, duty and date are one completion.
The data package (records.package) is the completions' data export with a "附件" sheet naming
each completion's photos and files by its first row.
"""

import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import IO, Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from xuanwen.accounts.models import WRITE_ROLES, Role, User
from xuanwen.accounts.permissions import can_write
from xuanwen.core import packages, sheets
from xuanwen.core.imports import ImportResult
from xuanwen.core.sheets import Column
from xuanwen.records.excel import DataBook
from xuanwen.records.package import Files, counted
from xuanwen.units.selectors import template_units, units_by_code

from . import cycles, selectors, services
from .models import BusinessKind, Cycle, Duty, DutyCompletion

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


def _active(value: object) -> bool:
    return True if sheets.parse_text(value) == "" else parse_flag(value)


# The data export's columns: the template's, and whether the duty is in use (not blank: 是).
# Who is named responsible (users, not records) stays with the database.
DATA_COLUMNS = (
    *COLUMNS,
    Column("active", "启用", 8, False, _lazy("是/否，不填为是。"), parse=_active, options="是否"),
)


def _duty_row(d: Duty) -> list[Any]:
    with translation.override("zh-hans"):
        cycle = str(Cycle(d.cycle).label)
        role = str(Role(d.role).label) if d.role else ""
    flags = [YES if f else NO for f in (d.needs_photo, d.needs_note, d.needs_file,
                                         d.needs_inspections)]  # fmt: skip
    return [d.unit_id, d.name, cycle, d.due_day, *flags, role, d.start_date, d.description,
            YES if d.active else NO]  # fmt: skip


BOOK = DataBook(model=Duty, title=SHEET, columns=DATA_COLUMNS, row=_duty_row, parts=())

HELP_LINES = (
    _lazy("每行一项常规工作。表头不要修改；列的顺序可以调整。"),
    _lazy("佐证至少选一种（照片、文字记录、文件、检查记录），完成时必须提供。"),
    _lazy("只要有一处问题就一条也不导入，并指出每个问题的行和列。"),
)


def build_template(*, user: User) -> bytes:
    return sheets.build_template(
        units=template_units(user),
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


def read_workbook(source: IO[bytes], *, user: User) -> ImportResult[services.DutyData]:
    """Every row as DutyData with the services' rules applied, or every problem with its cell."""
    table = sheets.read_table(
        source, sheet_title=SHEET, columns=DATA_COLUMNS, empty_message=_("表中没有常规工作。")
    )
    # "evidence" names no single column: it goes on the first evidence column.
    result: ImportResult[services.DutyData] = ImportResult(
        table, fields={"evidence": "needs_photo"}
    )
    if not table.rows:
        return result
    units = units_by_code(user, result.unit_codes())
    seen: dict[tuple[str, str], int] = {}
    existing = services.existing_names(list(units))
    for number, values in table.rows:
        unit = units.get(values["unit"])
        if unit is None:
            result.add(number, "unit", sheets.unknown_unit_message(values["unit"]))
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
            result.add(number, name, message)
        if not errors:
            result.keep(number, data)
    result.sort()
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


# --- Completions import --------------------------------------------------------------------

COMPLETION_SHEET = "完成记录"
DUTY_LIST_SHEET = "常规工作清单"
KIND_BY_LABEL = {str(label): value for value, label in BusinessKind.choices} | {
    value: value for value in BusinessKind.values
}
BUSINESS_KEYS = (
    "business", "kind", "findings", "rectification_required", "rectified", "rectified_on",
)  # fmt: skip

COMPLETION_COLUMNS = (
    Column(
        "unit", "单位代码", 16, True, _lazy("常规工作所属单位的代码，见“常规工作清单”表。"),
        parse=sheets.parse_unit_code, fmt=sheets.TEXT_FORMAT,
    ),
    Column(
        "duty", "常规工作", 20, True,
        _lazy("该单位的常规工作名称，如：周例会。单位代码和名称要与“常规工作清单”表一致。"),
        parse=sheets.parse_required_text, options="常规工作",
    ),
    Column("done_on", "完成日期", 12, True, _lazy("如 2026-03-02，不能晚于今天。"),
           parse=sheets.parse_required_date, fmt=sheets.DATE_FORMAT),
    Column(
        "period", "补做期间", 12, False,
        _lazy("补做以前漏做的一期时填该期内的任一天（如 2026-02-20 即 2 月下半月）；"
              "不填则算完成日期所在的一期。"),
        parse=sheets.parse_optional_date, fmt=sheets.DATE_FORMAT,
    ),
    Column("note", "记录", 40, False, _lazy("需要文字记录的工作必填，如例会、学习的内容。")),
    Column("business", "经营单位", 20, False,
           _lazy("只用于需要检查记录的工作（文化市场检查）：每行填一个检查的经营单位。")),
    Column(
        "kind", "经营类别", 12, False, _lazy("填了经营单位就必填，从下拉列表选择。"),
        parse=sheets.choice_parser(KIND_BY_LABEL, what="经营类别"), options="经营类别",
    ),
    Column("findings", "检查情况", 30, False, _lazy("可不填。")),
    Column("rectification_required", "需要整改", 10, False, _lazy("是/否，不填为否。"),
           parse=parse_flag, options="是否"),
    Column("rectified", "已整改", 10, False, _lazy("是/否；需要整改的才能填“是”。"),
           parse=parse_flag, options="是否"),
    Column("rectified_on", "整改日期", 12, False, _lazy("已整改的可填，不早于完成日期。"),
           parse=sheets.parse_optional_date, fmt=sheets.DATE_FORMAT),
)  # fmt: skip


def completion_data_rows(completions: Iterable[DutyCompletion]) -> Iterator[list[Any]]:
    """Completions in the import's shape (the data export): a row per inspected business (one
    row without any), which the import puts together again by unit, duty and date. Photos and
    files travel only in the data package (write_completions); who recorded it is the
    importing user."""
    for c in completions:
        head = [c.duty.unit_id, c.duty.name, c.done_on, c.period_start, c.note]
        businesses = list(c.businesses.all())
        if not businesses:
            yield head
        for b in businesses:
            with translation.override("zh-hans"):
                kind = str(BusinessKind(b.kind).label)
            flags = [YES if b.rectification_required else NO, YES if b.rectified else NO]
            yield [*head, b.name, kind, b.findings, *flags, b.rectified_on]


# A completion's photos and files in its data package; the save takes them (completion_create
# refuses a completion without the evidence its duty needs).
EVIDENCE = Files("evidence")


def write_completions(
    completions: Iterable[DutyCompletion],
    target: str | IO[bytes],
    entries: list[packages.Entry] | None = None,
) -> int:
    """The data export (the import's sheet); with `entries`, the data package's workbook:
    the "附件" sheet names each completion's evidence by the completion's first row."""
    book = Workbook(write_only=True)
    sheet = sheets.export_sheet(book, COMPLETION_SHEET, COMPLETION_COLUMNS)
    files = EVIDENCE.sheet(book) if entries is not None else None
    rows = 0
    for c in completions:
        first = rows + 2
        for row in completion_data_rows([c]):
            if rows >= sheets.EXPORT_MAX:
                break
            sheet.append([sheets.export_value(sheet, v) for v in row])
            rows += 1
        if files is not None and entries is not None and rows + 2 > first:
            EVIDENCE.write(files, c, first, str(c), entries)
    book.save(target)
    return rows


COMPLETION_HELP_LINES = (
    _lazy("每行登记一项常规工作的一次完成；哪项工作由“单位代码”加“常规工作”名称确定，"
          "可在“常规工作清单”表中查到。表头不要修改；列的顺序可以调整。"),
    _lazy("需要照片或文件作佐证的工作（如黑板报、宣传橱窗）不能用 Excel 导入：Excel 无法附带"
          "照片和文件，请导入“导出数据包”得到的数据包（.zip），或在页面上“登记完成”并上传。"
          "只需文字记录或检查记录的工作可以导入。"),
    _lazy("文化市场检查等需要检查记录的工作：每个检查的经营单位占一行。单位代码、常规工作、"
          "完成日期都相同的几行合为一次检查；记录和补做期间填在其中一行即可，多行都填的须相同。"),
    _lazy("其他工作同一项同一天只能有一行；已经登记过的（同一项工作同一天）不能再导入。"),
    _lazy("只要有一处问题就一条也不导入，并指出每个问题的行和列。"),
)  # fmt: skip

IMPORTABLE, NOT_IMPORTABLE = "可以", "不可以，请导入数据包或在页面登记"


def importable(duty: Duty) -> bool:
    """Whether a completion of the duty can come from a sheet: not if it needs a photo or file."""
    return not (duty.needs_photo or duty.needs_file)


def template_duties(user: User) -> list[Duty]:
    """The active duties the user may record completions of, for the template's list."""
    duties = (
        selectors.duties_for(user)
        .filter(active=True)
        .select_related("unit")
        .order_by("unit_id", "name")[: sheets.TEMPLATE_UNITS_MAX]
    )
    return [d for d in duties if can_write(user, d.unit_id)]


def build_completion_template(*, user: User) -> bytes:
    """The completions template, with a sheet listing the user's duties (unit code, name,
    cycle, evidence, and whether a sheet can record it)."""
    duties = template_duties(user) if user.is_superuser or user.role in WRITE_ROLES else []
    content = sheets.build_template(
        sheet_title=COMPLETION_SHEET,
        columns=COMPLETION_COLUMNS,
        options={
            "常规工作": sorted({d.name for d in duties if importable(d)}),
            "经营类别": [str(label) for label in BusinessKind.labels],
            "是否": [YES, NO],
        },
        help_title=str(_("完成记录导入说明")),
        help_lines=[str(line) for line in COMPLETION_HELP_LINES],
        checks=[sheets.date_check("done_on"), sheets.date_check("period"),
                sheets.date_check("rectified_on")],
    )  # fmt: skip
    book = load_workbook(io.BytesIO(content))
    sheet = book.create_sheet(DUTY_LIST_SHEET, index=2)
    headers = ("单位代码", "单位名称", "常规工作", "周期", "佐证", "能否用 Excel 导入")
    for col, (heading, width) in enumerate(zip(headers, (16, 24, 20, 14, 20, 22), strict=True), 1):
        sheets.set_cell(sheet, 1, col, heading)
        sheet.cell(row=1, column=col).font = sheets.HEADER_FONT
        sheet.column_dimensions[get_column_letter(col)].width = width
    for row, duty in enumerate(duties, start=2):
        values = (
            duty.unit_id, duty.unit.name, duty.name, duty.cycle_label,
            "、".join(duty.evidence_labels), IMPORTABLE if importable(duty) else NOT_IMPORTABLE,
        )  # fmt: skip
        for col, value in enumerate(values, start=1):
            sheets.set_cell(sheet, row, col, str(value))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def evidence_refusal(duty: Duty) -> str:
    kinds = [str(label) for needed, label in ((duty.needs_photo, _("照片")),
                                              (duty.needs_file, _("文件"))) if needed]  # fmt: skip
    return _(
        "“%(name)s”需要%(kinds)s作佐证，Excel 无法附带照片和文件，不能从 .xlsx 导入；"
        "请导入含%(kinds)s的数据包（.zip，在完成记录列表“导出数据包（含照片和附件）”得到），"
        "或在页面上登记该次完成并上传%(kinds)s。"
    ) % {
        "name": duty.name,
        "kinds": _("%(a)s和%(b)s") % {"a": kinds[0], "b": kinds[1]}
        if len(kinds) == 2
        else kinds[0],
    }


@dataclass
class _Group:
    """The rows that make one completion: one row, or one row per inspected business."""

    data: services.CompletionData
    first_row: int
    note_row: int
    period_row: int


def _business_of(values: dict[str, Any]) -> services.BusinessData | None:
    if not any(values.get(k) for k in BUSINESS_KEYS):
        return None
    return services.BusinessData(
        name=values.get("business") or "",
        kind=values.get("kind") or "",
        findings=values.get("findings") or "",
        rectification_required=bool(values.get("rectification_required")),
        rectified=bool(values.get("rectified")),
        rectified_on=values.get("rectified_on"),
    )


def _business_problems(b: services.BusinessData, done_on: date) -> dict[str, str]:
    """The service's rules for one business, each on its own column: the rule is checked on
    the business with the other parts made harmless."""
    fine = services.BusinessData(name="-", kind=BusinessKind.OTHER)
    parts = {
        "business": replace(fine, name=b.name),
        "kind": replace(fine, kind=b.kind),
        "rectified_on" if b.rectified_on else "rectified": replace(
            b, name=fine.name, kind=fine.kind
        ),
    }
    errors = {}
    for key, part in parts.items():
        problems = services.business_check(part, done_on)
        if problems:
            errors[key] = "".join(problems)
    if not b.kind and "kind" in errors:
        errors["kind"] = _("填了经营单位就要选择经营类别。")
    return errors


# Where a rule error of completion_check (by field) goes in the sheet.
COMPLETION_ERROR_COLUMN = {"duty": "duty", "done_on": "done_on", "period_start": "period"}


def _duties(user: User, codes: Sequence[str], names: set[str]) -> dict[tuple[str, str], Duty]:
    """The live duties of these units with these names (a query per 500 units)."""
    out: dict[tuple[str, str], Duty] = {}
    codes = sorted(codes)
    for start in range(0, len(codes), 500):
        qs = selectors.duties_for(user).filter(
            unit_id__in=codes[start : start + 500], name__in=sorted(names)
        )
        out.update(((d.unit_id, d.name), d) for d in qs.select_related("unit"))
    return out


def read_completions(
    source: IO[bytes], *, user: User, check_rules: bool = True
) -> ImportResult[services.CompletionData]:
    """Every completion of the upload with the services' rules applied, or every problem.

    The rules are always applied (`check_rules` is the import flow's; reading is a few queries
    whatever the size): a confirmation re-reads against the database as it is then.
    """
    table = sheets.read_table(
        source,
        sheet_title=COMPLETION_SHEET,
        columns=COMPLETION_COLUMNS,
        empty_message=_("表中没有完成记录。"),
    )
    # Where the save's errors go (the others name the duty's row).
    result: ImportResult[services.CompletionData] = ImportResult(
        table, fields={"period_start": "period", "evidence": "duty", "businesses": "business"}
    )
    if not table.rows:
        return result
    units = units_by_code(user, result.unit_codes())
    duties = _duties(user, list(units), {values["duty"] for _n, values in table.rows})
    package = packages.archive_of(source) is not None
    recorded = services.completion_days([d.pk for d in duties.values()])
    groups: dict[tuple[int, date], _Group] = {}
    for number, values in table.rows:
        duty = _row_duty(user, table, number, values, units, duties, package=package)
        if duty is None:
            continue
        business = _business_of(values)
        if business is not None and not duty.needs_inspections:
            table.add(number, "business", _("该工作不需要检查记录，经营单位等各列请留空。"))
            continue
        if business is None and duty.needs_inspections:
            table.add(number, "business", _("需要检查记录的工作，每行要填一个检查的经营单位。"))
            continue
        done_on: date = values["done_on"]
        period_day: date | None = values.get("period")
        period_start = (
            cycles.period_of(duty.cycle, duty.due_day, period_day).start if period_day else None
        )
        note = values.get("note") or ""
        key = (duty.pk, done_on)
        group = groups.get(key)
        if group is None:
            if key in recorded:
                table.add(
                    number,
                    "done_on",
                    _("“%(name)s”在 %(day)s 已有完成记录，不能重复登记。")
                    % {"name": duty.name, "day": done_on.isoformat()},
                )
                continue
            data = services.CompletionData(
                duty=duty, done_on=done_on, note=note, period_start=period_start
            )
            group = groups[key] = _Group(data, number, number, number)
        elif not duty.needs_inspections:
            table.add(
                number,
                "duty",
                _("与第 %(row)d 行重复：同一项工作同一天只登记一次。") % {"row": group.first_row},
            )
            continue
        else:
            _merge(table, number, group, note, period_start)
        if business is not None:
            for column, message in _business_problems(business, done_on).items():
                table.add(number, column, message)
            group.data.businesses.append(business)
    for group in groups.values():
        _check_group(table, group)
    result.sort()
    if result.ok:
        for group in groups.values():
            result.keep(group.first_row, group.data)
        _read_evidence(source, result, user, check_content=check_rules)
    return result


def _read_evidence(
    source: IO[bytes], result: ImportResult[services.CompletionData], user: User, **how: bool
) -> None:
    """A package's evidence ("附件" sheet), and that every completion has what its duty
    needs (named on its row's duty)."""
    EVIDENCE.read(source, result, user, **how)
    if not result.ok:
        return
    grouped = EVIDENCE.grouped(result)
    for i, data in enumerate(result.rows):
        kinds = [values["kind"] for _n, values in grouped.get(i, ())]
        missing = services.evidence_missing(data.duty, *counted(kinds))
        if missing:
            message = _("数据包的“附件”表中没有该次完成的佐证：%(why)s") % {"why": missing}
            result.add(result.row_numbers[i], "duty", message)
    result.sort()


def _row_duty(
    user: User,
    table: sheets.Table,
    number: int,
    values: dict[str, Any],
    units: dict[str, Any],
    duties: dict[tuple[str, str], Duty],
    *,
    package: bool,
) -> Duty | None:
    """The row's duty if the user may record it and the upload can (a plain sheet cannot
    carry evidence, a package can); else the row's problem."""
    unit = units.get(values["unit"])
    if unit is None:
        table.add(number, "unit", sheets.unknown_unit_message(values["unit"]))
        return None
    if not can_write(user, unit.code):
        table.add(number, "unit", _("您不能为该单位登记常规工作的完成情况。"))
        return None
    duty = duties.get((unit.code, values["duty"]))
    if duty is None:
        table.add(
            number,
            "duty",
            _("“%(unit)s”没有名为“%(name)s”的常规工作（见“常规工作清单”表）。")
            % {"unit": unit.name, "name": values["duty"]},
        )
        return None
    if not (package or importable(duty)):
        table.add(number, "duty", evidence_refusal(duty))
        return None
    return duty


def _merge(
    table: sheets.Table, number: int, group: _Group, note: str, period_start: date | None
) -> None:
    """Another business row of an inspection: its note and period may be blank or the same."""
    data = group.data
    if note:
        if not data.note:
            data.note, group.note_row = note, number
        elif note != data.note:
            message = _("与第 %(row)d 行的记录不同：同一次检查的记录只填一行，或各行相同。")
            table.add(number, "note", message % {"row": group.note_row})
    if period_start:
        if data.period_start is None:
            data.period_start, group.period_row = period_start, number
        elif period_start != data.period_start:
            message = _("与第 %(row)d 行的补做期间不同：同一次检查只能补做一期。")
            table.add(number, "period", message % {"row": group.period_row})


def _check_group(table: sheets.Table, group: _Group) -> None:
    """The completion's own rules (the businesses were checked row by row)."""
    errors = services.completion_check(replace(group.data, businesses=[]))
    errors.pop("businesses", None)  # an inspection group has a business on every row
    errors.pop("evidence", None)  # refused already (a sheet) or checked with the files
    for name, message in errors.items():
        if name == "note":
            table.add(group.note_row, "note", message)
        elif name == "period_start":
            table.add(group.period_row, "period", message)
        else:
            table.add(group.first_row, COMPLETION_ERROR_COLUMN.get(name, "duty"), message)
