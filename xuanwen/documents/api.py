"""The documents over the API: any document of a unit and period as its file, and a
supervisor's units' summaries as a background .zip job (jobs.py) to poll and download.

The unit defaults to the caller's and must be in their scope (404 otherwise, as everywhere);
the period is bounded and parsed as the pages do; a job is its caller's own.
"""

from datetime import datetime
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from xuanwen.accounts.permissions import request_user
from xuanwen.core import clock, sheets
from xuanwen.indicators.periods import Period, parse_period
from xuanwen.records.schemas import Id
from xuanwen.units.models import Unit
from xuanwen.units.selectors import get_unit_for_user

from . import files, generate, jobs
from .models import DocumentJob
from .notice import NoNotice

router = Router(tags=["documents 文档"])

Code = Annotated[str, Field(max_length=12)]
PeriodKey = Annotated[str, Field(max_length=24, description="2026、2026-H1、2026-H2")]
DOCUMENTS = ("summary", "appendix", "plan", "statistics")
Document = Annotated[str, Field(max_length=20, description="、".join(DOCUMENTS))]
BINARY = {"schema": {"type": "string", "format": "binary"}}


class DocumentJobIn(Schema):
    unit: Code | None = None
    period: PeriodKey


class DocumentJobOut(Schema):
    id: int
    unit: str
    unit_name: str
    period: str
    state: str
    done: int
    total: int
    error: str
    created_at: datetime
    finished_at: datetime | None
    download_url: str


def _job_out(job: DocumentJob) -> dict[str, Any]:
    done = job.state == DocumentJob.State.DONE
    return {
        "id": job.pk,
        "unit": job.unit_id,
        "unit_name": job.unit.name,
        "period": job.period,
        "state": job.state,
        "done": job.done,
        "total": job.total,
        "error": job.error,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
        "download_url": reverse("api-v1:document_job_download", args=[job.pk]) if done else "",
    }


def _unit_period(request: HttpRequest, unit: str | None, period: str | None) -> tuple[Unit, Period]:
    user = request_user(request)
    the_unit = get_unit_for_user(user, unit or user.unit_id or "")
    try:
        the_period = parse_period(period or str(clock.today().year))
    except ValueError as exc:
        raise ValidationError({"period": str(exc)}) from exc
    if the_period.kind not in jobs.KINDS:
        raise ValidationError({"period": _("文档按年度或半年生成，请选择年度或上、下半年。")})
    return the_unit, the_period


@router.get(
    "{document}",
    response={200: None},
    summary="生成文档（summary 总结、appendix 附表、plan 计划草稿、statistics 统计报表）",
    openapi_extra={
        "responses": {
            "200": {
                "description": "文档文件（.docx 或 .xlsx）",
                "content": {files.DOCX_MIME: BINARY, sheets.XLSX_MIME: BINARY},
            }
        }
    },
)
def document_file(
    request: HttpRequest,
    document: Document,
    period: PeriodKey | None = None,
    unit: Code | None = None,
) -> HttpResponseBase:
    """The document of the unit (default: the caller's) for the period (default: this year;
    "2026", "2026-H1"; plan: a year, drafting the next). A unit outside the caller's scope,
    or a document of another name, is 404."""
    if document not in DOCUMENTS:
        raise Http404(
            _("没有这种文档：%(d)s。可用：%(all)s。") % {"d": document, "all": "、".join(DOCUMENTS)}
        )
    the_unit, the_period = _unit_period(request, unit, period)
    today = clock.today()
    if document == "plan":
        try:
            title, data = generate.draft_docx(the_unit, the_period, today)
        except generate.NoDraft as exc:
            raise ValidationError({"period": str(exc)}) from exc
        return files.data_response(data, title, "docx", files.DOCX_MIME)
    if document == "summary":
        title, data = generate.summary_docx(the_unit, the_period, today)
        return files.data_response(data, title, "docx", files.DOCX_MIME)
    if document == "appendix":
        return generate.appendix_response(the_unit, the_period, request.build_absolute_uri("/"))
    return generate.statistics_response(the_unit, the_period)


def _notice(request: HttpRequest, run_id: int, appendix: bool) -> HttpResponseBase:
    user = request_user(request)
    try:
        if appendix:
            return generate.notice_appendix_response(user, run_id, request.build_absolute_uri("/"))
        title, data = generate.notice_docx(user, run_id)
    except NoNotice as exc:
        raise ValidationError({"run_id": str(exc)}) from exc
    return files.data_response(data, title, "docx", files.DOCX_MIME)


def _file_route(path: str, summary: str, mime: str) -> Any:
    """A GET operation answering a file of `mime` (its schema: binary)."""
    responses = {"200": {"description": summary, "content": {mime: BINARY}}}
    return router.get(
        path, response={200: None}, summary=summary, openapi_extra={"responses": responses}
    )


@_file_route("notices/{run_id}", "考核结果通报（已发布的考核结果，.docx）", files.DOCX_MIME)
def notice_file(request: HttpRequest, run_id: Id) -> HttpResponseBase:
    """The notice of a published assessment run (assessment API's runs) the caller sees, of
    the results in their scope; not published: 400 saying so; another's run: 404."""
    return _notice(request, run_id, appendix=False)


@_file_route("notices/{run_id}/appendix", "考核结果通报的数据附表（.xlsx）", sheets.XLSX_MIME)
def notice_appendix(request: HttpRequest, run_id: Id) -> HttpResponseBase:
    return _notice(request, run_id, appendix=True)


@router.post(
    "jobs/", response={202: DocumentJobOut}, summary="批量生成下级单位的工作总结（后台任务，.zip）"
)
def document_job_create(request: HttpRequest, payload: DocumentJobIn) -> Status[dict[str, Any]]:
    """Starts the job and answers at once; poll jobs/{job_id} until its state is done, then
    fetch its download_url."""
    the_unit, the_period = _unit_period(request, payload.unit, payload.period)
    job = jobs.zip_start(user=request_user(request), unit=the_unit, period=the_period)
    job.refresh_from_db()
    return Status(202, _job_out(job))


@router.get("jobs/{job_id}", response=DocumentJobOut, summary="批量生成任务的进度")
def document_job_detail(request: HttpRequest, job_id: Id) -> dict[str, Any]:
    return _job_out(jobs.job_for(request_user(request), job_id))


@router.get(
    "jobs/{job_id}/download",
    response={200: None},
    url_name="document_job_download",
    summary="下载批量生成的 .zip",
    openapi_extra={
        "responses": {"200": {"description": ".zip 文件", "content": {jobs.ZIP_MIME: BINARY}}}
    },
)
def document_job_download(request: HttpRequest, job_id: Id) -> FileResponse:
    return jobs.zip_response(jobs.job_for(request_user(request), job_id))
