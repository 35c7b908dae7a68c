"""Activities in the JSON API: list, detail, create, update, delete.

Reads go through the scoped selectors and writes through the services, as on the pages: an
activity or unit outside the caller's subtree is a 404 (as if it did not exist), a write the
caller's role does not allow is a 403, and a broken rule is a 400 whose `errors` name the
field in Chinese. Input and output are separate schemas: the client sends codes and ids,
and gets back names as well.
"""

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from xuanwen.accounts.models import User
from xuanwen.accounts.permissions import request_user
from xuanwen.core.models import Level
from xuanwen.records.api import PartApi, RecordApi, Values, data_as, values_of, writable_unit
from xuanwen.records.schemas import Id, Int, RecordOut, ScopeFilter
from xuanwen.units.models import Unit

from . import selectors, services
from .models import Activity, ActivityType, Award, MediaCoverage, WinnerKind

router = Router(tags=["activities 活动"])

# A unit's code as a client sends it; what it names is checked in scope (a 400 in Chinese).
Code = Annotated[str, Field(max_length=12)]


class ActivityIn(Schema):
    """An activity as the client writes it (create, PUT; PATCH sends any subset)."""

    unit: str = Field(..., description="举办单位的区划代码（本单位或下级）")
    type: Id = Field(..., description="活动类型编号（GET /api/v1/activities/types/）")
    title: str
    start_date: date
    end_date: date | None = Field(None, description="不填为开始日期（一天的活动）")
    place: str = ""
    organisers: str = ""
    co_organisers: str = ""
    participants: Int = 0
    audience: Int = 0
    programmes: Int = Field(0, description="节目数（演出类活动填写，0–999）")
    cost: Decimal | None = None
    funding: str = Field("", description="fiscal 财政 / self 自筹 / sponsor 赞助 / other 其他")
    description: str = ""
    villages: list[Code] | None = Field(
        None,
        max_length=services.VILLAGES_MAX,
        description="覆盖的村（社区）区划代码（举办单位辖区内的 12 位代码）；不传则不变",
    )


class ActivityOut(RecordOut):
    type: int = Field(alias="type_id")
    type_name: str = Field(alias="type.name")
    title: str
    start_date: date
    end_date: date
    place: str
    organisers: str
    co_organisers: str
    participants: int
    audience: int
    programmes: int
    cost: Decimal | None
    funding: str
    funding_name: str = Field(alias="get_funding_display")
    description: str
    created_at: datetime
    updated_at: datetime


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


class VillageOut(Schema):
    code: str
    name: str


class ActivityDetailOut(ActivityOut):
    villages: list[VillageOut]
    coverage: list[CoverageOut]
    awards: list[AwardOut]


class TypeOut(Schema):
    id: int
    name: str


def _data(user: User, values: Values, current: Activity | None) -> services.ActivityData:
    """The service's ActivityData from the client's values, unit and type looked up in scope."""
    unit = writable_unit(user, values["unit"], _("您不能为该单位登记活动。"))
    activity_type: ActivityType | None
    if current is not None and values["type"] == current.type_id:
        # A type retired since keeps working for the records that already use it.
        activity_type = current.type
    else:
        activity_type = selectors.activity_types(user.scope).filter(pk=values["type"]).first()
    if activity_type is None:
        raise ValidationError({"type": _("没有这个活动类型，或该类型已停用。")})
    end = values["end_date"] or values["start_date"]
    villages = _villages(user, values.get("villages"))
    return data_as(
        services.ActivityData, values, unit=unit, type=activity_type, end_date=end,
        villages=villages,
    )  # fmt: skip


def _villages(user: User, codes: list[str] | None) -> list[Unit] | None:
    """The villages a payload names, in the caller's scope; a code not there is a 400."""
    if codes is None:
        return None
    found = {u.code: u for u in selectors.villages_for(user).filter(code__in=set(codes))}
    for code in codes:
        if code not in found:
            message = _("区划代码“%(code)s”不是您管辖范围内的村（社区）。") % {"code": code}
            raise ValidationError({"villages": message})
    return [found[code] for code in dict.fromkeys(codes)]


def _values(activity: Activity, change: Mapping[str, Any]) -> Values:
    """The activity as a payload, for a PATCH to change."""
    values = values_of(activity, ActivityIn, villages=None)  # unchanged unless sent
    if "start_date" in change and "end_date" not in change:
        # Moving a one-day activity moves its end too; a longer one keeps its length.
        values["end_date"] = change["start_date"] + (activity.end_date - activity.start_date)
    return values


class ListFilter(ScopeFilter):
    type: Id | None = Field(None, description="活动类型编号")
    start: date | None = Field(None, description="与该日期之后有重叠的活动")
    end: date | None = Field(None, description="与该日期之前有重叠的活动")
    q: str | None = Field(None, description="名称、地点或拼音首字母")


def _search(user: User, f: ListFilter) -> QuerySet[Activity]:
    return selectors.activity_search(
        user,
        selectors.ActivityFilter(
            unit=f.unit or "", type_id=f.type, start=f.start, end=f.end, text=f.q or ""
        ),
    )


activities: RecordApi[Activity, services.ActivityData] = RecordApi(
    router, __name__, "{int:activity_id}/", selectors.get_activity_for_user,
    arg="activity", data=_data, values=_values, nullable={"end_date", "cost"},
)  # fmt: skip
activities.list(
    "", ActivityOut, ListFilter, _search, name="activity_list", summary="活动列表（本单位及下级）",
    description="The activities of the caller's subtree, newest first, filtered like the list "
    "page.",
)  # fmt: skip


@router.get("types/", response=list[TypeOut], summary="活动类型")
def activity_type_list(request: HttpRequest) -> Any:
    return selectors.activity_types(request_user(request).scope)


activities.detail(ActivityDetailOut, name="activity_detail", summary="活动详情（含媒体报道、奖项）")
activities.writes(
    ActivityIn, ActivityDetailOut,
    services.activity_create, services.activity_update, services.activity_delete, noun="活动",
)  # fmt: skip


# --- Media coverage and awards: parts of an activity --------------------------------------


class CoverageIn(Schema):
    """A media report on the activity (媒体报道); PATCH sends any subset."""

    outlet: str = Field(..., max_length=100, description="媒体名称")
    level: Level = Field(..., description="级别：national/province/city/county/township/other")
    date: date
    title: str = Field("", max_length=200)
    link: str = Field("", max_length=500, description="链接（http:// 或 https://）")
    views: Int | None = Field(None, description="阅读/点击量，不知道可不填")


class AwardIn(Schema):
    """An award won at the activity (奖项); PATCH sends any subset."""

    name: str = Field(..., max_length=200, description="奖项名称")
    level: Level = Field(..., description="级别：national/province/city/county/township/other")
    rank: str = Field("", max_length=50, description="名次/等次")
    winner_kind: WinnerKind = Field(..., description="person 个人 / team 团队")
    winner: str = Field(..., max_length=100, description="获奖者")


coverage: PartApi[Activity, MediaCoverage] = PartApi(
    router, __name__, under="{int:activity_id}/coverage/", path="coverage/{int:coverage_id}/",
    get_owner=selectors.get_activity_for_user, get=selectors.get_coverage_for_user,
    owner_arg="activity", arg="coverage", response=CoverageOut, nullable={"views"},
)  # fmt: skip
coverage.writes(
    CoverageIn, services.coverage_add, services.coverage_update, services.coverage_delete,
    noun="媒体报道",
)  # fmt: skip

awards: PartApi[Activity, Award] = PartApi(
    router, __name__, under="{int:activity_id}/awards/", path="awards/{int:award_id}/",
    get_owner=selectors.get_activity_for_user, get=selectors.get_award_for_user,
    owner_arg="activity", arg="award", response=AwardOut,
)  # fmt: skip
awards.writes(
    AwardIn, services.award_add, services.award_update, services.award_delete, noun="奖项"
)
