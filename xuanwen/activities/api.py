"""Activities in the JSON API: list, detail, create, update, delete.

Reads go through the scoped selectors and writes through the services, as on the pages: an
activity or unit outside the caller's subtree is a 404 (as if it did not exist), a write the
caller's role does not allow is a 403, and a broken rule is a 400 whose `errors` name the
field in Chinese. Input and output are separate schemas: the client sends codes and ids,
and gets back names as well.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, PatchDict, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from xuanwen.accounts.models import User
from xuanwen.accounts.permissions import can_write, request_user
from xuanwen.units.selectors import get_unit_for_user

from . import selectors, services
from .models import Activity, ActivityType

router = Router(tags=["activities 活动"])


class ActivityIn(Schema):
    """An activity as the client writes it (create, PUT; PATCH sends any subset)."""

    unit: str = Field(..., description="举办单位的区划代码（本单位或下级）")
    type: int = Field(..., description="活动类型编号（GET /api/v1/activities/types/）")
    title: str
    start_date: date
    end_date: date | None = Field(None, description="不填为开始日期（一天的活动）")
    place: str = ""
    organisers: str = ""
    co_organisers: str = ""
    participants: int = 0
    audience: int = 0
    cost: Decimal | None = None
    funding: str = Field("", description="fiscal 财政 / self 自筹 / sponsor 赞助 / other 其他")
    description: str = ""


class ActivityOut(Schema):
    id: int
    unit: str
    unit_name: str
    type: int
    type_name: str
    title: str
    start_date: date
    end_date: date
    place: str
    organisers: str
    co_organisers: str
    participants: int
    audience: int
    cost: Decimal | None
    funding: str
    funding_name: str
    description: str
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_unit(obj: Activity) -> str:
        return obj.unit_id

    @staticmethod
    def resolve_unit_name(obj: Activity) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_type(obj: Activity) -> int:
        return obj.type_id

    @staticmethod
    def resolve_type_name(obj: Activity) -> str:
        return obj.type.name

    @staticmethod
    def resolve_funding_name(obj: Activity) -> str:
        return str(obj.get_funding_display()) if obj.funding else ""


class CoverageOut(Schema):
    id: int
    outlet: str
    level: str
    date: date
    title: str
    link: str
    views: int | None


class AwardOut(Schema):
    id: int
    name: str
    level: str
    rank: str
    winner_kind: str
    winner: str


class ActivityDetailOut(ActivityOut):
    coverage: list[CoverageOut]
    awards: list[AwardOut]

    @staticmethod
    def resolve_coverage(obj: Activity) -> list[Any]:
        return list(obj.coverage.all())

    @staticmethod
    def resolve_awards(obj: Activity) -> list[Any]:
        return list(obj.awards.all())


class TypeOut(Schema):
    id: int
    name: str


def _data(
    user: User, values: dict[str, Any], current: Activity | None = None
) -> services.ActivityData:
    """The service's ActivityData from the client's values, units and types looked up in scope."""
    unit = get_unit_for_user(user, values["unit"])  # outside the scope: 404
    # Asked before anything else about the payload, so that a read-only caller always gets 403.
    if not can_write(user, unit.code):
        raise PermissionDenied(_("您不能为该单位登记活动。"))
    activity_type: ActivityType | None
    if current is not None and values["type"] == current.type_id:
        # A type retired since keeps working for the records that already use it.
        activity_type = current.type
    else:
        activity_type = selectors.activity_types().filter(pk=values["type"]).first()
    if activity_type is None:
        raise ValidationError({"type": _("没有这个活动类型，或该类型已停用。")})
    start = values["start_date"]
    return services.ActivityData(
        unit=unit,
        type=activity_type,
        title=values["title"],
        start_date=start,
        end_date=values.get("end_date") or start,
        organisers=values.get("organisers") or "",
        co_organisers=values.get("co_organisers") or "",
        place=values.get("place") or "",
        participants=values.get("participants") or 0,
        audience=values.get("audience") or 0,
        cost=values.get("cost"),
        funding=values.get("funding") or "",
        description=values.get("description") or "",
    )


NULLABLE = {"end_date", "cost"}


def _values(activity: Activity) -> dict[str, Any]:
    return {
        "unit": activity.unit_id,
        "type": activity.type_id,
        "title": activity.title,
        "start_date": activity.start_date,
        "end_date": activity.end_date,
        "place": activity.place,
        "organisers": activity.organisers,
        "co_organisers": activity.co_organisers,
        "participants": activity.participants,
        "audience": activity.audience,
        "cost": activity.cost,
        "funding": activity.funding,
        "description": activity.description,
    }


class ListFilter(Schema):
    unit: str | None = Field(None, description="只看该单位及其下级（区划代码）")
    type: int | None = Field(None, description="活动类型编号")
    start: date | None = Field(None, description="与该日期之后有重叠的活动")
    end: date | None = Field(None, description="与该日期之前有重叠的活动")
    q: str | None = Field(None, description="名称、地点或拼音首字母")


@router.get("", response=list[ActivityOut], summary="活动列表（本单位及下级）")
@paginate(PageNumberPagination)
def activity_list(request: HttpRequest, filters: Query[ListFilter]) -> Any:
    """The activities of the caller's subtree, newest first, filtered like the list page."""
    user = request_user(request)
    if filters.unit:
        get_unit_for_user(user, filters.unit)  # a unit outside the scope is a 404, as elsewhere
    return selectors.activity_search(
        user,
        selectors.ActivityFilter(
            unit=filters.unit or "",
            type_id=filters.type,
            start=filters.start,
            end=filters.end,
            text=filters.q or "",
        ),
    )


@router.get("types/", response=list[TypeOut], summary="活动类型")
def activity_type_list(request: HttpRequest) -> Any:
    return selectors.activity_types()


@router.get(
    "{int:activity_id}/", response=ActivityDetailOut, summary="活动详情（含媒体报道、奖项）"
)
def activity_detail(request: HttpRequest, activity_id: int) -> Activity:
    return selectors.get_activity_for_user(request_user(request), activity_id)


@router.post("", response={201: ActivityDetailOut}, summary="登记活动")
def activity_create(request: HttpRequest, payload: ActivityIn) -> Activity:
    user = request_user(request)
    activity = services.activity_create(user=user, data=_data(user, payload.model_dump()))
    # The only status declared, so ninja answers 201 (a tuple is deprecated since ninja 1.7).
    return selectors.get_activity_for_user(user, activity.pk)


@router.put("{int:activity_id}/", response=ActivityDetailOut, summary="修改活动（全部字段）")
def activity_replace(request: HttpRequest, activity_id: int, payload: ActivityIn) -> Activity:
    user = request_user(request)
    activity = selectors.get_activity_for_user(user, activity_id)
    data = _data(user, payload.model_dump(), activity)
    services.activity_update(user=user, activity=activity, data=data)
    return selectors.get_activity_for_user(user, activity_id)


@router.patch("{int:activity_id}/", response=ActivityDetailOut, summary="修改活动（部分字段）")
def activity_patch(
    request: HttpRequest, activity_id: int, payload: PatchDict[ActivityIn]
) -> Activity:
    user = request_user(request)
    activity = selectors.get_activity_for_user(user, activity_id)
    # null is a value only where the field may be empty; elsewhere it is a mistake, named.
    nulls = [k for k, v in payload.items() if v is None and k not in NULLABLE]
    if nulls:
        raise ValidationError({k: _("不能为空。") for k in nulls})
    values = _values(activity)
    if "start_date" in payload and "end_date" not in payload:
        # Moving a one-day activity moves its end too; a longer one keeps its length.
        values["end_date"] = payload["start_date"] + (activity.end_date - activity.start_date)
    values.update(payload)
    services.activity_update(user=user, activity=activity, data=_data(user, values, activity))
    return selectors.get_activity_for_user(user, activity_id)


@router.delete("{int:activity_id}/", response={204: None}, summary="删除活动（可在操作记录中恢复）")
def activity_delete(request: HttpRequest, activity_id: int) -> None:
    user = request_user(request)
    activity = selectors.get_activity_for_user(user, activity_id)
    services.activity_delete(user=user, activity=activity)
