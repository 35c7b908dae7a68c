"""People and honour pages, and the helpers every page of the app shares.

Every record is read through a scoped selector (another unit's record is a 404, as if it did
not exist) and written through a service (which checks the right to write and audits).
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xuanwen.accounts.models import User
from xuanwen.accounts.permissions import can_write, request_user
from xuanwen.core.entry import errors_to_form, is_htmx
from xuanwen.core.models import Level
from xuanwen.units.pickers import may_write_somewhere as may_create
from xuanwen.units.pickers import unit_options, writable_units
from xuanwen.units.selectors import units_for

from . import selectors, services
from .forms import HonourForm, ListFilterForm, PersonForm, honour_initial, person_initial
from .models import HolderKind, Honour, Person

PAGE_SIZE = 50


# --- Shared helpers --------------------------------------------------------------------------


def list_filter(request: HttpRequest) -> dict[str, Any]:
    """The list filter's cleaned values; malformed parts are left out, not applied."""
    form = ListFilterForm(request.GET, user=request_user(request))
    form.is_valid()
    return form.cleaned_data


def render_list(
    request: HttpRequest,
    template: str,
    results: Any,
    context: dict[str, Any],
    decorate: Any = None,
) -> HttpResponse:
    """A paged list page, or only its results for an htmx filter request. `decorate` sees
    the page's records once read (to mark what the user may see of each)."""
    user = request_user(request)
    page: Any = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    if decorate is not None:
        page.object_list = list(page.object_list)
        decorate(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    context.update(
        {
            "page": page,
            "query": query.urlencode(),
            "may_create": may_create(user),
            "unit_options": unit_options(user, context.get("unit", "")),
        }
    )
    name = template.replace("list.html", "_results.html") if is_htmx(request) else template
    response = render(request, name, context)
    # The same URL answers with a fragment or a page; caches and history must tell them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


def require_create(user: User) -> None:
    if not may_create(user):
        raise PermissionDenied(_("您的角色只能查看，不能登记。"))


def require_write(user: User, unit_code: str) -> None:
    if not can_write(user, unit_code):
        raise PermissionDenied(_("您不能修改该记录。"))


def form_kwargs(request: HttpRequest, initial: dict[str, Any] | None) -> dict[str, Any]:
    user = request_user(request)
    kwargs: dict[str, Any] = {
        "data": request.POST if request.method == "POST" else None,
        "user": user,
        "units": writable_units(user),
    }
    if initial is None and user.unit_id:
        initial = {"unit": user.unit_id}
    if initial:
        kwargs["initial"] = initial
    return kwargs


def render_form(
    request: HttpRequest, form: Any, heading: str, back: str, **extra: Any
) -> HttpResponse:
    """The shared entry form (phone first, the activity form's layout)."""
    picked = None
    code = form["unit"].value()
    if form.units is None and code:
        picked = units_for(request.user).filter(code=str(code)).first()  # type: ignore[arg-type]
    context = {"form": form, "heading": heading, "back": back, "picked": picked, **extra}
    return render(request, "teams/form.html", context)


def save_or_errors(form: Any, action: Any) -> Any:
    """Run the service; on a rule error put its messages on the form and return None."""
    try:
        return action()
    except ValidationError as exc:
        errors_to_form(form, exc)
        return None


# --- People ----------------------------------------------------------------------------------


@login_required
@require_GET
def person_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    c = list_filter(request)
    f = selectors.PersonFilter(unit=c.get("unit") or "", text=c.get("q") or "")
    results = selectors.person_search(user, f)

    def mark_phones(people: list[Person]) -> None:
        for p in people:
            p.show_phone = selectors.phone_visible(user, p.unit_id)  # type: ignore[attr-defined]

    context = {"f": f, "unit": f.unit}
    return render_list(request, "teams/people/list.html", results, context, mark_phones)


@login_required
@require_GET
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    person = selectors.get_person_for_user(user, pk)
    return render(
        request,
        "teams/people/detail.html",
        {
            "person": person,
            "can_write": can_write(user, person.unit_id),
            "show_phone": selectors.phone_visible(user, person.unit_id),
            "memberships": selectors.person_teams(person),
            "trainings": selectors.person_trainings(person),
            "honours": selectors.person_honours(person),
        },
    )


def _person_form(request: HttpRequest, person: Person | None) -> HttpResponse:
    user = request_user(request)
    form = PersonForm(**form_kwargs(request, person_initial(person) if person else None))
    if request.method == "POST" and form.is_valid():
        saved = save_or_errors(
            form,
            lambda: (
                services.person_update(user=user, person=person, data=form.to_data())
                if person
                else services.person_create(user=user, data=form.to_data())
            ),
        )
        if saved is not None:
            messages.success(request, _("已保存人员“%(name)s”。") % {"name": saved.name})
            return redirect(saved)
    heading = _("编辑人员") if person else _("登记人员")
    back = person.get_absolute_url() if person else "/people/"
    return render_form(request, form, heading, back, section="people")


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    require_create(request_user(request))
    return _person_form(request, None)


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.get_person_for_user(request_user(request), pk)
    require_write(request_user(request), person.unit_id)
    return _person_form(request, person)


@login_required
@require_POST
def person_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    person = selectors.get_person_for_user(user, pk)
    services.person_delete(user=user, person=person)
    messages.success(request, _("已删除“%(name)s”，可在操作记录中恢复。") % {"name": person.name})
    return redirect("teams:person_list")


# --- Honours ---------------------------------------------------------------------------------


@login_required
@require_GET
def honour_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    c = list_filter(request)
    f = selectors.HonourFilter(
        unit=c.get("unit") or "",
        level=c.get("level") or "",
        kind=c.get("kind") or "",
        year=c.get("year"),
        text=c.get("q") or "",
    )
    results = selectors.honour_search(user, f)
    context = {
        "f": f,
        "unit": f.unit,
        "levels": Level.choices,
        "kinds": HolderKind.choices,
    }
    return render_list(request, "teams/honours/list.html", results, context)


@login_required
@require_GET
def honour_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    honour = selectors.get_honour_for_user(user, pk)
    return render(
        request,
        "teams/honours/detail.html",
        {"honour": honour, "can_write": can_write(user, honour.unit_id)},
    )


def _honour_form(request: HttpRequest, honour: Honour | None) -> HttpResponse:
    user = request_user(request)
    teams = selectors.teams_for(user).order_by("name")
    form = HonourForm(
        teams=teams, **form_kwargs(request, honour_initial(honour) if honour else None)
    )
    if request.method == "POST" and form.is_valid():

        def save() -> Honour:
            data = form.to_data()
            if honour is None:
                return services.honour_create(user=user, data=data)
            return services.honour_update(user=user, honour=honour, data=data)

        saved = save_or_errors(form, save)
        if saved is not None:
            messages.success(request, _("已保存荣誉“%(name)s”。") % {"name": saved.name})
            return redirect(saved)
    heading = _("编辑荣誉") if honour else _("登记荣誉")
    back = honour.get_absolute_url() if honour else "/honours/"
    return render_form(request, form, heading, back, section="honours")


@login_required
def honour_create(request: HttpRequest) -> HttpResponse:
    require_create(request_user(request))
    return _honour_form(request, None)


@login_required
def honour_edit(request: HttpRequest, pk: int) -> HttpResponse:
    honour = selectors.get_honour_for_user(request_user(request), pk)
    require_write(request_user(request), honour.unit_id)
    return _honour_form(request, honour)


@login_required
@require_POST
def honour_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    honour = selectors.get_honour_for_user(user, pk)
    services.honour_delete(user=user, honour=honour)
    messages.success(request, _("已删除“%(name)s”，可在操作记录中恢复。") % {"name": honour.name})
    return redirect("teams:honour_list")
