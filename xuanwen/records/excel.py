"""What the Excel side of every dated register repeats, written once: the import sheet of coded
kinds (its common columns, reading it, its template), the import page, and a report sheet.

A register (facilities, households, designations) declares its sheet once as a RegisterSheet:
its columns (the common ones from unit_column, kind_column, date_column …), its kind catalogue,
the service's dataclass a row becomes, the services' batch rules and its texts; the sheet then
reads uploads, builds the template and writes the data export in the same columns. Its own
excel.py keeps only what is its own (its columns, its report's rows, written with Report); its
views_excel.py declares the import page with register_import. The cell parsers, formula-safe
writing and the workbook writers stay core.sheets'; the two-step import page stays
core.imports.ImportFlow's.

    SHEET = RegisterSheet(
        title="文化户", columns=COLUMNS, kinds=HouseholdKind, data=HouseholdData,
        rules=households_import_problems, ...texts, options=..., checks=lambda: [...],
    )
    FLOW = register_import(excel.SHEET, key="households", ...)
"""

import dataclasses
import io
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import IO, Any, Generic, Protocol, TypeVar, cast

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _lazy
from openpyxl import Workbook, load_workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from xuanwen.accounts.models import User
from xuanwen.core import packages, sheets
from xuanwen.core.imports import ImportFlow, ImportResult, RowProblems, export_view
from xuanwen.core.reports import title_text
from xuanwen.core.scope import Scope
from xuanwen.units.models import Unit
from xuanwen.units.selectors import template_units, units_by_code

from .models import OwnedCatalogue
from .package import Files, owned_rows, package_view

__all__ = ["Files"]
from .vocab import offered_kinds

RowT = TypeVar("RowT")
T = TypeVar("T")


# --- The columns every register's sheet has ---------------------------------------------------


def unit_column(note: Any) -> sheets.Column:
    """The unit's tree code, the register's first column; `note` says which units."""
    return sheets.Column(
        "unit", "单位代码", 16, True, note, parse=sheets.parse_unit_code, fmt=sheets.TEXT_FORMAT
    )


# Beside the code, to check it by eye: ImportResult.unit_of refuses a name not the code's.
UNIT_NAME_COLUMN = sheets.Column(
    "unit_name", "单位名称(可选)", 14, False, _lazy("便于核对，可不填；填写时须与单位代码相符。")
)


# What every register's instructions sheet says between its own first and last lines.
HELP_LINES = (
    _lazy("带底色的列为必填。第 1 行的列名不要修改；没有列名的列不会读取。"),
    _lazy("上传后先预览；只要有一处问题就一条也不导入，并列出每个问题的行和列。"),
)


def kind_column(header: str, width: int, note: Any) -> sheets.Column:
    """The kind, by name or code, from the drop-down list of active kinds ("kinds")."""
    return sheets.Column(
        "kind", header, width, True, note, parse=sheets.parse_required_text, options="kinds"
    )


def date_column(key: str, header: str, note: Any) -> sheets.Column:
    """A real-world date (opened, closed, designated, revoked); blank is "not known yet"."""
    return sheets.Column(
        key, header, 12, False, note, parse=sheets.parse_optional_date, fmt=sheets.DATE_FORMAT
    )


# The data export's cells of the columns every register has: the code, then names.
EXPORTS: Mapping[str, Callable[[Any], Any]] = {
    "unit": lambda x: x.unit_id,
    "unit_name": lambda x: x.unit.name,
    "kind": lambda x: x.kind.name,
}


# --- The register's sheet ---------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterSheet(Generic[RowT]):
    """A register's import sheet, declared once; `read` and `template` are the import's.

    `kinds` is the register's catalogue (a model with code, name and active): the "kind" column
    takes an active kind by name or code, and its drop-down list offers the active names.
    `data` is the service's dataclass, whose fields the columns' keys name: a row becomes
    data(unit=, kind=, and the other columns' parsed values), a column the sheet leaves out
    keeping the field's default. `rules(user=, rows=, row_numbers=)` are the services' batch
    rules. The texts are lazy: they are read in the request's language, and so are `options`
    (drop-down lists besides "kinds"); `checks` are built afresh for each template, since a
    check belongs to one workbook. The data export writes the same columns (`write_export`).
    """

    title: str  # the data sheet's name, part of the file format
    columns: Sequence[sheets.Column]
    kinds: type[OwnedCatalogue]  # with a code field besides the catalogue's name and active
    data: type[RowT]
    rules: Callable[..., RowProblems]
    empty_message: Any  # no data row at all: "表中没有…：请从第 2 行起每行填写…"
    kind_message: Any  # an unknown kind, with %(names)s the active kinds' names
    help_title: Any
    help_lines: Sequence[Any]
    options: Mapping[str, Sequence[Any]]
    checks: Callable[[], list[sheets.Check]]
    # How the data export writes a column whose cell is not the record's attribute of the
    # column's key (a choice by its name, 是/否 …); unit, unit_name and kind are EXPORTS'.
    exports: Mapping[str, Callable[[Any], Any]] = dataclasses.field(default_factory=dict)

    def active_kinds(self, scope: Scope) -> list[Any]:
        """The kinds an import in `scope` may name: those it sees, still offered."""
        return list(offered_kinds(self.kinds, scope))

    def row(self, unit: Unit, kind: Any, values: Mapping[str, Any]) -> RowT:
        """A read row as the service's data; unit_name (only checked against the code) and
        any other column that is no field of the data are left out."""
        names = {f.name for f in dataclasses.fields(cast(Any, self.data))} - {"unit", "kind"}
        fields = {k: v for k, v in values.items() if k in names}
        return cast(Any, self.data)(unit=unit, kind=kind, **fields)

    def read(
        self, source: str | IO[bytes], *, user: User, check_rules: bool = True
    ) -> ImportResult[RowT]:
        """Every row as the service's data, or every problem.

        Reading is all or nothing: the unit and kind of every row are checked, then, if
        check_rules, the services' rules on the rows that read cleanly, so that one upload
        names every problem with its row and column.
        """
        table = sheets.read_table(
            source,
            sheet_title=self.title,
            columns=self.columns,
            empty_message=str(self.empty_message),
        )
        result: ImportResult[RowT] = ImportResult(table)
        if any(p.row <= 1 for p in table.problems):
            return result  # the file or its header is wrong: the rows mean nothing yet
        units = units_by_code(user, result.unit_codes())
        active = self.active_kinds(user.scope)
        kinds = kinds_by_name(active)
        for number, values in table.rows:
            unit = result.unit_of(number, values, units)
            kind = kinds.get(values["kind"])
            if kind is None:
                names = "、".join(k.name for k in active)
                result.add(number, "kind", str(self.kind_message) % {"names": names})
            if unit is None or kind is None:
                continue
            result.keep(number, self.row(unit, kind, values))
        result.sort()
        if check_rules:
            result.add_rule_problems(
                self.rules(user=user, rows=result.rows, row_numbers=result.row_numbers)
            )
        return result

    def template(self, user: User) -> bytes:
        """The import template: the columns, the active kinds as the "kinds" list beside the
        register's own options, the units this user may write for."""
        options = {name: [str(v) for v in values] for name, values in self.options.items()}
        return sheets.build_template(
            units=template_units(user),
            sheet_title=self.title,
            columns=self.columns,
            options={"kinds": [k.name for k in self.active_kinds(user.scope)], **options},
            help_title=str(self.help_title),
            help_lines=[str(line) for line in self.help_lines],
            checks=self.checks(),
        )

    def export_row(self, record: Any) -> list[Any]:
        """A record in the template's columns, so that an export can be imported again."""
        row = []
        for column in self.columns:
            cell = self.exports.get(column.key) or EXPORTS.get(column.key)
            row.append(cell(record) if cell else getattr(record, column.key))
        return row

    def book(
        self, model: type[models.Model], *parts: "Part", files: Files | None = None
    ) -> "DataBook":
        """The register's data export with its sub-records' sheets (DataBook) and, with
        `files`, its data package's photos and files."""
        return DataBook(model, self.title, self.columns, self.export_row, parts, files=files)

    def write_export(self, records: Iterable[Any], target: str | IO[bytes]) -> int:
        """The data export: the records under the template's headers, formula-safe."""
        rows = (self.export_row(x) for x in records)
        return sheets.write_export(rows, target, sheet_title=self.title, columns=self.columns)


def kinds_by_name(kinds: Iterable[Any]) -> dict[str, Any]:
    """Kinds by name and by code (a sheet may carry either)."""
    out: dict[str, Any] = {}
    for kind in kinds:
        out[kind.name] = kind
        out[kind.code] = kind
    return out


class KindRow(Protocol):
    """What the import page's summary reads of a register's row data."""

    @property
    def unit(self) -> Unit: ...

    @property
    def kind(self) -> Any: ...


# --- The import page --------------------------------------------------------------------------


def kinds_summary(result: ImportResult[Any]) -> dict[str, Any]:
    """The import preview's summary of a register: how many units, how many rows of each kind."""
    rows: list[KindRow] = result.rows
    return {
        "units": len({r.unit.code for r in rows}),
        "by_kind": Counter(r.kind.name for r in rows).most_common(),
    }


def import_saver(
    save: Callable[..., Sequence[Any] | int], message: Any
) -> Callable[[User, ImportResult[Any], str], str]:
    """An ImportFlow's `save`: the batch service `save(user=, rows=, row_numbers=, source=)`,
    then `message` (with %(name)s, the uploaded file's name, and %(n)d, the rows saved)."""

    def saver(user: User, result: ImportResult[Any], original: str) -> str:
        saved = save(user=user, rows=result.rows, row_numbers=result.row_numbers, source=original)
        n = saved if isinstance(saved, int) else len(saved)
        return str(message) % {"name": original, "n": n}

    return saver


def register_import(
    sheet: RegisterSheet[Any],
    *,
    key: str,
    list_label: Any,
    template_filename: Any,
    title: Any,
    save: Callable[..., Sequence[Any] | int],
    saved: Any,
    require: Callable[[Any], None],
    book: "DataBook | None" = None,
) -> ImportFlow:
    """A register's import page (core.imports.ImportFlow): its sheet's template and reading,
    `save` the batch service and `saved` its success message (import_saver), the preview summed
    up by unit and kind; the page is "<key>/import.html", routed as "<key>:import…", and leads
    back to "<key>:list". With
    `book` the import reads a data export's extra sheets too (DataBook)."""
    read = book.reader(sheet.read) if book else sheet.read
    saver = book.saver(save, saved) if book else import_saver(save, saved)
    return ImportFlow.of_list(
        key,
        list_label,
        template_filename=template_filename,
        build_template=sheet.template,
        read=read,
        save=saver,
        summary=kinds_summary,
        require=require,
        title=title,
        packages=bool(book and book.files),
    )


# --- A report sheet ---------------------------------------------------------------------------

BOLD = Font(bold=True)
TITLE_FONT = Font(bold=True, size=14)


class Report:
    """A report to print or send up, not a data file: a title row (the unit, the period and
    制表时间), a line under it, the bold header, then a row per record with names rather than
    codes, then the totals. Every value is written formula-safe; write_only keeps one row in
    memory at a time.

        report = Report(sheet_title="文化户", title="文化户名录", subtitle=..., columns=...)
        for x in report.records(households, room=4):
            report.row(...)
        report.row([report.bold(_("合计")), ...])
        report.save(target)
    """

    def __init__(
        self,
        *,
        sheet_title: str,
        title: str,
        subtitle: str,
        columns: Sequence[tuple[Any, int]],
        unit: Any = "",
        period: Any = "",
    ) -> None:
        self.book = Workbook(write_only=True)
        self.sheet = self.book.create_sheet(sheet_title)
        for i, (_header, width) in enumerate(columns, start=1):
            self.sheet.column_dimensions[get_column_letter(i)].width = width
        self.count = 0  # the records written so far
        # Row 1 names the unit, the period and 制表时间 (core.reports.title_text).
        self.row([self.bold(title_text(title, unit=unit, period=period), TITLE_FONT)])
        self.row([subtitle])
        self.row([self.bold(str(header)) for header, _width in columns])

    def bold(self, value: Any, font: Font = BOLD) -> Cell:
        """A bold cell for row(): the title, a header, a total."""
        value = sheets.export_value(self.sheet, value)
        # export_value gives a cell already for text that would read as a formula.
        cell = value if isinstance(value, Cell) else WriteOnlyCell(self.sheet, value=value)
        cell.font = font
        return cell

    def row(self, values: Iterable[Any]) -> None:
        """A row of plain values (made formula-safe) and cells from bold()."""
        plain = sheets.export_value
        self.sheet.append([v if isinstance(v, Cell) else plain(self.sheet, v) for v in values])

    def records(self, records: Iterable[T], *, room: int) -> Iterator[T]:
        """The records, counted, as many as Excel's row limit leaves after `room` rows kept for
        the title, the header and the totals."""
        for x in records:
            if self.count >= sheets.EXPORT_MAX - room:
                break
            self.count += 1
            yield x

    def save(self, target: str | IO[bytes]) -> int:
        """Write the book to `target`; the number of records written."""
        self.book.save(target)
        return self.count


# --- The data export: every field and every sub-record, imported back ---------------------

# An extra sheet's first column: the main sheet's row of the record a sub-record belongs to.
ROW_COLUMN = sheets.Column(
    "owner_row",
    "主表行号",
    10,
    True,
    _lazy("所属记录在主表中的行号。"),
    parse=sheets.parse_count,
    fmt="0",
)
# Beside it, to check by eye; not read.
OWNER_COLUMN = sheets.Column(
    "owner_label", "所属记录(可选)", 24, False, _lazy("便于核对，导入时不读取。")
)


def choice_column(
    key: str,
    header: str,
    width: int,
    choices: type[models.TextChoices],
    *,
    required: bool = True,
    note: Any = None,
    options: str = "",
) -> sheets.Column:
    """A column of a TextChoices field: its Chinese label (or its value) read and written;
    `note` its instructions ("从下拉列表中选择。" unless given), `options` the template's
    drop-down list of its labels (see sheets.Column)."""
    with translation.override("zh-hans"):
        labels = {str(label): value for value, label in choices.choices}
    labels.update({value: value for value in choices.values})
    parse = sheets.choice_parser(labels, what=header, required=required)
    note = note or _lazy("从下拉列表中选择。")
    return sheets.Column(key, header, width, required, note, parse=parse, options=options)


def _cell(model: type[models.Model], record: Any, key: str) -> Any:
    """A record's value of field `key` as a data export writes it: a choice by its Chinese
    label, the rest as stored."""
    value = getattr(record, key)
    try:
        field = model._meta.get_field(key)
    except FieldDoesNotExist:
        return value
    choices = getattr(field, "choices", None)
    if choices and value:
        with translation.override("zh-hans"):
            return str(dict(choices).get(value, value))
    return value


@dataclass(frozen=True)
class Part:
    """A sub-record's extra sheet (an activity's 奖项, a facility's 功能室 …): its columns,
    whose keys are the sub-record's fields and the keyword arguments of `add`, the service
    that adds one (add(user=, owner=, values=)), and the owner's related name (prefetched by
    the export, so its queries do not grow with the rows)."""

    title: str
    related: str
    columns: Sequence[sheets.Column]
    # None when the main save takes the sub-records itself (a plan's sections and items).
    add: Callable[..., Any] | None
    # A cell written otherwise than as the field's value (a link to another record, say).
    exports: Mapping[str, Callable[[Any], Any]] = dataclasses.field(default_factory=dict)
    # The sub-record's own rules at reading, (user, values) -> {column key: message}: that the
    # person or the activity a row names is found in the user's scope, say.
    check: Callable[[User, dict[str, Any]], dict[str, str]] | None = None
    # The sheet's rows of a record when they are not its `related` ones: (section, item) pairs.
    rows_of: Callable[[Any], Iterable[Any]] | None = None

    def of(self, record: Any) -> Iterable[Any]:
        return self.rows_of(record) if self.rows_of else getattr(record, self.related).all()

    def rel(self, owner: type[models.Model]) -> Any:
        return owner._meta.get_field(self.related)

    def row(self, owner: type[models.Model], part: Any) -> list[Any]:
        model = self.rel(owner).related_model
        return [
            (self.exports[c.key](part) if c.key in self.exports else _cell(model, part, c.key))
            for c in self.columns
        ]

    def problems(self, owner: type[models.Model], values: dict[str, Any]) -> dict[str, str]:
        """The sub-record's field errors (lengths, choices, links …) before anything is saved."""
        rel = self.rel(owner)
        model = rel.related_model
        # Plain fields only: a link (a village, a person) is the Part's `check`'s to find.
        fields = {f.name: f for f in model._meta.concrete_fields if not f.is_relation}
        names = set(fields)
        for key, value in values.items():
            places = getattr(fields.get(key), "decimal_places", None)
            if isinstance(value, Decimal) and places is not None:
                # A cell's 120.5 reads as 120.50 (cents): the field's own places if it fits.
                exact = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
                if exact == value:
                    values[key] = exact
        kept = {k: v for k, v in values.items() if k in names}
        exclude = [f.name for f in model._meta.get_fields() if f.name not in kept]
        try:
            model(**kept).full_clean(
                exclude=exclude, validate_unique=False, validate_constraints=False
            )
        except ValidationError as exc:
            return {k: "".join(v) for k, v in exc.message_dict.items()}
        return {}


@dataclass(frozen=True)
class DataBook:
    """A record type's data export, in its import template's shape: the main sheet (the
    template's columns, `row(record)` a record's cells) and one extra sheet per `Part`, each
    row naming its record by the main sheet's row number (主表行号). Its import reads the extra
    sheets back (`reader`) and saves them with the records, all or nothing (`saver`).

        BOOK = DataBook(model=Activity, title="活动", columns=COLUMNS, row=export_row,
                        label=str, parts=(Part("奖项", "awards", AWARD_COLUMNS, add=...),))
    """

    model: type[models.Model]
    title: str
    columns: Sequence[sheets.Column]
    row: Callable[[Any], Sequence[Any]]
    parts: Sequence[Part]
    label: Callable[[Any], str] = str
    # What the export prefetches, when more than the parts' related names (their links).
    prefetch: Sequence[str] = ()
    # The photos and files its data package carries (records.package); None: it has none.
    files: Files | None = None

    # --- writing -----------------------------------------------------------------------------

    def records(self, records: Any, *, package: bool = False) -> Any:
        """The export's queryset: the list's, its parts (and a package's files) prefetched."""
        related = [*(self.prefetch or [p.related for p in self.parts])]
        if package and self.files:
            related.append(self.files.related)
        return records.prefetch_related(*related)

    def write(
        self,
        records: Iterable[Any],
        target: str | IO[bytes],
        entries: list[packages.Entry] | None = None,
    ) -> int:
        """The records and their parts, formula-safe, one row in memory at a time; with
        `entries` (a package's), the "附件" sheet too, its files' paths added to `entries`."""
        book = Workbook(write_only=True)
        main = sheets.export_sheet(book, self.title, self.columns)
        extra = [
            (part, sheets.export_sheet(book, part.title, (ROW_COLUMN, OWNER_COLUMN, *part.columns)))
            for part in self.parts
        ]
        files = self.files if entries is not None else None
        attached = files.sheet(book) if files else None
        count = 0
        for record in records:
            if count >= sheets.EXPORT_MAX:
                break
            count += 1
            main.append([sheets.export_value(main, v) for v in self.row(record)])
            number, label = count + 1, self.label(record)
            for part, sheet in extra:
                for x in part.of(record):
                    cells = [number, label, *part.row(self.model, x)]
                    sheet.append([sheets.export_value(sheet, v) for v in cells])
            if files and entries is not None:
                files.write(attached, record, number, label, entries)
        book.save(target)
        return count

    def template(self, content: bytes) -> bytes:
        """An import template (`content`, from sheets.build_template) with the extra sheets'
        headers added, for a record type whose sub-records are entered on them (plans)."""
        book = load_workbook(io.BytesIO(content))
        for part in self.parts:
            sheet = book.create_sheet(part.title)
            for i, column in enumerate((ROW_COLUMN, OWNER_COLUMN, *part.columns), start=1):
                cell = sheet.cell(row=1, column=i, value=column.header)
                cell.font, cell.fill = sheets.HEADER_FONT, sheets.HEADER_FILL
                sheet.column_dimensions[get_column_letter(i)].width = column.width
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()

    # --- reading back ------------------------------------------------------------------------

    def reader(self, read: Callable[..., ImportResult[Any]]) -> Callable[..., ImportResult[Any]]:
        """The import's `read` with the extra sheets: a sheet left out has no sub-records (the
        plain template imports as before); every problem names its sheet, row and column."""

        def read_book(
            source: str | IO[bytes], *, user: User, check_rules: bool = True
        ) -> ImportResult[Any]:
            result = read(source, user=user, check_rules=check_rules)
            if any(p.row <= 1 and not p.sheet for p in result.problems):
                return result
            if hasattr(source, "seek"):
                source.seek(0)
            present = sheets.sheet_names(source)
            for part in self.parts:
                if part.title in present:
                    if hasattr(source, "seek"):
                        source.seek(0)
                    self._read_part(part, source, result, user)
            if self.files:
                self.files.read(source, result, user, check_content=check_rules)
            result.sort()
            return result

        return read_book

    def _read_part(
        self, part: Part, source: str | IO[bytes], result: ImportResult[Any], user: User
    ) -> None:
        columns = (ROW_COLUMN, OWNER_COLUMN, *part.columns)
        table = sheets.read_table(source, sheet_title=part.title, columns=columns, empty_message="")
        problems = [p for p in table.problems if p.message]
        rows: list[tuple[int, int, dict[str, Any]]] = []
        for owner, number, values in owned_rows(table, result, problems, self.title):
            errors = part.problems(self.model, values)
            if not errors and part.check is not None:
                errors = part.check(user, values)
            for key, message in errors.items():
                problems.append(table.cell_problem(number, key, message))
            if not errors:
                rows.append((owner, number, values))
        result.table.problems.extend(dataclasses.replace(p, sheet=part.title) for p in problems)
        result.parts[part.title] = rows

    # --- saving ------------------------------------------------------------------------------

    def saver(
        self, save: Callable[..., Sequence[Any] | int], message: Any
    ) -> Callable[[User, ImportResult[Any], str], str]:
        """An ImportFlow's `save`: the batch service `save` (returning the records or their
        ids in the rows' order), then every sub-record through its own service, in one
        transaction; `message` as import_saver's."""

        def saver(user: User, result: ImportResult[Any], original: str) -> str:
            with transaction.atomic():
                saved = save(
                    user=user, rows=result.rows, row_numbers=result.row_numbers, source=original
                )
                if isinstance(saved, int):
                    raise TypeError("a DataBook's save returns the records or their ids")
                wanted = {i for rows in result.parts.values() for i, _n, _v in rows}
                records = self._records(saved, wanted)
                for part in self.parts:
                    if part.add is None:
                        continue
                    for i, number, values in result.parts.get(part.title, ()):
                        try:
                            part.add(user=user, owner=records[i], values=values)
                        except ValidationError as exc:
                            problem = sheets.Problem(
                                number, 0, "", "；".join(exc.messages), sheet=part.title
                            )
                            raise ValidationError(str(problem)) from exc
                if self.files:
                    self.files.store(user, result, records)
            return str(message) % {"name": original, "n": len(saved)}

        return saver

    def _records(self, saved: Sequence[Any], wanted: set[int]) -> dict[int, Any]:
        """The saved records with sub-records, by index into the rows (ids read in one query)."""
        if saved and isinstance(saved[0], int):
            found = self.model._default_manager.in_bulk([saved[i] for i in wanted])
            return {i: found[saved[i]] for i in wanted}
        return {i: saved[i] for i in wanted}


def data_export_view(
    book: DataBook, *, records: Callable[[HttpRequest], Any], stem: Any, back: str
) -> Callable[[HttpRequest], HttpResponseBase]:
    """The data export ("数据导出（可导入）") of the list's records (`records(request)`, the
    list page's queryset: same filters, same scope), beside the list's report export."""
    return export_view(
        records=lambda request: book.records(records(request)),
        write=book.write,
        stem=format_lazy("{}{}", stem, _lazy("数据")),
        back=back,
    )


def data_package_view(
    book: DataBook, *, records: Callable[[HttpRequest], Any], stem: Any, back: str
) -> Callable[[HttpRequest], HttpResponseBase]:
    """The data package ("导出数据包（含照片和附件）", records.package) beside the data export:
    the same records and workbook, with their photos and files."""
    return package_view(
        records=lambda request: book.records(records(request), package=True),
        write=book.write,
        stem=format_lazy("{}{}", stem, _lazy("数据包")),
        back=back,
    )


def data_views(
    book: DataBook, *, records: Callable[[HttpRequest], Any], stem: Any, back: str
) -> tuple[Callable[[HttpRequest], HttpResponseBase], Callable[[HttpRequest], HttpResponseBase]]:
    """The data export and the data package of the same records, for a record type with
    photos and files: (data_export_view, data_package_view)."""
    export = data_export_view(book, records=records, stem=stem, back=back)
    return export, data_package_view(book, records=records, stem=stem, back=back)
