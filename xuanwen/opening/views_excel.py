"""Excel pages of the opening logs: the import template, the import itself, the export.

As for the activities: the upload is checked, stashed under a random name and read completely;
the page lists every problem, or previews the rows with a confirm button carrying a signed
token naming the stashed file (this user's, within the hour). The confirmation reads the file
again and records it in one transaction, or nothing.
"""

import io
import tempfile
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xuanwen.core import sheets
from xuanwen.core.files import clean_name, max_bytes

from . import excel, selectors, services
from .views import _require_recorder, log_filter

STASH_DIR = "imports"
SIGNING_NAMESPACE = "xuanwen.opening.import"
PREVIEW_MAX_AGE = 3600
PREVIEW_ROWS = 20
PROBLEMS_SHOWN = 1000


@login_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponseBase:
    user: Any = request.user
    _require_recorder(user)
    return FileResponse(
        io.BytesIO(excel.build_template(user=user)),
        as_attachment=True,
        filename=_("开放登记导入模板") + ".xlsx",
        content_type=excel.XLSX_MIME,
    )


def _read(name: str, user: Any, *, check_rules: bool) -> excel.ReadResult:
    with default_storage.open(name, "rb") as stored:
        return excel.read_workbook(stored, user=user, check_rules=check_rules)


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
    context.setdefault("max_rows", excel.MAX_ROWS)
    return render(request, "opening/import.html", context)


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    """GET: the upload form. POST: check and read the file, then list problems or preview."""
    user: Any = request.user
    _require_recorder(user)
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
    stored = default_storage.save(f"{STASH_DIR}/{uuid.uuid4().hex}.xlsx", upload)
    result = _read(stored, user, check_rules=True)
    if not result.ok:
        default_storage.delete(stored)
        return _page(request, problems=result.problems, filename=original)
    rows = result.rows
    token = signing.dumps(
        {"file": stored, "user": user.pk, "name": original}, salt=SIGNING_NAMESPACE
    )
    return _page(
        request,
        filename=original,
        preview=list(zip(result.row_numbers[:PREVIEW_ROWS], rows[:PREVIEW_ROWS], strict=True)),
        total=len(rows),
        facilities=len({r.facility.pk for r in rows}),
        first=min(r.date for r in rows),
        last=max(r.date for r in rows),
        token=token,
    )


@login_required
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    """Record the previewed file, all rows in one transaction or none."""
    user: Any = request.user
    _require_recorder(user)
    payload = _untoken(user, request.POST.get("token", ""))
    if payload is None:
        return _page(request, error=_("预览已过期或该文件已经导入，请重新上传。"))
    stored, original = payload["file"], payload["name"]
    result = _read(stored, user, check_rules=False)
    created = updated = 0
    if result.ok:
        try:
            created, updated = services.openings_record_many(
                user=user, rows=result.rows, source=original, row_numbers=result.row_numbers
            )
        except services.BatchRejected as exc:
            result.add_rule_problems(exc.problems)
    default_storage.delete(stored)
    if not result.ok:
        return _page(request, problems=result.problems, filename=original)
    messages.success(
        request,
        _("已从“%(name)s”导入：新登记 %(c)d 天，更新 %(u)d 天。")
        % {"name": original, "c": created, "u": updated},
    )
    return redirect("opening:list")


@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponseBase:
    """The list page's logs (same filters, same scope) as .xlsx, re-importable as is."""
    user: Any = request.user
    _form, f = log_filter(request, user)
    qs = selectors.log_search(user, f)
    if qs.count() > excel.EXPORT_MAX:
        messages.error(
            request,
            _("符合条件的登记超过 %(n)d 条，超出 Excel 的行数上限，请缩小范围后再导出。")
            % {"n": excel.EXPORT_MAX},
        )
        return redirect("opening:list")
    target = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (FileResponse closes it)
    excel.write_export(qs.iterator(chunk_size=2000), target)
    target.seek(0)
    filename = _("开放登记") + f"_{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(target, as_attachment=True, filename=filename, content_type=excel.XLSX_MIME)
