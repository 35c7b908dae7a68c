"""Data packages (数据包): a data export that carries its files, and the checks of one uploaded.

A package is a .zip holding the data export's workbook as `data.xlsx` and the records' photos
and files, each under the path the workbook's "附件" sheet names (records.package declares the
sheet). Writing one streams: the workbook is written to a temporary file, then it and each
stored file are copied into the zip one at a time, so a big unit's package never sits in memory.

An uploaded package is judged before anything of it is read (`check_package`): zip magic, a
sane size, a bounded number of entries, each entry's declared size and their sum bounded (a zip
bomb declares small sizes or big ones; Python's zipfile never unpacks a member beyond its
declared size), no path that climbs out or is absolute, no archive inside the archive, no
encrypted entry, and a `data.xlsx` that is a real workbook (core.sheets.check_xlsx). Each file
is then checked by content exactly as an upload is (core.files.check_upload) when the records
that own it are read and again when they are saved; a file is copied out of the zip into a
temporary file of at most the upload size limit, never into memory as a whole.
"""

import os
import shutil
import stat
import tempfile
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import Storage, default_storage
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from . import clock, sheets
from .files import max_bytes

DATA_NAME = "data.xlsx"  # the workbook's path in every package
FILES_DIR = "files/"  # where the files go (a convention of the writer; the sheet names each)
MIME = "application/zip"
SUFFIX = ".zip"
# Archives are refused inside a package by name too (their content is refused by check_upload).
ARCHIVE_EXTENSIONS = frozenset(
    {"zip", "rar", "7z", "tar", "gz", "tgz", "bz2", "xz", "zst", "jar", "cab", "iso"}
)
PATH_MAX = 255
COPY_CHUNK = 1024 * 1024
SPOOL_MAX = 1024 * 1024  # a member up to this size is held in memory while it is checked


def package_max_bytes() -> int:
    """The size a package upload may have."""
    return int(settings.PACKAGE_MAX_MB) * 1024 * 1024


def unpacked_max_bytes() -> int:
    """The sum of the sizes a package's entries may declare."""
    return int(settings.PACKAGE_UNPACKED_MAX_MB) * 1024 * 1024


def entries_max() -> int:
    return int(settings.PACKAGE_FILES_MAX)


# --- Writing -------------------------------------------------------------------------------

# (path in the package, the storage holding the file, its name there): what a workbook writer
# collects while it writes the "附件" sheet; the file itself is copied afterwards.
Entry = tuple[str, Storage, str]


def package_path(number: int, index: int, stored_name: str) -> str:
    """A file's path in a package: its record's row in the main sheet, its place among the
    record's files, and the extension its content proved at upload."""
    extension = os.path.splitext(stored_name)[1].lower()
    return f"{FILES_DIR}{number:07d}-{index}{extension}"


def write_package(target: IO[bytes], write_book: Callable[[IO[bytes], list[Entry]], int]) -> int:
    """Write a package to `target`: `write_book(file, entries)` writes the workbook and lists
    the files it names; then each file is streamed in. Returns what write_book returned (the
    records written). A file gone from the storage is left out: its import names the path."""
    entries: list[Entry] = []
    stamp = clock.now().astimezone().timetuple()[:6]
    with tempfile.TemporaryFile(suffix=".xlsx") as book:
        count = write_book(book, entries)
        book.seek(0)
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            info = zipfile.ZipInfo(DATA_NAME, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, "w", force_zip64=True) as out:
                shutil.copyfileobj(book, out, COPY_CHUNK)
            for path, storage, name in entries:
                try:
                    source = storage.open(name, "rb")
                except (FileNotFoundError, ValueError):
                    continue
                info = zipfile.ZipInfo(path, date_time=stamp)
                info.compress_type = zipfile.ZIP_STORED  # photos, PDFs, videos: compressed already
                with source, archive.open(info, "w", force_zip64=True) as out:
                    shutil.copyfileobj(source, out, COPY_CHUNK)
    return count


def download_name(stem: str) -> str:
    """A package's download name such as 活动数据包-20261207.zip."""
    return f"{stem}-{clock.today():%Y%m%d}{SUFFIX}"


# --- Checking an upload --------------------------------------------------------------------


def is_package(upload: Any) -> bool:
    """Whether an upload is a zip other than a workbook (which is a zip too): a package, or
    something claiming to be one, for check_package to judge."""
    if not sheets.is_zip(upload):
        return False
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False  # check_xlsx names the broken file
    finally:
        upload.seek(0)
    return "[Content_Types].xml" not in names


def safe_path(name: str) -> bool:
    """A relative path that stays inside the package: no drive, no root, no "..", no
    backslash, no control character, not too long."""
    if not name or len(name) > PATH_MAX or "\\" in name or ":" in name or name.startswith("/"):
        return False
    if any(unicodedata.category(ch)[0] == "C" for ch in name):
        return False
    parts = name.rstrip("/").split("/")
    return all(part not in ("", ".", "..") for part in parts)


def _archive_name(name: str) -> bool:
    return os.path.splitext(name)[1].lower().lstrip(".") in ARCHIVE_EXTENSIONS


def check_package(upload: UploadedFile) -> None:
    """Accept a package whose every entry is within bounds, or raise ValidationError naming
    what is wrong (in Chinese, the entry's path where there is one)."""
    size = upload.size or 0
    if size > package_max_bytes():
        raise ValidationError(
            _("数据包太大：不能超过 %(mb)d MB。请按单位或时间分批导出、导入。")
            % {"mb": package_max_bytes() // 1024 // 1024},
            code="too_large",
        )
    try:
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
            _check_entries(infos)
            with member(archive, DATA_NAME, DATA_NAME) as book:
                try:
                    sheets.check_xlsx(book)
                except ValidationError as exc:
                    message = _("数据包中的 %(name)s：%(problem)s") % {
                        "name": DATA_NAME,
                        "problem": "；".join(exc.messages),
                    }
                    raise ValidationError(message, code="data") from exc
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError, EOFError) as exc:
        raise ValidationError(
            _("无法读取该数据包（.zip 文件已损坏）。请重新导出后上传。"), code="broken"
        ) from exc
    finally:
        upload.seek(0)


def _check_entries(infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > entries_max():
        raise ValidationError(
            _("数据包中的文件过多（%(n)d 个），一个数据包最多 %(max)d 个。请分批导出、导入。")
            % {"n": len(infos), "max": entries_max()},
            code="entries",
        )
    names = [info.filename for info in infos]
    if DATA_NAME not in names:
        raise ValidationError(
            _("数据包中没有 %(name)s：请上传本系统“导出数据包”得到的 .zip 文件。")
            % {"name": DATA_NAME},
            code="no_data",
        )
    if len(set(names)) != len(names):
        raise ValidationError(_("数据包中有重名的文件。"), code="duplicate")
    limit = max_bytes()
    total = 0
    for info in infos:
        name = info.filename
        if not safe_path(name):
            raise ValidationError(
                _("数据包中的文件名“%(name)s”不安全（绝对路径或含“..”等），不能导入。")
                % {"name": sheets.safe_text(name[:PATH_MAX])},
                code="path",
            )
        if stat.S_ISLNK(info.external_attr >> 16):
            raise ValidationError(
                _("数据包中的“%(name)s”是链接，不能导入。") % {"name": name}, code="link"
            )
        if info.flag_bits & 0x1:
            raise ValidationError(
                _("数据包中的“%(name)s”已加密，不能导入。") % {"name": name}, code="encrypted"
            )
        if info.is_dir():
            continue
        if name != DATA_NAME and _archive_name(name):
            raise ValidationError(
                _("数据包中不能再含压缩包（“%(name)s”）。") % {"name": name}, code="nested"
            )
        if info.file_size > limit:
            raise ValidationError(
                _("数据包中的“%(name)s”太大：单个文件不能超过 %(mb)s MB。")
                % {"name": name, "mb": settings.UPLOAD_MAX_MB},
                code="too_large",
            )
        total += info.file_size
    if total > unpacked_max_bytes():
        raise ValidationError(
            _("数据包解压后过大（超过 %(mb)d MB），不能导入。请分批导出、导入。")
            % {"mb": unpacked_max_bytes() // 1024 // 1024},
            code="unpacked",
        )


# --- Reading a stored package --------------------------------------------------------------


class PackageBook(tempfile.SpooledTemporaryFile[bytes]):
    """A package's data.xlsx as the readers read a workbook, with the open package beside it
    (`archive`) for the readers of its files."""

    archive: zipfile.ZipFile


@contextmanager
def member(archive: zipfile.ZipFile, path: str, name: str) -> Iterator[UploadedFile]:
    """An entry of the package as an upload named `name` (the original file name), copied
    into a temporary file of at most the upload size limit (and one byte, to tell). A
    damaged entry (its checksum wrong, its data cut short) is a ValidationError naming it."""
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_MAX)  # noqa: SIM115
    try:
        try:
            with archive.open(archive.getinfo(path)) as source:
                left = max_bytes() + 1
                while left > 0:
                    chunk = source.read(min(COPY_CHUNK, left))
                    if not chunk:
                        break
                    spool.write(chunk)
                    left -= len(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, KeyError, OSError) as exc:
            raise ValidationError(
                _("数据包中的“%(path)s”已损坏，无法读取。请重新导出后上传。") % {"path": path},
                code="broken",
            ) from exc
        size = spool.tell()
        spool.seek(0)
        yield UploadedFile(file=spool, name=name, size=size)
    finally:
        spool.close()


def archive_of(source: Any) -> zipfile.ZipFile | None:
    """The open package a reader's source came from; None for a plain workbook."""
    return source.archive if isinstance(source, PackageBook) else None


def is_stored_package(name: str) -> bool:
    return name.endswith(SUFFIX)


@contextmanager
def opened(name: str) -> Iterator[IO[bytes]]:
    """A stashed upload to read: a workbook as it is, a package as its data.xlsx (PackageBook)
    with the package open beside it until the block ends."""
    with default_storage.open(name, "rb") as stored:
        if not is_stored_package(name):
            yield stored
            return
        with zipfile.ZipFile(stored) as archive:
            book = PackageBook(max_size=SPOOL_MAX)
            try:
                with archive.open(DATA_NAME) as data:
                    shutil.copyfileobj(data, book, COPY_CHUNK)
                book.seek(0)
                book.archive = archive
                yield book
            finally:
                book.close()


def file_count(name: str) -> int:
    """The files a stashed package carries (0 for a workbook)."""
    if not is_stored_package(name):
        return 0
    try:
        with default_storage.open(name, "rb") as stored, zipfile.ZipFile(stored) as archive:
            return sum(1 for i in archive.infolist() if not i.is_dir()) - 1
    except (zipfile.BadZipFile, OSError):
        return 0
