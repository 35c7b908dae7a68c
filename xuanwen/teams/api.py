"""People, teams, training classes and honours in the JSON API (mounted at /api/v1/).

Reads go through the scoped selectors and writes through the services, as on the pages: a
record, unit or person outside the caller's subtree is a 404 (as if it did not exist), a write
the caller's role does not allow is a 403, and a broken rule is a 400 naming the field in
Chinese. Phone numbers are null for callers who may not write in the person's unit.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from xuanwen.accounts.models import User
from xuanwen.accounts.permissions import can_write, request_user
from xuanwen.units.selectors import get_unit_for_user

from . import selectors, services
from .models import Honour, Person, Team, TrainingClass

router = Router(tags=["teams 队伍与培训"])


def _writable_unit(user: User, code: str) -> Any:
    unit = get_unit_for_user(user, code)  # outside the scope: 404
    # Asked before anything else about the payload, so that a read-only caller gets 403.
    if not can_write(user, unit.code):
        raise PermissionDenied(_("您不能为该单位登记。"))
    return unit


class ListFilter(Schema):
    unit: str | None = Field(None, description="只看该单位及其下级（区划代码）")
    q: str | None = Field(None, description="名称或拼音首字母")


def _check_filter_unit(user: User, unit: str | None) -> None:
    if unit:
        get_unit_for_user(user, unit)  # a unit outside the scope is a 404, as elsewhere


# --- People ----------------------------------------------------------------------------------


class PersonIn(Schema):
    unit: str = Field(..., description="所属单位的区划代码（本单位或下级）")
    name: str
    gender: str = Field("", description="male 男 / female 女")
    birth_year: int | None = None
    phone: str = ""
    specialty: str = ""
    note: str = ""


class PersonOut(Schema):
    id: int
    unit: str
    unit_name: str
    name: str
    gender: str
    birth_year: int | None
    phone: str | None = Field(None, description="只对能在该单位登记的用户显示")
    specialty: str
    note: str

    @staticmethod
    def resolve_unit(obj: Person) -> str:
        return obj.unit_id

    @staticmethod
    def resolve_unit_name(obj: Person) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_phone(obj: Person, context: Any) -> str | None:
        user = context["request"].user
        return obj.phone if selectors.phone_visible(user, obj.unit_id) else None


def _person_data(user: User, p: PersonIn) -> services.PersonData:
    return services.PersonData(
        unit=_writable_unit(user, p.unit),
        name=p.name,
        gender=p.gender,
        birth_year=p.birth_year,
        phone=p.phone,
        specialty=p.specialty,
        note=p.note,
    )


@router.get("people/", response=list[PersonOut], summary="人员列表（本单位及下级）")
@paginate(PageNumberPagination)
def person_list(request: HttpRequest, filters: Query[ListFilter]) -> Any:
    user = request_user(request)
    _check_filter_unit(user, filters.unit)
    f = selectors.PersonFilter(unit=filters.unit or "", text=filters.q or "")
    return selectors.person_search(user, f)


@router.get("people/{int:person_id}/", response=PersonOut, summary="人员详情")
def person_detail(request: HttpRequest, person_id: int) -> Person:
    return selectors.get_person_for_user(request_user(request), person_id)


@router.post("people/", response={201: PersonOut}, summary="登记人员")
def person_create(request: HttpRequest, payload: PersonIn) -> Person:
    user = request_user(request)
    person = services.person_create(user=user, data=_person_data(user, payload))
    return selectors.get_person_for_user(user, person.pk)


@router.put("people/{int:person_id}/", response=PersonOut, summary="修改人员")
def person_update(request: HttpRequest, person_id: int, payload: PersonIn) -> Person:
    user = request_user(request)
    person = selectors.get_person_for_user(user, person_id)
    services.person_update(user=user, person=person, data=_person_data(user, payload))
    return selectors.get_person_for_user(user, person_id)


@router.delete("people/{int:person_id}/", response={204: None}, summary="删除人员（可恢复）")
def person_delete(request: HttpRequest, person_id: int) -> None:
    user = request_user(request)
    services.person_delete(user=user, person=selectors.get_person_for_user(user, person_id))


# --- Teams -----------------------------------------------------------------------------------


class MemberIn(Schema):
    person: int = Field(..., description="人员编号（本单位或下级）")
    role: str = ""
    joined_on: date | None = None


class TeamIn(Schema):
    unit: str = Field(..., description="所属单位的区划代码（本单位或下级）")
    name: str
    genre: int = Field(..., description="队伍类别编号（GET /api/v1/teams/genres/）")
    leader: int | None = Field(None, description="负责人的人员编号")
    founded_year: int | None = None
    active: bool = True
    note: str = ""
    members: list[MemberIn] = Field([], description="队员（仅新建时）；修改队员请用页面")


class MemberOut(Schema):
    id: int
    person: int
    name: str
    role: str
    joined_on: date | None

    @staticmethod
    def resolve_person(obj: Any) -> int:
        return int(obj.person_id)

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj.person.name)


class TeamOut(Schema):
    id: int
    unit: str
    unit_name: str
    name: str
    genre: int
    genre_name: str
    leader: int | None
    leader_name: str
    founded_year: int | None
    active: bool
    note: str

    @staticmethod
    def resolve_unit(obj: Team) -> str:
        return obj.unit_id

    @staticmethod
    def resolve_unit_name(obj: Team) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_genre(obj: Team) -> int:
        return obj.genre_id

    @staticmethod
    def resolve_genre_name(obj: Team) -> str:
        return obj.genre.name

    @staticmethod
    def resolve_leader(obj: Team) -> int | None:
        return obj.leader_id

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
    genre: int | None = Field(None, description="队伍类别编号")
    active: bool | None = Field(None, description="true 正常活动 / false 已停止")


def _team_data(user: User, p: TeamIn, current: Team | None = None) -> services.TeamData:
    # Every record named is looked up first: one outside the scope is a 404 for every role.
    leader = selectors.get_person_for_user(user, p.leader) if p.leader else None
    unit = _writable_unit(user, p.unit)
    genre = None
    if current is not None and p.genre == current.genre_id:
        genre = current.genre  # a genre retired since keeps working for its teams
    else:
        genre = selectors.team_genres().filter(pk=p.genre).first()
    if genre is None:
        raise ValidationError({"genre": _("没有这个队伍类别，或该类别已停用。")})
    return services.TeamData(
        unit=unit,
        name=p.name,
        genre=genre,
        leader=leader,
        founded_year=p.founded_year,
        active=p.active,
        note=p.note,
    )


@router.get("teams/", response=list[TeamOut], summary="业余文艺队伍列表（本单位及下级）")
@paginate(PageNumberPagination)
def team_list(request: HttpRequest, filters: Query[TeamFilter]) -> Any:
    user = request_user(request)
    _check_filter_unit(user, filters.unit)
    f = selectors.TeamFilter(
        unit=filters.unit or "", genre_id=filters.genre, active=filters.active,
        text=filters.q or "",
    )  # fmt: skip
    return selectors.team_search(user, f)


@router.get("teams/genres/", response=list[GenreOut], summary="队伍类别")
def genre_list(request: HttpRequest) -> Any:
    return selectors.team_genres()


@router.get("teams/{int:team_id}/", response=TeamDetailOut, summary="队伍详情（含队员、演出）")
def team_detail(request: HttpRequest, team_id: int) -> Team:
    return selectors.get_team_for_user(request_user(request), team_id)


@router.post("teams/", response={201: TeamDetailOut}, summary="登记队伍（可带队员）")
def team_create(request: HttpRequest, payload: TeamIn) -> Team:
    user = request_user(request)
    members = [
        services.MemberData(
            person=selectors.get_person_for_user(user, m.person), role=m.role,
            joined_on=m.joined_on,
        )
        for m in payload.members
    ]  # fmt: skip
    data = _team_data(user, payload)
    team = services.team_create(user=user, data=data, members=members)
    return selectors.get_team_for_user(user, team.pk)


@router.put("teams/{int:team_id}/", response=TeamDetailOut, summary="修改队伍")
def team_update(request: HttpRequest, team_id: int, payload: TeamIn) -> Team:
    user = request_user(request)
    team = selectors.get_team_for_user(user, team_id)
    services.team_update(user=user, team=team, data=_team_data(user, payload, team))
    return selectors.get_team_for_user(user, team_id)


@router.delete("teams/{int:team_id}/", response={204: None}, summary="删除队伍（可恢复）")
def team_delete(request: HttpRequest, team_id: int) -> None:
    user = request_user(request)
    services.team_delete(user=user, team=selectors.get_team_for_user(user, team_id))


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
    trainees: list[int] = Field([], description="学员的人员编号（仅新建时）")


class TrainingOut(Schema):
    id: int
    unit: str
    unit_name: str
    title: str
    trainer: str
    start_date: date
    end_date: date
    place: str
    note: str
    activity: int | None = Field(None, description="计入“培训”活动的活动编号")

    @staticmethod
    def resolve_unit(obj: TrainingClass) -> str:
        return obj.unit_id

    @staticmethod
    def resolve_unit_name(obj: TrainingClass) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_activity(obj: TrainingClass) -> int | None:
        return obj.activity_id


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


def _training_data(user: User, p: TrainingIn) -> services.TrainingData:
    return services.TrainingData(
        unit=_writable_unit(user, p.unit),
        title=p.title,
        start_date=p.start_date,
        end_date=p.end_date or p.start_date,
        trainer=p.trainer,
        place=p.place,
        note=p.note,
    )


@router.get("training/", response=list[TrainingOut], summary="培训班列表（本单位及下级）")
@paginate(PageNumberPagination)
def training_list(request: HttpRequest, filters: Query[TrainingFilter]) -> Any:
    user = request_user(request)
    _check_filter_unit(user, filters.unit)
    f = selectors.TrainingFilter(
        unit=filters.unit or "", start=filters.start, end=filters.end, text=filters.q or ""
    )
    return selectors.training_search(user, f)


@router.get(
    "training/{int:class_id}/", response=TrainingDetailOut, summary="培训班详情（含课次、学员）"
)
def training_detail(request: HttpRequest, class_id: int) -> TrainingClass:
    return selectors.get_training_for_user(request_user(request), class_id)


@router.post("training/", response={201: TrainingDetailOut}, summary="登记培训班（可带课次、学员）")
def training_create(request: HttpRequest, payload: TrainingIn) -> TrainingClass:
    user = request_user(request)
    trainees = [selectors.get_person_for_user(user, pk) for pk in dict.fromkeys(payload.trainees)]
    data = _training_data(user, payload)
    sessions = [
        services.SessionData(date=s.date, hours=s.hours, topic=s.topic) for s in payload.sessions
    ]
    tc = services.training_create(user=user, data=data, sessions=sessions, trainees=trainees)
    return selectors.get_training_for_user(user, tc.pk)


@router.put("training/{int:class_id}/", response=TrainingDetailOut, summary="修改培训班")
def training_update(request: HttpRequest, class_id: int, payload: TrainingIn) -> TrainingClass:
    user = request_user(request)
    tc = selectors.get_training_for_user(user, class_id)
    services.training_update(user=user, training=tc, data=_training_data(user, payload))
    return selectors.get_training_for_user(user, class_id)


@router.delete(
    "training/{int:class_id}/", response={204: None}, summary="删除培训班及其活动（可恢复）"
)
def training_delete(request: HttpRequest, class_id: int) -> None:
    user = request_user(request)
    tc = selectors.get_training_for_user(user, class_id)
    services.training_delete(user=user, training=tc)


# --- Honours ---------------------------------------------------------------------------------


class HonourIn(Schema):
    holder_kind: str = Field("unit", description="unit 单位 / person 个人 / team 队伍")
    unit: str = Field(..., description="获荣誉的单位（授予个人或队伍时为其所在单位）")
    person: int | None = Field(None, description="授予个人时：人员编号")
    team: int | None = Field(None, description="授予队伍时：队伍编号")
    name: str
    level: str = Field(..., description="national/province/city/county/township/other")
    year: int
    awarded_by: str = ""
    note: str = ""


class HonourOut(Schema):
    id: int
    holder_kind: str
    unit: str
    unit_name: str
    person: int | None
    team: int | None
    holder_name: str
    name: str
    level: str
    level_name: str
    year: int
    awarded_by: str
    note: str

    @staticmethod
    def resolve_unit(obj: Honour) -> str:
        return obj.unit_id

    @staticmethod
    def resolve_unit_name(obj: Honour) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_person(obj: Honour) -> int | None:
        return obj.person_id

    @staticmethod
    def resolve_team(obj: Honour) -> int | None:
        return obj.team_id

    @staticmethod
    def resolve_level_name(obj: Honour) -> str:
        return str(obj.get_level_display())


class HonourFilter(ListFilter):
    level: str | None = Field(None, description="级别")
    kind: str | None = Field(None, description="授予对象：unit/person/team")
    year: int | None = None


def _honour_data(user: User, p: HonourIn) -> services.HonourData:
    # Every record named is looked up first: one outside the scope is a 404 for every role.
    person = selectors.get_person_for_user(user, p.person) if p.person else None
    team = selectors.get_team_for_user(user, p.team) if p.team else None
    unit = _writable_unit(user, p.unit)
    return services.HonourData(
        holder_kind=p.holder_kind,
        unit=unit,
        name=p.name,
        level=p.level,
        year=p.year,
        person=person,
        team=team,
        awarded_by=p.awarded_by,
        note=p.note,
    )


@router.get("honours/", response=list[HonourOut], summary="荣誉列表（本单位及下级）")
@paginate(PageNumberPagination)
def honour_list(request: HttpRequest, filters: Query[HonourFilter]) -> Any:
    user = request_user(request)
    _check_filter_unit(user, filters.unit)
    f = selectors.HonourFilter(
        unit=filters.unit or "", level=filters.level or "", kind=filters.kind or "",
        year=filters.year, text=filters.q or "",
    )  # fmt: skip
    return selectors.honour_search(user, f)


@router.get("honours/{int:honour_id}/", response=HonourOut, summary="荣誉详情")
def honour_detail(request: HttpRequest, honour_id: int) -> Honour:
    return selectors.get_honour_for_user(request_user(request), honour_id)


@router.post("honours/", response={201: HonourOut}, summary="登记荣誉")
def honour_create(request: HttpRequest, payload: HonourIn) -> Honour:
    user = request_user(request)
    honour = services.honour_create(user=user, data=_honour_data(user, payload))
    return selectors.get_honour_for_user(user, honour.pk)


@router.put("honours/{int:honour_id}/", response=HonourOut, summary="修改荣誉")
def honour_update(request: HttpRequest, honour_id: int, payload: HonourIn) -> Honour:
    user = request_user(request)
    honour = selectors.get_honour_for_user(user, honour_id)
    with transaction.atomic():
        services.honour_update(user=user, honour=honour, data=_honour_data(user, payload))
    return selectors.get_honour_for_user(user, honour_id)


@router.delete("honours/{int:honour_id}/", response={204: None}, summary="删除荣誉（可恢复）")
def honour_delete(request: HttpRequest, honour_id: int) -> None:
    user = request_user(request)
    services.honour_delete(user=user, honour=selectors.get_honour_for_user(user, honour_id))
