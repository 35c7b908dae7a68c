"""Household pages: list, detail, entry form and delete, declared with records.pages."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from xuanwen.core.models import Level
from xuanwen.records.pages import (
    RecordPages,
    RegisterRow,
    dates_meta,
)

from . import selectors, services
from .filters import household_filters
from .forms import HouseholdForm, may_create


def _row(url: str, r: Any) -> RegisterRow:
    meta = [r.kind__name, r.unit__name]
    if r.speciality:
        meta.append(r.speciality)
    meta.append(_("%(n)d 人参与") % {"n": r.members})
    if r.level:
        meta.append(str(LEVELS.get(r.level, r.level)))
    meta += dates_meta(r.designated_on, r.revoked_on, DESIGNATED_REVOKED)
    undated, revoked = r.designated_on is None, r.revoked_on is not None
    return RegisterRow(url, r.head, " · ".join(meta), undated=undated, revoked=revoked)


LEVELS = dict(Level.choices)
DESIGNATED_REVOKED = (_lazy("%(d)s 认定"), _lazy("%(d)s 撤销"))
LIST_FIELDS = ("pk", "head", "speciality", "members", "level", "designated_on", "revoked_on",
               "kind__name", "unit__name")  # fmt: skip


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
household_detail = PAGES.detail("households/detail.html")
household_list = PAGES.register_list(
    household_filters,
    kinds=selectors.household_kinds,
    fields=LIST_FIELDS,
    row=_row,
    context=lambda user: {"levels": Level.choices},
)
