"""Excel in and out for every record type: the checks, the cell parsers and the sheet writers.

Every app's import follows the same rules, so they live here once:

- **The upload** is judged by its content (`check_xlsx`): a real .xlsx of a sane size.
- **Reading is all or nothing.** `read_table` reads the data sheet into one dict per row with the
  app's `Column` parsers, and names every problem with its row and column
  (第 N 行 第 X 列（列名）). The app then resolves references (the units, in the user's scope),
  applies its services' rules, and saves nothing unless no `Problem` is left.
- **Writing is formula-safe.** Text goes into cells through `text_cell` (write-only sheets) or
  `set_cell` (normal sheets), so "=1+1" typed by a user is shown, never evaluated.
- **The template** (`build_template`) has the data sheet with drop-down lists and checks, an
  instructions sheet, and (given them) the units the user may write for; `write_export` writes
  a list in the template's columns, so an export can be edited and imported again.

A minimal import (each app's excel.py has a full one)::

    COLUMNS = (
        Column("unit", "单位代码", 16, True, _lazy("…"), parse=parse_unit_code),
        Column("day", "日期", 12, True, _lazy("…"), parse=parse_required_date, fmt=DATE_FORMAT),
    )
    table = read_table(upload, sheet_title="开放登记", columns=COLUMNS, empty_message=_("…"))
    units = units_by_code(user, {values["unit"] for _n, values in table.rows})
    ...  # build the app's data, table.problems.append(Problem(...)) for what is wrong

The column names are the file format, so they stay Chinese whatever the page language.
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
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel, to_excel
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from xuanwen.core.files import CONTENT_TYPES_MAX, max_bytes

from . import clock, progress, sheetscan

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HELP_TITLE = "填写说明"
UNITS_TITLE = "单位"
OPTIONS_TITLE = "选项"

# Data rows an import may hold: a county's records for several years fit easily; a province's
# should be imported county by county.
MAX_ROWS = 200_000
# Rows a data sheet may span, blank ones among the data included. openpyxl pads every row up to
# the sheet's declared dimension, so a tiny file declaring A1:XFD1048576 would make it produce a
# million rows of 16,384 cells: the declared size is checked before any row is read.
SHEET_ROWS_MAX = 2 * MAX_ROWS + 1
# Columns a data sheet may span: Excel 2003's limit (IV), far beyond any import template.
SHEET_COLUMNS_MAX = 256
# A run of this many blank rows ends the reading: the rest is formatting or a hostile file, and
# reading on would take minutes for nothing.
BLANK_RUN_MAX = 1000
# Problems a sheet's reading collects before it stops: a file wrong on every row (the wrong
# template, a shifted column) is named by its first problems without reading the rest, which
# for 200,000 rows took 17 s and 300 MB to list 400,000 of them.
PROBLEMS_MAX = 1_000
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
INT_MAX = 2_147_483_647  # PositiveIntegerField on every database

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
DATE_FORMAT = "yyyy-mm-dd"
TEXT_FORMAT = "@"


# --- Problems ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an upload: a cell, a whole row (column 0) or the file (row 0)."""

    row: int
    column: int
    header: str
    message: str
    # The sheet, when it is not the data sheet (a data export's extra sheets: 奖项, 功能室 …).
    sheet: str = ""

    def __str__(self) -> str:
        where = _("表“%(sheet)s”") % {"sheet": self.sheet} if self.sheet else ""
        if not self.row:
            return where + self.message
        if not self.column:
            text = _("第 %(row)d 行：%(message)s") % {"row": self.row, "message": self.message}
            return where + text
        return where + _("第 %(row)d 行 第 %(col)s 列（%(header)s）：%(message)s") % {
            "row": self.row,
            "col": get_column_letter(self.column),
            "header": self.header,
            "message": self.message,
        }


class CellError(ValueError):
    """A cell that cannot be read as what its column holds; the message is for the user."""


class Unreadable(Exception):
    """openpyxl failed while reading rows (as opposed to a mistake of ours in using them)."""


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


def unreadable_problem() -> Problem:
    return Problem(0, 0, "", _("无法读取该文件。请用 Excel 或 WPS 打开，另存为 .xlsx 后重新上传。"))


# --- The upload ----------------------------------------------------------------------------


def is_zip(upload: IO[bytes]) -> bool:
    """Whether an upload starts as a zip does (an .xlsx, a data package), judged by content."""
    upload.seek(0)
    head = upload.read(4)
    upload.seek(0)
    return head == b"PK\x03\x04"


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
    if not is_zip(upload):
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
    sheetscan.check_undeclared(upload, rows_max=SHEET_ROWS_MAX)


# --- Reading cells -------------------------------------------------------------------------


def parse_text(value: object) -> str:
    """Any cell as text: 3.0 → "3", a date → "2025-03-05", None → ""."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def parse_required_text(value: object) -> str:
    text = parse_text(value)
    if not text:
        raise CellError(_("不能为空。"))
    return text


def parse_unit_code(value: object) -> str:
    """A unit code of 6, 9 or 12 digits, in our natural-length form."""
    # Excel turns a typed code into a number unless the cell is text; both are fine.
    code = parse_text(value).replace(" ", "")
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


def parse_date(value: object, *, required: bool) -> date | None:
    """A date from a date cell, a serial number or text such as 2025-03-05 / 2025年3月5日."""
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
        value = parse_text(value)  # 20250305
    text = str(value).strip()
    match = _DATE_TEXT.match(text) or re.match(r"^(\d{4})(\d{2})(\d{2})$", text)
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            pass
    raise CellError(_("“%(value)s”不是有效日期，请按 2025-03-05 的格式填写。") % {"value": text})


def parse_required_date(value: object) -> date:
    parsed = parse_date(value, required=True)
    assert parsed is not None
    return parsed


def parse_optional_date(value: object) -> date | None:
    return parse_date(value, required=False)


def parse_count(value: object) -> int:
    """A whole number (blank is 0). Negative numbers pass: the services' rules name them."""
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
    if value > INT_MAX:
        raise CellError(_("数值过大。"))
    return value


def parse_optional_count(value: object) -> int | None:
    """A whole number, or None for a blank cell (a count not known, not zero)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return parse_count(value)


def parse_decimal(value: object) -> Decimal | None:
    """A number such as 3.5 or "3.5小时" (blank is None); range checks are the services'."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError(_("应为数字。"))
    if isinstance(value, int | float):
        amount = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        # A computed cell (=A2*0.1) can come out as 0.30000000000000004: cents were meant.
        cents = amount.quantize(Decimal("0.01"))
        return cents if abs(amount - cents) < Decimal("0.000001") else amount
    text = re.sub(r"[,，\s元¥￥]|小时$|平方米$|㎡$|m²$", "", str(value))
    if not text:
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        amount = Decimal("NaN")
    if not amount.is_finite():
        raise CellError(_("“%(value)s”不是数字。") % {"value": str(value).strip()})
    return amount


def parse_money(value: object) -> Decimal | None:
    """An amount of money (blank is None); too many digits and negatives are the services'."""
    try:
        return parse_decimal(value)
    except CellError as exc:
        raise CellError(_("“%(value)s”不是金额（数字）。") % {"value": str(value).strip()}) from exc


def choice_parser(
    choices: dict[str, Any], *, what: str, required: bool = False
) -> Callable[[object], Any]:
    """A parser for a drop-down column: the cell's text must be one of `choices`' keys (labels,
    and values too if the app adds them); it returns the mapped value, or "" for a blank."""

    def parse(value: object) -> Any:
        text = parse_text(value)
        if not text:
            if required:
                raise CellError(_("不能为空。"))
            return ""
        if text not in choices:
            labels = "、".join(dict.fromkeys(k for k in choices if not k.isascii()) or choices)
            raise CellError(_("%(what)s只能是：%(choices)s。") % {"what": what, "choices": labels})
        return choices[text]

    return parse


# --- Reading a table -----------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A column of an import template and export: its header is part of the file format."""

    key: str  # the field the column fills
    header: str
    width: int
    required: bool
    note: Any  # lazy text for the instructions sheet
    parse: Callable[[object], Any] = parse_text
    fmt: str = ""  # the column's number format (TEXT_FORMAT for codes, DATE_FORMAT …)
    # A drop-down list: the name of an option list given to build_template.
    options: str = ""


def header_key(value: object) -> str:
    """A header as typed, reduced to compare: no spaces, half-width brackets, no (可选) or *."""
    text = re.sub(r"\s+", "", str(value or "")).replace("（", "(").replace("）", ")")
    return text.replace("(可选)", "").strip("*")


def guarded(rows: Iterable[Sequence[object]]) -> Iterator[Sequence[object]]:
    """The rows, with openpyxl's failures part-way turned into Unreadable."""
    iterator = iter(rows)
    while True:
        try:
            row = next(iterator)
        except StopIteration:
            return
        except UNREADABLE as exc:
            raise Unreadable from exc
        yield row


def is_blank(row: Sequence[object]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in row)


@dataclass
class Table:
    """The rows of a data sheet that read cleanly, as (row number, values), and every problem."""

    columns: Sequence[Column]
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Column positions (1-based) by key, to place later problems on their cells.
    positions: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    def cell_problem(self, row: int, key: str, message: str) -> Problem:
        """A problem on the cell of `key` in `row` (on the whole row if the column is absent)."""
        column = self.positions.get(key, 0)
        header = next((c.header for c in self.columns if c.key == key), "") if column else ""
        return Problem(row, column, header, message)

    def add(self, row: int, key: str, message: str) -> None:
        self.problems.append(self.cell_problem(row, key, message))

    def sort(self) -> None:
        self.problems.sort(key=lambda p: (p.sheet, p.row, p.column))


def read_table(
    source: str | IO[bytes], *, sheet_title: str, columns: Sequence[Column], empty_message: str
) -> Table:
    """Read the sheet `sheet_title` (or the first one) with `columns`' parsers.

    Row 1 holds the headers (any order; unknown ones are named, unnamed ones ignored); blank
    rows are skipped. A file openpyxl cannot read is one problem, whatever was read before; so
    is a sheet declaring more rows or columns than an import may have (checked before reading),
    and a run of BLANK_RUN_MAX blank rows.
    """
    table = Table(columns=columns)
    try:
        book = load_workbook(source, read_only=True, data_only=True, keep_links=False)
    except UNREADABLE:
        table.problems.append(unreadable_problem())
        return table
    formulas = None
    try:
        sheet = data_sheet(book, sheet_title)
        oversized = oversized_problem(sheet)
        if oversized is not None:
            table.problems.append(oversized)
            return table
        rows = guarded(sheet.iter_rows(values_only=True))
        if has_formulas(source):
            # The cached results are read (data_only); a formula Excel never calculated has
            # none and would read as blank, so a second pass over the formulas finds those.
            try:
                formulas = load_workbook(source, read_only=True, keep_links=False)
            except UNREADABLE as exc:
                raise Unreadable from exc
            formula_rows = data_sheet(formulas, sheet_title).iter_rows(values_only=True)
            rows = with_results(rows, guarded(formula_rows))
        _read_rows(rows, table)
    except Unreadable:
        # A damaged sheet fails part-way: what was read of it proves nothing.
        return Table(columns=columns, problems=[unreadable_problem()])
    finally:
        book.close()
        if formulas is not None:
            formulas.close()
    if table.ok and not table.rows:
        table.problems.append(Problem(0, 0, "", empty_message))
    table.sort()
    return table


def data_sheet(book: Any, sheet_title: str) -> Any:
    """The sheet `sheet_title` of a workbook, or its first one."""
    return book[sheet_title] if sheet_title in book.sheetnames else book.worksheets[0]


def oversized_problem(sheet: Any) -> Problem | None:
    """The problem of a sheet whose declared dimension (its <dimension ref>, read without the
    rows) is beyond what an import may hold; None when it is within, or not declared."""
    rows, columns = sheet.max_row or 0, sheet.max_column or 0
    if rows > SHEET_ROWS_MAX:
        message = _(
            "工作表的范围声明为 %(rows)d 行，超过导入的上限 %(max)d 行。"
            "请删除数据下方多余的行，另存后重新上传，或分批导入。"
        )
        return Problem(0, 0, "", message % {"rows": rows, "max": MAX_ROWS})
    if columns > SHEET_COLUMNS_MAX:
        message = _(
            "工作表的范围声明为 %(columns)d 列，超过 %(max)d 列。"
            "请删除数据右侧多余的列，另存后重新上传。"
        )
        return Problem(0, 0, "", message % {"columns": columns, "max": SHEET_COLUMNS_MAX})
    return None


# A formula element, <f …> or <x:f …>, in a sheet's XML.
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")


def has_formulas(source: str | IO[bytes]) -> bool:
    """Whether any worksheet of the .xlsx holds a formula: a scan of the raw XML, far faster
    than openpyxl's parse, so files without formulas (most) are parsed once."""
    try:
        with zipfile.ZipFile(source) as archive:
            for info in archive.infolist():
                if not info.filename.startswith("xl/worksheets/"):
                    continue
                with archive.open(info) as part:
                    tail = b""
                    while chunk := part.read(1 << 20):
                        if _FORMULA_TAG.search(tail + chunk):
                            return True
                        tail = chunk[-16:]
    except UNREADABLE as exc:
        raise Unreadable from exc
    return False


class NoResult:
    """A formula cell without a cached result (the file was never calculated by Excel)."""


NO_RESULT = NoResult()


def with_results(
    values: Iterable[Sequence[object]], formulas: Iterable[Sequence[object]]
) -> Iterator[Sequence[object]]:
    """The rows of cached values, with NO_RESULT where the same sheet read for its formulas
    has one ("=1+1") and the cached value is missing. A text cell "=1+1" reads the same both
    ways, so it stays text."""
    for row, formula_row in zip(values, formulas, strict=False):
        if any(v is None for v in row) and any(isinstance(f, str) for f in formula_row):
            row = tuple(
                NO_RESULT if value is None and isinstance(f, str) and f.startswith("=") else value
                for value, f in zip(row, formula_row, strict=False)
            )
        yield row


def _read_header(header: Sequence[object], table: Table) -> dict[str, int]:
    by_header = {header_key(c.header): c for c in table.columns}
    index: dict[str, int] = {}
    for i, value in enumerate(header):
        name = header_key(value)
        if not name:
            continue  # an unnamed column is not read (the instructions say so)
        column = by_header.get(name)
        if column is None:
            names = "、".join(c.header for c in table.columns)
            table.problems.append(
                Problem(
                    1,
                    i + 1,
                    parse_text(value),
                    _("无法识别的列名。请使用导入模板的列名：%(names)s。") % {"names": names},
                )
            )
        elif column.key in index:
            table.problems.append(
                Problem(
                    1,
                    i + 1,
                    column.header,
                    _("与第 %(col)s 列重复。") % {"col": get_column_letter(index[column.key] + 1)},
                )
            )
        else:
            index[column.key] = i
    for column in table.columns:
        if column.required and column.key not in index:
            table.problems.append(
                Problem(1, 0, "", _("缺少“%(header)s”列。") % {"header": column.header})
            )
    return index


def _read_rows(rows: Iterable[Sequence[object]], table: Table) -> None:
    iterator = iter(rows)
    header = next(iterator, None)
    if header is None or is_blank(header):
        table.problems.append(Problem(0, 0, "", _("第 1 行应为列名（请使用导入模板）。")))
        return
    index = _read_header(header, table)
    if not table.ok:
        return  # with the columns wrong every row would be wrong too
    table.positions = {key: i + 1 for key, i in index.items()}
    by_key = {c.key: c for c in table.columns}
    parsers = [(key, i, by_key[key].parse, by_key[key].header) for key, i in index.items()]
    count = blank_run = 0
    for number, row in enumerate(iterator, start=2):
        if (number - 1) % progress.EVERY == 0:
            progress.step(number - 1)  # rows read, blank ones too, as the declared size counts
        if is_blank(row):
            # Blank lines between or after the rows are not records; a long run of them is
            # formatting dragged down the sheet, or a file made to keep the server reading.
            blank_run += 1
            if blank_run >= BLANK_RUN_MAX:
                message = _(
                    "从第 %(row)d 行起连续 %(n)d 行是空行，没有继续读取。"
                    "请删除多余的空行，另存后重新上传。"
                )
                start = number - blank_run + 1
                table.problems.append(Problem(0, 0, "", message % {"row": start, "n": blank_run}))
                return
            continue
        blank_run = 0
        count += 1
        if count > MAX_ROWS:
            table.problems.append(
                Problem(0, 0, "", _("行数超过 %(n)d，请分批导入。") % {"n": MAX_ROWS})
            )
            return
        values: dict[str, Any] = {}
        clean = True
        for key, i, parse, header_text in parsers:
            try:
                value = row[i] if i < len(row) else None
                if value is NO_RESULT:
                    raise CellError(_("公式没有计算结果，请在 Excel 中保存后再上传。"))
                values[key] = parse(value)
            except CellError as exc:
                table.problems.append(Problem(number, i + 1, header_text, str(exc)))
                clean = False
        if len(table.problems) >= PROBLEMS_MAX:
            message = _("问题已超过 %(n)d 处，没有继续读取。请先改正这些问题，再重新上传。")
            table.problems.append(Problem(0, 0, "", message % {"n": PROBLEMS_MAX}))
            return
        if clean:
            table.rows.append((number, values))


def unknown_unit_message(code: str) -> str:
    return _("单位代码“%(code)s”不存在或不在您的管辖范围内。") % {"code": code}


# --- Writing cells -------------------------------------------------------------------------


def safe_text(value: str) -> str:
    """Text as it can go into a cell: without the control characters XML forbids."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def text_cell(sheet: Any, value: str) -> Any:
    """A cell of a write-only sheet showing `value` as text, never as a formula (injection).

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


def set_cell(sheet: Any, row: int, column: int, value: str) -> None:
    """Write text into a normal (not write-only) sheet, formula-safe like text_cell."""
    text = safe_text(value)
    cell = sheet.cell(row=row, column=column, value=text)
    if text.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True


def export_value(sheet: Any, value: Any) -> Any:
    """A value for a write-only export row: text made formula-safe, numbers and dates as is."""
    if value is None:
        return None
    if isinstance(value, str):
        return text_cell(sheet, value)
    if isinstance(value, int | float | Decimal | date):
        return value
    return text_cell(sheet, str(value))


# --- Writing workbooks ---------------------------------------------------------------------


@dataclass
class Check:
    """A data validation of a template column: a drop-down list or a range of numbers/dates."""

    key: str
    validation: DataValidation
    message: str


def earliest_date_serial() -> str:
    return str(int(to_excel(date(1949, 10, 1))))


def date_check(key: str) -> Check:
    return Check(
        key,
        DataValidation(type="date", operator="greaterThanOrEqual", formula1=earliest_date_serial()),
        _("请填写日期，如 2025-03-05。"),
    )


def whole_check(key: str) -> Check:
    return Check(
        key,
        DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0"),
        _("请填写不小于 0 的整数。"),
    )


def decimal_check(key: str) -> Check:
    return Check(
        key,
        DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0"),
        _("请填写不小于 0 的数字。"),
    )


def build_template(
    *,
    sheet_title: str,
    columns: Sequence[Column],
    options: dict[str, list[str]],
    help_title: str,
    help_lines: Sequence[str],
    checks: Sequence[Check] = (),
    units: Sequence[tuple[str, str]] | None = None,
) -> bytes:
    """An import template: the data sheet with drop-down lists, the instructions, and the
    units the user may write for as (code, indented name) pairs (None: no units sheet).

    `options` are the drop-down lists by name (a column names its list in `options`); they live
    on a hidden sheet, since a list typed into the validation itself is limited to 255
    characters, which admins' own types would soon exceed.
    """
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = sheet_title
    sheet.freeze_panes = "A2"
    last = TEMPLATE_ROWS + 1
    letters: dict[str, str] = {}
    for i, column in enumerate(columns, start=1):
        letter = get_column_letter(i)
        letters[column.key] = letter
        cell = sheet.cell(row=1, column=i, value=column.header)
        cell.font = HEADER_FONT
        cell.fill = REQUIRED_FILL if column.required else HEADER_FILL
        sheet.column_dimensions[letter].width = column.width
        if column.fmt:
            # A column's own format is what Excel and WPS give the cells typed into it later;
            # text for the codes keeps a 12-digit code from turning into 3.31082E+11.
            sheet.column_dimensions[letter].number_format = column.fmt

    help_sheet(book, title=help_title, lines=help_lines, columns=columns)
    if units is not None:
        units_sheet(book, units)

    all_checks = list(checks)
    if options:
        hidden = book.create_sheet(OPTIONS_TITLE)
        hidden.sheet_state = "hidden"
        for col, (name, values) in enumerate(options.items(), start=1):
            letter = get_column_letter(col)
            set_cell(hidden, 1, col, name)
            for row, value in enumerate(values, start=2):
                set_cell(hidden, row, col, value)
            book.defined_names[name] = DefinedName(
                name, attr_text=f"'{OPTIONS_TITLE}'!${letter}$2:${letter}${max(len(values), 1) + 1}"
            )
        for column in columns:
            if column.options:
                all_checks.append(
                    Check(
                        column.key,
                        DataValidation(type="list", formula1=column.options),
                        _("请从下拉列表中选择%(header)s。") % {"header": column.header},
                    )
                )
    headers = {c.key: c.header for c in columns}
    for check in all_checks:
        dv = check.validation
        dv.error = check.message
        dv.errorTitle = headers[check.key]
        dv.showErrorMessage = True
        dv.allow_blank = True
        sheet.add_data_validation(dv)
        dv.add(f"{letters[check.key]}2:{letters[check.key]}{last}")

    book.active = 0
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def help_sheet(
    book: Workbook, *, title: str, lines: Sequence[str], columns: Sequence[Column]
) -> None:
    """The instructions sheet: the app's lines, then every column with its note."""
    sheet = book.create_sheet(HELP_TITLE)
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 8
    sheet.column_dimensions["C"].width = 70
    wrap = Alignment(wrap_text=True, vertical="top")
    for row, text in enumerate([title, "", *lines, ""], start=1):
        set_cell(sheet, row, 1, str(text))
    sheet.cell(row=1, column=1).font = Font(bold=True, size=14)
    top = len(lines) + 4
    for col, heading in enumerate((_("列名"), _("必填"), _("说明")), start=1):
        set_cell(sheet, top, col, str(heading))
        sheet.cell(row=top, column=col).font = HEADER_FONT
        sheet.cell(row=top, column=col).fill = HEADER_FILL
    for row, column in enumerate(columns, start=top + 1):
        set_cell(sheet, row, 1, column.header)
        set_cell(sheet, row, 2, str(_("是") if column.required else ""))
        set_cell(sheet, row, 3, str(column.note))
        sheet.cell(row=row, column=3).alignment = wrap


def units_sheet(book: Workbook, units: Sequence[tuple[str, str]]) -> None:
    """The units the user may write for, as (code, indented name) pairs; past
    TEMPLATE_UNITS_MAX, the first ones and a note."""
    sheet = book.create_sheet(UNITS_TITLE)
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 24
    for col, heading in enumerate(("单位代码", "单位名称"), start=1):
        set_cell(sheet, 1, col, heading)
        sheet.cell(row=1, column=col).font = HEADER_FONT
    for row, (code, label) in enumerate(units[:TEMPLATE_UNITS_MAX], start=2):
        set_cell(sheet, row, 1, code)
        set_cell(sheet, row, 2, label)
    if len(units) > TEMPLATE_UNITS_MAX:
        set_cell(
            sheet,
            TEMPLATE_UNITS_MAX + 2,
            1,
            str(
                _("单位过多，只列出前 %(n)d 个；其余请在“找单位”中查询。")
                % {"n": TEMPLATE_UNITS_MAX}
            ),
        )


def write_export(
    rows: Iterable[Sequence[Any]],
    target: str | IO[bytes],
    *,
    sheet_title: str,
    columns: Sequence[Column],
) -> int:
    """Write rows (values in `columns`' order) under the columns' headers, formula-safe.

    write_only keeps one row in memory at a time, whatever the number of records; `target` is a
    path or a file opened for binary writing. Returns the number of rows written.
    """
    book = Workbook(write_only=True)
    sheet = export_sheet(book, sheet_title, columns)
    count = 0
    for row in rows:
        if count >= EXPORT_MAX:
            break
        sheet.append([export_value(sheet, v) for v in row])
        count += 1
    book.save(target)
    return count


def export_sheet(book: Workbook, sheet_title: str, columns: Sequence[Column]) -> Any:
    """A write-only sheet of `book` with `columns`' widths and bold headers in row 1."""
    sheet = book.create_sheet(sheet_title)
    sheet.freeze_panes = "A2"
    for i, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = column.width
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        header.append(cell)
    sheet.append(header)
    return sheet


def sheet_names(source: str | IO[bytes]) -> list[str]:
    """The names of an .xlsx's sheets (read without their rows); none if it cannot be read."""
    try:
        book = load_workbook(source, read_only=True, keep_links=False)
    except UNREADABLE:
        return []
    try:
        return list(book.sheetnames)
    finally:
        book.close()


def export_name(stem: str) -> str:
    """A download name such as 开放登记-20261127.xlsx (today in the site's time zone)."""
    return f"{stem}-{clock.today():%Y%m%d}.xlsx"
