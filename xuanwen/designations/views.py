"""Designation pages: list, detail, entry form and delete, declared with records.pages."""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET

from xuanwen.accounts.models import User
from xuanwen.accounts.permissions import can_write, request_user
from xuanwen.core.models import Level
from xuanwen.records.pages import RecordPages, list_page
from xuanwen.units.pickers import unit_options

from . import selectors, services
from .filters import designation_filters
from .forms import DesignationForm, may_create
from .models import Designation


@dataclass(frozen=True)
class ListRow:
    """One line of the list as the template shows it: a link and a line of plain text."""

    url: str
    name: str
    meta: str  # level · designated · revoked · 文号, escaped by the template
    undated: bool = False  # no designated date: counted in no period (待补日期)


LEVELS = dict(Level.choices)


def _list_rows(rows: list[Any]) -> None:
    # The page's rows become their lines in place: joined here once per row rather than by
    # template conditionals, and a row's link is the list's URL and its id (one reverse).
    list_url = reverse("designations:list")
    designated, revoked = _("%(d)s 命名"), _("%(d)s 撤销")
    for i, r in enumerate(rows):
        meta = [str(LEVELS.get(r.level, r.level))]
        if r.designated_on is not None:
            meta.append(designated % {"d": r.designated_on.isoformat()})
        if r.revoked_on is not None:
            meta.append(revoked % {"d": r.revoked_on.isoformat()})
        if r.document_no:
            meta.append(r.document_no)
        name = f"{r.unit__name} · {r.kind__name}"
        rows[i] = ListRow(f"{list_url}{r.pk}/", name, " · ".join(meta), r.designated_on is None)


@login_required
@require_GET
def designation_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    filters = designation_filters(user, request.GET)
    context = {
        "form": filters.form,
        "kinds": list(selectors.designation_kinds()),
        "levels": Level.choices,
        "unit_options": unit_options(user, filters.values["unit"]),
        "may_create": may_create(user),
    }
    return list_page(
        request,
        filters,
        template="designations/list.html",
        title=_("命名"),
        partial="designations/_results.html",
        context=context,
        fields=(
            "pk",
            "level",
            "designated_on",
            "revoked_on",
            "document_no",
            "kind__name",
            "unit__name",
        ),
        rows=_list_rows,
    )


def _detail_context(user: User, designation: Designation) -> dict[str, Any]:
    return {"designation": designation, "can_write": can_write(user, designation.unit_id)}


def _label(designation: Designation) -> str:
    return f"{designation.unit.name} · {designation.kind.name}"


PAGES = RecordPages(
    name="designation",
    get=selectors.get_designation_for_user,
    form=DesignationForm,
    initial=lambda user: {"unit": user.unit_id},
    create=services.designation_create,
    update=services.designation_update,
    delete=services.designation_delete,
    template="designations/form.html",
    list_url="designations:list",
    may_create=may_create,
    cannot_create=_lazy("您的角色只能查看，不能登记命名。"),
    cannot_edit=_lazy("您不能修改该命名。"),
    created=lambda d: _("已登记命名“%(name)s”。") % {"name": _label(d)},
    label=_label,
    crumb=_lazy("命名"),
    heading=(_lazy("登记命名"), _lazy("编辑命名")),
)
designation_detail = PAGES.detail("designations/detail.html", _detail_context)
