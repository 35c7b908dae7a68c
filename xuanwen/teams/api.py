"""People, teams, training classes and honours in the JSON API (mounted at /api/v1/).

Reads go through the scoped selectors and writes through the services, as on the pages: a
record, unit or person outside the caller's subtree is a 404 (as if it did not exist), a write
the caller's role does not allow is a 403, and a broken rule is a 400 naming the field in
Chinese. Phone numbers are null for callers who may not write in the person's unit.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from xuanwen.accounts.models import User
from xuanwen.accounts.permissions import request_user
from xuanwen.activities.selectors import get_activity_for_user
from xuanwen.records.api import PartApi, RecordApi, Values, data_as, page_filter, writable_unit
from xuanwen.records.schemas import Id, RecordOut, ScopeFilter, SmallInt, UnitOut

from . import selectors, services
from .filters import honour_filters, person_filters, team_filters, training_filters
from .models import Honour, Person, Team, TeamMember, TeamPerformance, TrainingClass

router = Router(tags=["teams 队伍与培训"])


REFUSAL = _("您不能为该单位登记。")


class ListFilter(ScopeFilter):
    q: str | None = Field(None, description="名称或拼音首字母")


# --- People ----------------------------------------------------------------------------------


class PersonIn(Schema):
    unit: str = Field(..., description="所属单位的区划代码（本单位或下级）")
    name: str
    gender: str = Field("", description="male 男 / female 女")
    birth_year: SmallInt | None = None
    phone: str = ""
    specialty: str = ""
    note: str = ""


class PersonOut(RecordOut):
    name: str
    gender: str
    birth_year: int | None
    phone: str | None = Field(None, description="只对能在该单位登记的用户显示")
    specialty: str
    note: str

    @staticmethod
    def resolve_phone(obj: Person, context: Any) -> str | None:
        user = context["request"].user
        return obj.phone if selectors.phone_visible(user, obj.unit_id) else None


def _person_data(user: User, v: Values, current: Person | None) -> services.PersonData:
    return data_as(services.PersonData, v, unit=writable_unit(user, v["unit"], REFUSAL))


people: RecordApi[Person, services.PersonData] = RecordApi(
    router, __name__, "people/{int:person_id}/", selectors.get_person_for_user,
    arg="person", data=_person_data,
)  # fmt: skip
people.list(
    "people/",
    PersonOut,
    ListFilter,
    page_filter(person_filters),
    name="person_list",
    summary="人员列表（本单位及下级）",
)
people.detail(PersonOut, name="person_detail", summary="人员详情")
people.create(PersonIn, PersonOut, services.person_create, name="person_create", summary="登记人员")
people.replace(
    PersonIn, PersonOut, services.person_update, name="person_update", summary="修改人员"
)
people.delete(services.person_delete, name="person_delete", summary="删除人员（可恢复）")


# --- Teams -----------------------------------------------------------------------------------


class MemberIn(Schema):
    person: Id = Field(..., description="人员编号（本单位或下级）")
    role: str = ""
    joined_on: date | None = None


class TeamIn(Schema):
    unit: str = Field(..., description="所属单位的区划代码（本单位或下级）")
    name: str
    genre: Id = Field(..., description="队伍类别编号（GET /api/v1/teams/genres/）")
    leader: Id | None = Field(None, description="负责人的人员编号")
    founded_on: date | None = Field(None, description="成立日期；不填则不计入任何时段的队伍数")
    disbanded_on: date | None = Field(None, description="解散日期；填写后即为已停止活动")
    active: bool = True
    note: str = ""
    members: list[MemberIn] = Field([], description="队员（仅新建时）；修改队员请用页面")


class MemberOut(Schema):
    id: int
    person: int = Field(alias="person_id")
    name: str = Field(alias="person.name")
    role: str
    joined_on: date | None


class TeamOut(RecordOut):
    name: str
    genre: int = Field(alias="genre_id")
    genre_name: str = Field(alias="genre.name")
    leader: int | None = Field(alias="leader_id")
    leader_name: str
    founded_on: date | None
    disbanded_on: date | None
    active: bool
    note: str

    @staticmethod
    def resolve_leader_name(obj: Team) -> str:
        return obj.leader.name if obj.leader else ""


class TeamDetailOut(TeamOut):
    members: list[MemberOut]
    performances: list[int] = Field(..., description="演出活动的编号")

    @staticmethod
    def resolve_members(obj: Team) -> list[Any]:
        return selectors.team_members(obj)

    @staticmethod
    def resolve_performances(obj: Team) -> list[int]:
        return [p.activity_id for p in selectors.team_performances(obj)]


class GenreOut(Schema):
    id: int
    name: str


class TeamFilter(ListFilter):
    genre: Id | None = Field(None, description="队伍类别编号")
    active: bool | None = Field(None, description="true 正常活动 / false 已停止")


def _team_data(user: User, v: Values, current: Team | None) -> services.TeamData:
    # Every record named is looked up first: one outside the scope is a 404 for every role.
    leader = selectors.get_person_for_user(user, v["leader"]) if v["leader"] else None
    unit = writable_unit(user, v["unit"], REFUSAL)
    genre = None
    if current is not None and v["genre"] == current.genre_id:
        genre = current.genre  # a genre retired since keeps working for its teams
    else:
        genre = selectors.team_genres(user.scope).filter(pk=v["genre"]).first()
    if genre is None:
        raise ValidationError({"genre": _("没有这个队伍类别，或该类别已停用。")})
    return data_as(services.TeamData, v, unit=unit, genre=genre, leader=leader)


teams: RecordApi[Team, services.TeamData] = RecordApi(
    router, __name__, "teams/{int:team_id}/", selectors.get_team_for_user,
    arg="team", data=_team_data,
)  # fmt: skip
teams.list(
    "teams/", TeamOut, TeamFilter, page_filter(team_filters),
    name="team_list", summary="业余文艺队伍列表（本单位及下级）",
)  # fmt: skip


@router.get("teams/genres/", response=list[GenreOut], summary="队伍类别")
def genre_list(request: HttpRequest) -> Any:
    return selectors.team_genres(request_user(request).scope)


teams.detail(TeamDetailOut, name="team_detail", summary="队伍详情（含队员、演出）")


def _team_parts(user: User, v: Values) -> Values:
    members = [
        services.MemberData(
            person=selectors.get_person_for_user(user, m["person"]), role=m["role"],
            joined_on=m["joined_on"],
        )
        for m in v["members"]
    ]  # fmt: skip
    return {"members": members}


teams.create(
    TeamIn, TeamDetailOut, services.team_create, parts=_team_parts,
    name="team_create", summary="登记队伍（可带队员）",
)  # fmt: skip
teams.replace(TeamIn, TeamDetailOut, services.team_update, name="team_update", summary="修改队伍")
teams.delete(services.team_delete, name="team_delete", summary="删除队伍（可恢复）")


# --- A team's members and performances: parts of a team ----------------------------------


class MemberChange(Schema):
    """A member's role and joining date (the person stays); PATCH sends any subset."""

    role: str = Field("", max_length=30, description="队内职务")
    joined_on: date | None = None


class PerformanceIn(Schema):
    activity: Id = Field(..., description="活动编号（本单位或下级的活动）")


class PerformancesIn(Schema):
    """Many activities linked to the team in one request, all or none."""

    activities: list[Id] = Field(
        ..., min_length=1, max_length=services.PERFORMANCES_MAX, description="活动编号，最多 500 项"
    )


class PerformanceOut(Schema):
    id: int
    activity: int = Field(alias="activity_id")
    activity_title: str = Field(alias="activity.title")
    start_date: date = Field(alias="activity.start_date")


def _member_kwargs(user: User, v: Values) -> Values:
    person = selectors.get_person_for_user(user, v["person"])
    return {"data": services.MemberData(person=person, role=v["role"], joined_on=v["joined_on"])}


members: PartApi[Team, TeamMember] = PartApi(
    router, __name__, under="teams/{int:team_id}/members/", path="teams/members/{int:member_id}/",
    get_owner=selectors.get_team_for_user, get=selectors.get_member_for_user,
    owner_arg="team", arg="member", response=MemberOut, nullable={"joined_on"},
)  # fmt: skip
members.create(MemberIn, services.team_member_add, kwargs=_member_kwargs,
               name="team_member_create", summary="添加队员")  # fmt: skip
members.update(
    MemberChange, services.team_member_update, name="team_member_patch", summary="修改队员"
)
members.delete(services.team_member_remove, name="team_member_delete", summary="移除队员")

performances: PartApi[Team, TeamPerformance] = PartApi(
    router, __name__, under="teams/{int:team_id}/performances/",
    path="teams/performances/{int:performance_id}/",
    get_owner=selectors.get_team_for_user, get=selectors.get_performance_for_user,
    owner_arg="team", arg="performance", response=PerformanceOut,
)  # fmt: skip
performances.create(
    PerformanceIn, services.team_performance_add, name="team_performance_create",
    summary="登记队伍演出（关联一项活动）",
    kwargs=lambda user, v: {"activity": get_activity_for_user(user, v["activity"])},
)  # fmt: skip
performances.delete(
    services.team_performance_remove, name="team_performance_delete", summary="删除队伍演出"
)


@router.post(
    "teams/{int:team_id}/performances/bulk/",
    response={201: list[PerformanceOut]},
    summary="批量登记队伍演出（一次关联多项活动，全部成功或全部不登记）",
)
def team_performances_bulk(request: HttpRequest, team_id: int, payload: PerformancesIn) -> Any:
    user = request_user(request)
    team = selectors.get_team_for_user(user, team_id)
    made = services.team_performances_add(user=user, team=team, activities=payload.activities)
    ids = [p.pk for p in made]
    return (
        TeamPerformance.objects.filter(pk__in=ids)
        .select_related("activity")
        .order_by("-activity__start_date", "-id")
    )


# --- Training classes ------------------------------------------------------------------------


class SessionIn(Schema):
    date: date
    hours: Decimal
    topic: str = ""


class SessionOut(Schema):
    id: int
    date: date
    hours: Decimal
    topic: str
    present: list[int] = Field(..., description="出勤学员的人员编号")

    @staticmethod
    def resolve_present(obj: Any) -> list[int]:
        return sorted(a.trainee.person_id for a in obj.attendance.all())


class TrainingIn(Schema):
    unit: str = Field(..., description="举办单位的区划代码（本单位或下级）")
    title: str
    start_date: date
    end_date: date | None = Field(None, description="不填为开始日期（一天的培训）")
    trainer: str = ""
    place: str = ""
    note: str = ""
    sessions: list[SessionIn] = Field([], description="课次（仅新建时）")
    trainees: list[Id] = Field([], description="学员的人员编号（仅新建时）")


class TrainingOut(RecordOut):
    title: str
    trainer: str
    start_date: date
    end_date: date
    place: str
    note: str
    activity: int | None = Field(None, alias="activity_id", description="计入“培训”活动的活动编号")


class TrainingDetailOut(TrainingOut):
    sessions: list[SessionOut]
    trainees: list[int] = Field(..., description="学员的人员编号")

    @staticmethod
    def resolve_sessions(obj: TrainingClass) -> list[Any]:
        return list(obj.sessions.prefetch_related("attendance__trainee").order_by("date", "id"))

    @staticmethod
    def resolve_trainees(obj: TrainingClass) -> list[int]:
        return [t.person_id for t in selectors.training_trainees(obj)]


class TrainingFilter(ListFilter):
    start: date | None = Field(None, description="与该日期之后有重叠的培训班")
    end: date | None = Field(None, description="与该日期之前有重叠的培训班")


def _training_data(user: User, v: Values, current: TrainingClass | None) -> services.TrainingData:
    unit = writable_unit(user, v["unit"], REFUSAL)
    end = v["end_date"] or v["start_date"]
    return data_as(services.TrainingData, v, unit=unit, end_date=end)


training: RecordApi[TrainingClass, services.TrainingData] = RecordApi(
    router, __name__, "training/{int:class_id}/", selectors.get_training_for_user,
    arg="training", data=_training_data,
)  # fmt: skip
training.list(
    "training/", TrainingOut, TrainingFilter, page_filter(training_filters),
    name="training_list", summary="培训班列表（本单位及下级）",
)  # fmt: skip
training.detail(TrainingDetailOut, name="training_detail", summary="培训班详情（含课次、学员）")


def _training_parts(user: User, v: Values) -> Values:
    trainees = [selectors.get_person_for_user(user, pk) for pk in dict.fromkeys(v["trainees"])]
    sessions = [services.SessionData(**session) for session in v["sessions"]]
    return {"sessions": sessions, "trainees": trainees}


training.create(
    TrainingIn, TrainingDetailOut, services.training_create, parts=_training_parts,
    name="training_create", summary="登记培训班（可带课次、学员）",
)  # fmt: skip
training.replace(
    TrainingIn, TrainingDetailOut, services.training_update,
    name="training_update", summary="修改培训班",
)  # fmt: skip
training.delete(
    services.training_delete, name="training_delete", summary="删除培训班及其活动（可恢复）"
)


# --- Honours ---------------------------------------------------------------------------------


class HonourIn(Schema):
    holder_kind: str = Field("unit", description="unit 单位 / person 个人 / team 队伍")
    unit: str = Field(..., description="获荣誉的单位（授予个人或队伍时为其所在单位）")
    person: Id | None = Field(None, description="授予个人时：人员编号")
    team: Id | None = Field(None, description="授予队伍时：队伍编号")
    name: str
    level: str = Field(..., description="national/province/city/county/township/other")
    year: SmallInt
    month: SmallInt | None = Field(None, description="月（1—12）；只有年份的荣誉只计入全年")
    day: SmallInt | None = Field(None, description="日；须同时有月")
    awarded_by: str = ""
    note: str = ""


class HonourOut(UnitOut):
    id: int
    holder_kind: str
    unit: str
    unit_name: str
    person: int | None = Field(alias="person_id")
    team: int | None = Field(alias="team_id")
    holder_name: str
    name: str
    level: str
    level_name: str = Field(alias="get_level_display")
    year: int
    month: int | None
    day: int | None
    awarded_on: date = Field(description="日期所指时段的第一天（只有年份时为 1 月 1 日）")
    awarded_by: str
    note: str


class HonourFilter(ListFilter):
    level: str | None = Field(None, description="级别")
    kind: str | None = Field(None, description="授予对象：unit/person/team")
    year: SmallInt | None = None


def _honour_data(user: User, v: Values, current: Honour | None) -> services.HonourData:
    # Every record named is looked up first: one outside the scope is a 404 for every role.
    person = selectors.get_person_for_user(user, v["person"]) if v["person"] else None
    team = selectors.get_team_for_user(user, v["team"]) if v["team"] else None
    unit = writable_unit(user, v["unit"], REFUSAL)
    return data_as(services.HonourData, v, unit=unit, person=person, team=team)


honours: RecordApi[Honour, services.HonourData] = RecordApi(
    router, __name__, "honours/{int:honour_id}/", selectors.get_honour_for_user,
    arg="honour", data=_honour_data,
)  # fmt: skip
honours.list(
    "honours/", HonourOut, HonourFilter, page_filter(honour_filters),
    name="honour_list", summary="荣誉列表（本单位及下级）",
)  # fmt: skip
honours.detail(HonourOut, name="honour_detail", summary="荣誉详情")
honours.create(
    HonourIn, HonourOut, services.honour_create, name="honour_create", summary="登记荣誉"
)
honours.replace(
    HonourIn, HonourOut, services.honour_update, name="honour_update", summary="修改荣誉"
)
honours.delete(services.honour_delete, name="honour_delete", summary="删除荣誉（可恢复）")
