"""The .zip of a supervisor's units (jobs.py): started from the summary page, its page with the
progress bar, the download.

A job is its user's own and its unit must still be in their scope: anything else is a 404, as
if it did not exist.
"""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xuanwen.accounts.permissions import request_user
from xuanwen.core.header import header
from xuanwen.core.views_jobs import polled
from xuanwen.indicators.periods import Period, parse_period
from xuanwen.units.models import Unit

from . import jobs
from .models import DocumentJob
from .views import unit_period


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
@unit_period
def zip_start(request: HttpRequest, unit: Unit, period: Period) -> HttpResponseBase:
    """Start the .zip of the unit's children for the period; its page answers at once."""
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
    return polled(request, "documents/_zip_progress.html", _context(_job(request, pk)))


@login_required
@require_GET
def job_download(request: HttpRequest, pk: int) -> FileResponse:
    return jobs.zip_response(_job(request, pk))
