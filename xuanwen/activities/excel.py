"""Activities in Excel: the import template, reading a filled-in workbook, and the export.

Reading is all or nothing. Every cell of every row is parsed and every row checked before
anything is saved, and each problem names its row and column (第 N 行 第 X 列（列名）). The
rules themselves belong to the services (activity_check, duplicates, the right to write): this
module only turns cells into ActivityData, and the services' field errors back into cells.

The column names are the file format, so they stay Chinese whatever the page language: a file
exported with the English interface imports with the Chinese one. The same goes for the funding
sources written into cells.
"""

import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import IO, Any
from xml.etree.ElementTree import ParseError

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel, to_excel
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from xuanwen.accounts.models import WRITE_ROLES
from xuanwen.core import tree
from xuanwen.core.files import CONTENT_TYPES_MAX, max_bytes
from xuanwen.units.models import Unit
from xuanwen.units.selectors import units_for

from .models import Activity, ActivityType, Funding
from .services import ActivityData, activities_import_problems

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_TITLE = "活动"
HELP_TITLE = "填写说明"
UNITS_TITLE = "单位"
OPTIONS_TITLE = "选项"

# Data rows an import may hold: a county's activities for several years fit easily; a
# province's should be imported county by county.
MAX_ROWS = 200_000
# Rows of the template that carry the drop-down lists and the checks of dates and numbers.
TEMPLATE_ROWS = 5_000
# The template lists the units one may import for, up to this many (a county has ~700).
TEMPLATE_UNITS_MAX = 5_000
# What a real .xlsx of MAX_ROWS rows unpacks to is ~100 MB; far more is a zip bomb.
UNPACKED_MAX = 400 * 1024 * 1024
# Excel's own limit, less the header row.
EXPORT_MAX = 1_048_575
# Cells Excel would read as a formula (or DDE) if a user typed them; OWASP's list.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    key: str  # the ActivityData field, or unit_name
    header: str
    width: int
    required: bool
    note: Any  # lazy text for the instructions sheet


COLUMNS: tuple[Column, ...] = (
    Column("unit", "单位代码", 16, True, _lazy("区划代码，6、9 或 12 位数字，见“单位”表。")),
    Column(
        "unit_name",
        "单位名称(可选)",
        14,
        False,
        _lazy("便于核对，可不填；填写时须与单位代码相符。"),
    ),
    Column("type", "活动类型", 12, True, _lazy("从下拉列表中选择。")),
    Column("title", "活动名称", 30, True, _lazy("不超过 200 字。")),
    Column("start_date", "开始日期", 12, True, _lazy("日期，如 2025-03-05。")),
    Column("end_date", "结束日期", 12, False, _lazy("一天的活动可不填；不能早于开始日期。")),
    Column("place", "地点", 16, False, _lazy("不超过 200 字。")),
    Column("organisers", "主办单位", 16, False, _lazy("不超过 200 字。")),
    Column("co_organisers", "联办单位", 16, False, _lazy("不超过 200 字。")),
    Column("participants", "参与人数", 10, False, _lazy("整数，不填为 0。")),
    Column("audience", "观众人数", 10, False, _lazy("整数，不填为 0。")),
    Column("cost", "经费（元）", 12, False, _lazy("金额，最多两位小数，可不填。")),
    Column("funding", "经费来源", 10, False, _lazy("从下拉列表中选择：财政、自筹、赞助、其他。")),
    Column("description", "内容简介", 40, False, _lazy("可不填。")),
)
BY_KEY = {c.key: c for c in COLUMNS}


def _header_key(value: object) -> str:
    """A header as typed, reduced to compare: no spaces, half-width brackets, no (可选) or *."""
    text = re.sub(r"\s+", "", str(value or "")).replace("（", "(").replace("）", ")")
    return text.replace("(可选)", "").strip("*")


BY_HEADER = {_header_key(c.header): c for c in COLUMNS}


# --- Problems ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an upload: a cell, a whole row (column 0) or the file (row 0)."""

    row: int
    column: int
    header: str
    message: str

    def __str__(self) -> str:
        if not self.row:
            return self.message
        if not self.column:
            return _("第 %(row)d 行：%(message)s") % {"row": self.row, "message": self.message}
        return _("第 %(row)d 行 第 %(col)s 列（%(header)s）：%(message)s") % {
            "row": self.row,
            "col": get_column_letter(self.column),
            "header": self.header,
            "message": self.message,
        }


class CellError(ValueError):
    """A cell that cannot be read as what its column holds; the message is for the user."""


@dataclass
class ReadResult:
    """What a workbook holds: the rows as ActivityData if it is clean, and every problem."""

    rows: list[ActivityData] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Column positions (1-based) by field, to place the services' errors.
    positions: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    def add_rule_problems(self, problems: dict[int, dict[str, str]]) -> None:
        """Place the services' errors (by row index and field) on their cells."""
        for i, errors in problems.items():
            for name, message in errors.items():
                column = self.positions.get(name, 0)
                header = BY_KEY[name].header if column else ""
                self.problems.append(Problem(self.row_numbers[i], column, header, message))
        self.problems.sort(key=lambda p: (p.row, p.column))


# --- The upload ----------------------------------------------------------------------------


def check_xlsx(upload: UploadedFile) -> None:
    """Accept only a real .xlsx of a sane size, judged by its content; else ValidationError.

    An .xlsx is a zip whose [Content_Types].xml names a workbook; an .xls, a CSV, a macro
    workbook (.xlsm) or anything renamed .xlsx is not one. The unpacked sizes the zip declares
    are checked too: Python's zipfile never unpacks a member beyond its declared size, so
    their sum bounds what openpyxl can be made to read from a small upload.
    """
    refuse = ValidationError(
        _(
            "请上传 Excel 的 .xlsx 文件（按文件内容判断）。"
            "旧版 .xls 请先在 Excel 或 WPS 中另存为 .xlsx。"
        ),
        code="type",
    )
    size = upload.size or 0
    if size == 0:
        raise ValidationError(_("上传的文件是空的。"), code="empty")
    if size > max_bytes():
        raise ValidationError(
            _("文件太大：不能超过 %(mb)d MB。请分批导入。") % {"mb": max_bytes() // 1024 // 1024},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(4)
    upload.seek(0)
    if head != b"PK\x03\x04":
        raise refuse
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > CONTENT_TYPES_MAX:
                raise refuse
            types = archive.read(info)
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError) as exc:
        raise refuse from exc
    finally:
        upload.seek(0)
    if f"{XLSX_MIME}.main+xml".encode() not in types:
        raise refuse
    if sum(m.file_size for m in members) > UNPACKED_MAX:
        raise ValidationError(_("文件解压后过大，无法导入。请分批导入。"), code="too_large")


# --- Reading cells -------------------------------------------------------------------------


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _unit_code(value: object) -> str:
    # Excel turns a typed code into a number unless the cell is text; both are fine.
    code = _text(value).replace(" ", "")
    if not code.isdigit() or len(code) not in (6, 9, 12):
        raise CellError(_("单位代码应为 6、9 或 12 位数字。"))
    # The 12-digit statistical form of a county or township ends in zeros; ours is the short one.
    for length in (9, 6, 4, 2):
        if len(code) > length and set(code[length:]) == {"0"}:
            code = code[:length]
    return code


_DATE_TEXT = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$"
)
# Excel's day numbers of 1954–2119: a date cell formatted as a number by mistake.
_SERIAL_RANGE = (20_000, 80_000)


def _date(value: object, *, required: bool) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise CellError(_("不能为空。"))
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if _SERIAL_RANGE[0] <= value <= _SERIAL_RANGE[1]:
            serial = from_excel(value)
            return serial.date() if isinstance(serial, datetime) else None
        value = _text(value)  # 20250305
    text = str(value).strip()
    match = _DATE_TEXT.match(text) or re.match(r"^(\d{4})(\d{2})(\d{2})$", text)
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            pass
    raise CellError(_("“%(value)s”不是有效日期，请按 2025-03-05 的格式填写。") % {"value": text})


INT_MAX = 2_147_483_647  # PositiveIntegerField on every database


def _count(value: object) -> int:
    if value is None:
        return 0
    if isinstance(value, bool):
        raise CellError(_("应为整数。"))
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError(_("应为整数。"))
        value = int(value)
    if not isinstance(value, int):
        text = re.sub(r"[,，\s]|人次?$", "", str(value))
        if not text:
            return 0
        if not re.fullmatch(r"-?\d+", text):
            raise CellError(_("“%(value)s”不是整数。") % {"value": str(value).strip()})
        value = int(text)
    # Negative numbers pass: activity_check names them, with the form's own message.
    if value > INT_MAX:
        raise CellError(_("数值过大。"))
    return value


def _money(value: object) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError(_("应为金额（数字）。"))
    if isinstance(value, int | float):
        amount = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        # A computed cell (=A2*0.1) can come out as 0.30000000000000004: cents were meant.
        cents = amount.quantize(Decimal("0.01"))
        return cents if abs(amount - cents) < Decimal("0.000001") else amount
    text = re.sub(r"[,，\s元¥￥]", "", str(value))
    if not text:
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        amount = Decimal("NaN")
    if not amount.is_finite():
        raise CellError(_("“%(value)s”不是金额（数字）。") % {"value": str(value).strip()})
    # Too many digits or decimals and negative amounts are activity_check's to name.
    return amount


def _funding_choices() -> dict[str, str]:
    """What a 经费来源 cell may say: the Chinese label, today's language's label, or the value."""
    choices = {str(label): value for value, label in Funding.choices}
    with translation.override("zh-hans"):
        choices.update({str(label): value for value, label in Funding.choices})
    choices.update({value: value for value in Funding.values})
    return choices


def funding_labels() -> list[str]:
    with translation.override("zh-hans"):
        return [str(label) for label in Funding.labels]


class _Reader:
    """Turns one row's cells into field values, with what it needs looked up once."""

    def __init__(self) -> None:
        self.types = {t.name: t for t in ActivityType.objects.all()}
        self.active_types = [t.name for t in self.types.values() if t.active]
        self.funding = _funding_choices()
        self.parsers: dict[str, Callable[[object], object]] = {
            "unit": _unit_code,
            "unit_name": _text,
            "type": self.type,
            "title": _text,
            "start_date": lambda v: _date(v, required=True),
            "end_date": lambda v: _date(v, required=False),
            "place": _text,
            "organisers": _text,
            "co_organisers": _text,
            "participants": _count,
            "audience": _count,
            "cost": _money,
            "funding": self.funding_value,
            "description": _text,
        }

    def type(self, value: object) -> ActivityType:
        name = _text(value)
        if not name:
            raise CellError(_("不能为空。"))
        found = self.types.get(name)
        if found is None:
            raise CellError(
                _("没有“%(name)s”这个活动类型。可选：%(names)s。")
                % {"name": name, "names": "、".join(self.active_types)}
            )
        if not found.active:
            raise CellError(_("活动类型“%(name)s”已停用。") % {"name": name})
        return found

    def funding_value(self, value: object) -> str:
        text = _text(value)
        if not text:
            return ""
        if text not in self.funding:
            raise CellError(
                _("经费来源只能是：%(choices)s。") % {"choices": "、".join(funding_labels())}
            )
        return self.funding[text]


# What openpyxl raises on a file that is a zip but not a sound workbook (a missing part,
# broken XML, a cell it cannot decode).
UNREADABLE = (
    InvalidFileException,
    zipfile.BadZipFile,
    ParseError,
    KeyError,
    IndexError,
    OSError,
    TypeError,
    ValueError,
)


class Unreadable(Exception):
    """openpyxl failed while reading rows (as opposed to a mistake of ours in using them)."""


def _guarded(rows: Iterable[Sequence[object]]) -> Iterator[Sequence[object]]:
    iterator = iter(rows)
    while True:
        try:
            row = next(iterator)
        except StopIteration:
            return
        except UNREADABLE as exc:
            raise Unreadable from exc
        yield row


def _blank(row: Sequence[object]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in row)


def read_workbook(source: str | IO[bytes], *, user: Any, check_rules: bool = True) -> ReadResult:
    """Read the activities sheet of an .xlsx into ActivityData, naming every problem.

    With check_rules the services' rules (activities_import_problems: the right to write,
    activity_check, duplicates in the database and in the file) are applied too, as the
    preview needs; activities_import applies them itself when it saves.
    """
    result = ReadResult()
    unreadable = Problem(
        0, 0, "", _("无法读取该文件。请用 Excel 或 WPS 打开，另存为 .xlsx 后重新上传。")
    )
    try:
        book = load_workbook(source, read_only=True, data_only=True, keep_links=False)
    except UNREADABLE:
        result.problems.append(unreadable)
        return result
    try:
        sheet = book[SHEET_TITLE] if SHEET_TITLE in book.sheetnames else book.worksheets[0]
        _read_sheet(_guarded(sheet.iter_rows(values_only=True)), user, result)
    except Unreadable:
        # A damaged sheet fails part-way: what was read of it proves nothing.
        return ReadResult(problems=[unreadable])
    finally:
        book.close()
    if result.ok and not result.rows:
        result.problems.append(Problem(0, 0, "", _("文件中没有活动：表“活动”第 2 行起每行一项。")))
    # The rows that read cleanly are checked even when others did not, so that one upload
    # names every problem rather than one kind at a time.
    if check_rules and result.rows:
        result.add_rule_problems(
            activities_import_problems(user=user, rows=result.rows, row_numbers=result.row_numbers)
        )
    return result


def _read_header(header: Sequence[object], result: ReadResult) -> dict[str, int]:
    index: dict[str, int] = {}
    for i, value in enumerate(header):
        name = _header_key(value)
        if not name:
            continue  # an unnamed column is not read (the instructions say so)
        column = BY_HEADER.get(name)
        if column is None:
            result.problems.append(
                Problem(
                    1,
                    i + 1,
                    _text(value),
                    _("无法识别的列名。请使用导入模板的列名：%(names)s。")
                    % {"names": "、".join(c.header for c in COLUMNS)},
                )
            )
        elif column.key in index:
            result.problems.append(
                Problem(
                    1,
                    i + 1,
                    column.header,
                    _("与第 %(col)s 列重复。") % {"col": get_column_letter(index[column.key] + 1)},
                )
            )
        else:
            index[column.key] = i
    for column in COLUMNS:
        if column.required and column.key not in index:
            result.problems.append(
                Problem(1, 0, "", _("缺少“%(header)s”列。") % {"header": column.header})
            )
    return index


def _read_sheet(rows: Iterable[Sequence[object]], user: Any, result: ReadResult) -> None:
    iterator = iter(rows)
    header = next(iterator, None)
    if header is None or _blank(header):
        result.problems.append(Problem(0, 0, "", _("第 1 行应为列名（请使用导入模板）。")))
        return
    index = _read_header(header, result)
    if not result.ok:
        result.problems.sort(key=lambda p: (p.row, p.column))
        return  # with the columns wrong every row would be wrong too
    result.positions = {key: i + 1 for key, i in index.items()}
    reader = _Reader()
    parsers = [(key, i, reader.parsers[key], BY_KEY[key].header) for key, i in index.items()]
    pending: list[tuple[int, dict[str, Any]]] = []
    count = 0
    for number, row in enumerate(iterator, start=2):
        if _blank(row):
            continue  # blank lines between or after the rows are not activities
        count += 1
        if count > MAX_ROWS:
            result.problems.append(
                Problem(0, 0, "", _("行数超过 %(n)d，请分批导入。") % {"n": MAX_ROWS})
            )
            return
        values: dict[str, Any] = {}
        clean = True
        for key, i, parse, header_text in parsers:
            try:
                values[key] = parse(row[i] if i < len(row) else None)
            except CellError as exc:
                result.problems.append(Problem(number, i + 1, header_text, str(exc)))
                clean = False
        if clean:
            pending.append((number, values))
    _resolve_units(pending, user, result)


def _resolve_units(
    pending: list[tuple[int, dict[str, Any]]], user: Any, result: ReadResult
) -> None:
    """Look the rows' units up in the user's scope (a query per 500 units, not per row)."""
    codes = sorted({values["unit"] for _number, values in pending})
    units: dict[str, Unit] = {}
    for start in range(0, len(codes), 500):
        units.update(
            (u.code, u) for u in units_for(user).filter(code__in=codes[start : start + 500])
        )
    unit_col = result.positions["unit"]
    name_col = result.positions.get("unit_name", 0)
    for number, values in pending:
        unit = units.get(values["unit"])
        if unit is None:
            # The same words whether the code exists elsewhere or not at all: units outside the
            # user's scope are not theirs to learn about.
            result.problems.append(
                Problem(
                    number,
                    unit_col,
                    BY_KEY["unit"].header,
                    _("单位代码“%(code)s”不存在或不在您的管辖范围内。") % {"code": values["unit"]},
                )
            )
            continue
        name = values.get("unit_name", "")
        if name and name != unit.name:
            result.problems.append(
                Problem(
                    number,
                    name_col,
                    BY_KEY["unit_name"].header,
                    _("与单位代码不符：%(code)s 是“%(name)s”。")
                    % {"code": unit.code, "name": unit.name},
                )
            )
            continue
        start = values["start_date"]
        result.rows.append(
            ActivityData(
                unit=unit,
                type=values["type"],
                title=values["title"],
                start_date=start,
                end_date=values.get("end_date") or start,
                organisers=values.get("organisers", ""),
                co_organisers=values.get("co_organisers", ""),
                place=values.get("place", ""),
                participants=values.get("participants", 0),
                audience=values.get("audience", 0),
                cost=values.get("cost"),
                funding=values.get("funding", ""),
                description=values.get("description", ""),
            )
        )
        result.row_numbers.append(number)
    result.problems.sort(key=lambda p: (p.row, p.column))


# --- Writing cells -------------------------------------------------------------------------


def safe_text(value: str) -> str:
    """Text as it can go into a cell: without the control characters XML forbids."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def text_cell(sheet: Any, value: str) -> Any:
    """A cell showing `value` as text, never as a formula (formula injection).

    openpyxl writes any string starting with "=" as a formula, and Excel would evaluate a typed
    "+", "-" or "@" too once someone edits the cell. Such values become explicit string cells
    with Excel's quote prefix (the invisible apostrophe of a typed '=1+1), so they show as
    typed, stay text when edited, and read back unchanged.
    """
    value = safe_text(value)
    if not value.startswith(FORMULA_STARTS):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
DATE_FORMAT = "yyyy-mm-dd"
NUMBER_FORMATS = {
    "unit": "@",
    "start_date": DATE_FORMAT,
    "end_date": DATE_FORMAT,
    "participants": "0",
    "audience": "0",
    "cost": "0.00",
}


def _set_cell(sheet: Any, row: int, column: int, value: str) -> None:
    """Write text into a normal (not write-only) sheet, formula-safe like text_cell."""
    text = safe_text(value)
    cell = sheet.cell(row=row, column=column, value=text)
    if text.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True


def build_template(*, user: Any) -> bytes:
    """The import template: the data sheet with drop-down lists, the instructions, the units."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET_TITLE
    sheet.freeze_panes = "A2"
    last = TEMPLATE_ROWS + 1
    for i, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(i)
        cell = sheet.cell(row=1, column=i, value=column.header)
        cell.font = HEADER_FONT
        cell.fill = REQUIRED_FILL if column.required else HEADER_FILL
        sheet.column_dimensions[letter].width = column.width
        if column.key in NUMBER_FORMATS:
            # A column's own format is what Excel and WPS give the cells typed into it later;
            # text for the codes keeps a 12-digit code from turning into 3.31082E+11.
            sheet.column_dimensions[letter].number_format = NUMBER_FORMATS[column.key]

    _help_sheet(book)
    _units_sheet(book, user)

    # The lists live on a hidden sheet: a list typed into the validation itself is limited to
    # 255 characters, which admins' own activity types would soon exceed.
    options = book.create_sheet(OPTIONS_TITLE)
    options.sheet_state = "hidden"
    types = [t.name for t in ActivityType.objects.filter(active=True)]
    funding = funding_labels()
    _set_cell(options, 1, 1, "活动类型")
    _set_cell(options, 1, 2, "经费来源")
    for row, name in enumerate(types, start=2):
        _set_cell(options, row, 1, name)
    for row, label in enumerate(funding, start=2):
        _set_cell(options, row, 2, label)
    book.defined_names["活动类型"] = DefinedName(
        "活动类型", attr_text=f"'{OPTIONS_TITLE}'!$A$2:$A${max(len(types), 1) + 1}"
    )
    book.defined_names["经费来源"] = DefinedName(
        "经费来源", attr_text=f"'{OPTIONS_TITLE}'!$B$2:$B${len(funding) + 1}"
    )

    def letter_of(key: str) -> str:
        return get_column_letter([c.key for c in COLUMNS].index(key) + 1)

    def validate(key: str, dv: DataValidation, message: str) -> None:
        dv.error = message
        dv.errorTitle = BY_KEY[key].header
        dv.showErrorMessage = True
        dv.allow_blank = True
        sheet.add_data_validation(dv)
        dv.add(f"{letter_of(key)}2:{letter_of(key)}{last}")

    validate(
        "type",
        DataValidation(type="list", formula1="活动类型"),
        _("请从下拉列表中选择活动类型。"),
    )
    validate(
        "funding",
        DataValidation(type="list", formula1="经费来源"),
        _("请从下拉列表中选择经费来源。"),
    )
    earliest = str(int(to_excel(date(1949, 10, 1))))
    for key in ("start_date", "end_date"):
        validate(
            key,
            DataValidation(type="date", operator="greaterThanOrEqual", formula1=earliest),
            _("请填写日期，如 2025-03-05。"),
        )
    for key in ("participants", "audience"):
        validate(
            key,
            DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0"),
            _("请填写不小于 0 的整数。"),
        )
    validate(
        "cost",
        DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0"),
        _("请填写不小于 0 的金额。"),
    )

    book.active = 0
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _help_sheet(book: Workbook) -> None:
    sheet = book.create_sheet(HELP_TITLE)
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 8
    sheet.column_dimensions["C"].width = 70
    wrap = Alignment(wrap_text=True, vertical="top")
    lines = [
        _("活动批量导入：填写说明"),
        "",
        _("1. 在“活动”表中每行填写一项活动，从第 2 行开始；第 1 行的列名不要修改。"),
        _("2. 导入是“全部或全不”：只要有一处问题就一条也不导入，页面会列出每个问题的行号和列名。"),
        _(
            "3. 同一单位同一天同类型、同名称的活动视为重复，"
            "文件内重复或与系统中已有活动重复都不能导入。"
        ),
        _("4. 只能为本单位及下级单位导入；“单位”表列出了您可以填写的单位代码。"),
        _("5. 上传后先预览，确认无误后再导入。一次最多 %(n)d 行，文件不超过 %(mb)d MB。")
        % {"n": MAX_ROWS, "mb": max_bytes() // 1024 // 1024},
        _("6. 没有列名的列不会导入。"),
        "",
    ]
    for row, text in enumerate(lines, start=1):
        _set_cell(sheet, row, 1, str(text))
    sheet.cell(row=1, column=1).font = Font(bold=True, size=14)
    top = len(lines) + 1
    for col, title in enumerate((_("列名"), _("必填"), _("说明")), start=1):
        _set_cell(sheet, top, col, str(title))
        sheet.cell(row=top, column=col).font = HEADER_FONT
        sheet.cell(row=top, column=col).fill = HEADER_FILL
    for row, column in enumerate(COLUMNS, start=top + 1):
        _set_cell(sheet, row, 1, column.header)
        _set_cell(sheet, row, 2, str(_("是") if column.required else ""))
        _set_cell(sheet, row, 3, str(column.note))
        sheet.cell(row=row, column=3).alignment = wrap


def _units_sheet(book: Workbook, user: Any) -> None:
    sheet = book.create_sheet(UNITS_TITLE)
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 24
    for col, title in enumerate(("单位代码", "单位名称"), start=1):
        _set_cell(sheet, 1, col, title)
        sheet.cell(row=1, column=col).font = HEADER_FONT
    if not (user.is_superuser or user.role in WRITE_ROLES):
        return
    units = list(units_for(user).order_by("code")[: TEMPLATE_UNITS_MAX + 1])
    for row, unit in enumerate(units[:TEMPLATE_UNITS_MAX], start=2):
        _set_cell(sheet, row, 1, unit.code)
        depth = tree.level_of(unit.code) - (
            tree.level_of(user.scope) if user.scope.isdigit() else 0
        )
        _set_cell(sheet, row, 2, "　" * max(depth, 0) + unit.name)
    if len(units) > TEMPLATE_UNITS_MAX:
        _set_cell(
            sheet,
            TEMPLATE_UNITS_MAX + 2,
            1,
            str(
                _("单位过多，只列出前 %(n)d 个；其余请在“找单位”中查询。")
                % {"n": TEMPLATE_UNITS_MAX}
            ),
        )


def export_row(sheet: Any, activity: Activity, funding: dict[str, str]) -> list[Any]:
    return [
        text_cell(sheet, activity.unit_id),
        text_cell(sheet, activity.unit.name),
        text_cell(sheet, activity.type.name),
        text_cell(sheet, activity.title),
        activity.start_date,
        activity.end_date,
        text_cell(sheet, activity.place),
        text_cell(sheet, activity.organisers),
        text_cell(sheet, activity.co_organisers),
        activity.participants,
        activity.audience,
        activity.cost,
        funding.get(activity.funding, ""),
        text_cell(sheet, activity.description),
    ]


def write_export(activities: Iterable[Activity], target: str | IO[bytes]) -> int:
    """Write activities in the template's columns (so an export can be edited and imported).

    write_only keeps one row in memory at a time, whatever the number of activities; `target`
    is a path or a file opened for binary writing. Returns the number of rows written.
    """
    book = Workbook(write_only=True)
    sheet = book.create_sheet(SHEET_TITLE)
    sheet.freeze_panes = "A2"
    for i, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = column.width
    header = []
    for column in COLUMNS:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        header.append(cell)
    sheet.append(header)
    with translation.override("zh-hans"):
        funding = {value: str(label) for value, label in Funding.choices}
    count = 0
    for activity in activities:
        sheet.append(export_row(sheet, activity, funding))
        count += 1
    book.save(target)
    return count
