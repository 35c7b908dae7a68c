"""People and honour pages, and what the team and training pages share with them.

Reads go through scoped selectors and writes through services, as records.pages describes.
"""

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET

from xuanwen.accounts.models import User
from xuanwen.accounts.permissions import can_write, request_user
from xuanwen.core.models import Level
from xuanwen.records.filters import RecordFilterSet
from xuanwen.records.pages import RecordPages, list_page
from xuanwen.units.pickers import may_write_somewhere as may_create
from xuanwen.units.pickers import unit_options

from . import selectors, services
from .filters import honour_filters, person_filters
from .forms import HonourForm, PersonForm
from .models import HolderKind, Person

CANNOT_EDIT = _lazy("您不能修改该记录。")


# --- What every list and entry form of the app shares ---------------------------------------


def list_context(user: User, filters: RecordFilterSet, **more: Any) -> dict[str, Any]:
    unit = filters.values["unit"]
    return {
        "unit": unit,
        "unit_options": unit_options(user, unit),
        "may_create": may_create(user),
        **more,
    }


def entry_pages(
    *, heading: tuple[Promise, Promise], list_url: str, **declared: Any
) -> RecordPages[Any]:
    """Create, edit and delete of one of the app's records (routed by records.urls): the
    one entry form template, headed "登记…" or "编辑…", its back link to the record or else
    the list."""

    def context(user: User, record: Any) -> dict[str, Any]:
        return {
            "heading": heading[1] if record else heading[0],
            "back": record.get_absolute_url() if record else reverse(list_url),
        }

    return RecordPages(
        template="teams/form.html",
        list_url=list_url,
        may_create=may_create,
        cannot_create=_lazy("您的角色只能查看，不能登记。"),
        cannot_edit=CANNOT_EDIT,
        initial=lambda user: {"unit": user.unit_id} if user.unit_id else {},
        context=context,
        **declared,
    )


def saying(message: Promise, attr: str = "name") -> Callable[[Any], str]:
    """The success message of a create and an edit alike, naming the record."""
    return lambda record: str(message) % {attr: getattr(record, attr)}


# --- People ----------------------------------------------------------------------------------


@login_required
@require_GET
def person_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    filters = person_filters(user, request.GET)

    def mark_phones(people: list[Person]) -> None:
        for p in people:
            p.show_phone = selectors.phone_visible(user, p.unit_id)  # type: ignore[attr-defined]

    return list_page(
        request,
        filters,
        template="teams/people/list.html",
        partial="teams/people/_results.html",
        context=list_context(user, filters),
        rows=mark_phones,
    )


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
    list_url="teams:person_list",
    created=saying(_lazy("已保存人员“%(name)s”。")),
    saved=saying(_lazy("已保存人员“%(name)s”。")),
    label=lambda person: person.name,
)
person_detail = PERSON_PAGES.detail("teams/people/detail.html", _person_context)


# --- Honours ---------------------------------------------------------------------------------


@login_required
@require_GET
def honour_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    filters = honour_filters(user, request.GET)
    context = list_context(user, filters, levels=Level.choices, kinds=HolderKind.choices)
    return list_page(
        request,
        filters,
        template="teams/honours/list.html",
        partial="teams/honours/_results.html",
        context=context,
    )


HONOUR_PAGES = entry_pages(
    name="honour",
    get=selectors.get_honour_for_user,
    form=HonourForm,
    create=services.honour_create,
    update=services.honour_update,
    delete=services.honour_delete,
    heading=(_lazy("登记荣誉"), _lazy("编辑荣誉")),
    list_url="teams:honour_list",
    created=saying(_lazy("已保存荣誉“%(name)s”。")),
    saved=saying(_lazy("已保存荣誉“%(name)s”。")),
    label=lambda honour: honour.name,
)
honour_detail = HONOUR_PAGES.detail(
    "teams/honours/detail.html",
    lambda user, honour: {"honour": honour, "can_write": can_write(user, honour.unit_id)},
)
