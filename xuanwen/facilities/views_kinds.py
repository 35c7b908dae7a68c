"""The facility-kind pages: admins add kinds and edit their opening rules.

An admin sees the kinds their scope sees (national ones and those of their unit and its
ancestors, see records.models) and changes only their unit's own; only admins reach these
pages.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from xuanwen.accounts.models import User
from xuanwen.accounts.permissions import request_user
from xuanwen.records.pages import header, save_form
from xuanwen.records.selectors import one_or_404
from xuanwen.records.vocab import kind_owner, may_change_kind, visible_kinds

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
        code, data = form.cleaned_data["code"], form.to_data()
        kind = save_form(form, lambda: services.kind_create(user=user, code=code, data=data))
        if kind is not None:
            messages.success(request, _("已添加阵地类型“%(name)s”。") % {"name": kind.name})
            return redirect("facilities:kinds")
    kinds = [
        (kind, selectors.opening_rule(kind))
        for kind in visible_kinds(FacilityKind, user.scope).select_related("owner")
    ]
    crumb = ("facilities:list", _("文化阵地"))
    context = {
        **header(_("阵地类型"), crumb),
        "kinds": kinds,
        "form": form,
        "mine": kind_owner(user),
    }
    return render(request, "facilities/kinds.html", context)


@login_required
def kind_edit(request: HttpRequest, kind_id: int) -> HttpResponse:
    user = request_user(request)
    kind = one_or_404(visible_kinds(FacilityKind, user.scope), kind_id, _("没有这个阵地类型。"))
    _require_manager(user)
    if not may_change_kind(user, kind):
        raise PermissionDenied(_("只能修改本单位添加的阵地类型。"))
    form = KindForm(request.POST if request.method == "POST" else None, kind=kind)
    update = lambda: services.kind_update(user=user, kind=kind, data=form.to_data())  # noqa: E731
    if request.method == "POST" and form.is_valid() and save_form(form, update) is not None:
        messages.success(request, _("已保存“%(name)s”。") % {"name": kind.name})
        return redirect("facilities:kinds")
    return render(request, "facilities/kind_form.html", {"kind": kind, "form": form})
