"""Training class pages: list, detail with sessions and trainees, entry form, and the roll call
of a session (a list of trainees with checkboxes, made for a phone)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xuanwen.accounts.models import User
from xuanwen.accounts.permissions import can_write, request_user
from xuanwen.core.entry import errors_to_form

from . import selectors, services
from .forms import SessionForm, TraineeForm, TrainingForm, split_names, training_initial
from .models import TrainingClass
from .views import (
    form_kwargs,
    list_filter,
    render_form,
    render_list,
    require_create,
    require_write,
    save_or_errors,
)


@login_required
@require_GET
def training_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    c = list_filter(request)
    f = selectors.TrainingFilter(
        unit=c.get("unit") or "",
        start=c.get("start"),
        end=c.get("end"),
        text=c.get("q") or "",
    )
    results = selectors.training_search(user, f)
    return render_list(request, "teams/training/list.html", results, {"f": f, "unit": f.unit})


@login_required
@require_GET
def training_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    tc = selectors.get_training_for_user(user, pk)
    return render(
        request,
        "teams/training/detail.html",
        {
            "tc": tc,
            "can_write": can_write(user, tc.unit_id),
            "sessions": selectors.training_sessions(tc),
            "trainees": selectors.training_trainees(tc),
            "session_form": SessionForm(initial={"date": tc.start_date}),
            "trainee_form": TraineeForm(),
            # The linked activity is shown only while it is alive and the user's to see.
            "activity": tc.activity if tc.activity and tc.activity.deleted_at is None else None,
        },
    )


def _training_form(request: HttpRequest, tc: TrainingClass | None) -> HttpResponse:
    user = request_user(request)
    form = TrainingForm(**form_kwargs(request, training_initial(tc) if tc else None))
    if request.method == "POST" and form.is_valid():
        saved = save_or_errors(
            form,
            lambda: (
                services.training_update(user=user, training=tc, data=form.to_data())
                if tc
                else services.training_create(user=user, data=form.to_data())
            ),
        )
        if saved is not None:
            messages.success(request, _("已保存培训班“%(title)s”。") % {"title": saved.title})
            return redirect(saved)
    heading = _("编辑培训班") if tc else _("登记培训班")
    back = tc.get_absolute_url() if tc else reverse("teams:training_list")
    return render_form(request, form, heading, back, section="training")


@login_required
def training_create(request: HttpRequest) -> HttpResponse:
    require_create(request_user(request))
    return _training_form(request, None)


@login_required
def training_edit(request: HttpRequest, pk: int) -> HttpResponse:
    tc = selectors.get_training_for_user(request_user(request), pk)
    require_write(request_user(request), tc.unit_id)
    return _training_form(request, tc)


@login_required
@require_POST
def training_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    tc = selectors.get_training_for_user(user, pk)
    services.training_delete(user=user, training=tc)
    messages.success(request, _("已删除“%(title)s”，可在操作记录中恢复。") % {"title": tc.title})
    return redirect("teams:training_list")


def _writable_training(user: User, pk: int) -> TrainingClass:
    tc = selectors.get_training_for_user(user, pk)
    require_write(user, tc.unit_id)
    return tc


def _flash(request: HttpRequest, form: Any) -> None:
    for errors in form.errors.values():
        messages.error(request, "；".join(errors))


@login_required
@require_POST
def session_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    tc = _writable_training(user, pk)
    form = SessionForm(request.POST)
    if form.is_valid():
        try:
            services.session_add(user=user, training=tc, data=form.to_data())
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("已添加课次。"))
    _flash(request, form)
    return redirect(tc.get_absolute_url() + "#sessions")


@login_required
@require_POST
def session_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    session = selectors.get_session_for_user(user, pk)
    services.session_delete(user=user, session=session)
    return redirect(session.training_class.get_absolute_url() + "#sessions")


@login_required
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """The roll call: every trainee with a checkbox; saving makes the ticked ones present."""
    user = request_user(request)
    session = selectors.get_session_for_user(user, pk)
    tc = session.training_class
    require_write(user, tc.unit_id)
    error = ""
    if request.method == "POST":
        ids = [int(v) for v in request.POST.getlist("present") if v.isdigit()]
        try:
            n = services.attendance_set(user=user, session=session, present=ids)
        except ValidationError as exc:
            error = "；".join(exc.messages)
        else:
            messages.success(request, _("已保存出勤：%(n)d 人。") % {"n": n})
            return redirect(tc.get_absolute_url() + "#sessions")
    return render(
        request,
        "teams/training/attendance.html",
        {
            "session": session,
            "tc": tc,
            "trainees": selectors.training_trainees(tc),
            "present": selectors.session_present(session),
            "error": error,
        },
    )


@login_required
@require_POST
def trainee_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Enrol trainees by name (several at once); a name nobody has becomes a new person."""
    user = request_user(request)
    tc = _writable_training(user, pk)
    form = TraineeForm(request.POST)
    if form.is_valid():
        try:
            with transaction.atomic():
                people = services.people_by_names(
                    user=user, unit=tc.unit, names=split_names(form.cleaned_data["names"])
                )
                n = services.trainees_add(user=user, training=tc, people=people)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("已添加 %(n)d 名学员。") % {"n": n})
    _flash(request, form)
    return redirect(tc.get_absolute_url() + "#trainees")


@login_required
@require_POST
def trainee_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    trainee = selectors.get_trainee_for_user(user, pk)
    services.trainee_remove(user=user, trainee=trainee)
    return redirect(trainee.training_class.get_absolute_url() + "#trainees")
