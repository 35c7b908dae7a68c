"""Writing facilities, their rooms, equipment and photos, and the facility kinds.

Pages, htmx sections, the API and the Excel import all come through here: each function checks
the right to write for the facility's unit, applies the rules and records an audit entry in the
same transaction as the change.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from xuanwen.accounts.models import User
from xuanwen.accounts.permissions import can_manage_scope
from xuanwen.core import files
from xuanwen.records.services import (
    Duplicates,
    RegisterWrites,
    add_part,
    dated_errors,
    delete_part,
    fits_column,
    length_errors,
    save_created,
    save_values,
    store_upload,
    stored_values,
    update_part,
)
from xuanwen.records.vocab import kind_owner, may_change_kind
from xuanwen.units.models import Unit

from .models import Condition, Equipment, Facility, FacilityKind, FacilityPhoto, Room

if TYPE_CHECKING:
    from xuanwen.core.files import CheckedUpload

# How far ahead a date may lie: a facility under construction, entered when planned.
BUILT_YEARS_AHEAD = 5


@dataclass
class FacilityData:
    """The editable fields of a facility, already parsed (from a form, JSON or a sheet row)."""

    unit: Unit
    kind: FacilityKind
    name: str
    address: str = ""
    area: Decimal | None = None
    opened_on: date | None = None
    closed_on: date | None = None
    opening_schedule: str = ""
    free_opening: bool = True
    keeper: str = ""
    phone: str = ""
    notes: str = ""


# Text fields with a maximum length, and their names in messages.
TEXT_LIMITS = (
    ("name", _lazy("名称")),
    ("address", _lazy("地址")),
    ("opening_schedule", _lazy("开放时间")),
    ("keeper", _lazy("管理员")),
    ("phone", _lazy("联系电话")),
)


def facility_check(data: FacilityData) -> dict[str, str]:
    """Rule errors by field name, in Chinese; empty when the data is acceptable."""
    errors: dict[str, str] = {}
    if not data.name.strip():
        errors["name"] = _("名称不能为空。")
    if data.area is not None:
        if data.area < 0:
            errors["area"] = _("面积不能为负数。")
        elif not fits_column(data.area, Facility, "area"):
            errors["area"] = _("面积最多 8 位整数、1 位小数。")
    order = _("停用日期应晚于建成日期。")
    dates = ("opened_on", "closed_on")
    errors.update(dated_errors(data, dates, years_ahead=BUILT_YEARS_AHEAD, order=order))
    errors.update(length_errors(Facility, data, TEXT_LIMITS))
    return errors


def duplicate_key(data: FacilityData) -> tuple[str, int, str]:
    """What makes two facilities the same one: unit, kind and name."""
    return (data.unit.code, data.kind.pk, data.name.strip())


STRIPPED = ("name", "address", "opening_schedule", "keeper", "phone")


def _stored(data: FacilityData) -> dict[str, Any]:
    """The values a facility is stored with, by field (the one place they are normalised)."""
    return stored_values(data, strip=STRIPPED, pinyin=data.name.strip())


WRITES = RegisterWrites(
    model=Facility,
    stored=_stored,
    check=facility_check,
    duplicates=Duplicates(
        Facility,
        ("unit_id", "kind_id", "name"),
        duplicate_key,
        field="name",
        exists=_lazy("该单位已有同类型、同名称的阵地。"),
        repeats=_lazy("与第 %(row)d 行重复：同一单位同类型、同名称。"),
    ),
    refused=_lazy("您不能为该单位登记或修改阵地。"),
    refused_row=_lazy("您不能为该单位登记阵地。"),
    empty=_lazy("没有可导入的阵地。"),
)
_check_write = WRITES.check_write  # also a room's, a piece of equipment's and a photo's


def facility_create(*, user: User, data: FacilityData) -> Facility:
    return WRITES.create(user, data)


def facility_update(*, user: User, facility: Facility, data: FacilityData) -> Facility:
    return WRITES.update(user, facility, data)


def facility_delete(*, user: User, facility: Facility) -> None:
    """Soft delete: the facility disappears everywhere and can be restored from the audit page.

    Its rooms, equipment and photos stay attached, so a restore brings them back too.
    """
    WRITES.delete(user, facility)


# --- Import of many facilities at once (the Excel import) ----------------------------------


def facilities_import_problems(
    *, user: User, rows: Sequence[FacilityData], row_numbers: Sequence[int]
) -> dict[int, dict[str, str]]:
    """The rule errors of a batch: {index in rows: {field: Chinese message}}, empty if none."""
    return WRITES.import_problems(user, rows, row_numbers)


def facilities_import(
    *, user: User, rows: Sequence[FacilityData], row_numbers: Sequence[int], source: str = ""
) -> list[Facility]:
    """Create every facility of the batch, or none: the bulk form of facility_create."""
    return WRITES.import_rows(user, rows, row_numbers, source)


# --- Rooms and equipment -------------------------------------------------------------------


def _delete_part(*, user: User, obj: Room | Equipment | FacilityPhoto) -> None:
    facility = obj.facility
    _check_write(user, facility.unit_id)
    delete_part(user=user, record=obj, unit_code=facility.unit_id)


def room_add(*, user: User, facility: Facility, name: str, area: Decimal | None = None) -> Room:
    if area is not None and area < 0:
        raise ValidationError({"area": _("面积不能为负数。")})
    _check_write(user, facility.unit_id)
    room = Room(facility=facility, name=name.strip(), area=area)
    return add_part(user=user, record=room, owner="facility", unit_code=facility.unit_id)


def room_update(*, user: User, room: Room, name: str, area: Decimal | None = None) -> Room:
    _check_write(user, room.facility.unit_id)
    if area is not None and area < 0:
        raise ValidationError({"area": _("面积不能为负数。")})
    values = {"name": name.strip(), "area": area}
    return update_part(
        user=user, record=room, values=values, owner="facility", unit_code=room.facility.unit_id
    )


def room_delete(*, user: User, room: Room) -> None:
    _delete_part(user=user, obj=room)


def equipment_add(
    *, user: User, facility: Facility, name: str, count: int = 1, condition: str = Condition.GOOD
) -> Equipment:
    if count < 1:
        raise ValidationError({"count": _("数量至少为 1。")})
    _check_write(user, facility.unit_id)
    item = Equipment(facility=facility, name=name.strip(), count=count, condition=condition)
    return add_part(user=user, record=item, owner="facility", unit_code=facility.unit_id)


def equipment_update(
    *, user: User, equipment: Equipment, name: str, count: int = 1, condition: str = Condition.GOOD
) -> Equipment:
    facility = equipment.facility
    _check_write(user, facility.unit_id)
    if count < 1:
        raise ValidationError({"count": _("数量至少为 1。")})
    values = {"name": name.strip(), "count": count, "condition": condition}
    return update_part(
        user=user, record=equipment, values=values, owner="facility", unit_code=facility.unit_id
    )


def equipment_delete(*, user: User, equipment: Equipment) -> None:
    _delete_part(user=user, obj=equipment)


# --- Photos --------------------------------------------------------------------------------


def photo_add(*, user: User, facility: Facility, upload: "CheckedUpload") -> FacilityPhoto:
    """Store a checked upload (see files.check_upload) as a photo of the facility."""
    _check_write(user, facility.unit_id)
    if upload.kind != files.PHOTO or upload.content is None:
        raise ValidationError(
            _("“%(name)s”不是照片：阵地只能上传照片（JPEG、PNG、WebP）。")
            % {"name": upload.original_name}
        )
    photo = FacilityPhoto(facility=facility)
    return store_upload(user=user, record=photo, upload=upload, unit_code=facility.unit_id)


def photo_delete(*, user: User, photo: FacilityPhoto) -> None:
    """Remove the record; the stored files stay so that the audit page can restore it."""
    _delete_part(user=user, obj=photo)


# --- Kinds (shared by the whole deployment, like activity types) ---------------------------


@dataclass
class KindData:
    """The editable fields of a facility kind; the code is fixed once created."""

    name: str
    min_days_per_week: int | None = None
    min_hours_per_day: Decimal | None = None
    ordering: int = 100
    active: bool = True


def _check_manage(user: User) -> None:
    if not can_manage_scope(user):
        raise PermissionDenied(_("只有系统管理员可以管理阵地类型。"))


def kind_check(data: KindData, exclude_pk: int | None = None) -> dict[str, str]:
    errors: dict[str, str] = {}
    name = data.name.strip()
    same_name = FacilityKind.objects.filter(name=name)
    if exclude_pk is not None:
        same_name = same_name.exclude(pk=exclude_pk)
    if not name:
        errors["name"] = _("名称不能为空。")
    elif len(name) > 50:
        errors["name"] = _("名称不能超过 50 个字。")
    elif same_name.exists():
        errors["name"] = _("已有名为“%(name)s”的阵地类型。") % {"name": name}
    days = data.min_days_per_week
    if days is not None and not 1 <= days <= 7:
        errors["min_days_per_week"] = _("每周开放天数应在 1 至 7 之间。")
    hours = data.min_hours_per_day
    if hours is not None and not (
        0 < hours <= 24 and fits_column(hours, FacilityKind, "min_hours_per_day")
    ):
        errors["min_hours_per_day"] = _("每天开放小时数应大于 0、不超过 24，最多 1 位小数。")
    return errors


def _kind_values(data: KindData) -> dict[str, Any]:
    return {
        "name": data.name.strip(),
        "min_days_per_week": data.min_days_per_week,
        "min_hours_per_day": data.min_hours_per_day,
        "ordering": data.ordering,
        "active": data.active,
    }


def kind_create(*, user: User, code: str, data: KindData) -> FacilityKind:
    """Add a facility kind of the admin's unit, seen in its subtree only (national when the
    admin's scope is the country); its code, unique country-wide, names its indicators
    (facilities.kind.<code>)."""
    _check_manage(user)
    code = code.strip().lower()
    errors = kind_check(data)
    if not code or not code.replace("_", "").replace("-", "").isalnum() or not code.isascii():
        errors["code"] = _("代码只能由英文字母、数字、-、_ 组成。")
    elif len(code) > 30:
        errors["code"] = _("代码不能超过 30 个字符。")
    elif FacilityKind.objects.filter(code=code).exists():
        errors["code"] = _("已有代码为“%(code)s”的阵地类型。") % {"code": code}
    if errors:
        raise ValidationError(errors)
    kind = FacilityKind(code=code, owner_id=kind_owner(user), **_kind_values(data))
    return save_created(user=user, record=kind, unit_code=user.scope.top)


def kind_update(*, user: User, kind: FacilityKind, data: KindData) -> FacilityKind:
    """Rename a kind, change its opening rule or order, retire it or bring it back."""
    _check_manage(user)
    if not may_change_kind(user, kind):
        raise PermissionDenied(_("只能修改本单位添加的阵地类型。"))
    errors = kind_check(data, exclude_pk=kind.pk)
    if errors:
        raise ValidationError(errors)
    return save_values(user=user, record=kind, values=_kind_values(data), unit_code=user.scope.top)
