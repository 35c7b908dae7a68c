"""Excel pages of the stock, lending and demand registers: template, import, export.

As for activities: the upload is checked by content, stashed under a random name and read
completely; the page lists every problem, or previews the rows with a confirm button carrying
a signed token naming the stashed file. The confirmation reads the file again (the database
may have changed meanwhile) and imports it in one transaction, all rows or none.
"""

import io
import tempfile
import uuid
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
from .forms import may_write_somewhere
from .views import _filter

STASH_DIR = "imports"
SIGNING_NAMESPACE = "xuanwen.bookhouses.import"
PREVIEW_MAX_AGE = 3600  # seconds between the preview and the confirmation
PREVIEW_ROWS = 20
PROBLEMS_SHOWN = 1000  # more are counted, not listed: the page must stay usable on a phone


def _require_writer(user: Any) -> None:
    if not may_write_somewhere(user):
        raise PermissionDenied(_("您的角色只能查看，不能导入。"))


@login_required
@require_GET
def import_template(request: HttpRequest, register: str) -> HttpResponseBase:
    user: Any = request.user
    _require_writer(user)
    spec = excel.REGISTERS[register]
    return FileResponse(
        io.BytesIO(excel.build_template(spec, user)),
        as_attachment=True,
        filename=_("%(title)s导入模板") % {"title": spec.sheet_title} + ".xlsx",
        content_type=sheets.XLSX_MIME,
    )


def _token(user: Any, stored: str, original: str, register: str) -> str:
    payload = {"file": stored, "user": user.pk, "name": original, "register": register}
    return signing.dumps(payload, salt=SIGNING_NAMESPACE)


def _untoken(user: Any, token: str, register: str) -> dict[str, str] | None:
    try:
        payload = signing.loads(token, salt=SIGNING_NAMESPACE, max_age=PREVIEW_MAX_AGE)
    except signing.BadSignature:  # also SignatureExpired
        return None
    if (
        not isinstance(payload, dict)
        or payload.get("user") != user.pk
        or payload.get("register") != register
        or not str(payload.get("file", "")).startswith(f"{STASH_DIR}/")
        or not default_storage.exists(payload["file"])
    ):
        return None
    return payload


def _read(name: str, spec: excel.Register, user: Any) -> excel.ReadResult:
    with default_storage.open(name, "rb") as stored:
        return excel.read_workbook(stored, register=spec, user=user)


def _page(request: HttpRequest, spec: excel.Register, **context: Any) -> HttpResponse:
    problems = context.get("problems") or []
    context["problems_shown"] = [str(p) for p in problems[:PROBLEMS_SHOWN]]
    context["problems_hidden"] = max(len(problems) - PROBLEMS_SHOWN, 0)
    context.update(
        spec=spec,
        register=spec.key,
        max_mb=max_bytes() // 1024 // 1024,
        max_rows=sheets.MAX_ROWS,
    )
    return render(request, "bookhouses/import.html", context)


@login_required
def import_upload(request: HttpRequest, register: str) -> HttpResponse:
    """GET: the upload form. POST: check and read the file, then list problems or preview."""
    user: Any = request.user
    _require_writer(user)
    spec = excel.REGISTERS[register]
    if request.method != "POST":
        return _page(request, spec)
    upload = request.FILES.get("file")
    if upload is None:
        return _page(request, spec, error=_("请选择要导入的 Excel 文件。"))
    original = clean_name(upload.name or "")
    try:
        sheets.check_xlsx(upload)
    except ValidationError as exc:
        return _page(request, spec, error="；".join(exc.messages), filename=original)
    stored = default_storage.save(f"{STASH_DIR}/{uuid.uuid4().hex}.xlsx", upload)
    result = _read(stored, spec, user)
    if not result.ok:
        default_storage.delete(stored)
        return _page(request, spec, problems=result.problems, filename=original)
    return _page(
        request,
        spec,
        filename=original,
        preview=[
            (number, row.facility.name, spec.preview_row(row))
            for number, row in zip(
                result.row_numbers[:PREVIEW_ROWS], result.rows[:PREVIEW_ROWS], strict=True
            )
        ],
        total=len(result.rows),
        token=_token(user, stored, original, register),
    )


@login_required
@require_POST
def import_confirm(request: HttpRequest, register: str) -> HttpResponse:
    """Import the previewed file, all rows in one transaction or none."""
    user: Any = request.user
    _require_writer(user)
    spec = excel.REGISTERS[register]
    payload = _untoken(user, request.POST.get("token", ""), register)
    if payload is None:
        return _page(request, spec, error=_("预览已过期或该文件已经导入，请重新上传。"))
    stored, original = payload["file"], payload["name"]
    result = _read(stored, spec, user)
    count = 0
    if result.ok:
        try:
            count = excel.import_rows(spec, user=user, rows=result.rows, source=original)
        except services.ImportRejected as exc:
            # The database changed since the preview (another removal took the books).
            result.add_rule_problems(spec, exc.problems)
        except ValidationError as exc:
            result.problems.append(sheets.Problem(0, 0, "", "；".join(exc.messages)))
    default_storage.delete(stored)
    if not result.ok:
        return _page(request, spec, problems=result.problems, filename=original)
    messages.success(
        request, _("已从“%(name)s”导入 %(n)d 条记录。") % {"name": original, "n": count}
    )
    return redirect(f"bookhouses:{register}_all")


@login_required
@require_GET
def export(request: HttpRequest, register: str) -> HttpResponseBase:
    """The subtree list's rows (same filter, same scope) as .xlsx, streamed from disk."""
    user: Any = request.user
    spec = excel.REGISTERS[register]
    _form, f = _filter(request, user)
    if register == "stock":
        qs: Any = selectors.stock_search(user, f)
    elif register == "loans":
        qs = selectors.loan_search(user, f, timezone.localdate())
    else:
        qs = selectors.demand_search(user, f)
    target = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (FileResponse closes it)
    excel.write_export(spec, qs.iterator(chunk_size=2000), target)
    target.seek(0)
    filename = f"{spec.sheet_title}_{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(
        target, as_attachment=True, filename=filename, content_type=sheets.XLSX_MIME
    )
