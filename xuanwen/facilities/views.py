"""Facility pages: list, detail, entry form, delete, rooms, equipment and photos.

Every record is read through a scoped selector (another unit's record is a 404, as if it did
not exist) and written through a service (which checks the right to write and audits).
"""

import os
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xuanwen.accounts.models import User
from xuanwen.accounts.permissions import can_manage_scope, can_write, request_user
from xuanwen.core import files
from xuanwen.core.entry import errors_to_form, is_htmx
from xuanwen.units.pickers import picked_unit, unit_options, writable_units

from . import selectors, services
from .forms import EquipmentForm, FacilityForm, FilterForm, RoomForm, may_create
from .models import Facility

PAGE_SIZE = 50
# More files than this in one post is not a phone user picking photos; refuse it whole.
MAX_FILES_PER_POST = 20


def list_filter(request: HttpRequest, user: User) -> tuple[FilterForm, selectors.FacilityFilter]:
    """The list's filter from the query string (the export reads the same one)."""
    form = FilterForm(request.GET, user=user)
    form.is_valid()  # invalid parts are left out of cleaned_data and so not applied
    c = form.cleaned_data
    return form, selectors.FacilityFilter(
        unit=c.get("unit") or "",
        kind=c.get("kind") or "",
        text=c.get("q") or "",
        as_of=c.get("as_of"),
    )


def may_manage_kinds(user: User) -> bool:
    return can_manage_scope(user)


@login_required
@require_GET
def facility_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form, f = list_filter(request, user)
    results = selectors.facility_search(user, f)
    page: Any = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    # The page links keep the filter: everything in the query string except the page itself.
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "f": f,
        "form": form,
        "query": query.urlencode(),
        "kinds": list(selectors.facility_kinds()),
        "unit_options": unit_options(user, f.unit),
        "may_create": may_create(user),
        "may_manage_kinds": may_manage_kinds(user),
    }
    template = "facilities/_results.html" if is_htmx(request) else "facilities/list.html"
    response = render(request, template, context)
    # The same URL answers with a fragment or a page; caches and history must tell them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


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


@login_required
@require_GET
def facility_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    facility = selectors.get_facility_for_user(user, pk)
    return render(request, "facilities/detail.html", _detail_context(user, facility))


def _facility_form(request: HttpRequest, user: User, facility: Facility | None) -> FacilityForm:
    initial = None
    if facility is None and user.unit_id:
        initial = {"unit": user.unit_id, "free_opening": "1"}
    return FacilityForm(
        request.POST if request.method == "POST" else None,
        user=user,
        units=writable_units(user),
        facility=facility,
        **({"initial": initial} if initial else {}),
    )


def _save(form: FacilityForm, user: User, facility: Facility | None) -> Facility | None:
    """Run the service; on a rule error put its messages on the form's fields and return None."""
    try:
        if facility is None:
            return services.facility_create(user=user, data=form.to_data())
        return services.facility_update(user=user, facility=facility, data=form.to_data())
    except ValidationError as exc:
        errors_to_form(form, exc)
        return None


@login_required
def facility_create(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    if not may_create(user):
        raise PermissionDenied(_("您的角色只能查看，不能登记阵地。"))
    form = _facility_form(request, user, None)
    if request.method == "POST" and form.is_valid():
        facility = _save(form, user, None)
        if facility is not None:
            messages.success(request, _("已登记阵地“%(name)s”。") % {"name": facility.name})
            return redirect(facility)
    return render(
        request,
        "facilities/form.html",
        {"form": form, "facility": None, "picked": picked_unit(form, user)},
    )


@login_required
def facility_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    facility = selectors.get_facility_for_user(user, pk)
    if not can_write(user, facility.unit_id):
        raise PermissionDenied(_("您不能修改该阵地。"))
    form = _facility_form(request, user, facility)
    if request.method == "POST" and form.is_valid():
        saved = _save(form, user, facility)
        if saved is not None:
            messages.success(request, _("已保存。"))
            return redirect(saved)
    return render(
        request,
        "facilities/form.html",
        {"form": form, "facility": facility, "picked": picked_unit(form, user)},
    )


@login_required
@require_POST
def facility_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    facility = selectors.get_facility_for_user(user, pk)
    services.facility_delete(user=user, facility=facility)
    messages.success(request, _("已删除“%(name)s”，可在操作记录中恢复。") % {"name": facility.name})
    return redirect("facilities:list")


# --- Photos --------------------------------------------------------------------------------


def _writable_facility(user: User, pk: int) -> Facility:
    facility = selectors.get_facility_for_user(user, pk)
    if not can_write(user, facility.unit_id):
        raise PermissionDenied(_("您不能修改该阵地。"))
    return facility


@login_required
@require_POST
def photo_upload(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    facility = _writable_facility(user, pk)
    uploads = request.FILES.getlist("photos")
    back = reverse("facilities:detail", args=[facility.pk]) + "#photos"
    if not uploads:
        messages.error(request, _("请选择要上传的照片。"))
        return redirect(back)
    if len(uploads) > MAX_FILES_PER_POST:
        messages.error(request, _("一次最多上传 %(n)s 张照片。") % {"n": MAX_FILES_PER_POST})
        return redirect(back)
    saved = 0
    # Each photo stands alone: one refused file does not cost the others.
    for upload in uploads:
        try:
            checked = files.check_upload(upload)
            services.photo_add(user=user, facility=facility, upload=checked)
            saved += 1
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    if saved:
        messages.success(request, _("已上传 %(n)s 张照片。") % {"n": saved})
    return redirect(back)


@login_required
@require_GET
def photo_download(request: HttpRequest, photo_id: int) -> FileResponse:
    user = request_user(request)
    photo = selectors.get_photo_for_user(user, photo_id)
    return files.serve_stored(photo.file, photo.content_type, photo.original_name, inline=True)


@login_required
@require_GET
def photo_thumb(request: HttpRequest, photo_id: int) -> FileResponse:
    user = request_user(request)
    photo = selectors.get_photo_for_user(user, photo_id)
    if not photo.thumbnail:
        raise Http404(_("该照片没有缩略图。"))
    name = os.path.splitext(photo.original_name)[0] + ".jpg"
    return files.serve_stored(photo.thumbnail, "image/jpeg", name, inline=True)


@login_required
@require_POST
def photo_delete(request: HttpRequest, photo_id: int) -> HttpResponse:
    user = request_user(request)
    photo = selectors.get_photo_for_user(user, photo_id)
    facility = photo.facility
    services.photo_delete(user=user, photo=photo)
    messages.success(request, _("已删除照片“%(name)s”。") % {"name": photo.original_name})
    return redirect(reverse("facilities:detail", args=[facility.pk]) + "#photos")


# --- Rooms and equipment (htmx sections, plain posts without JavaScript) -------------------


def _section(
    request: HttpRequest, user: User, facility: Facility, anchor: str, **forms: Any
) -> HttpResponse:
    if is_htmx(request):
        # The part was read with the facility attached; read it again for fresh counts.
        facility = selectors.get_facility_for_user(user, facility.pk)
        return render(
            request, f"facilities/_{anchor}.html", _detail_context(user, facility, **forms)
        )
    for form in forms.values():
        for errors in form.errors.values():
            messages.error(request, "；".join(errors))
    return redirect(reverse("facilities:detail", args=[facility.pk]) + f"#{anchor}")


@login_required
@require_POST
def room_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    facility = _writable_facility(user, pk)
    form = RoomForm(request.POST)
    if form.is_valid():
        try:
            services.room_add(user=user, facility=facility, **form.cleaned_data)
            form = RoomForm()
        except ValidationError as exc:
            errors_to_form(form, exc)
    return _section(request, user, facility, "rooms", room_form=form)


@login_required
@require_POST
def room_delete(request: HttpRequest, room_id: int) -> HttpResponse:
    user = request_user(request)
    room = selectors.get_room_for_user(user, room_id)
    facility = room.facility
    services.room_delete(user=user, room=room)
    return _section(request, user, facility, "rooms")


@login_required
@require_POST
def equipment_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    facility = _writable_facility(user, pk)
    form = EquipmentForm(request.POST)
    if form.is_valid():
        try:
            services.equipment_add(user=user, facility=facility, **form.cleaned_data)
            form = EquipmentForm()
        except ValidationError as exc:
            errors_to_form(form, exc)
    return _section(request, user, facility, "equipment", equipment_form=form)


@login_required
@require_POST
def equipment_delete(request: HttpRequest, equipment_id: int) -> HttpResponse:
    user = request_user(request)
    item = selectors.get_equipment_for_user(user, equipment_id)
    facility = item.facility
    services.equipment_delete(user=user, equipment=item)
    return _section(request, user, facility, "equipment")
