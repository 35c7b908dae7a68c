"""The facility-kind pages: admins add kinds and edit their opening rules.

Kinds are shared by the whole deployment, like activity types: not records of a unit, so every
admin sees all of them, and only admins reach these pages.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from xuanwen.accounts.models import User
from xuanwen.accounts.permissions import request_user
from xuanwen.core.entry import errors_to_form

from . import selectors, services
from .forms import KindForm
from .models import FacilityKind
from .views import may_manage_kinds


def _require_manager(user: User) -> None:
    if not may_manage_kinds(user):
        raise PermissionDenied(_("只有系统管理员可以管理阵地类型。"))


@login_required
def kind_list(request: HttpRequest) -> HttpResponse:
    """GET: every kind with its rule, and a form to add one. POST: add it."""
    user = request_user(request)
    _require_manager(user)
    form = KindForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            kind = services.kind_create(
                user=user, code=form.cleaned_data["code"], data=form.to_data()
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("已添加阵地类型“%(name)s”。") % {"name": kind.name})
            return redirect("facilities:kinds")
    kinds = [
        (kind, selectors.opening_rule(kind))
        for kind in FacilityKind.objects.order_by("ordering", "name")
    ]
    return render(request, "facilities/kinds.html", {"kinds": kinds, "form": form})


@login_required
def kind_edit(request: HttpRequest, kind_id: int) -> HttpResponse:
    user = request_user(request)
    kind = FacilityKind.objects.filter(pk=kind_id).first()
    if kind is None:
        raise Http404(_("没有这个阵地类型。"))
    _require_manager(user)
    form = KindForm(request.POST if request.method == "POST" else None, kind=kind)
    if request.method == "POST" and form.is_valid():
        try:
            services.kind_update(user=user, kind=kind, data=form.to_data())
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("已保存“%(name)s”。") % {"name": kind.name})
            return redirect("facilities:kinds")
    return render(request, "facilities/kind_form.html", {"kind": kind, "form": form})
