"""Excel pages of the duties: the duty import (template, upload → preview → confirm), the
completions import (core.imports.ImportFlow) and the completions export of the filtered list.

As for activities, the upload is stored under a random name between the preview and the
confirmation, and the confirm button carries only a signed token naming that file for this
user within the hour; the confirmation reads the file again and imports all rows or none.
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
from django.db.models import Prefetch
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_POST

from xuanwen.core import sheets
from xuanwen.core.files import clean_name
from xuanwen.core.imports import ImportFlow

from . import excel, selectors, services
from .forms import CompletionFilterForm, may_create
from .models import Evidence

STASH_DIR = "imports"
SIGNING_SALT = "xuanwen.duties.import"
PREVIEW_MAX_AGE = 3600
PREVIEW_ROWS = 20
PROBLEMS_SHOWN = 1000


def _require_writer(user: Any) -> None:
    if not may_create(user):
        raise PermissionDenied(_("您的角色只能查看，不能导入常规工作。"))


@login_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponseBase:
    user: Any = request.user
    _require_writer(user)
    return FileResponse(
        io.BytesIO(excel.build_template(user=user)),
        as_attachment=True,
        filename=_("常规工作导入模板") + ".xlsx",
        content_type=sheets.XLSX_MIME,
    )


def _page(request: HttpRequest, **context: Any) -> HttpResponse:
    problems = context.get("problems") or []
    context["problems_shown"] = [str(p) for p in problems[:PROBLEMS_SHOWN]]
    context["problems_hidden"] = max(len(problems) - PROBLEMS_SHOWN, 0)
    context.setdefault("max_mb", sheets.max_bytes() // 1024 // 1024)
    return render(request, "duties/import.html", context)


def _read(name: str, user: Any) -> excel.ReadResult:
    with default_storage.open(name, "rb") as stored:
        return excel.read_workbook(stored, user=user)


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
    stored = default_storage.save(f"{STASH_DIR}/{uuid.uuid4().hex}.xlsx", upload)
    result = _read(stored, user)
    if not result.ok:
        default_storage.delete(stored)
        return _page(request, problems=result.problems, filename=original)
    token = signing.dumps({"file": stored, "user": user.pk, "name": original}, salt=SIGNING_SALT)
    return _page(
        request,
        filename=original,
        preview=list(zip(result.row_numbers, result.rows, strict=True))[:PREVIEW_ROWS],
        total=len(result.rows),
        token=token,
    )


def _untoken(user: Any, token: str) -> dict[str, str] | None:
    try:
        payload = signing.loads(token, salt=SIGNING_SALT, max_age=PREVIEW_MAX_AGE)
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
    result = _read(stored, user)
    default_storage.delete(stored)
    if not result.ok:
        return _page(request, problems=result.problems, filename=original)
    try:
        count = services.duties_import(user=user, rows=result.rows, row_numbers=result.row_numbers)
    except ValidationError as exc:
        return _page(request, error="；".join(exc.messages), filename=original)
    messages.success(
        request, _("已从“%(name)s”导入 %(n)d 项常规工作。") % {"name": original, "n": count}
    )
    return redirect("duties:list")


@login_required
@require_GET
def completions_export(request: HttpRequest) -> HttpResponseBase:
    """The completions list (same filters, same scope) as .xlsx, formula-safe."""
    user: Any = request.user
    form = CompletionFilterForm(request.GET, user=user)
    form.is_valid()
    c = form.cleaned_data
    qs = selectors.completion_search(
        user,
        selectors.CompletionFilter(
            unit=c.get("unit") or "", duty_id=c.get("duty"), start=c.get("start"), end=c.get("end")
        ),
    ).prefetch_related(
        "businesses", Prefetch("evidence", queryset=Evidence.objects.only("pk", "completion_id"))
    )
    target = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (FileResponse closes it)
    sheets.write_export(
        excel.completion_rows(qs.iterator(chunk_size=2000)),
        target,
        sheet_title="完成记录",
        columns=excel.EXPORT_COLUMNS,
    )
    target.seek(0)
    return FileResponse(
        target,
        as_attachment=True,
        filename=sheets.export_name("常规工作完成记录"),
        content_type=sheets.XLSX_MIME,
    )


# --- Completions import ----------------------------------------------------------------------


def _require_recorder(user: Any) -> None:
    if not may_create(user):
        raise PermissionDenied(_("您的角色只能查看，不能导入完成记录。"))


def _completions_summary(result: excel.CompletionReadResult) -> dict[str, Any]:
    rows = result.rows
    return {
        "duties": len({r.duty.pk for r in rows}),
        "businesses": result.businesses,
        "first": min(r.done_on for r in rows),
        "last": max(r.done_on for r in rows),
    }


def _completions_save(user: Any, result: excel.CompletionReadResult, original: str) -> str | None:
    try:
        count = services.completions_import(
            user=user, rows=result.rows, row_numbers=result.row_numbers
        )
    except ValidationError as exc:
        # A rule that only the save could see (the database changed since the preview): each
        # message already names its row.
        result.problems.extend(sheets.Problem(0, 0, "", m) for m in exc.messages)
        return None
    return _("已从“%(name)s”导入 %(n)d 条完成记录。") % {"name": original, "n": count}


COMPLETIONS_FLOW = ImportFlow(
    key="duty-completions",
    page_template="duties/completion_import.html",
    template_filename=_lazy("常规工作完成记录导入模板"),
    build_template=lambda user: excel.build_completion_template(user=user),
    read=excel.read_completions,
    save=_completions_save,
    summary=_completions_summary,
    require=_require_recorder,
    done_url="duties:completions",
)
(
    completions_import_template,
    completions_import_upload,
    completions_import_confirm,
) = COMPLETIONS_FLOW.views()
