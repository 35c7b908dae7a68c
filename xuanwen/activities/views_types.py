"""The activity-type page: admins add types and retire them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xuanwen.accounts.models import User
from xuanwen.accounts.permissions import can_manage_scope, request_user

from . import services
from .models import ActivityType


def may_manage_types(user: User) -> bool:
    return can_manage_scope(user)


@login_required
def activity_types(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    if not may_manage_types(user):
        raise PermissionDenied(_("只有系统管理员可以管理活动类型。"))
    error = ""
    if request.method == "POST":
        try:
            kind = services.activity_type_create(user=user, name=request.POST.get("name", ""))
        except ValidationError as exc:
            error = "；".join(exc.messages)
        else:
            messages.success(request, _("已添加活动类型“%(name)s”。") % {"name": kind.name})
            return redirect("activities:types")
    # Types are shared by the whole deployment, not records of a unit: every admin sees all.
    kinds = ActivityType.objects.order_by("ordering", "name")
    return render(request, "activities/types.html", {"kinds": kinds, "error": error})


@login_required
@require_POST
def activity_type_active(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    kind = ActivityType.objects.filter(pk=pk).first()
    if kind is None:
        raise Http404(_("没有这个活动类型。"))
    if not may_manage_types(user):
        raise PermissionDenied(_("只有系统管理员可以管理活动类型。"))
    services.activity_type_set_active(user=user, kind=kind, active=not kind.active)
    return redirect("activities:types")
