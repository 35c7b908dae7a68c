"""The .zip of a supervisor's units (jobs.py): started from the summary page, its page with the
progress bar, the download.

A job is its user's own and its unit must still be in their scope: anything else is a 404, as
if it did not exist.
"""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xuanwen.accounts.permissions import request_user
from xuanwen.core.header import header
from xuanwen.indicators.periods import parse_period

from . import jobs
from .models import DocumentJob
from .views import _asked, _unbound


def _job(request: HttpRequest, pk: int) -> DocumentJob:
    return jobs.job_for(request_user(request), pk)


def _context(job: DocumentJob) -> dict[str, Any]:
    return {
        "job": job,
        "period": parse_period(job.period),
        "running": job.state in (DocumentJob.State.QUEUED, DocumentJob.State.RUNNING),
    }


@login_required
@require_POST
def zip_start(request: HttpRequest) -> HttpResponse:
    """Start the .zip of the unit's children for the period; its page answers at once."""
    if _unbound(request):
        return redirect("documents:summary")
    unit, period = _asked(request)
    try:
        job = jobs.zip_start(user=request_user(request), unit=unit, period=period)
    except ValidationError as exc:
        return render(
            request, "documents/zip_job.html",
            {"error": "；".join(exc.messages), **header(_("批量生成工作总结"))}, status=400,
        )  # fmt: skip
    return redirect("documents:job", pk=job.pk)


@login_required
@require_GET
def job_page(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    heading = header(_("批量生成工作总结"), ("documents:summary", _("生成总结")))
    return render(request, "documents/zip_job.html", {**heading, **_context(job)})


@login_required
@require_GET
def job_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar, polled every second; once finished it asks the page to reload."""
    job = _job(request, pk)
    context = _context(job)
    response = render(request, "documents/_zip_progress.html", context)
    if not context["running"]:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_GET
def job_download(request: HttpRequest, pk: int) -> FileResponse:
    return jobs.zip_response(_job(request, pk))
