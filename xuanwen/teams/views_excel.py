"""Excel pages: import templates and imports of people and teams, exports of every list.

The import takes two requests, as for activities: the upload is checked, stored under a random
name and read completely; the page lists every problem, or previews the rows with a confirm
button carrying a signed token naming the stored file. The confirmation reads the stored file
again (the database may have changed) and imports it in one transaction, or nothing.
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
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xuanwen.activities.forms import may_create
from xuanwen.core.files import clean_name, max_bytes
from xuanwen.core.sheets import MAX_ROWS, XLSX_MIME, check_xlsx, export_name

from . import excel, imports, selectors
from .views import list_filter

STASH_DIR = "imports"
SIGNING_NAMESPACE = "xuanwen.teams.import"
PREVIEW_MAX_AGE = 3600
PREVIEW_ROWS = 20
PROBLEMS_SHOWN = 1000
KINDS = {"people": _("人员"), "teams": _("队伍")}


def _require_writer(user: Any) -> None:
    if not may_create(user):
        raise PermissionDenied(_("您的角色只能查看，不能导入。"))


def _names(kind: str) -> dict[str, str]:
    return {
        "what": str(KINDS[kind]),
        "list": reverse("teams:person_list" if kind == "people" else "teams:team_list"),
        "template": reverse(f"teams:{kind}_import_template"),
        "upload": reverse(f"teams:{kind}_import"),
        "confirm": reverse(f"teams:{kind}_import_confirm"),
    }


def _template(request: HttpRequest, kind: str) -> HttpResponseBase:
    user: Any = request.user
    _require_writer(user)
    return FileResponse(
        io.BytesIO(excel.build_template(kind, user=user)),
        as_attachment=True,
        filename=_("%(what)s导入模板") % {"what": KINDS[kind]} + ".xlsx",
        content_type=XLSX_MIME,
    )


def _page(request: HttpRequest, kind: str, **context: Any) -> HttpResponse:
    problems = context.get("problems") or []
    context.update(_names(kind))
    context["kind"] = kind
    context["problems_shown"] = [str(p) for p in problems[:PROBLEMS_SHOWN]]
    context["problems_hidden"] = max(len(problems) - PROBLEMS_SHOWN, 0)
    context.setdefault("max_mb", max_bytes() // 1024 // 1024)
    context.setdefault("max_rows", MAX_ROWS)
    return render(request, "teams/import.html", context)


def _read(kind: str, name: str, user: Any, *, check_rules: bool) -> excel.ReadResult:
    with default_storage.open(name, "rb") as stored:
        return excel.read_workbook(kind, stored, user=user, check_rules=check_rules)


def _upload(request: HttpRequest, kind: str) -> HttpResponse:
    user: Any = request.user
    _require_writer(user)
    if request.method != "POST":
        return _page(request, kind)
    upload = request.FILES.get("file")
    if upload is None:
        return _page(request, kind, error=_("请选择要导入的 Excel 文件。"))
    original = clean_name(upload.name or "")
    try:
        check_xlsx(upload)
    except ValidationError as exc:
        return _page(request, kind, error="；".join(exc.messages), filename=original)
    stored = default_storage.save(f"{STASH_DIR}/{uuid.uuid4().hex}.xlsx", upload)
    result = _read(kind, stored, user, check_rules=True)
    if not result.ok:
        default_storage.delete(stored)
        return _page(request, kind, problems=result.problems, filename=original)
    token = signing.dumps(
        {"file": stored, "user": user.pk, "name": original, "kind": kind}, salt=SIGNING_NAMESPACE
    )
    preview = [
        (n, row if kind == "people" else row.data, "" if kind == "people" else row)
        for n, row in zip(
            result.row_numbers[:PREVIEW_ROWS], result.rows[:PREVIEW_ROWS], strict=True
        )
    ]
    return _page(
        request, kind, filename=original, preview=preview, total=len(result.rows), token=token
    )


def _confirm(request: HttpRequest, kind: str) -> HttpResponse:
    user: Any = request.user
    _require_writer(user)
    try:
        payload = signing.loads(
            request.POST.get("token", ""), salt=SIGNING_NAMESPACE, max_age=PREVIEW_MAX_AGE
        )
    except signing.BadSignature:
        payload = None
    if (
        not isinstance(payload, dict)
        or payload.get("user") != user.pk
        or payload.get("kind") != kind
        or not str(payload.get("file", "")).startswith(f"{STASH_DIR}/")
        or not default_storage.exists(payload["file"])
    ):
        return _page(request, kind, error=_("预览已过期或该文件已经导入，请重新上传。"))
    stored, original = payload["file"], payload["name"]
    result = _read(kind, stored, user, check_rules=False)
    count = 0
    if result.ok:
        run = imports.people_import if kind == "people" else imports.teams_import
        try:
            count = run(user=user, rows=result.rows, row_numbers=result.row_numbers)
        except imports.ImportRejected as exc:
            result.add_rule_problems(exc.problems)
        except ValidationError as exc:
            # A name became ambiguous since the preview, say: the batch is refused whole.
            return _page(request, kind, error="；".join(exc.messages), filename=original)
    default_storage.delete(stored)
    if not result.ok:
        return _page(request, kind, problems=result.problems, filename=original)
    messages.success(
        request,
        _("已从“%(name)s”导入 %(n)d 条%(what)s。")
        % {"name": original, "n": count, "what": KINDS[kind]},
    )
    return redirect(_names(kind)["list"])


@login_required
@require_GET
def people_import_template(request: HttpRequest) -> HttpResponseBase:
    return _template(request, "people")


@login_required
def people_import(request: HttpRequest) -> HttpResponse:
    return _upload(request, "people")


@login_required
@require_POST
def people_import_confirm(request: HttpRequest) -> HttpResponse:
    return _confirm(request, "people")


@login_required
@require_GET
def teams_import_template(request: HttpRequest) -> HttpResponseBase:
    return _template(request, "teams")


@login_required
def teams_import(request: HttpRequest) -> HttpResponse:
    return _upload(request, "teams")


@login_required
@require_POST
def teams_import_confirm(request: HttpRequest) -> HttpResponse:
    return _confirm(request, "teams")


def _send(write: Any, stem: str) -> FileResponse:
    # A temporary file: write_only holds one row at a time and the response streams the file.
    target = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (FileResponse closes it)
    write(target)
    target.seek(0)
    return FileResponse(
        target, as_attachment=True, filename=export_name(stem), content_type=XLSX_MIME
    )


@login_required
@require_GET
def people_export(request: HttpRequest) -> FileResponse:
    user: Any = request.user
    c = list_filter(request)
    qs = selectors.person_search(
        user, selectors.PersonFilter(unit=c.get("unit") or "", text=c.get("q") or "")
    )
    return _send(lambda t: excel.export_people(user, qs.iterator(chunk_size=2000), t), "人员")


@login_required
@require_GET
def teams_export(request: HttpRequest) -> FileResponse:
    user: Any = request.user
    c = list_filter(request)
    f = selectors.TeamFilter(
        unit=c.get("unit") or "", genre_id=c.get("genre"), active=c.get("active"),
        text=c.get("q") or "",
    )  # fmt: skip
    qs = selectors.team_search(user, f).prefetch_related("members__person")
    return _send(lambda t: excel.export_teams(qs.iterator(chunk_size=2000), t), "队伍")


@login_required
@require_GET
def training_export(request: HttpRequest) -> FileResponse:
    user: Any = request.user
    c = list_filter(request)
    f = selectors.TrainingFilter(
        unit=c.get("unit") or "", start=c.get("start"), end=c.get("end"), text=c.get("q") or ""
    )
    qs = selectors.training_export(user, f)
    return _send(lambda t: excel.export_training(qs.iterator(chunk_size=2000), t), "培训班")


@login_required
@require_GET
def honours_export(request: HttpRequest) -> FileResponse:
    user: Any = request.user
    c = list_filter(request)
    f = selectors.HonourFilter(
        unit=c.get("unit") or "", level=c.get("level") or "", kind=c.get("kind") or "",
        year=c.get("year"), text=c.get("q") or "",
    )  # fmt: skip
    qs = selectors.honour_search(user, f)
    return _send(lambda t: excel.export_honours(qs.iterator(chunk_size=2000), t), "荣誉")
