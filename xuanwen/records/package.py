"""A record type's photos and files in its data package (数据包), declared once as `Files`.

The data export (records.excel.DataBook, or a register's own writer) stays the .xlsx it is; its
package (core.packages) is the same workbook as data.xlsx with one more sheet, "附件": a row per
file naming its record by the main sheet's row (主表行号, as every sub-record sheet does), its
kind (照片/文件), its original name and its path in the package. The package's import reads the
sheet back: each path must be in the package, and each file passes the checks of an upload
(core.files.check_upload, by content, within the size limit) at the preview and again when it
is stored; a problem names the sheet, row and column like every import problem.

A register with files declares them once::

    FILES = Files(related="attachments", add=lambda *, user, owner, upload:
                  services.attachment_add(user=user, activity=owner, upload=upload))
    BOOK = DataBook(..., files=FILES)

`add` stores a checked upload on a record already saved (through the register's service, so
the right to write, the audit and the thumbnail are the upload's); a register whose records
cannot be saved without their files (a duty completion that needs evidence) leaves `add` out
and hands `uploads(result, i)` to its save instead.
"""

import dataclasses
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from openpyxl import Workbook

from xuanwen.accounts.models import User
from xuanwen.core import files, packages, sheets
from xuanwen.core.imports import ImportResult, export_view

SHEET_TITLE = "附件"
KIND_LABELS = {files.PHOTO: "照片", files.FILE: "文件"}
KIND_COLUMN = sheets.Column(
    "kind",
    "类别",
    8,
    True,
    _lazy("照片或文件。"),
    parse=sheets.choice_parser(
        {**{label: kind for kind, label in KIND_LABELS.items()}, files.PHOTO: files.PHOTO,
         files.FILE: files.FILE},
        what="类别",
    ),
)  # fmt: skip
NAME_COLUMN = sheets.Column(
    "original_name", "原文件名", 30, True, _lazy("不超过 200 字。"),
    parse=sheets.parse_required_text,
)  # fmt: skip
PATH_COLUMN = sheets.Column(
    "path", "包内路径", 30, True, _lazy("文件在数据包中的路径。"), parse=sheets.parse_required_text
)


def _columns() -> tuple[sheets.Column, ...]:
    from .excel import OWNER_COLUMN, ROW_COLUMN

    return (ROW_COLUMN, OWNER_COLUMN, KIND_COLUMN, NAME_COLUMN, PATH_COLUMN)


def owned_rows(
    table: sheets.Table, result: ImportResult[Any], problems: list[sheets.Problem], title: str = ""
) -> Iterator[tuple[int, int, dict[str, Any]]]:
    """An extra sheet's rows as (index into the main rows, row number, values), each naming
    its record by 主表行号 (`title`: the main sheet's); a row naming no record is a problem,
    unless that main row has a problem of its own (it was not kept, its parts are not read)."""
    index = {number: i for i, number in enumerate(result.row_numbers)}
    troubled = {p.row for p in result.problems if not p.sheet}
    for number, values in table.rows:
        owner = values.pop("owner_row")
        values.pop("owner_label", None)
        if owner in index:
            yield index[owner], number, values
        elif owner not in troubled:
            where = {"title": title, "row": owner}
            message = (
                _("主表“%(title)s”中没有第 %(row)d 行的记录。") % where
                if title
                else _("主表中没有第 %(row)d 行的记录。") % where
            )
            problems.append(table.cell_problem(number, "owner_row", message))


@dataclass(frozen=True)
class Files:
    """A record type's stored uploads in its data package: the owner's related name of them
    (prefetched by the package export) and how one is added to a saved record."""

    related: str
    # add(user=, owner=, upload=) stores a checked upload on a saved record; None when the
    # register's save takes the uploads itself (uploads()).
    add: Callable[..., Any] | None = None
    # Only photos (a facility's): a document in the package is refused at the preview.
    photos_only: bool = False

    # --- writing -----------------------------------------------------------------------------

    def sheet(self, book: Workbook) -> Any:
        """The "附件" sheet of a package's workbook (write-only)."""
        return sheets.export_sheet(book, SHEET_TITLE, _columns())

    def write(
        self, sheet: Any, record: Any, number: int, label: str, entries: list[packages.Entry]
    ) -> None:
        """The rows of `record`'s files (its main-sheet row `number`), each file's path
        added to `entries` for the package to copy in afterwards."""
        for index, stored in enumerate(getattr(record, self.related).all(), start=1):
            path = packages.package_path(number, index, stored.file.name)
            kind = KIND_LABELS.get(getattr(stored, "kind", files.PHOTO), "")
            cells = [number, label, kind, stored.original_name, path]
            sheet.append([sheets.export_value(sheet, v) for v in cells])
            entries.append((path, stored.file.storage, stored.file.name))

    # --- reading -----------------------------------------------------------------------------

    def read(
        self, source: Any, result: ImportResult[Any], user: User, *, check_content: bool
    ) -> None:
        """The "附件" sheet of the upload into result.parts, every problem on its cell; with
        `check_content` (the preview) each file is checked as an upload is. A plain workbook
        listing files is refused: its files are not in it."""
        archive = packages.archive_of(source)
        if hasattr(source, "seek"):
            source.seek(0)
        if SHEET_TITLE not in sheets.sheet_names(source):
            return
        source.seek(0)
        table = sheets.read_table(
            source, sheet_title=SHEET_TITLE, columns=_columns(), empty_message=""
        )
        problems = [p for p in table.problems if p.message]
        if archive is None:
            if table.rows:
                result.add_file_problem(
                    _("“附件”表列出的照片和文件不在 Excel 文件中：请上传导出的数据包（.zip）。")
                )
            return
        names = set(archive.namelist())
        rows: list[tuple[int, int, dict[str, Any]]] = []
        for owner, number, values in owned_rows(table, result, problems):
            path = values["path"]
            error = ""
            if path not in names or path == packages.DATA_NAME:
                error = _("数据包中没有文件“%(path)s”。") % {"path": path}
            elif check_content:
                error = self._check(archive, values)
            if error:
                problems.append(table.cell_problem(number, "path", error))
            else:
                rows.append((owner, number, values))
        result.table.problems.extend(dataclasses.replace(p, sheet=SHEET_TITLE) for p in problems)
        result.parts[SHEET_TITLE] = rows
        result.package = archive
        result.sort()

    def _check(self, archive: Any, values: dict[str, Any]) -> str:
        """What is wrong with a file of the package (by content, as an upload), or ""."""
        try:
            with self._checking(archive, values) as checked:
                pass
        except ValidationError as exc:
            return "；".join(exc.messages)
        if self.photos_only and checked.kind != files.PHOTO:
            return _("“%(name)s”不是照片：只能是照片（JPEG、PNG、WebP）。") % {
                "name": checked.original_name
            }
        if checked.kind != values["kind"]:
            return _("“%(name)s”按内容不是%(kind)s，请改正“类别”。") % {
                "name": checked.original_name,
                "kind": KIND_LABELS[values["kind"]],
            }
        return ""

    @staticmethod
    @contextmanager
    def _checking(archive: Any, values: dict[str, Any]) -> Iterator[files.CheckedUpload]:
        """The file of a sheet row, copied out of the package into a temporary file and
        checked as an upload, for the block (a document's upload is that temporary file)."""
        with packages.member(archive, values["path"], values["original_name"]) as upload:
            yield files.check_upload(upload)

    # --- saving ------------------------------------------------------------------------------

    @staticmethod
    def grouped(result: ImportResult[Any]) -> dict[int, list[tuple[int, dict[str, Any]]]]:
        """The sheet's rows (row number, values) by the index of their record in the rows."""
        out: dict[int, list[tuple[int, dict[str, Any]]]] = {}
        for i, number, values in result.parts.get(SHEET_TITLE, ()):
            out.setdefault(i, []).append((number, values))
        return out

    def uploads(
        self, result: ImportResult[Any], rows: Sequence[tuple[int, dict[str, Any]]]
    ) -> list[files.CheckedUpload]:
        """The checked files of a record's `rows` (of grouped()), for a save that takes them
        all at once (a record's few files; a document's bytes are held until it is stored)."""
        out = []
        for number, values in rows:
            with self._upload(result, number, values) as checked:
                if checked.source is not None:
                    checked.source.seek(0)
                    checked.content, checked.source = checked.source.read(), None
                out.append(checked)
        return out

    @contextmanager
    def _upload(
        self, result: ImportResult[Any], number: int, values: dict[str, Any]
    ) -> Iterator[files.CheckedUpload]:
        try:
            with self._checking(result.package, values) as checked:
                yield checked
        except ValidationError as exc:
            raise ValidationError(self.problem(number, "；".join(exc.messages))) from exc

    def problem(self, number: int, message: str) -> str:
        """A problem on the path cell of the sheet's row `number` (a save's refusal)."""
        column = len(_columns())
        return str(sheets.Problem(number, column, PATH_COLUMN.header, message, sheet=SHEET_TITLE))

    def store(self, user: User, result: ImportResult[Any], records: dict[int, Any]) -> None:
        """Store every file of the package on its saved record (`records` by index into the
        rows), one at a time; a refusal names its row. Files written before a refusal are
        deleted again (the rows go with the transaction)."""
        if self.add is None or result.package is None:
            return
        stored: list[Any] = []
        try:
            for i, number, values in result.parts.get(SHEET_TITLE, ()):
                with self._upload(result, number, values) as upload:
                    stored.append(self.add(user=user, owner=records[i], upload=upload))
        except BaseException:
            files.discard_files(stored)
            raise


def package_view(
    *,
    records: Callable[[HttpRequest], Any],
    write: Callable[[Iterable[Any], IO[bytes], list[packages.Entry]], int],
    stem: Any,
    back: str,
) -> Callable[[HttpRequest], HttpResponseBase]:
    """The data package ("导出数据包（含照片和附件）") of the list's records (`records(request)`,
    the list's queryset, files prefetched): `write(records, file, entries)` writes the
    workbook and lists the files; core.packages streams them into a temporary .zip."""
    return export_view(
        records=records,
        write=lambda rows, target: packages.write_package(
            target, lambda book, entries: write(rows, book, entries)
        ),
        stem=stem,
        back=back,
        package=True,
    )


def counted(kinds: Sequence[str]) -> tuple[int, int]:
    """(photos, files) among the kinds of a record's package files."""
    photos = sum(1 for kind in kinds if kind == files.PHOTO)
    return photos, len(kinds) - photos
