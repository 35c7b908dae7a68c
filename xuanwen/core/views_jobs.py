"""The pages of big imports run as tasks (core.jobs): "我的导入", a job's page, its progress.

Every job is its user's own: another user's job is 404, as if it did not exist.
"""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from . import jobs
from .header import header
from .models import ImportJob

LISTED = 50  # the latest jobs "我的导入" shows


def _mine(request: HttpRequest) -> "QuerySet[ImportJob]":
    user: Any = request.user
    return ImportJob.objects.filter(user=user)


def _job(request: HttpRequest, pk: int) -> ImportJob:
    job = get_object_or_404(_mine(request), pk=pk)
    jobs.check_stale(job)
    return job


def _title(job: ImportJob) -> str:
    flow = jobs.flow_of(job.flow)
    return str(flow.title) if flow is not None and flow.title else _("批量导入")


def _status(job: ImportJob) -> str:
    """What became of the job, in a word or two."""
    if job.state == ImportJob.State.DONE:
        if job.problem_count:
            return _("有问题，未导入")
        return _("待确认") if job.step == ImportJob.Step.PREVIEW else _("已导入")
    return str(job.get_state_display())


@login_required
@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    rows = [
        {"job": job, "title": _title(job), "status": _status(job)}
        for job in _mine(request)[:LISTED]
    ]
    context = {"rows": rows, **header(_("我的导入"))}
    return render(request, "core/import_jobs.html", context)


def _progress_context(job: ImportJob) -> dict[str, Any]:
    phase, done, total = jobs.progress_of(job)
    return {
        "job": job,
        "phase": ImportJob.Phase(phase).label if phase else "",
        "done": done,
        "total": total,
        "running": job.state in (ImportJob.State.QUEUED, ImportJob.State.RUNNING),
    }


@login_required
@require_GET
def job_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A job's page: its progress while it runs, then what it came to. A finished preview (or
    a save refused for problems) is the flow's own import page."""
    job = _job(request, pk)
    flow = jobs.flow_of(job.flow)
    finished = job.state == ImportJob.State.DONE
    if flow is not None and finished and (job.problem_count or job.step == ImportJob.Step.PREVIEW):
        return flow.job_page(request, job)
    heading = header(flow.title, *flow.crumbs) if flow is not None and flow.title else {}
    context = {
        **heading,
        **_progress_context(job),
        "status": _status(job),
        "done_url": flow.done_url if flow is not None else "",
    }
    return render(request, "core/import_job.html", context)


@login_required
@require_GET
def job_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar, polled by the job's page every second; once the job has finished it
    asks the page to reload (htmx's HX-Refresh), which then shows the outcome."""
    return polled(request, "core/_import_progress.html", _progress_context(_job(request, pk)))


def polled(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """A progress bar a page polls while background work runs (context["running"]); once it
    has finished the answer asks the page to reload (HX-Refresh), which shows the outcome.
    Shared by every kind of background work's page."""
    response = render(request, template, context)
    if not context["running"]:
        response["HX-Refresh"] = "true"
    return response
