"""Facilities in the JSON API: list, detail, create, update, delete; the kinds.

Reads go through the scoped selectors and writes through the services, as on the pages: a
facility or unit outside the caller's subtree is a 404 (as if it did not exist), a write the
caller's role does not allow is a 403, and a broken rule is a 400 whose `errors` name the
field in Chinese. The client names a kind by its code (station, bookhouse, …).
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from xuanwen.accounts.models import User
from xuanwen.records import schemas
from xuanwen.records.api import (
    PartApi,
    RecordApi,
    Values,
    kind_values,
    page_filter,
    register_data,
)
from xuanwen.records.schemas import RegisterOut, dated_filter

from . import selectors, services
from .filters import facility_filters
from .models import Condition, Equipment, Facility, Room

router = Router(tags=["facilities 文化阵地"])


class FacilityIn(Schema):
    """A facility as the client writes it (create, PUT; PATCH sends any subset)."""

    unit: str = Field(..., description="所属单位的区划代码（本单位或下级）")
    kind: str = Field(..., description="阵地类型代码（GET /api/v1/facilities/kinds/）")
    name: str
    address: str = ""
    area: Decimal | None = Field(None, description="面积（平方米）")
    opened_on: date | None = Field(None, description="建成日期；不填则不计入任何时段的阵地数")
    closed_on: date | None = Field(None, description="停用日期；仍在使用的不填")
    opening_schedule: str = Field("", description="开放时间，如“周二至周日 8:30-11:30”")
    free_opening: bool = True
    keeper: str = ""
    phone: str = ""
    notes: str = ""


class FacilityOut(RegisterOut):
    name: str
    address: str
    area: Decimal | None
    opened_on: date | None
    closed_on: date | None
    opening_schedule: str
    free_opening: bool
    keeper: str
    phone: str
    notes: str
    created_at: datetime
    updated_at: datetime


class PerFacilityOut(Schema):
    """The base of an Out schema of a record kept per facility (an opening log, a bookhouse's
    register): `facility` is its id, `facility_name` its name, `unit` and `unit_name` its
    unit's. The schema declares the fields it shows, where its JSON shows them."""

    @staticmethod
    def resolve_facility(obj: Any) -> int:
        return int(obj.facility_id)

    @staticmethod
    def resolve_facility_name(obj: Any) -> str:
        return str(obj.facility.name)

    @staticmethod
    def resolve_unit(obj: Any) -> str:
        return str(obj.facility.unit_id)

    @staticmethod
    def resolve_unit_name(obj: Any) -> str:
        return str(obj.facility.unit.name)


class RoomOut(Schema):
    id: int
    name: str
    area: Decimal | None


class EquipmentOut(Schema):
    id: int
    name: str
    count: int
    condition: str


class PhotoOut(Schema):
    id: int
    original_name: str
    size: int
    uploaded_at: datetime
    url: str
    thumbnail_url: str

    @staticmethod
    def resolve_url(obj: Any) -> str:
        # The scoped page that serves the file (signed-in sessions), not a media path.
        return reverse("facilities:photo", args=[obj.pk])

    @staticmethod
    def resolve_thumbnail_url(obj: Any) -> str:
        return reverse("facilities:photo_thumb", args=[obj.pk])


class StandardOut(Schema):
    label: str
    required: str
    actual: str
    met: bool | None


class FacilityDetailOut(FacilityOut):
    rooms: list[RoomOut]
    equipment: list[EquipmentOut]
    photos: list[PhotoOut]
    standards: list[StandardOut]

    @staticmethod
    def resolve_standards(obj: Facility) -> list[Any]:
        return selectors.standard_checks(obj)


# Its own name: the OpenAPI document names its schemas by class name, and under the shared
# name the facility kinds were documented without their opening requirements.
class FacilityKindOut(schemas.KindOut):
    min_days_per_week: int | None
    min_hours_per_day: Decimal | None


def _data(user: User, values: Values, current: Facility | None) -> services.FacilityData:
    return register_data(
        services.FacilityData, user, values, current,
        kinds=selectors.facility_kinds(user.scope),
        refusal=str(services.WRITES.refused),
        missing=_("没有这个阵地类型，或该类型已停用。"),
    )  # fmt: skip


ListFilter = dated_filter(
    kind="阵地类型代码", q="名称、地址或拼音首字母",
    dated="建成日期", as_of="只看该日在用的阵地（建成、未停用）",
    undated="只看未填建成日期的阵地（待补日期）",
)  # fmt: skip


facilities: RecordApi[Facility, services.FacilityData] = RecordApi(
    router, __name__, "{int:facility_id}/", selectors.get_facility_for_user,
    arg="facility", data=_data, values=kind_values(FacilityIn),
    nullable={"area", "opened_on", "closed_on"},
)  # fmt: skip
facilities.list(
    "", FacilityOut, ListFilter, page_filter(facility_filters),
    name="facility_list", summary="阵地列表（本单位及下级）",
    description="The facilities of the caller's subtree, filtered like the list page.",
)  # fmt: skip

facilities.kinds(FacilityKindOut, selectors.facility_kinds, summary="阵地类型（含开放要求）")

facilities.detail(
    FacilityDetailOut, name="facility_detail", summary="阵地详情（含功能室、设备、照片）"
)
facilities.writes(
    FacilityIn, FacilityDetailOut,
    services.facility_create, services.facility_update, services.facility_delete, noun="阵地",
)  # fmt: skip


# --- Rooms and equipment: parts of a facility ---------------------------------------------


class RoomIn(Schema):
    """A room of the facility (功能室, e.g. 多功能厅 300 m²); PATCH sends any subset."""

    name: str = Field(..., max_length=100)
    area: Decimal | None = Field(None, description="面积（平方米），最多一位小数")


class EquipmentIn(Schema):
    """A piece of the facility's equipment (设施设备); PATCH sends any subset."""

    name: str = Field(..., max_length=100)
    count: schemas.Int = Field(1, description="数量（至少 1）")
    condition: Condition = Field(Condition.GOOD, description="good 完好 / worn 老旧 / broken 损坏")


rooms: PartApi[Facility, Room] = PartApi(
    router, __name__, under="{int:facility_id}/rooms/", path="rooms/{int:room_id}/",
    get_owner=selectors.get_facility_for_user, get=selectors.get_room_for_user,
    owner_arg="facility", arg="room", response=RoomOut, nullable={"area"},
)  # fmt: skip
rooms.writes(RoomIn, services.room_add, services.room_update, services.room_delete, noun="功能室")

equipment: PartApi[Facility, Equipment] = PartApi(
    router, __name__, under="{int:facility_id}/equipment/", path="equipment/{int:equipment_id}/",
    get_owner=selectors.get_facility_for_user, get=selectors.get_equipment_for_user,
    owner_arg="facility", arg="equipment", response=EquipmentOut,
)  # fmt: skip
equipment.writes(
    EquipmentIn, services.equipment_add, services.equipment_update, services.equipment_delete,
    noun="设备",
)  # fmt: skip
