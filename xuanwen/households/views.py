"""Household pages: list, detail, entry form and delete, declared with records.pages."""

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
from .filters import household_filters
from .forms import HouseholdForm, may_create
from .models import Household


@dataclass(frozen=True)
class ListRow:
    """One line of the list as the template shows it: a link and a line of plain text."""

    url: str
    head: str
    meta: str  # kind · village · speciality · members · level · dates, escaped by the template
    undated: bool = False  # no designation date: counted in no period (待补日期)
    revoked: bool = False


def _list_rows(rows: list[Any]) -> None:
    # The page's rows become their lines in place: one reverse for the page, not one per row,
    # and the meta line joined here rather than by a dozen template tags per row.
    list_url = reverse("households:list")
    levels = dict(Level.choices)
    members = _("%(n)d 人参与")
    designated, revoked = _("%(d)s 认定"), _("%(d)s 撤销")
    for i, r in enumerate(rows):
        meta = [r.kind__name, r.unit__name]
        if r.speciality:
            meta.append(r.speciality)
        meta.append(members % {"n": r.members})
        if r.level:
            meta.append(str(levels.get(r.level, r.level)))
        if r.designated_on is not None:
            meta.append(designated % {"d": r.designated_on.isoformat()})
        if r.revoked_on is not None:
            meta.append(revoked % {"d": r.revoked_on.isoformat()})
        rows[i] = ListRow(
            f"{list_url}{r.pk}/",
            r.head,
            " · ".join(meta),
            undated=r.designated_on is None,
            revoked=r.revoked_on is not None,
        )


LIST_FIELDS = ("pk", "head", "speciality", "members", "level", "designated_on", "revoked_on",
               "kind__name", "unit__name")  # fmt: skip


@login_required
@require_GET
def household_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    filters = household_filters(user, request.GET)
    context = {
        "kinds": list(selectors.household_kinds()),
        "levels": Level.choices,
        "unit_options": unit_options(user, filters.values["unit"]),
        "may_create": may_create(user),
    }
    return list_page(
        request,
        filters,
        template="households/list.html",
        title=_("文化户"),
        partial="households/_results.html",
        context=context,
        fields=LIST_FIELDS,
        rows=_list_rows,
    )


def _detail_context(user: User, household: Household) -> dict[str, Any]:
    return {"household": household, "can_write": can_write(user, household.unit_id)}


PAGES = RecordPages(
    name="household",
    get=selectors.get_household_for_user,
    form=HouseholdForm,
    initial=lambda user: {"unit": user.unit_id, "members": 1},
    create=services.household_create,
    update=services.household_update,
    delete=services.household_delete,
    template="households/form.html",
    list_url="households:list",
    may_create=may_create,
    cannot_create=_lazy("您的角色只能查看，不能登记文化户。"),
    cannot_edit=_lazy("您不能修改该文化户。"),
    created=lambda x: _("已登记文化户“%(name)s”。") % {"name": x.head},
    label=lambda x: x.head,
    crumb=_lazy("文化户"),
    heading=(_lazy("登记文化户"), _lazy("编辑文化户")),
)
household_detail = PAGES.detail("households/detail.html", _detail_context)
