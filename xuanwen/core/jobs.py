"""Big imports as background tasks: the task, its live progress, a preview kept for later.

An upload of more than settings.IMPORT_TASK_ROWS data rows is not read in its request, which
would keep the user (and a server worker) waiting for half a minute and more: the flow
(core.imports.ImportFlow) stashes it, records an ImportJob and enqueues `run_import_job`
through Django's tasks API (the django-tasks backport; by default the database backend, run
by `xuanwen db_worker`). The request answers at once with the job's page, whose progress bar
polls a small status view every second; the user may leave and come back through "我的导入".
The task runs exactly the steps the two requests of a small import run (ImportFlow.run_job),
so the rules, the messages and the all-or-nothing save are the same.

**Progress.** Reading and saving report every core.progress.EVERY rows. The report goes to a
small JSON file beside the stashed upload, not to the job's row: the save runs in one
transaction, and nothing written inside it can be seen by the status view (another
connection) before it commits; on SQLite another connection could not even write while it
runs. The job's row records each change of phase; the file's age is also the task's
heartbeat.

**Failure.** A task that raises records why, in Chinese, and its upload is removed. A worker
killed halfway (kill -9, a crash, the machine stopping) cannot record anything: its save's
transaction is rolled back by the database, so nothing is half-written, and a job that has not
moved for STALE_AFTER is shown as failed, with that reason, when it is next looked at.

**The finished preview** is the flow's own import page, shown again from the page context
the task computed: `freeze` keeps it as JSON (records and rows as their fields and text, dates
as dates), `thaw` gives the template back what it reads.
"""

import json
import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import fields as dataclass_fields
from dataclasses import is_dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from importlib import import_module
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, models
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django_tasks import task
from openpyxl import load_workbook

from . import clock, packages, progress, sheets
from .models import ImportJob

if TYPE_CHECKING:
    from .imports import ImportFlow

logger = logging.getLogger(__name__)

# A running job whose progress has not moved for this long lost its worker. The slowest step
# without reports (an app's checks of 200,000 rows) takes well under a minute.
STALE_AFTER = timedelta(minutes=10)
# What a data row of an import takes in an .xlsx, about: a file whose sheet declares no size
# (openpyxl's write-only mode omits it; Excel and WPS always write it) is judged by its bytes.
BYTES_PER_ROW = 60
# What a file of a data package weighs against rows when judging whether it runs as a task:
# checking a photo (decoding, re-encoding, a thumbnail) takes about as long as this many rows.
ROWS_PER_FILE = 50

# The flows by key, registered as they are routed (ImportFlow.views).
FLOWS: dict[str, "ImportFlow"] = {}


def register(flow: "ImportFlow") -> None:
    FLOWS[flow.key] = flow


def flow_of(key: str) -> "ImportFlow | None":
    """The flow of `key`. A worker routes no URL, so the site's URL map is loaded first: routing
    each flow is what registers it."""
    if key not in FLOWS:
        import_module(settings.ROOT_URLCONF)
    return FLOWS.get(key)


# --- Which uploads run as tasks -----------------------------------------------------------


def data_rows(stored: str) -> int:
    """The data rows of a stashed upload, about: its sheets' declared size less the header
    row, read without reading a row (or its bytes, for a sheet declaring none); a data
    package's files count as ROWS_PER_FILE rows each."""
    try:
        with packages.opened(stored) as source:
            book = load_workbook(source, read_only=True, keep_links=False)
            try:
                declared = [sheet.max_row for sheet in book.worksheets]
            finally:
                book.close()
            size = source.seek(0, 2)
    except sheets.UNREADABLE:
        return 0  # read in the request, which names the problem at once
    files = packages.file_count(stored) * ROWS_PER_FILE
    if declared and all(declared):
        return max(int(rows) for rows in declared if rows) - 1 + files
    return int(size // BYTES_PER_ROW) + files


def runs_as_task(rows: int) -> bool:
    """Whether an upload of about `rows` data rows is read in the background. One whose sheet
    declares more than an import may hold is read in the request, which refuses it from the
    declared size alone, at once and without reading a row."""
    return settings.IMPORT_TASK_ROWS < rows < sheets.SHEET_ROWS_MAX


def start(job: ImportJob) -> None:
    """Save the job as queued and enqueue its task (preview or save, as its step says)."""
    job.state = ImportJob.State.QUEUED
    job.phase, job.done, job.finished_at = "", 0, None
    job.save()
    run_import_job.enqueue(job.pk)


# --- The task -------------------------------------------------------------------------------


@task()
def run_import_job(job_id: int) -> None:
    """Run a queued job's step through its flow; a failure is recorded, never raised."""
    job = ImportJob.objects.select_related("user").filter(pk=job_id).first()
    if job is None or job.state != ImportJob.State.QUEUED:
        return  # removed, or already run
    job.state = ImportJob.State.RUNNING
    job.save(update_fields=["state", "updated_at"])
    with translation.override(job.language or settings.LANGUAGE_CODE):
        try:
            flow = flow_of(job.flow)
            if flow is None:
                raise LookupError(job.flow)
            flow.run_job(job)
        except Exception as exc:
            logger.exception("import job %s failed", job.pk)
            fail(job, failure(exc))
        finally:
            clear_live(job)


def failure(exc: Exception) -> str:
    """Why a task failed, for the user."""
    if isinstance(exc, FileNotFoundError):
        return _("上传的文件已不存在（未确认的上传一天后会被清除），没有导入任何记录。请重新上传。")
    if isinstance(exc, DatabaseError):
        return _(
            "写入数据库时出错（%(error)s），没有导入任何记录。请稍后重试；再次出错请联系管理员。"
        ) % {"error": type(exc).__name__}
    return _(
        "处理时出错（%(error)s），没有导入任何记录。请重试；再次出错请联系管理员查看服务器日志。"
    ) % {"error": type(exc).__name__}


def fail(job: ImportJob, message: str) -> None:
    """The job failed for `message`; its upload is of no more use."""
    job.state = ImportJob.State.FAILED
    job.error = message
    job.finished_at = clock.now()
    job.save()
    default_storage.delete(job.file)


def finish(
    job: ImportJob,
    *,
    result: dict[str, Any] | None = None,
    problems: list[str] | None = None,
    problem_count: int = 0,
) -> None:
    job.state = ImportJob.State.DONE
    job.result = result or {}
    job.problems = problems or []
    job.problem_count = problem_count
    job.done = job.total
    job.finished_at = clock.now()
    job.save()


# --- Progress --------------------------------------------------------------------------------


def live_name(job: ImportJob) -> str:
    return f"{job.file}.progress.json"


@contextmanager
def phase(job: ImportJob, name: str, total: int) -> Iterator[None]:
    """Record that `job` enters phase `name` of `total` rows; the steps reported inside the
    block (core.progress) go to the live file."""
    job.phase, job.done, job.total = name, 0, total
    job.save(update_fields=["phase", "done", "total", "updated_at"])
    write_live(job, 0)

    def report(done: int) -> None:
        write_live(job, min(done, total))

    with progress.reporting(report):
        yield


def write_live(job: ImportJob, done: int) -> None:
    """The job's progress as a small file (see the module's note); a reader that finds it
    missing or half-written falls back to the job's row."""
    name = live_name(job)
    content = json.dumps({"phase": job.phase, "done": done, "total": job.total})
    default_storage.delete(name)
    default_storage.save(name, ContentFile(content.encode()))


def read_live(job: ImportJob) -> dict[str, Any] | None:
    try:
        with default_storage.open(live_name(job), "rb") as live:
            data = json.loads(live.read())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def clear_live(job: ImportJob) -> None:
    default_storage.delete(live_name(job))


def progress_of(job: ImportJob) -> tuple[str, int, int]:
    """(phase, rows done, rows in all) as the page shows them: live while the task runs."""
    if job.state == ImportJob.State.RUNNING:
        live = read_live(job)
        if live and live.get("phase") == job.phase:
            return job.phase, int(live.get("done", 0)), int(live.get("total", job.total))
    return job.phase, job.done, job.total


def heartbeat(job: ImportJob) -> datetime:
    """When the job last moved: its row's last change, or its live file's."""
    try:
        return max(job.updated_at, default_storage.get_modified_time(live_name(job)))
    except (OSError, NotImplementedError):
        return job.updated_at


def check_stale(job: ImportJob) -> None:
    """A running job that stopped moving lost its worker: record it as failed."""
    if job.state == ImportJob.State.RUNNING and clock.now() - heartbeat(job) > STALE_AFTER:
        clear_live(job)
        fail(
            job,
            _(
                "后台处理中断（处理它的进程已停止），没有导入任何记录：写入在一个事务中进行，"
                "中断时全部撤销。请重新上传。"
            ),
        )


# --- The preview kept as JSON ---------------------------------------------------------------

_DEPTH = 3  # a row's record's related record (an activity's unit) is as deep as pages read


class Frozen:
    """A record or a row of a preview as its page reads it again: its fields by name (and by
    position, for a row that was a tuple) and its text."""

    def __init__(self, text: str, fields: dict[str, Any], items: list[Any] | None = None):
        self._text, self._fields, self._items = text, fields, items or []

    def __str__(self) -> str:
        return self._text

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["_fields"][name]
        except KeyError:
            raise AttributeError(name) from None

    def __getitem__(self, key: Any) -> Any:
        return self._items[key] if isinstance(key, int) else self._fields[key]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._items)


def freeze(value: Any, depth: int = 0) -> Any:
    """A page context's value as JSON that `thaw` turns back into what the template reads."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, datetime):
        return {"~": "datetime", "v": value.isoformat()}
    if isinstance(value, date):
        return {"~": "date", "v": value.isoformat()}
    if isinstance(value, Decimal):
        return {"~": "decimal", "v": str(value)}
    if isinstance(value, Mapping):
        return {"~": "dict", "v": {str(k): freeze(v, depth) for k, v in value.items()}}
    if isinstance(value, tuple) and hasattr(value, "_asdict"):  # a named tuple
        items = [freeze(v, depth) for v in value]
        names = {k: freeze(v, depth) for k, v in value._asdict().items()}
        return {"~": "obj", "s": str(value), "v": names, "i": items}
    if isinstance(value, list | tuple | set | frozenset):
        return [freeze(v, depth) for v in value]
    if depth >= _DEPTH:
        return str(value)
    if isinstance(value, models.Model):
        return {"~": "obj", "s": str(value), "v": _model_fields(value, depth + 1)}
    if is_dataclass(value) and not isinstance(value, type):
        names = {f.name: freeze(getattr(value, f.name), depth + 1) for f in dataclass_fields(value)}
        return {"~": "obj", "s": str(value), "v": names}
    return str(value)


def _model_fields(record: models.Model, depth: int) -> dict[str, Any]:
    """A record's columns, and its related records already loaded (what a page shows)."""
    values: dict[str, Any] = {"pk": freeze(record.pk, depth)}
    for f in record._meta.concrete_fields:
        values[f.attname] = freeze(getattr(record, f.attname), depth)
        if f.is_relation and f.is_cached(record):  # type: ignore[attr-defined]
            values[f.name] = freeze(getattr(record, f.name), depth)
    return values


def thaw(value: Any) -> Any:
    if isinstance(value, list):
        return [thaw(v) for v in value]
    if not isinstance(value, dict):
        return value
    kind: Any = value.get("~")
    inner: Any = value.get("v")
    if kind == "datetime":
        return datetime.fromisoformat(inner)
    if kind == "date":
        return date.fromisoformat(inner)
    if kind == "decimal":
        return Decimal(inner)
    if kind == "obj":
        fields = {k: thaw(v) for k, v in inner.items()}
        return Frozen(value.get("s", ""), fields, [thaw(v) for v in value.get("i", [])])
    return {k: thaw(v) for k, v in (inner or {}).items()}
