"""People and honour pages, and what the team and training pages share with them.

Reads go through scoped selectors and writes through services, as records.pages describes.
"""

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_POST

from xuanwen.accounts.models import User
from xuanwen.accounts.permissions import can_write, request_user
from xuanwen.core.models import Level
from xuanwen.records.filters import RecordFilterSet
from xuanwen.records.pages import (
    RecordPages,
    View,
    flash_errors,
    header,
    list_page,
    save_form,
)
from xuanwen.units.pickers import may_write_somewhere as may_create
from xuanwen.units.pickers import unit_options

from . import selectors, services
from .filters import honour_filters, person_filters
from .forms import HonourForm, PersonForm, split_names
from .models import HolderKind, Person

CANNOT_EDIT = _lazy("您不能修改该记录。")
T = TypeVar("T")


# --- What every list and entry form of the app shares ---------------------------------------


def list_view(
    filters: Callable[[User, Any], RecordFilterSet],
    folder: str,
    title: Promise,
    more: Callable[[User], dict[str, Any]] = lambda user: {},
    rows: Callable[[User, list[Any]], object] | None = None,
) -> View:
    """A record type's list page (teams/<folder>/list.html; htmx gets its _results.html), headed
    `title`: the
    records `filters` finds for the user, the unit picker, the add button and `more(user)`;
    `rows(user, page)` sees the page's records once read (see records.pages.list_page)."""

    @login_required
    @require_GET
    def view(request: HttpRequest) -> HttpResponse:
        user = request_user(request)
        found = filters(user, request.GET)
        unit = found.values["unit"]
        return list_page(
            request,
            found,
            template=f"teams/{folder}/list.html",
            title=title,
            partial=f"teams/{folder}/_results.html",
            context={
                "unit": unit,
                "unit_options": unit_options(user, unit),
                "may_create": may_create(user),
                **more(user),
            },
            rows=(lambda page: rows(user, page)) if rows else None,
        )

    return view


def entry_pages(
    *,
    name: str,
    heading: tuple[Promise, Promise],
    crumb: Promise,
    saved: Promise,
    attr: str = "name",
    **declared: Any,
) -> RecordPages[Any]:
    """Create, edit and delete of one of the app's records, routed by records.urls with the
    name prefix `<name>_` (so its list is "teams:<name>_list"): the one entry form template,
    headed "登记…" or "编辑…", its back link to the record or else the list; the record's
    page is headed by its `attr` after the list's name, `crumb`. A create and an
    edit say `saved` alike, naming the record by its `attr` (%(name)s, %(title)s), as the
    deletion does."""
    list_url = f"teams:{name}_list"

    def context(user: User, record: Any) -> dict[str, Any]:
        back = record.get_absolute_url() if record else reverse(list_url)
        return {**header(heading[1] if record else heading[0], (back, _lazy("返回"))), "back": back}

    def said(record: Any) -> str:
        return str(saved) % {attr: getattr(record, attr)}

    return RecordPages(
        name=name,
        template="teams/form.html",
        list_url=list_url,
        may_create=may_create,
        cannot_create=_lazy("您的角色只能查看，不能登记。"),
        cannot_edit=CANNOT_EDIT,
        created=said,
        saved=said,
        label=lambda record: getattr(record, attr),
        crumb=crumb,
        initial=lambda user: {"unit": user.unit_id} if user.unit_id else {},
        context=context,
        **declared,
    )


def at(record: Any, anchor: str) -> str:
    """The record's page at one of its parts ("#members")."""
    return str(record.get_absolute_url()) + anchor


def part_post(
    request: HttpRequest,
    form: Any,
    save: Callable[[], T],
    back: str,
    done: Callable[[T], str] | None = None,
) -> HttpResponse:
    """A plain post adding to a part of a record's page (a team's members, a class's
    sessions): a valid form is saved through `save` (the service) and `done(result)` said;
    the form's and the service's errors become messages; the browser goes `back` to the part."""
    if form.is_valid() and (saved := save_form(form, save)) is not None and done is not None:
        messages.success(request, done(saved))
    flash_errors(request, form)
    return redirect(back)


def people_post(
    request: HttpRequest,
    record: Any,
    form: Any,
    add: Callable[[list[Person]], int],
    anchor: str,
    done: Promise,
) -> HttpResponse:
    """Add people by name (several at once, the form's "names") to a part of `record`'s page
    through `add(people)`; a name nobody in the record's unit has becomes a new person, with
    the rest or not at all. `done` says how many with %(n)d."""

    @transaction.atomic
    def save() -> int:
        names = split_names(form.cleaned_data["names"])
        user = request_user(request)
        return add(services.people_by_names(user=user, unit=record.unit, names=names))

    return part_post(request, form, save, at(record, anchor), lambda n: str(done) % {"n": n})


def remove_view(
    get: Callable[[User, int], T],
    remove: Callable[..., Any],
    arg: str,
    back: Callable[[T], str],
    done: Callable[[T], str] | None = None,
) -> View:
    """A plain post removing a row of a part (a member, a session): the row read through the
    scoped selector `get`, removed by the service as `remove(user=, <arg>=row)`, `done(row)`
    said; the browser goes `back(row)`, the record's page at the part."""

    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        user = request_user(request)
        row = get(user, pk)
        remove(user=user, **{arg: row})
        if done is not None:
            messages.success(request, done(row))
        return redirect(back(row))

    return view


# --- People ----------------------------------------------------------------------------------


def _mark_phones(user: User, people: list[Person]) -> None:
    for p in people:
        p.show_phone = selectors.phone_visible(user, p.unit_id)  # type: ignore[attr-defined]


person_list = list_view(person_filters, "people", _lazy("人员"), rows=_mark_phones)


def _person_context(user: User, person: Person) -> dict[str, Any]:
    return {
        "person": person,
        "can_write": can_write(user, person.unit_id),
        "show_phone": selectors.phone_visible(user, person.unit_id),
        "memberships": selectors.person_teams(person),
        "trainings": selectors.person_trainings(person),
        "honours": selectors.person_honours(person),
    }


PERSON_PAGES = entry_pages(
    name="person",
    get=selectors.get_person_for_user,
    form=PersonForm,
    create=services.person_create,
    update=services.person_update,
    delete=services.person_delete,
    heading=(_lazy("登记人员"), _lazy("编辑人员")),
    crumb=_lazy("人员"),
    saved=_lazy("已保存人员“%(name)s”。"),
)
person_detail = PERSON_PAGES.detail("teams/people/detail.html", _person_context)


# --- Honours ---------------------------------------------------------------------------------


honour_list = list_view(
    honour_filters,
    "honours",
    _lazy("荣誉"),
    lambda user: {"levels": Level.choices, "kinds": HolderKind.choices},
)


HONOUR_PAGES = entry_pages(
    name="honour",
    get=selectors.get_honour_for_user,
    form=HonourForm,
    create=services.honour_create,
    update=services.honour_update,
    delete=services.honour_delete,
    heading=(_lazy("登记荣誉"), _lazy("编辑荣誉")),
    crumb=_lazy("荣誉"),
    saved=_lazy("已保存荣誉“%(name)s”。"),
)
honour_detail = HONOUR_PAGES.detail(
    "teams/honours/detail.html",
    lambda user, honour: {"honour": honour, "can_write": can_write(user, honour.unit_id)},
)
