"""Writing teams (文艺团队), their members, genres and performances."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from xuanwen.accounts.models import User
from xuanwen.accounts.permissions import can_manage_scope
from xuanwen.activities.models import Activity
from xuanwen.audit.services import audit_created_many, snapshot
from xuanwen.core import locks
from xuanwen.records.services import (
    assign,
    creator,
    delete_part,
    length_errors,
    save_changed,
    save_created,
    soft_delete,
    update_part,
)
from xuanwen.records.vocab import kind_owner, kind_refused, may_change_kind
from xuanwen.units.models import Unit

from ..models import (
    Person,
    Team,
    TeamGenre,
    TeamMember,
    TeamPerformance,
)
from .common import (
    _check_write,
    _other_than,
    _pinyin,
    _year_error,
)

# --- Teams -----------------------------------------------------------------------------------


@dataclass
class TeamData:
    """The editable fields of a team, already parsed (leader looked up in the user's scope)."""

    unit: Unit
    name: str
    genre: TeamGenre
    leader: Person | None = None
    founded_on: date | None = None
    disbanded_on: date | None = None
    active: bool = True
    note: str = ""


def team_check(data: TeamData) -> dict[str, str]:
    errors = length_errors(Team, data, (("name", _("队伍名称")),))
    errors.update(kind_refused(data.genre, data.unit.code, "genre"))
    if not data.name.strip():
        errors["name"] = _("队伍名称不能为空。")
    for name, day, label in (
        ("founded_on", data.founded_on, _("成立日期")),
        ("disbanded_on", data.disbanded_on, _("解散日期")),
    ):
        if day is not None and (message := _year_error(day.year, label)):
            errors[name] = message
    if data.founded_on and data.disbanded_on and data.disbanded_on <= data.founded_on:
        errors.setdefault("disbanded_on", _("解散日期应晚于成立日期。"))
    return errors


def team_duplicate(data: TeamData, exclude_pk: int | None = None) -> Team | None:
    qs = Team.objects.filter(unit=data.unit, name=data.name.strip())
    return _other_than(qs, exclude_pk).first()


def _team_validate(user: User, data: TeamData, exclude_pk: int | None = None) -> None:
    errors = team_check(data)
    if data.leader is not None and not user.scope.contains(data.leader.unit_id):
        errors["leader"] = _("请选择本单位或下级单位的人员。")
    if not errors and team_duplicate(data, exclude_pk):
        errors["name"] = _("本单位已有同名的队伍。")
    if errors:
        raise ValidationError(errors)


def _team_apply(team: Team, data: TeamData) -> None:
    assign(team, data, strip=("name",))
    # A team with a disbanding date has stopped, whatever the box said.
    team.active = data.active and data.disbanded_on is None
    team.search_pinyin = _pinyin(team.name)


def team_create(*, user: User, data: TeamData, members: Sequence["MemberData"] = ()) -> Team:
    _check_write(user, data.unit.code)
    _team_validate(user, data)
    team = Team(created_by=creator(user))
    _team_apply(team, data)
    with transaction.atomic():
        save_created(user=user, record=team, unit_code=team.unit_id)
        for member in members:
            team_member_add(user=user, team=team, data=member)
        # The leader is a member too, so "team members" counts them.
        if data.leader is not None and not team.members.filter(person=data.leader).exists():
            team_member_add(user=user, team=team, data=MemberData(person=data.leader))
    return team


def team_update(*, user: User, team: Team, data: TeamData) -> Team:
    _check_write(user, team.unit_id)
    _check_write(user, data.unit.code)
    _team_validate(user, data, exclude_pk=team.pk)
    with transaction.atomic():
        before = snapshot(team)
        _team_apply(team, data)
        save_changed(user=user, record=team, unit_code=team.unit_id, before=before)
        if data.leader is not None and not team.members.filter(person=data.leader).exists():
            team_member_add(user=user, team=team, data=MemberData(person=data.leader))
    return team


def team_delete(*, user: User, team: Team) -> None:
    _check_write(user, team.unit_id)
    soft_delete(user=user, record=team, unit_code=team.unit_id)


@dataclass
class MemberData:
    person: Person
    role: str = ""
    joined_on: date | None = None


def team_member_add(*, user: User, team: Team, data: MemberData) -> TeamMember:
    _check_write(user, team.unit_id)
    if not user.scope.contains(data.person.unit_id):
        raise ValidationError({"person": _("请选择本单位或下级单位的人员。")})
    if len(data.role.strip()) > 30:
        raise ValidationError({"role": _("队内职务不能超过 30 个字。")})
    if team.members.filter(person=data.person).exists():
        raise ValidationError(
            {"person": _("“%(name)s”已是该队队员。") % {"name": data.person.name}}
        )
    member = TeamMember(
        team=team, person=data.person, role=data.role.strip(), joined_on=data.joined_on
    )
    save_created(user=user, record=member, unit_code=team.unit_id)
    return member


def team_member_update(
    *, user: User, member: TeamMember, role: str = "", joined_on: date | None = None
) -> TeamMember:
    """Change a member's role in the team or the date they joined (the person stays)."""
    team = member.team
    _check_write(user, team.unit_id)
    if len(role.strip()) > 30:
        raise ValidationError({"role": _("队内职务不能超过 30 个字。")})
    values = {"role": role.strip(), "joined_on": joined_on}
    return update_part(
        user=user, record=member, values=values, owner="team", unit_code=team.unit_id
    )


def team_member_remove(*, user: User, member: TeamMember) -> None:
    _check_write(user, member.team.unit_id)
    delete_part(user=user, record=member, unit_code=member.team.unit_id)


def team_performance_add(*, user: User, team: Team, activity: Activity) -> TeamPerformance:
    """Record that the team performed at the activity (both must be the user's to see)."""
    _check_write(user, team.unit_id)
    if not user.scope.contains(activity.unit_id) or activity.deleted_at is not None:
        raise ValidationError({"activity": _("请选择本单位或下级单位的活动。")})
    if TeamPerformance.objects.filter(team=team, activity=activity).exists():
        raise ValidationError({"activity": _("该演出已登记。")})
    performance = TeamPerformance(team=team, activity=activity)
    save_created(user=user, record=performance, unit_code=team.unit_id)
    return performance


# The most activities one request may link to a team (a year of a busy troupe's shows).
PERFORMANCES_MAX = 500


def team_performances_add(
    *, user: User, team: Team, activities: Sequence[int]
) -> list[TeamPerformance]:
    """Link many activities to the team at once, all or none: each must be a live activity of
    the user's subtree not yet linked, named by its id. The error names the first bad item by
    its place in the list and its id. One audit entry per link, as one at a time."""
    _check_write(user, team.unit_id)
    if not activities:
        raise ValidationError({"activities": _("请至少选择一项活动。")})
    if len(activities) > PERFORMANCES_MAX:
        raise ValidationError(
            {"activities": _("一次最多关联 %(n)d 项活动。") % {"n": PERFORMANCES_MAX}}
        )
    found = {
        a.pk: a for a in Activity.objects.filter(user.scope.q("unit_id"), pk__in=set(activities))
    }
    linked = set(
        TeamPerformance.objects.filter(team=team, activity_id__in=set(activities)).values_list(
            "activity_id", flat=True
        )
    )
    seen: set[int] = set()
    for i, pk in enumerate(activities, start=1):
        where = {"n": i, "id": pk}
        if pk not in found:
            message = _("第 %(n)d 项（活动编号 %(id)d）不存在，或不是本单位及下级单位的活动。")
        elif pk in linked:
            message = _("第 %(n)d 项（活动编号 %(id)d）“%(title)s”已登记为该队演出。")
            where["title"] = found[pk].title  # type: ignore[assignment]
        elif pk in seen:
            message = _("第 %(n)d 项（活动编号 %(id)d）在列表中重复。")
        else:
            seen.add(pk)
            continue
        raise ValidationError({"activities": message % where})
    # A performance is part of its activity: one of a locked period's refuses the request.
    spans = [locks.span_of(Activity, found[pk], team.unit_id) for pk in activities]
    if locked := locks.locked_rows([span for span in spans if span is not None]):
        raise ValidationError({"activities": locked[min(locked)]})
    with transaction.atomic():
        made = TeamPerformance.objects.bulk_create(
            [TeamPerformance(team=team, activity=found[pk]) for pk in activities]
        )
        audit_created_many(actor=user, objs=list(made), unit_code=team.unit_id)
    return made


def team_performance_remove(*, user: User, performance: TeamPerformance) -> None:
    _check_write(user, performance.team.unit_id)
    delete_part(user=user, record=performance, unit_code=performance.team.unit_id)


def team_genre_create(*, user: User, name: str) -> TeamGenre:
    """Add a troupe genre of the admin's unit, seen in its subtree only (national when the
    admin's scope is the country); names stay unique country-wide."""
    if not can_manage_scope(user):
        raise PermissionDenied(_("只有系统管理员可以添加队伍类别。"))
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("名称不能为空。")})
    if len(name) > 50:
        raise ValidationError({"name": _("名称不能超过 50 个字。")})
    if TeamGenre.objects.filter(name=name).exists():
        raise ValidationError({"name": _("已有名为“%(name)s”的队伍类别。") % {"name": name}})
    last = TeamGenre.objects.aggregate(m=models.Max("ordering"))["m"] or 0
    genre = TeamGenre(name=name, ordering=last + 10, owner_id=kind_owner(user))
    save_created(user=user, record=genre, unit_code=user.scope.top)
    return genre


def team_genre_set_active(*, user: User, genre: TeamGenre, active: bool) -> TeamGenre:
    """Retire a genre from the entry form and the import (teams keep it) or bring it back."""
    if not can_manage_scope(user):
        raise PermissionDenied(_("只有系统管理员可以停用或启用队伍类别。"))
    if not may_change_kind(user, genre):
        raise PermissionDenied(_("只能停用或启用本单位添加的队伍类别。"))
    before = snapshot(genre)
    genre.active = active
    save_changed(user=user, record=genre, unit_code=user.scope.top, before=before)
    return genre
