"""Designation pages: list, detail, entry form and delete, declared with records.pages."""

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
from .filters import designation_filters
from .forms import DesignationForm, may_create
from .models import Designation


def _row(url: str, r: Any) -> RegisterRow:
    meta = [str(LEVELS.get(r.level, r.level))]
    meta += dates_meta(r.designated_on, r.revoked_on, DESIGNATED_REVOKED)
    if r.document_no:
        meta.append(r.document_no)
    name = f"{r.unit__name} · {r.kind__name}"
    return RegisterRow(url, name, " · ".join(meta), undated=r.designated_on is None)


LEVELS = dict(Level.choices)
DESIGNATED_REVOKED = (_lazy("%(d)s 命名"), _lazy("%(d)s 撤销"))
LIST_FIELDS = ("pk", "level", "designated_on", "revoked_on", "document_no", "kind__name",
               "unit__name")  # fmt: skip


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
designation_detail = PAGES.detail("designations/detail.html")
designation_list = PAGES.register_list(
    designation_filters,
    kinds=selectors.designation_kinds,
    fields=LIST_FIELDS,
    row=_row,
    context=lambda user: {"levels": Level.choices},
)
