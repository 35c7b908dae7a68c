"""Excel pages of the facilities: the import template, the import itself, the export.

The import takes two requests, as for activities. The upload is checked, stored on the server
under a random name and read completely; the page lists every problem, or previews what would
be imported with a confirm button carrying a signed token that names the stored file. The
confirmation reads that file again (the database may have changed meanwhile) and imports it in
one transaction. Nothing the browser sends back but the token is trusted.
"""

import io
import tempfile
import uuid
from collections import Counter
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xuanwen.core import sheets
from xuanwen.core.files import clean_name, max_bytes

from . import excel, selectors, services
from .forms import may_create
from .views import list_filter

STASH_DIR = "imports/facilities"
SIGNING_NAMESPACE = "xuanwen.facilities.import"
PREVIEW_MAX_AGE = 3600  # seconds between the preview and the confirmation
STASH_KEEP = timedelta(days=1)  # uploads never confirmed are removed after this
PREVIEW_ROWS = 20
# More problems than this are counted but not all listed: the page must stay usable on a phone.
PROBLEMS_SHOWN = 1000


def _require_writer(user: Any) -> None:
    if not may_create(user):
        raise PermissionDenied(_("您的角色只能查看，不能导入阵地。"))


@login_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponseBase:
    user: Any = request.user
    _require_writer(user)
    return FileResponse(
        io.BytesIO(excel.build_template(user=user)),
        as_attachment=True,
        filename=_("文化阵地导入模板") + ".xlsx",
        content_type=sheets.XLSX_MIME,
    )


def _stash(upload: Any) -> str:
    """Keep the upload under a random name (sweeping old unconfirmed ones); its storage name."""
    try:
        _dirs, names = default_storage.listdir(STASH_DIR)
    except (FileNotFoundError, NotImplementedError):
        names = []
    cutoff = timezone.now() - STASH_KEEP
    for name in names:
        path = f"{STASH_DIR}/{name}"
        try:
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
        except (FileNotFoundError, NotImplementedError):
            continue
    return default_storage.save(f"{STASH_DIR}/{uuid.uuid4().hex}.xlsx", upload)


def _read(name: str, user: Any, *, check_rules: bool) -> excel.ReadResult:
    with default_storage.open(name, "rb") as stored:
        return excel.read_workbook(stored, user=user, check_rules=check_rules)


def _token(user: Any, stored: str, original: str) -> str:
    return signing.dumps(
        {"file": stored, "user": user.pk, "name": original}, salt=SIGNING_NAMESPACE
    )


def _untoken(user: Any, token: str) -> dict[str, str] | None:
    try:
        payload = signing.loads(token, salt=SIGNING_NAMESPACE, max_age=PREVIEW_MAX_AGE)
    except signing.BadSignature:  # also SignatureExpired
        return None
    if (
        not isinstance(payload, dict)
        or payload.get("user") != user.pk
        or not str(payload.get("file", "")).startswith(f"{STASH_DIR}/")
        or not default_storage.exists(payload["file"])
    ):
        return None
    return payload


def _page(request: HttpRequest, **context: Any) -> HttpResponse:
    problems = context.get("problems") or []
    context["problems_shown"] = [str(p) for p in problems[:PROBLEMS_SHOWN]]
    context["problems_hidden"] = max(len(problems) - PROBLEMS_SHOWN, 0)
    context.setdefault("max_mb", max_bytes() // 1024 // 1024)
    context.setdefault("max_rows", sheets.MAX_ROWS)
    return render(request, "facilities/import.html", context)


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    """GET: the upload form. POST: check and read the file, then list problems or preview."""
    user: Any = request.user
    _require_writer(user)
    if request.method != "POST":
        return _page(request)
    upload = request.FILES.get("file")
    if upload is None:
        return _page(request, error=_("请选择要导入的 Excel 文件。"))
    original = clean_name(upload.name or "")
    try:
        sheets.check_xlsx(upload)
    except ValidationError as exc:
        return _page(request, error="；".join(exc.messages), filename=original)
    stored = _stash(upload)
    result = _read(stored, user, check_rules=True)
    if not result.ok:
        default_storage.delete(stored)
        return _page(request, problems=result.problems, filename=original)
    rows = result.rows
    return _page(
        request,
        filename=original,
        preview=list(zip(result.row_numbers[:PREVIEW_ROWS], rows[:PREVIEW_ROWS], strict=True)),
        total=len(rows),
        units=len({r.unit.code for r in rows}),
        by_kind=Counter(r.kind.name for r in rows).most_common(),
        token=_token(user, stored, original),
    )


@login_required
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    """Import the previewed file, all rows in one transaction or none."""
    user: Any = request.user
    _require_writer(user)
    payload = _untoken(user, request.POST.get("token", ""))
    if payload is None:
        return _page(request, error=_("预览已过期或该文件已经导入，请重新上传。"))
    stored, original = payload["file"], payload["name"]
    result = _read(stored, user, check_rules=False)
    count = 0
    if result.ok:
        try:
            count = len(
                services.facilities_import(
                    user=user, rows=result.rows, row_numbers=result.row_numbers, source=original
                )
            )
        except services.ImportRejected as exc:
            # Someone entered one of these facilities since the preview, say.
            result.add_rule_problems(exc.problems)
    default_storage.delete(stored)
    if not result.ok:
        return _page(request, problems=result.problems, filename=original)
    messages.success(
        request, _("已从“%(name)s”导入 %(n)d 处阵地。") % {"name": original, "n": count}
    )
    return redirect("facilities:list")


@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponseBase:
    """The list page's facilities (same filters, same scope) as .xlsx."""
    user: Any = request.user
    _form, f = list_filter(request, user)
    qs = selectors.facility_search(user, f)
    # A temporary file rather than memory: write_only holds one row at a time, and the
    # response then streams the finished file in chunks.
    target = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (FileResponse closes it)
    excel.write_export(qs.iterator(chunk_size=2000), target)
    target.seek(0)
    return FileResponse(
        target,
        as_attachment=True,
        filename=sheets.export_name(_("文化阵地")),
        content_type=sheets.XLSX_MIME,
    )
