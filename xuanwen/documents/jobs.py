"""A supervisor's units' summaries as one .zip, made in the background (#16, item 5).

Like a big import (core.jobs) the request only records a DocumentJob and enqueues
`run_document_job` through Django's tasks API; the job's page polls its progress, a unit at a
time, and offers the .zip once it is done. Unlike an import nothing is written to the
database but the job's own row, so the progress is kept on the row itself.

The .zip holds each child unit's 工作总结 (.docx, in the template that child uses) and the
unit's statistics tables (.xlsx, a sheet per domain, a row per child). A job is its user's own
and names a unit of their scope; a job of another user, or whose unit has left the user's
scope since, is a 404 (views).
"""

import io
import logging
import tempfile
import zipfile

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from xuanwen.accounts.models import User
from xuanwen.accounts.permissions import can_see
from xuanwen.core import clock
from xuanwen.core.jobs import STALE_AFTER
from xuanwen.core.sheets import safe_text
from xuanwen.indicators.periods import Period, PeriodKind, parse_period
from xuanwen.units.models import Unit

from . import generate
from .models import DocumentJob
from .tables import statistics_book

logger = logging.getLogger(__name__)
UNITS_MAX = 200  # the children one .zip holds: a county has 10–40 townships, a city 5–20 counties
KINDS = (PeriodKind.YEAR, PeriodKind.HALF)
ZIP_MIME = "application/zip"


def file_name(title: str, extension: str) -> str:
    """A member's name in the .zip: the document's title, with nothing a path could take."""
    clean = safe_text(title)
    for bad in '/\\:*?"<>|':
        clean = clean.replace(bad, " ")
    return f"{clean.strip()[:100] or 'document'}.{extension}"


def children(unit: Unit) -> list[Unit]:
    return list(Unit.objects.filter(parent_id=unit.code).order_by("code"))


def zip_start(*, user: User, unit: Unit, period: Period) -> DocumentJob:
    """Record the job and enqueue it; ValidationError when there is nothing to make."""
    if not can_see(user, unit.code):
        raise PermissionDenied(_("您无权查看该单位。"))
    if period.kind not in KINDS:
        raise ValidationError(_("工作总结按年度或半年生成，请选择年度或上、下半年。"))
    count = Unit.objects.filter(parent_id=unit.code).count()
    if not count:
        raise ValidationError(_("“%(u)s”没有下级单位，请直接生成其工作总结。") % {"u": unit.name})
    if count > UNITS_MAX:
        raise ValidationError(
            _("“%(u)s”有 %(n)d 个下级单位，一次最多打包 %(max)d 个，请选择其下级单位分别打包。")
            % {"u": unit.name, "n": count, "max": UNITS_MAX}
        )
    job = DocumentJob.objects.create(
        user=user,
        unit=unit,
        period=period.key,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        total=count,
    )
    run_document_job.enqueue(job.pk)
    return job


def build_zip(unit: Unit, period: Period, job: DocumentJob | None = None) -> io.BufferedRandom:
    """The .zip of the unit's children's summaries and its statistics, as a temporary file;
    `job` is told of each unit done."""
    target = tempfile.TemporaryFile(suffix=".zip")  # noqa: SIM115 (the caller closes it)
    today = clock.today()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for n, child in enumerate(children(unit), start=1):
            title, data = generate.summary_docx(child, period, today)
            archive.writestr(file_name(title, "docx"), data)
            if job is not None:
                job.done = n
                job.save(update_fields=["done", "updated_at"])
        book = statistics_book(unit, period)
        stats = io.BytesIO()
        with translation.override("zh-hans"):
            book.save(stats)
        archive.writestr(
            file_name(generate.statistics_stem(unit, period), "xlsx"), stats.getvalue()
        )
    target.seek(0)
    return target


@task()
def run_document_job(job_id: int) -> None:
    """Make a queued job's .zip; a failure is recorded, never raised."""
    job = DocumentJob.objects.select_related("unit").filter(pk=job_id).first()
    if job is None or job.state != DocumentJob.State.QUEUED:
        return
    job.state = DocumentJob.State.RUNNING
    job.save(update_fields=["state", "updated_at"])
    with translation.override(job.language or settings.LANGUAGE_CODE):
        try:
            with build_zip(job.unit, parse_period(job.period), job) as made:
                name = default_storage.save(f"documents/jobs/{job.pk}.zip", File(made))
            job.file, job.state = name, DocumentJob.State.DONE
        except Exception as exc:
            logger.exception("document job %s failed", job.pk)
            job.state = DocumentJob.State.FAILED
            job.error = _("生成时出错（%(e)s），请重试；再次出错请联系管理员查看服务器日志。") % {
                "e": type(exc).__name__
            }
        job.finished_at = clock.now()
        job.save()


def job_for(user: User, pk: int) -> DocumentJob:
    """The user's own job whose unit is still in their scope, or a 404."""
    mine = DocumentJob.objects.filter(user.scope.q("unit_id"), user=user).select_related("unit")
    job = get_object_or_404(mine, pk=pk)
    check_stale(job)
    return job


def zip_response(job: DocumentJob) -> FileResponse:
    """The finished job's .zip as a download; a 404 until it is done or once it is gone."""
    if job.state != DocumentJob.State.DONE or not job.file:
        raise Http404(_("文件尚未生成。"))
    try:
        stored = default_storage.open(job.file, "rb")
    except OSError as exc:
        raise Http404(_("文件已不存在，请重新生成。")) from exc
    name = _("%(u)s%(p)s工作总结.zip") % {"u": job.unit.name, "p": parse_period(job.period).label}
    return FileResponse(stored, as_attachment=True, filename=name, content_type=ZIP_MIME)


def check_stale(job: DocumentJob) -> None:
    """A running job that stopped moving lost its worker: record it as failed."""
    if job.state == DocumentJob.State.RUNNING and clock.now() - job.updated_at > STALE_AFTER:
        job.state = DocumentJob.State.FAILED
        job.error = _("后台处理中断（处理它的进程已停止），请重新生成。")
        job.finished_at = clock.now()
        job.save()
