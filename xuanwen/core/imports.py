"""The Excel import pages every record type shares: template, upload → preview, confirm.

The import takes two requests. The upload is checked by content (core.sheets.check_xlsx),
stored on the server under a random name and read completely; the page lists every problem, or
previews what would be imported with a confirm button carrying a signed token that names the
stored file. The confirmation reads that stored file again (the database may have changed
meanwhile) and saves it through the app's service in one transaction. Nothing the browser sends
back but the token is trusted, and the token only points at a file this user uploaded within
the hour, for this record type.

An app describes its import once and routes the three views::

    FLOW = ImportFlow(
        key="rooms",
        page_template="rooms/import.html",
        template_filename="活动室导入模板",
        build_template=lambda user: excel.build_template(user=user),
        read=excel.read_workbook,           # (file, *, user, check_rules) -> result
        save=_save,                         # (user, result, filename) -> success message
        summary=_summary,                   # result -> extra preview context
        require=_require_writer,            # user -> None, or PermissionDenied
        done_url="rooms:list",
        urls="rooms:",                      # routed by records.urls.import_paths
    )
    import_template, import_upload, import_confirm = FLOW.views()

The import of an app's own record list, whose page is "<app>/import.html", routed as
"<app>:import…" and leading back to "<app>:list", is `ImportFlow.of_list("rooms", _("活动室"),
template_filename=…, …)`: the key, the page, the URLs and the crumb follow from the app's name.

`read` returns an ImportResult: the rows as the service's data with their sheet row numbers,
or every problem on its cell. `save` calls the batch service and returns the success message;
a service that refuses the batch at save time (the database changed since the preview) raises
Rejected, and the flow puts its problems on their cells like the preview's.

Every problem reads the same, whichever app and step found it (core.sheets.Problem):
"第 N 行 第 X 列（列名）：…", or "第 N 行：…" for a whole row and the bare message for the file.

A flow with `packages` also takes a data package (.zip: the data export's workbook with its
photos and files, core.packages): checked and bounded as a whole at the upload, stashed as a
.zip, and read as its data.xlsx with the package open beside it (packages.opened) so that the
reader checks the files it names and the save stores them (records.package).

An upload of more than settings.IMPORT_TASK_ROWS rows takes the same two steps as background
tasks (core.jobs): the upload and the confirmation each enqueue one and answer at once with
the job's page and its progress bar; the finished preview is this same page.
"""

import io
import re
import tempfile
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import IO, Any, Generic, Protocol, TypeVar

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import connection
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import clock, jobs, packages, sheets
from .files import clean_name, max_bytes
from .header import header
from .models import ImportJob

STASH_DIR = "imports"
PREVIEW_MAX_AGE = 3600  # seconds between the preview and the confirmation
STASH_KEEP = timedelta(days=1)  # uploads never confirmed are removed after this
PREVIEW_ROWS = 20
# More problems than this are counted but not all listed: the page must stay usable on a phone,
# and the first ones are what the user fixes first anyway.
PROBLEMS_SHOWN = 100
# A confirmation saving more rows than this has the tables it wrote analysed (PostgreSQL): until
# autovacuum comes round, the planner would count on the tables' old sizes.
ANALYZE_AFTER = 5_000


RowT = TypeVar("RowT")
# A batch's rule errors: {index into the rows: {field: message}}.
RowProblems = Mapping[int, Mapping[str, str]]


class Rejected(ValidationError):
    """A batch service refused the whole batch: `problems` are {row index: {field: message}}.

    Every service that saves many rows at once raises this one type. `row_numbers` are how
    the caller numbers the rows (a sheet's), else they count from 1; the messages read as
    core.sheets.Problem does. An import page puts the problems on their cells instead
    (ImportResult.add_rule_problems), where the columns are known.
    """

    def __init__(self, problems: RowProblems, row_numbers: Sequence[int] | None = None) -> None:
        self.problems = problems
        self.row_numbers = row_numbers
        super().__init__(
            [
                str(sheets.Problem(row_numbers[i] if row_numbers else i + 1, 0, "", message))
                for i, errors in sorted(problems.items())
                for message in errors.values()
            ]
        )

    @classmethod
    def from_error(
        cls, index: int, exc: ValidationError, row_numbers: Sequence[int] | None = None
    ) -> "Rejected":
        """A row's save refused by a single-record service: its field errors, by field
        (errors of no field go on the whole row)."""
        if hasattr(exc, "error_dict"):
            errors = {name: "".join(exc.message_dict[name]) for name in exc.error_dict}
        else:
            errors = {"": "".join(exc.messages)}
        return cls({index: errors}, row_numbers)


class Unit(Protocol):
    """What a reader needs of a unit (units.models.Unit): its code and name."""

    @property
    def code(self) -> str: ...

    @property
    def name(self) -> str: ...


UnitT = TypeVar("UnitT", bound=Unit)


@dataclass
class ImportResult(Generic[RowT]):
    """What a reader makes of an upload: the rows as the service's data with their sheet row
    numbers, and every problem, each on its cell.

    `table` is the sheet as core.sheets.read_table read it (it knows where each column is);
    `fields` says where a service's field error goes when the sheet calls the field otherwise
    (the bookhouse's "facility" is its name column, say). The reader adds problems with `add`
    and rows with `keep`; the service's rules come back through `add_rule_problems`.
    """

    table: sheets.Table
    fields: Mapping[str, str] = field(default_factory=dict)
    rows: list[RowT] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)
    # Sub-records read from a data export's extra sheets, by sheet: (index into rows, the
    # extra sheet's row number, the sub-record's values); see records.excel.DataBook.
    parts: dict[str, list[tuple[int, int, dict[str, Any]]]] = field(default_factory=dict)
    # The open data package the rows came from (core.packages), for the save to store the
    # files its "附件" sheet names; None for a plain workbook.
    package: Any = None

    @property
    def problems(self) -> list[sheets.Problem]:
        return self.table.problems

    @property
    def ok(self) -> bool:
        return not self.table.problems

    def keep(self, number: int, row: RowT) -> None:
        """A row that reads cleanly, with its sheet row number."""
        self.rows.append(row)
        self.row_numbers.append(number)

    def add(self, number: int, key: str, message: str) -> None:
        """A problem on the cell of field `key` in sheet row `number` (the whole row if the
        sheet has no such column)."""
        self.table.add(number, self.fields.get(key, key), message)

    def add_file_problem(self, message: str) -> None:
        self.table.problems.append(sheets.Problem(0, 0, "", message))

    def add_rule_problems(self, problems: RowProblems) -> None:
        """The services' errors ({index into rows: {field: message}}) on their cells."""
        for i, errors in problems.items():
            for key, message in errors.items():
                self.add(self.row_numbers[i], key, message)
        self.sort()

    def sort(self) -> None:
        self.table.sort()

    def unit_codes(self) -> set[str]:
        """The unit codes of the rows that read (the "unit" column)."""
        return {values["unit"] for _number, values in self.table.rows}

    def unit_of(
        self, number: int, values: Mapping[str, Any], units: Mapping[str, UnitT]
    ) -> UnitT | None:
        """The row's unit among `units` (those of the user's scope), or None with the problem
        added: a code not among them, or a unit name (optional) that is not the code's."""
        unit = units.get(values["unit"])
        if unit is None:
            self.add(number, "unit", sheets.unknown_unit_message(values["unit"]))
            return None
        name = values.get("unit_name", "")
        if name and name != unit.name:
            message = _("与单位代码不符：%(code)s 是“%(name)s”。")
            self.add(number, "unit_name", message % {"code": unit.code, "name": unit.name})
            return None
        return unit


View = Callable[[HttpRequest], HttpResponseBase]


@dataclass(frozen=True)
class ImportFlow:
    """One record type's import: how to build its template, read a file and save the rows."""

    key: str  # names the record type in the signed token, e.g. "facilities"
    page_template: str
    template_filename: Any  # the template's download name without .xlsx (lazy text is fine)
    build_template: Callable[[Any], bytes]
    read: Callable[..., "ImportResult[Any]"]  # (file, *, user, check_rules)
    # (user, result, filename) -> the success message; raises Rejected or ValidationError.
    save: Callable[[Any, Any, str], str | None]
    require: Callable[[Any], None]
    done_url: str
    # What the preview sums up besides the rows (how many units, which dates …).
    summary: Callable[[Any], dict[str, Any]] = lambda result: {}
    # What the page template needs besides the flow's own context (which register, say).
    context: dict[str, Any] = field(default_factory=dict)
    # How a row shows in the preview table: the row itself, or e.g. a tuple of cells.
    preview_row: Callable[[Any], Any] = lambda row: row
    # The page's heading ("批量导入…") after its crumbs, (URL name, label) pairs (see header).
    title: Any = ""
    crumbs: tuple[tuple[str, Any], ...] = ()
    # How the three views are named where they are routed (records.urls.import_paths): the
    # names' start, "rooms:" or "people:adult_". The page gets their addresses as
    # `template_url`, `upload_url` and `confirm_url`.
    urls: str = ""
    # Whether the page takes a data package (.zip: the data export with its files, see
    # core.packages) besides the .xlsx; `read` then gets its data.xlsx (packages.PackageBook).
    packages: bool = False

    @classmethod
    def of_list(cls, key: str, list_label: Any, **fields: Any) -> "ImportFlow":
        """The import of the record list routed as "<key>:list", in the app `key`: its page
        is "<key>/import.html", its views are routed as "<key>:import…" (urls "<key>:") and it
        leads back to the list, named `list_label` in its crumbs."""
        return cls(
            key=key,
            page_template=f"{key}/import.html",
            done_url=f"{key}:list",
            urls=f"{key}:",
            crumbs=((f"{key}:list", list_label),),
            **fields,
        )

    # --- the stored upload and its token --------------------------------------------------

    def _salt(self) -> str:
        return f"xuanwen.{self.key}.import"

    def _token(self, user: Any, stored: str, original: str, job: int | None = None) -> str:
        """The confirmation's token; a big import's also names its job (see core.jobs)."""
        payload: dict[str, Any] = {"file": stored, "user": user.pk, "name": original}
        if job is not None:
            payload["job"] = job
        return signing.dumps(payload, salt=self._salt())

    def _untoken(self, user: Any, token: str) -> dict[str, Any] | None:
        try:
            payload = signing.loads(token, salt=self._salt(), max_age=PREVIEW_MAX_AGE)
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

    def _read(self, name: str, user: Any, *, check_rules: bool) -> "ImportResult[Any]":
        with packages.opened(name) as stored:
            return self.read(stored, user=user, check_rules=check_rules)

    def _read_and_save(
        self, name: str, user: Any, original: str
    ) -> tuple["ImportResult[Any]", str | None]:
        """The confirmation's reading and save, the stored upload open throughout (a package's
        files are copied out of it as their records are saved)."""
        with packages.opened(name) as stored:
            result = self.read(stored, user=user, check_rules=False)
            message = self._save(user, result, original) if result.ok else None
        return result, message

    # --- the pages -------------------------------------------------------------------------

    def _page(self, request: HttpRequest, **context: Any) -> HttpResponse:
        problems = context.get("problems") or []
        context["problems_shown"] = [str(p) for p in problems[:PROBLEMS_SHOWN]]
        context["problems_hidden"] = max(len(problems) - PROBLEMS_SHOWN, 0)
        context.setdefault("max_mb", max_bytes() // 1024 // 1024)
        context.setdefault("max_rows", sheets.MAX_ROWS)
        context.setdefault("task_rows", settings.IMPORT_TASK_ROWS)
        context.setdefault("packages", self.packages)
        heading = header(self.title, *self.crumbs) if self.title else {}
        return render(
            request, self.page_template, {**heading, **self.addresses(), **self.context, **context}
        )

    def addresses(self) -> dict[str, str]:
        """The addresses of the template download, the upload and the confirmation."""
        if not self.urls:
            return {}
        return {
            "template_url": reverse(f"{self.urls}import_template"),
            "upload_url": reverse(f"{self.urls}import"),
            "confirm_url": reverse(f"{self.urls}import_confirm"),
        }

    def template_view(self, request: HttpRequest) -> HttpResponseBase:
        user: Any = request.user
        self.require(user)
        return xlsx_download(self.build_template(user), str(self.template_filename))

    def upload_view(self, request: HttpRequest) -> HttpResponse:
        """GET: the upload form. POST: check and read the file, then list problems or preview."""
        user: Any = request.user
        self.require(user)
        if request.method != "POST":
            return self._page(request)
        upload = request.FILES.get("file")
        if upload is None:
            return self._page(request, error=_("请选择要导入的 Excel 文件。"))
        original = clean_name(upload.name or "")
        package = self.packages and packages.is_package(upload)
        try:
            if package:
                packages.check_package(upload)
            else:
                sheets.check_xlsx(upload)
        except ValidationError as exc:
            return self._page(request, error="；".join(exc.messages), filename=original)
        stored = stash(upload, packages.SUFFIX if package else ".xlsx")
        rows = jobs.data_rows(stored)
        if jobs.runs_as_task(rows):
            job = ImportJob(
                user=user,
                flow=self.key,
                file=stored,
                filename=original,
                language=get_language() or "",
                total=rows,
            )
            jobs.start(job)
            return redirect(job)
        result = self._read(stored, user, check_rules=True)
        if not result.ok:
            default_storage.delete(stored)
            return self._page(request, problems=result.problems, filename=original)
        return self._page(
            request,
            filename=original,
            token=self._token(user, stored, original),
            **self._preview(result),
        )

    def _preview(self, result: "ImportResult[Any]") -> dict[str, Any]:
        """The preview's context: its first rows, how many, and the flow's summary."""
        rows = result.rows
        return {
            "preview": [
                (number, self.preview_row(row))
                for number, row in zip(
                    result.row_numbers[:PREVIEW_ROWS], rows[:PREVIEW_ROWS], strict=True
                )
            ],
            "total": len(rows),
            **self.summary(result),
        }

    def confirm_view(self, request: HttpRequest) -> HttpResponse:
        """Save the previewed file, all rows in one transaction or none."""
        user: Any = request.user
        self.require(user)
        payload = self._untoken(user, request.POST.get("token", ""))
        if payload is None:
            return self._page(request, error=_("预览已过期或该文件已经导入，请重新上传。"))
        stored, original = payload["file"], payload["name"]
        if "job" in payload:
            return self._confirm_job(request, user, payload)
        result, message = self._read_and_save(stored, user, original)
        default_storage.delete(stored)
        if not result.ok or message is None:
            return self._page(request, problems=result.problems, filename=original)
        messages.success(request, message)
        return redirect(self.done_url)

    def _save(self, user: Any, result: "ImportResult[Any]", original: str) -> str | None:
        """The app's save; a refusal (the database changed since the preview, say) becomes
        the result's problems, on their cells where the service names the field."""
        try:
            with tables_written() as tables:
                message = self.save(user, result, original)
            if len(result.rows) > ANALYZE_AFTER:
                analyze(tables)
            return message
        except Rejected as exc:
            result.add_rule_problems(exc.problems)
        except ValidationError as exc:
            result.add_file_problem("；".join(exc.messages))
        return None

    # --- a big import's steps, run as tasks (core.jobs) -------------------------------------

    def _confirm_job(
        self, request: HttpRequest, user: Any, payload: dict[str, Any]
    ) -> HttpResponse:
        """Enqueue the save of a previewed job, once."""
        job = ImportJob.objects.filter(
            pk=payload["job"],
            user=user,
            flow=self.key,
            file=payload["file"],
            step=ImportJob.Step.PREVIEW,
            state=ImportJob.State.DONE,
            problem_count=0,
        ).first()
        if job is None:
            return self._page(request, error=_("预览已过期或该文件已经导入，请重新上传。"))
        job.step = ImportJob.Step.SAVE
        jobs.start(job)
        return redirect(job)

    def run_job(self, job: ImportJob) -> None:
        """The task of `job`: the upload's preview or the confirmation's save, as the two
        requests of a small import run them, with the progress reported as it goes."""
        user = job.user
        try:
            self.require(user)  # the role may have changed since the upload
        except PermissionDenied as exc:
            jobs.fail(job, str(exc) or _("您没有导入的权限。"))
            return
        preview = job.step == ImportJob.Step.PREVIEW
        message = None
        with packages.opened(job.file) as stored:
            with jobs.phase(job, ImportJob.Phase.READ, job.total):
                result = self.read(stored, user=user, check_rules=preview)
            if preview and result.ok:
                jobs.finish(job, result=jobs.freeze(self._preview(result)))
                return
            if result.ok:
                with jobs.phase(job, ImportJob.Phase.SAVE, len(result.rows)):
                    message = self._save(user, result, job.filename)
        default_storage.delete(job.file)
        if message is None:
            problems = result.problems
            shown = [str(p) for p in problems[:PROBLEMS_SHOWN]]
            jobs.finish(job, problems=shown, problem_count=len(problems))
        else:
            jobs.finish(job, result={"message": message})

    def job_page(self, request: HttpRequest, job: ImportJob) -> HttpResponse:
        """A finished job's problems, or its preview with the confirmation: this flow's own
        import page, as the requests of a small import show them."""
        self.require(request.user)
        if job.problem_count:
            problems = Listed(job.problems, job.problem_count)
            return self._page(request, problems=problems, filename=job.filename, job=job)
        if not default_storage.exists(job.file):
            return self._page(request, error=_("预览已过期或该文件已经导入，请重新上传。"))
        return self._page(
            request,
            filename=job.filename,
            token=self._token(job.user, job.file, job.filename, job=job.pk),
            job=job,
            **jobs.thaw(job.result),
        )

    def views(self) -> tuple[View, View, View]:
        """The template download, the upload (with preview) and the confirmation; routing a
        flow also makes it known to the background tasks (core.jobs)."""
        jobs.register(self)
        return (
            login_required(require_GET(self.template_view)),
            login_required(self.upload_view),
            login_required(require_POST(self.confirm_view)),
        )


class Listed(Sequence[str]):
    """A job's problems as the page counts them: the first ones kept, and how many in all."""

    def __init__(self, shown: list[str], total: int) -> None:
        self.shown, self.total = shown, total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index: Any) -> Any:
        return self.shown[index]


def stash(upload: Any, suffix: str = ".xlsx") -> str:
    """Keep an upload under a random name until it is confirmed; returns its storage name (a
    data package's ends in .zip, which is how the readers tell it, core.packages.opened)."""
    sweep()
    return default_storage.save(f"{STASH_DIR}/{uuid.uuid4().hex}{suffix}", upload)


def sweep() -> None:
    """Remove stashed uploads older than STASH_KEEP (previews nobody confirmed)."""

    try:
        _dirs, names = default_storage.listdir(STASH_DIR)
    except (FileNotFoundError, NotImplementedError):
        return
    cutoff = clock.now() - STASH_KEEP
    for name in names:
        path = f"{STASH_DIR}/{name}"
        try:
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
        except (FileNotFoundError, NotImplementedError):
            continue


# The table an INSERT or UPDATE statement writes, as Django quotes it.
_WRITTEN_TABLE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE)\s+"([^"]+)"', re.IGNORECASE)


@contextmanager
def tables_written() -> Iterator[set[str]]:
    """The names of the tables the statements run inside the block insert into or update.

    Watching the statements names exactly what an app's save wrote (its records, their
    parts, the audit log) without every app having to list its models for the import."""
    tables: set[str] = set()

    def watch(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        match = _WRITTEN_TABLE.match(sql)
        if match:
            tables.add(match[1])
        return execute(sql, params, many, context)

    with connection.execute_wrapper(watch):
        yield tables


def analyze(tables: Iterable[str]) -> None:
    """Refresh PostgreSQL's statistics of `tables` after a large import (other databases plan
    without them, or keep them themselves)."""
    names = sorted(tables)
    if connection.vendor != "postgresql" or not names:
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(n) for n in names))


def xlsx_download(content: bytes, filename: str) -> FileResponse:
    """An .xlsx built in memory (a template) as a download."""
    return FileResponse(
        io.BytesIO(content),
        as_attachment=True,
        filename=f"{filename}.xlsx",
        content_type=sheets.XLSX_MIME,
    )


def refusing(allowed: Callable[[Any], bool], refusal: Any) -> Callable[[Any], None]:
    """A flow's `require`: PermissionDenied with `refusal` for a user `allowed` turns down."""

    def require(user: Any) -> None:
        if not allowed(user):
            raise PermissionDenied(refusal)

    return require


def export_view(
    *,
    records: Callable[[HttpRequest], Any],
    write: Callable[[Iterable[Any], IO[bytes]], int],
    stem: Any,
    back: str,
    too_many: Any = "",
    package: bool = False,
) -> View:
    """A list's export as a view: `records(request)` is the list page's queryset (same
    filters, same scope); the rest is export_response's (lazy text is fine)."""

    @login_required
    @require_GET
    def export(request: HttpRequest) -> HttpResponseBase:
        return export_response(
            request,
            records=records(request),
            write=write,
            stem=str(stem),
            back=back,
            too_many=str(too_many),
            package=package,
        )

    return export


def export_response(
    request: HttpRequest,
    *,
    records: Any,
    write: Callable[[Iterable[Any], IO[bytes]], int],
    stem: str,
    back: str,
    too_many: str = "",
    package: bool = False,
) -> HttpResponseBase:
    """A filtered list as .xlsx, streamed from a temporary file.

    `records` is the list page's queryset (same filters, same scope); above Excel's row limit
    the user is sent back to `back` with `too_many` (which may use %(n)d; "…记录超过 n 条…"
    unless the app says it in its own words). write_only holds one
    row at a time, and the response streams the finished file in chunks. With `package`,
    `write` writes a data package (.zip, core.packages) rather than a workbook.
    """
    if records.count() > sheets.EXPORT_MAX:
        too_many = too_many or _(
            "符合条件的记录超过 %(n)d 条，超出 Excel 的行数上限，请缩小范围后再导出。"
        )
        messages.error(request, too_many % {"n": sheets.EXPORT_MAX})
        return redirect(back)
    suffix = packages.SUFFIX if package else ".xlsx"
    target = tempfile.TemporaryFile(suffix=suffix)  # noqa: SIM115 (FileResponse closes it)
    write(records.iterator(chunk_size=2000), target)
    target.seek(0)
    return FileResponse(
        target,
        as_attachment=True,
        filename=packages.download_name(stem) if package else sheets.export_name(stem),
        content_type=packages.MIME if package else sheets.XLSX_MIME,
    )
