"""Training class pages: list, detail with sessions and trainees, entry form, and the roll call
of a session (a list of trainees with checkboxes, made for a phone)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from xuanwen.accounts.models import User
from xuanwen.accounts.permissions import can_write, request_user
from xuanwen.records.pages import require_write

from . import selectors, services
from .filters import training_filters
from .forms import SessionForm, TraineeForm, TrainingForm
from .models import TrainingClass
from .views import (
    CANNOT_EDIT,
    at,
    entry_pages,
    list_view,
    part_post,
    people_post,
    remove_view,
)

training_list = list_view(training_filters, "training", _lazy("培训班"))


def _detail_context(user: User, tc: TrainingClass) -> dict[str, Any]:
    return {
        "tc": tc,
        "can_write": can_write(user, tc.unit_id),
        "sessions": selectors.training_sessions(tc),
        "trainees": selectors.training_trainees(tc),
        "session_form": SessionForm(initial={"date": tc.start_date}),
        "trainee_form": TraineeForm(),
        # The linked activity is shown only while it is alive and the user's to see.
        "activity": tc.activity if tc.activity and tc.activity.deleted_at is None else None,
    }


TRAINING_PAGES = entry_pages(
    name="training",
    get=selectors.get_training_for_user,
    form=TrainingForm,
    create=services.training_create,
    update=services.training_update,
    delete=services.training_delete,
    heading=(_lazy("登记培训班"), _lazy("编辑培训班")),
    crumb=_lazy("培训班"),
    saved=_lazy("已保存培训班“%(title)s”。"),
    attr="title",
)
training_detail = TRAINING_PAGES.detail("teams/training/detail.html", _detail_context)


@login_required
@require_POST
def session_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    tc = TRAINING_PAGES.writable(user, pk)
    form = SessionForm(request.POST)
    add = lambda: services.session_add(user=user, training=tc, data=form.to_data())  # noqa: E731
    return part_post(request, form, add, at(tc, "#sessions"), lambda _session: _("已添加课次。"))


session_delete = remove_view(
    selectors.get_session_for_user,
    services.session_delete,
    "session",
    lambda session: at(session.training_class, "#sessions"),
)


@login_required
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """The roll call: every trainee with a checkbox; saving makes the ticked ones present."""
    user = request_user(request)
    session = selectors.get_session_for_user(user, pk)
    tc = session.training_class
    require_write(user, tc.unit_id, str(CANNOT_EDIT))
    error = ""
    if request.method == "POST":
        ids = [int(v) for v in request.POST.getlist("present") if v.isdigit()]
        try:
            n = services.attendance_set(user=user, session=session, present=ids)
        except ValidationError as exc:
            error = "；".join(exc.messages)
        else:
            messages.success(request, _("已保存出勤：%(n)d 人。") % {"n": n})
            return redirect(at(tc, "#sessions"))
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
    tc = TRAINING_PAGES.writable(user, pk)
    add = lambda people: services.trainees_add(user=user, training=tc, people=people)  # noqa: E731
    form = TraineeForm(request.POST)
    return people_post(request, tc, form, add, "#trainees", _lazy("已添加 %(n)d 名学员。"))


trainee_remove = remove_view(
    selectors.get_trainee_for_user,
    services.trainee_remove,
    "trainee",
    lambda trainee: at(trainee.training_class, "#trainees"),
)
