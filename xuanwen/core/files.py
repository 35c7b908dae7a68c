"""Checking uploaded photos and files by their content, and preparing what is stored.

A file's name and the browser's Content-Type are the uploader's word and prove nothing: an .exe
renamed .jpg must not end up in the archive. So photos must open with Pillow and are re-encoded
(which also drops EXIF, including GPS, after applying the camera's orientation), and other files
must carry the magic bytes of one of the few document, video and audio formats a culture station
actually exchanges.
"""

import hashlib
import io
import os
import unicodedata
import uuid
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Pillow format → (extension, MIME type, save options). Re-encoding keeps the format, so a PNG
# screenshot stays sharp and a transparent logo stays transparent.
IMAGE_FORMATS: dict[str, tuple[str, str, dict[str, object]]] = {
    "JPEG": ("jpg", "image/jpeg", {"quality": 90}),
    "PNG": ("png", "image/png", {}),
    "WEBP": ("webp", "image/webp", {"quality": 90}),
}
# What a checked upload is: the values of every app's attachment `kind` choices.
PHOTO = "photo"
FILE = "file"

# A decompression bomb guard: a few hundred bytes can declare billions of pixels. The largest
# phone cameras (108 MP) stay below this.
MAX_IMAGE_PIXELS = 120_000_000
THUMB_SIZE = 320
IMAGE_MIMES = {"image/jpeg", "image/png", "image/webp"}

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# The main part's content type in [Content_Types].xml is what tells a Word file from an Excel
# or PowerPoint one; every OOXML file is a zip, and so is anything else zipped and renamed.
# Macro-enabled variants (docm, xlsm, pptm) have other content types and are refused.
OOXML_MAIN_PARTS = {
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": (
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
}
CONTENT_TYPES_MAX = 1024 * 1024  # [Content_Types].xml is a few KB; more is a zip bomb's trick

# filetype's extension → MIME type we serve, for the non-zip formats we accept.
MAGIC_FORMATS = {
    "pdf": "application/pdf",
    "mp4": "video/mp4",
    "mov": "video/quicktime",
    "mp3": "audio/mpeg",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
}
# An OLE container is also what .msi installers and old Outlook messages are; only Word and
# Excel files are accepted, named by filetype or, failing that, by their own extension.
OLE_EXTENSIONS = {"doc", "xls"}
HEAD_BYTES = 8192

ACCEPT = (
    "image/jpeg,image/png,image/webp,.pdf,.doc,.docx,.xls,.xlsx,.pptx,.mp4,.mov,.mp3,"
    "video/mp4,video/quicktime,audio/mpeg"
)


@dataclass
class CheckedUpload:
    """An upload that passed the checks, with everything the service stores."""

    kind: str
    original_name: str
    extension: str
    content_type: str
    size: int
    sha256: str
    # Photos: the re-encoded bytes and a thumbnail. Other files: the upload itself, untouched.
    content: bytes | None = None
    thumbnail: bytes | None = None
    source: UploadedFile | None = None


def max_bytes() -> int:
    return int(settings.UPLOAD_MAX_MB) * 1024 * 1024


def clean_name(name: str) -> str:
    """The uploader's file name, for display and Content-Disposition only (never a path)."""
    base = os.path.basename(name.replace("\\", "/"))
    # Control and format characters (e.g. RTL override, which can fake an extension) go.
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    if len(base) > 200:
        stem, ext = os.path.splitext(base)
        base = stem[: 200 - len(ext)] + ext
    return base or "file"


def _chunks(upload: UploadedFile) -> Iterator[bytes]:
    upload.seek(0)
    yield from upload.chunks()
    upload.seek(0)


def check_upload(upload: UploadedFile) -> CheckedUpload:
    """Accept a photo or an allowed file, or raise ValidationError with a Chinese message."""
    name = clean_name(upload.name or "")
    limit = max_bytes()
    size = upload.size or 0
    if size > limit:
        raise ValidationError(
            _("“%(name)s”太大：单个文件不能超过 %(mb)s MB。"),
            params={"name": name, "mb": settings.UPLOAD_MAX_MB},
            code="too_large",
        )
    if size == 0:
        raise ValidationError(_("“%(name)s”是空文件。"), params={"name": name}, code="empty")
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    guessed = filetype.guess(head)
    if guessed is not None and guessed.mime.startswith("image/"):
        # HEIC, GIF, BMP, TIFF …: pictures, but not ones every phone and Word can show.
        if guessed.mime not in IMAGE_MIMES:
            raise _refuse(name)
        return _check_image(upload, name)
    return _check_file(upload, head, name)


def _refuse(name: str) -> ValidationError:
    return ValidationError(
        _(
            "“%(name)s”不是允许的文件类型（按文件内容判断，而不是扩展名）。"
            "可上传照片（JPEG、PNG、WebP）和 PDF、Word、Excel、PowerPoint、MP4/MOV 视频、MP3 音频。"
        ),
        params={"name": name},
        code="type",
    )


def _check_image(upload: UploadedFile, name: str) -> CheckedUpload:
    try:
        image = Image.open(upload)
        if image.format not in IMAGE_FORMATS:
            raise _refuse(name)
        if image.width * image.height > MAX_IMAGE_PIXELS:
            raise ValidationError(
                _("“%(name)s”的像素过多，无法处理。"), params={"name": name}, code="pixels"
            )
        fmt = image.format
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError) as exc:
        raise ValidationError(
            _("“%(name)s”无法作为图片打开，可能已损坏。"), params={"name": name}, code="broken"
        ) from exc
    ext, mime, options = IMAGE_FORMATS[fmt]
    # Turn the pixels the way the camera meant (EXIF orientation), then drop every piece of
    # metadata: EXIF with GPS position and the phone's serial, XMP, comments.
    upright = ImageOps.exif_transpose(image)
    if upright.mode == "CMYK" or (fmt == "JPEG" and upright.mode not in ("RGB", "L")):
        upright = upright.convert("RGB")
    keep = {k: upright.info[k] for k in ("icc_profile", "transparency") if k in upright.info}
    upright.info = {}
    out = io.BytesIO()
    upright.save(out, fmt, **options, **keep)
    content = out.getvalue()
    return CheckedUpload(
        kind=PHOTO,
        original_name=name,
        extension=ext,
        content_type=mime,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        thumbnail=make_thumbnail(upright),
    )


def make_thumbnail(image: Image.Image) -> bytes:
    """A JPEG at most THUMB_SIZE px on its longer side, transparency flattened onto white."""
    thumb = image.copy()
    thumb.thumbnail((THUMB_SIZE, THUMB_SIZE))
    if thumb.mode in ("RGBA", "LA", "P"):
        rgba = thumb.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        thumb = flat
    elif thumb.mode != "RGB":
        thumb = thumb.convert("RGB")
    out = io.BytesIO()
    thumb.save(out, "JPEG", quality=80)
    return out.getvalue()


def _check_file(upload: UploadedFile, head: bytes, name: str) -> CheckedUpload:
    own_ext = os.path.splitext(name)[1].lower().lstrip(".")
    if head.startswith(b"PK\x03\x04"):
        ext, mime = _ooxml_type(upload, name)
    elif head.startswith(OLE_MAGIC):
        guessed = filetype.guess(head)
        ext = guessed.extension if guessed and guessed.extension in OLE_EXTENSIONS else own_ext
        if ext not in OLE_EXTENSIONS:
            raise _refuse(name)
        mime = MAGIC_FORMATS[ext]
    else:
        guessed = filetype.guess(head)
        if guessed is None or guessed.extension not in MAGIC_FORMATS:
            raise _refuse(name)
        ext, mime = guessed.extension, MAGIC_FORMATS[guessed.extension]
    digest = hashlib.sha256()
    for chunk in _chunks(upload):
        digest.update(chunk)
    return CheckedUpload(
        kind=FILE,
        original_name=name,
        extension=ext,
        content_type=mime,
        size=upload.size or 0,
        sha256=digest.hexdigest(),
        source=upload,
    )


def _ooxml_type(upload: IO[bytes], name: str) -> tuple[str, str]:
    try:
        with zipfile.ZipFile(upload) as archive:
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > CONTENT_TYPES_MAX:
                raise _refuse(name)
            types = archive.read(info)
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError) as exc:
        # KeyError: no [Content_Types].xml, so a plain zip; RuntimeError: an encrypted member.
        raise _refuse(name) from exc
    finally:
        upload.seek(0)
    found = [found for main, found in OOXML_MAIN_PARTS.items() if main in types]
    if len(found) != 1:
        raise _refuse(name)
    return found[0]


def serve_stored(field: Any, content_type: str, filename: str, *, inline: bool) -> FileResponse:
    """A stored upload as a response, for the scoped view that already found its record.

    The type is the one proved at upload; the browser must not guess another, and even a file
    shown inline may not run scripts or load anything.
    """
    try:
        handle = field.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404(_("文件已不存在。")) from exc
    response = FileResponse(
        handle, as_attachment=not inline, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def write_upload(record: Any, upload: CheckedUpload) -> None:
    """Copy a checked upload into a stored-upload record (its `file`, `thumbnail`, name, type,
    size and hash) and write the files; the caller saves the row.

    Stored under a random name with the extension of what the content proved to be: the
    uploader's name is kept only for display, so it can neither choose a path nor fake a type.
    """
    record.original_name = upload.original_name
    record.content_type = upload.content_type
    record.size = upload.size
    record.sha256 = upload.sha256
    stem = uuid.uuid4().hex
    body: File = ContentFile(upload.content) if upload.content is not None else File(upload.source)
    record.file.save(f"{stem}.{upload.extension}", body, save=False)
    if upload.thumbnail is not None:
        record.thumbnail.save(f"{stem}.jpg", ContentFile(upload.thumbnail), save=False)


def discard_files(records: Iterable[Any]) -> None:
    """Delete what write_upload wrote for records whose rows were not saved after all: no row,
    no file, so a failed save leaves no orphans in MEDIA_ROOT."""
    for record in records:
        if record.file:
            record.file.delete(save=False)
        if record.thumbnail:
            record.thumbnail.delete(save=False)
