"""Facility pages: list, detail, entry form, delete, rooms, equipment and photos.

Reads go through scoped selectors and writes through services, as records.pages describes.
"""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from xuanwen.accounts.models import User
from xuanwen.accounts.permissions import can_manage_scope, can_write
from xuanwen.core import files
from xuanwen.records.pages import (
    RecordPages,
    RegisterRow,
    Section,
    StoredFiles,
    dates_meta,
    section_rows,
)

from . import selectors, services
from .filters import facility_filters
from .forms import EquipmentForm, FacilityForm, RoomForm, may_create
from .models import Facility


def may_manage_kinds(user: User) -> bool:
    return can_manage_scope(user)


def _row(url: str, r: Any) -> RegisterRow:
    meta = [r.kind__name, r.unit__name, *dates_meta(r.opened_on, r.closed_on, OPENED_CLOSED)]
    if r.area is not None:
        meta.append(_("%(n)s 平方米") % {"n": number_format(r.area)})
    if r.address:
        meta.append(r.address)
    return RegisterRow(url, r.name, " · ".join(meta), undated=r.opened_on is None)


OPENED_CLOSED = (_lazy("%(d)s 建成"), _lazy("%(d)s 停用"))
LIST_FIELDS = ("pk", "name", "area", "address", "opened_on", "closed_on", "kind__name",
               "unit__name")  # fmt: skip


def _detail_context(
    user: User,
    facility: Facility,
    room_form: RoomForm | None = None,
    equipment_form: EquipmentForm | None = None,
) -> dict[str, Any]:
    return {
        "facility": facility,
        "rooms": list(facility.rooms.all()),
        "equipment": list(facility.equipment.all()),
        "photos": list(facility.photos.all()),
        "room_form": room_form or RoomForm(),
        "equipment_form": equipment_form or EquipmentForm(),
        "standards": selectors.standard_checks(facility),
        "opening_rule": selectors.opening_rule(facility.kind),
        "can_write": can_write(user, facility.unit_id),
        "upload_max_mb": files.max_bytes() // (1024 * 1024),
    }


PAGES = RecordPages(
    name="facility",
    get=selectors.get_facility_for_user,
    form=FacilityForm,
    initial=lambda user: {"unit": user.unit_id, "free_opening": "1"},
    create=services.facility_create,
    update=services.facility_update,
    delete=services.facility_delete,
    template="facilities/form.html",
    list_url="facilities:list",
    may_create=may_create,
    cannot_create=_lazy("您的角色只能查看，不能登记阵地。"),
    cannot_edit=_lazy("您不能修改该阵地。"),
    created=lambda facility: _("已登记阵地“%(name)s”。") % {"name": facility.name},
    label=lambda facility: facility.name,
    crumb=_lazy("文化阵地"),
    heading=(_lazy("登记阵地"), _lazy("编辑阵地")),
)
facility_detail = PAGES.detail("facilities/detail.html", _detail_context)
facility_list = PAGES.register_list(
    facility_filters,
    kinds=selectors.facility_kinds,
    fields=LIST_FIELDS,
    row=_row,
    context=lambda user: {"may_manage_kinds": may_manage_kinds(user)},
)


# --- Photos --------------------------------------------------------------------------------


PHOTOS = StoredFiles(
    owner=PAGES.writable,
    add=services.photo_add,
    of="facility",
    get=selectors.get_photo_for_user,
    delete=services.photo_delete,
    arg="photo",
    anchor="photos",
    deleted=_lazy("已删除照片“%(name)s”。"),
    no_thumb=_lazy("该照片没有缩略图。"),
    param="photo_id",
    photos_only=True,
)


# --- Rooms and equipment (htmx sections, plain posts without JavaScript) -------------------


def _section(
    request: HttpRequest, user: User, facility: Facility, anchor: str, **forms: Any
) -> Section:
    def context(**forms: Any) -> dict[str, Any]:
        # The part was read with the facility attached; read it again for fresh counts.
        return _detail_context(user, selectors.get_facility_for_user(user, facility.pk), **forms)

    back = reverse("facilities:detail", args=[facility.pk]) + f"#{anchor}"
    return Section(f"facilities/_{anchor}.html", back, context, forms)


room_add, room_delete = section_rows(
    PAGES.writable, _section, of="facility", anchor="rooms", arg="room", form=RoomForm,
    add=services.room_add, get=selectors.get_room_for_user, delete=services.room_delete,
    param="room_id",
)  # fmt: skip
equipment_add, equipment_delete = section_rows(
    PAGES.writable, _section, of="facility", anchor="equipment", arg="equipment",
    form=EquipmentForm, add=services.equipment_add, get=selectors.get_equipment_for_user,
    delete=services.equipment_delete, param="equipment_id",
)  # fmt: skip
