from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xuanwen.accounts.permissions import can_manage, request_user

from . import selectors, services
from .forms import UnitRenameForm


@login_required
def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    user = request_user(request)
    unit = selectors.get_unit_for_user(user, code)
    return render(
        request,
        "units/detail.html",
        {
            "unit": unit,
            "ancestors": selectors.ancestors_for(user, unit),
            "children": selectors.children_with_counts(unit),
            "counts": selectors.subtree_counts(unit),
            "can_manage": can_manage(user, unit.code),
            "is_scope_root": unit.code == user.scope.root,
        },
    )


@login_required
def unit_edit(request: HttpRequest, code: str) -> HttpResponse:
    user = request_user(request)
    unit = selectors.get_unit_for_user(user, code)
    if not can_manage(user, unit.code):
        raise PermissionDenied(_("只有系统管理员可以修改单位。"))
    form = UnitRenameForm(request.POST or None, initial={"name": unit.name})
    if request.method == "POST" and form.is_valid():
        services.unit_update(user=user, unit=unit, name=form.cleaned_data["name"])
        messages.success(request, _("已保存。"))
        return redirect(unit)
    return render(request, "units/edit.html", {"unit": unit, "form": form})


@login_required
@require_POST
def unit_delete(request: HttpRequest, code: str) -> HttpResponse:
    user = request_user(request)
    unit = selectors.get_unit_for_user(user, code)
    parent = unit.parent
    try:
        services.unit_delete(user=user, unit=unit)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect(unit)
    messages.success(request, _("已删除“%(name)s”，可在操作记录中恢复。") % {"name": unit.name})
    return redirect(parent) if parent else redirect("home")


@login_required
@require_GET
def unit_options(request: HttpRequest) -> HttpResponse:
    """The <option>s of a list filter's unit box (a <datalist>): the units in scope matching
    what was typed, by name, pinyin, initials or code."""
    user = request_user(request)
    query = request.GET.get("unit", "")[:100]
    results = selectors.unit_search(user, query) if query else []
    return render(request, "units/_options.html", {"results": results})


@login_required
@require_GET
def unit_search(request: HttpRequest) -> HttpResponse:
    """The unit picker's results: an htmx partial, or a whole page without JavaScript."""
    user = request_user(request)
    query = request.GET.get("q", "")
    results = selectors.unit_search(user, query)
    template = (
        "units/_search_results.html" if request.headers.get("HX-Request") else "units/search.html"
    )
    return render(request, template, {"q": query, "results": results})
