"""Completion pages: record one (phone first), list, detail, evidence files, inspected
businesses. Reads through scoped selectors, writes through services, as everywhere."""

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from xuanwen.accounts.models import User
from xuanwen.accounts.permissions import can_write, request_user
from xuanwen.core import clock, files
from xuanwen.records.pages import (
    MAX_FILES_PER_POST,
    StoredFiles,
    detail_view,
    entry_page,
    flash_errors,
    header,
    list_view,
    photo_or_download,
    posted,
    require_write,
    said,
)
from xuanwen.units.pickers import unit_choices as filter_unit_choices

from . import cycles, selectors, services
from .filters import completion_filters
from .forms import (
    BusinessForm,
    CompletionForm,
    may_create,
)
from .models import Duty, DutyCompletion, EvidenceKind, InspectedBusiness


def _checked_uploads(request: HttpRequest) -> list[files.CheckedUpload]:
    """Every uploaded file checked by content; a ValidationError with all the problems, so
    the whole post is refused: the keeper re-picks the photos, nothing half-saved."""
    uploads = request.FILES.getlist("files")
    if len(uploads) > MAX_FILES_PER_POST:
        raise ValidationError(_("一次最多上传 %(n)s 个文件。") % {"n": MAX_FILES_PER_POST})
    checked, problems = [], []
    for upload in uploads:
        try:
            checked.append(files.check_upload(upload))
        except ValidationError as exc:
            problems.extend(exc.messages)
    if problems:
        raise ValidationError(problems)
    return checked


def _writable_duty(user: User, pk: int) -> Duty:
    duty = selectors.get_duty_for_user(user, pk)
    require_write(user, duty.unit_id, _("您不能为该单位登记常规工作的完成情况。"))
    return duty


def _writable_completion(user: User, pk: int, refused: str) -> DutyCompletion:
    """A completion a page changes: a 404 outside the scope, 403 saying `refused` unless
    the user may write for its duty's unit."""
    completion = selectors.get_completion_for_user(user, pk)
    require_write(user, completion.duty.unit_id, refused)
    return completion


@login_required
def completion_create(request: HttpRequest, pk: int) -> HttpResponse:
    """登记完成: date, note, photos/files, and for a market inspection the businesses."""
    user = request_user(request)
    duty = _writable_duty(user, pk)
    initial = {"done_on": clock.today(), "period": request.GET.get("period", "") or None}
    form = CompletionForm(posted(request), duty=duty, initial=initial)

    def create() -> DutyCompletion:
        uploads = _checked_uploads(request)
        return services.completion_create(user=user, data=form.to_data(), uploads=uploads)

    def done(completion: DutyCompletion) -> str:
        return _("已登记“%(name)s”%(period)s的完成情况。") % {
            "name": duty.name,
            "period": _period_label(duty, completion),
        }

    def context() -> dict[str, Any]:
        return {
            "duty": duty,
            "formset": form.businesses,
            "period": _named_period(duty, form),
            "upload_accept": files.ACCEPT,
            "upload_max_mb": files.max_bytes() // (1024 * 1024),
        }

    return entry_page(
        request, form, create, said=done, to=lambda completion: duty,
        template="duties/complete.html", context=context,
    )  # fmt: skip


def _period_label(duty: Duty, completion: DutyCompletion) -> str:
    return cycles.period_of(duty.cycle, duty.due_day, completion.period_start).label


def _named_period(duty: Duty, form: CompletionForm) -> cycles.DutyPeriod | None:
    """The overdue period the form makes up for, when the home page's link named one."""
    value = form["period"].value()
    try:
        day = value if isinstance(value, date) else date.fromisoformat(str(value or ""))
    except ValueError:
        return None
    return cycles.period_of(duty.cycle, duty.due_day, day)


completion_list = list_view(
    completion_filters,
    "duties/completions.html",
    lambda user: {
        **header(_("完成记录"), ("duties:list", _("常规工作"))),
        "unit_choices": filter_unit_choices(user),
        "may_create": may_create(user),
    },
)


def _detail_context(
    user: User, completion: DutyCompletion, business_form: BusinessForm | None = None
) -> dict[str, Any]:
    evidence = list(completion.evidence.all())
    duty = completion.duty
    title = f"{duty.name} {completion.done_on:%Y-%m-%d}"
    return {
        **header(title, ("duties:list", _("常规工作")), (duty, duty.name)),
        "completion": completion,
        "duty": duty,
        "period": cycles.period_of(duty.cycle, duty.due_day, completion.period_start),
        "photos": [e for e in evidence if e.kind == EvidenceKind.PHOTO],
        "files": [e for e in evidence if e.kind == EvidenceKind.FILE],
        "businesses": list(completion.businesses.all()),
        "business_form": business_form or BusinessForm(),
        "can_write": can_write(user, duty.unit_id),
        "upload_accept": files.ACCEPT,
        "upload_max_mb": files.max_bytes() // (1024 * 1024),
    }


completion_detail = detail_view(
    selectors.get_completion_for_user, "duties/completion.html", _detail_context
)


@login_required
def completion_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    completion = _writable_completion(user, pk, _("您不能修改该完成记录。"))
    form = CompletionForm(posted(request), duty=completion.duty, completion=completion)
    return entry_page(
        request,
        form,
        lambda: services.completion_update(user=user, completion=completion, **form.changes()),
        template="duties/completion_form.html",
        context={
            **header(
                _("修改完成记录"),
                (completion.duty, completion.duty.name),
                (completion, f"{completion.done_on:%Y-%m-%d}"),
            ),
            "completion": completion,
            "duty": completion.duty,
        },
    )


@login_required
@require_POST
def completion_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    completion = selectors.get_completion_for_user(user, pk)
    services.completion_delete(user=user, completion=completion)
    messages.success(request, _("已删除该完成记录，可在操作记录中恢复。"))
    return redirect(completion.duty)


# --- Evidence ------------------------------------------------------------------------------


EVIDENCE = StoredFiles(
    owner=lambda user, pk: _writable_completion(user, pk, _("您不能为该完成记录上传材料。")),
    add=services.evidence_add,
    of="completion",
    get=selectors.get_evidence_for_user,
    delete=services.evidence_delete,
    arg="evidence",
    anchor="evidence",
    deleted=_lazy("已删除“%(name)s”。"),
    no_thumb=_lazy("该材料没有缩略图。"),
    inline=photo_or_download(EvidenceKind.PHOTO),
)


# --- Inspected businesses ------------------------------------------------------------------


def _businesses(completion_id: int) -> HttpResponse:
    return redirect(reverse("duties:completion", args=[completion_id]) + "#businesses")


@login_required
@require_POST
def business_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    completion = _writable_completion(user, pk, _("您不能修改该检查记录。"))
    form = BusinessForm(request.POST)
    if form.is_valid():
        add = lambda: services.business_add(user=user, completion=completion, data=form.to_data())  # noqa: E731
        said(request, add, _("已添加检查对象。"))
    flash_errors(request, form)
    return _businesses(completion.pk)


def _on_business(
    request: HttpRequest, pk: int, action: Callable[[User, InspectedBusiness], object], done: str
) -> HttpResponse:
    """A button on an inspected business: `action(user, business)` (its service), then
    `done` % its name or the refusal, back at the completion's businesses."""
    user = request_user(request)
    business = selectors.get_business_for_user(user, pk)
    said(request, lambda: action(user, business), done % {"name": business.name})
    return _businesses(business.completion_id)


@login_required
@require_POST
def business_rectified(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a business's rectification done, on the date given (today by default)."""
    try:
        day = date.fromisoformat(request.POST.get("rectified_on", "")) or clock.today()
    except ValueError:
        day = clock.today()

    def rectify(user: User, business: InspectedBusiness) -> object:
        data = services.BusinessData(
            name=business.name,
            kind=business.kind,
            findings=business.findings,
            rectification_required=True,
            rectified=True,
            rectified_on=day,
        )
        return services.business_update(user=user, business=business, data=data)

    return _on_business(request, pk, rectify, _("已标记“%(name)s”整改完成。"))


@login_required
@require_POST
def business_delete(request: HttpRequest, pk: int) -> HttpResponse:
    delete = lambda user, business: services.business_delete(user=user, business=business)  # noqa: E731
    return _on_business(request, pk, delete, _("已删除检查对象“%(name)s”。"))
