"""A raw scan of an upload's sheets for what openpyxl would spend minutes on before reading a row.

openpyxl opening a workbook (read-only included) looks for each sheet's declared size, its
`<dimension ref>`; a sheet that declares none is parsed to its end just to find that out, and
parsed again when its rows are read. Excel and WPS always declare it, but a hand-made file of a
million styled, empty rows (385 MB unpacked from 3.4 MB) kept a worker busy for over a minute.

So before openpyxl sees it, each sheet that declares no size is scanned as bytes (about a
second for those 385 MB: a regular expression over the inflated stream, no XML parse) and
refused when it holds more rows or cells than an import reads. A sheet that declares its size
costs one chunk: its dimension comes before its data.
"""

import re
import zipfile
import zlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

CHUNK = 1 << 20
# Cells a sheet without a declared size may hold: openpyxl parses such a sheet twice, ~2 s per
# million cells each time; an import of 100,000 rows of 20 columns fits.
UNDECLARED_CELLS_MAX = 2_000_000
# <dimension …> or <sheetData …>, with any namespace prefix: whichever comes first says
# whether the sheet declares its size.
_HEAD = re.compile(rb"<((?:\w+:)?)(dimension|sheetData)[\s>/]")
# What may follow a tag's name: attributes, the end of the tag, or an empty element.
_ENDS = (b" ", b">", b"/", b"\n", b"\r", b"\t")
_TAIL = 32  # bytes kept between chunks, so a tag split across two is still seen


@dataclass(frozen=True)
class Undeclared:
    """A sheet without a declared size, as counted (up to the limits)."""

    part: str
    rows: int
    cells: int


def check_undeclared(upload: UploadedFile, *, rows_max: int) -> None:
    """ValidationError when a sheet of the upload declares no size and holds more than
    `rows_max` rows or UNDECLARED_CELLS_MAX cells."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            found = undeclared_oversized(archive, rows_max=rows_max, cells_max=UNDECLARED_CELLS_MAX)
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError, EOFError, zlib.error):
        return  # a damaged file: reading it names it as unreadable
    finally:
        upload.seek(0)
    if found is None:
        return
    if found.rows > rows_max:
        message = _(
            "工作表没有写明范围，且超过 %(max)d 行，超过导入的上限。请用 Excel 或 WPS 打开，"
            "删除数据下方多余的行，另存为 .xlsx 后重新上传，或分批导入。"
        ) % {"max": rows_max}
    else:
        message = _(
            "工作表没有写明范围，且超过 %(max)d 个单元格。请用 Excel 或 WPS 打开，"
            "另存为 .xlsx 后重新上传（另存会写明范围），或分批导入。"
        ) % {"max": UNDECLARED_CELLS_MAX}
    raise ValidationError(message, code="too_large")


def undeclared_oversized(
    archive: zipfile.ZipFile, *, rows_max: int, cells_max: int
) -> Undeclared | None:
    """The first sheet of `archive` that declares no size and holds more than `rows_max` rows
    or `cells_max` cells; None when every sheet declares its size or is within both."""
    for info in archive.infolist():
        name = info.filename
        if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
            continue
        found = _count(archive, info, rows_max=rows_max, cells_max=cells_max)
        if found is not None:
            return found
    return None


def _count(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, *, rows_max: int, cells_max: int
) -> Undeclared | None:
    rows = cells = 0
    tags: tuple[list[bytes], list[bytes]] | None = (
        None  # (row, cell) tags, once the prefix is known
    )
    tail = b""
    with archive.open(info) as part:
        while chunk := part.read(CHUNK):
            data = tail + chunk
            if tags is None:
                head = _HEAD.search(data)
                if head is None:
                    tail = data[-_TAIL:]
                    continue
                if head.group(2) == b"dimension":
                    return None
                tags = _tags(head.group(1))
            # bytes.count, not a regular expression: 36 million cells in a second. What lies
            # wholly in the kept tail was counted with the chunk before.
            rows += _occurrences(data, tags[0]) - _occurrences(tail, tags[0])
            cells += _occurrences(data, tags[1]) - _occurrences(tail, tags[1])
            if rows > rows_max or cells > cells_max:
                return Undeclared(info.filename, rows, cells)
            tail = data[-_TAIL:]
    return None


def _tags(prefix: bytes) -> tuple[list[bytes], list[bytes]]:
    """The opening tags of a row and of a cell in a sheet whose elements carry `prefix`."""
    row, cell = b"<" + prefix + b"row", b"<" + prefix + b"c"
    return [row + end for end in _ENDS], [cell + end for end in _ENDS]


def _occurrences(data: bytes, tags: list[bytes]) -> int:
    return sum(data.count(tag) for tag in tags)
