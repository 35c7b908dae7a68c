"""Writing people, teams, training classes and honours. Pages, the API and the Excel import
all come through here.

A training class keeps an Activity of type 培训 in step with itself (`_sync_activity`): it is
created with the class in the same transaction (or, when the station already recorded that
培训 as an activity, that activity is linked instead), updated through the activities services
whenever the class, its dates or its trainees change (title, unit, dates, place, participants
= number of trainees; other fields of the activity, such as its audience or cost, are left as
entered on the activity page), and soft-deleted with the class. The plan targets "举办3—5期培训"
count 培训 activities, so each class counts once as one 期. Restoring the class brings its
activity back with it (training_restored); an activity deleted on its own comes back with the
next change of the class (or, if an identical one was recorded since, that one is linked).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xuanwen.accounts.permissions import can_manage, can_write
from xuanwen.activities import services as activity_services
from xuanwen.activities.models import Activity, ActivityType
from xuanwen.audit.models import Action, AuditEntry
from xuanwen.audit.services import audit_record, snapshot
from xuanwen.core import tree
from xuanwen.core.models import Level
from xuanwen.core.text import pinyin_of
from xuanwen.units.models import Unit

from .models import (
    Attendance,
    Gender,
    HolderKind,
    Honour,
    Person,
    Team,
    TeamGenre,
    TeamMember,
    TeamPerformance,
    Trainee,
    TrainingClass,
    TrainingSession,
)

# The activity type a training class is counted as; the plan template names it too.
TRAINING_TYPE = "培训"
YEAR_MIN = 1900


# --- Shared steps ----------------------------------------------------------------------------


def _check_write(user: Any, unit_code: str) -> None:
    if not can_write(user, unit_code):
        raise PermissionDenied(_("您不能为该单位登记。"))


def _pinyin(text: str) -> str:
    full, initials = pinyin_of(text)
    return f"{full} {initials}"


def _length_errors(
    model: type[models.Model], data: Any, fields: Sequence[tuple[str, str]]
) -> dict[str, str]:
    """The model's text lengths, checked with a message of our own (SQLite would store a
    longer text silently, PostgreSQL fail the whole request)."""
    errors: dict[str, str] = {}
    for name, label in fields:
        limit = getattr(model._meta.get_field(name), "max_length", None) or 0
        if len(str(getattr(data, name) or "").strip()) > limit:
            errors[name] = _("%(label)s不能超过 %(limit)d 个字。") % {
                "label": label,
                "limit": limit,
            }
    return errors


def _year_error(year: int | None, label: str) -> str:
    if year is None:
        return ""
    latest = timezone.localdate().year + 1
    if not YEAR_MIN <= year <= latest:
        return _("%(label)s应在 %(lo)d 至 %(hi)d 之间。") % {
            "label": label,
            "lo": YEAR_MIN,
            "hi": latest,
        }
    return ""


def _created(user: Any, obj: models.Model, unit_code: str) -> None:
    """Save a new record and audit it (inside the caller's transaction)."""
    obj.save()
    audit_record(
        actor=user, action=Action.CREATE, obj=obj, unit_code=unit_code, after=snapshot(obj)
    )


def _updated(user: Any, obj: models.Model, unit_code: str, before: dict[str, Any]) -> None:
    obj.save()
    audit_record(
        actor=user,
        action=Action.UPDATE,
        obj=obj,
        unit_code=unit_code,
        before=before,
        after=snapshot(obj),
    )


def _soft_delete(user: Any, obj: Any) -> None:
    """The record disappears everywhere and can be restored from the audit page."""
    before = snapshot(obj)
    obj.deleted_at = timezone.now()
    obj.save(update_fields=["deleted_at"])
    audit_record(actor=user, action=Action.DELETE, obj=obj, unit_code=obj.unit_id, before=before)


def _removed(user: Any, obj: models.Model, unit_code: str) -> None:
    """Delete a part of a record (a membership, a session …), audited so it can be restored."""
    before = snapshot(obj)
    obj.delete()
    audit_record(actor=user, action=Action.DELETE, obj=obj, unit_code=unit_code, before=before)


def _other_than(qs: Any, pk: int | None) -> Any:
    return qs.exclude(pk=pk) if pk is not None else qs


def _who(user: Any) -> Any:
    return user if getattr(user, "pk", None) else None


# --- People ----------------------------------------------------------------------------------


@dataclass
class PersonData:
    """The editable fields of a person, already parsed."""

    unit: Unit
    name: str
    gender: str = ""
    birth_year: int | None = None
    phone: str = ""
    specialty: str = ""
    note: str = ""


PERSON_TEXTS = (("name", "姓名"), ("phone", "电话"), ("specialty", "特长"))


def person_check(data: PersonData) -> dict[str, str]:
    """Rule errors by field name, in Chinese; empty when the data is acceptable."""
    errors = _length_errors(Person, data, PERSON_TEXTS)
    if not data.name.strip():
        errors["name"] = _("姓名不能为空。")
    if data.gender and data.gender not in Gender.values:
        errors["gender"] = _("性别只能是：男、女。")
    if message := _year_error(data.birth_year, _("出生年份")):
        errors["birth_year"] = message
    phone = data.phone.strip()
    if phone and not all(c.isdigit() or c in "+- " for c in phone):
        errors["phone"] = _("电话只能包含数字、空格、“+”和“-”。")
    return errors


def person_duplicate(data: PersonData, exclude_pk: int | None = None) -> Person | None:
    """A live person of the same unit with the same name and birth year (the same person)."""
    qs = Person.objects.filter(unit=data.unit, name=data.name.strip(), birth_year=data.birth_year)
    return _other_than(qs, exclude_pk).first()


def _person_apply(person: Person, data: PersonData) -> None:
    person.unit = data.unit
    person.name = data.name.strip()
    person.gender = data.gender
    person.birth_year = data.birth_year
    person.phone = data.phone.strip()
    person.specialty = data.specialty.strip()
    person.note = data.note
    person.search_pinyin = _pinyin(person.name)


def _person_validate(data: PersonData, exclude_pk: int | None = None) -> None:
    errors = person_check(data)
    if not errors and person_duplicate(data, exclude_pk):
        errors["name"] = _("本单位已有同名、同出生年份的人员。")
    if errors:
        raise ValidationError(errors)


def person_create(*, user: Any, data: PersonData) -> Person:
    _check_write(user, data.unit.code)
    _person_validate(data)
    person = Person(created_by=_who(user))
    _person_apply(person, data)
    with transaction.atomic():
        _created(user, person, person.unit_id)
    return person


def person_update(*, user: Any, person: Person, data: PersonData) -> Person:
    # Both the old and the new unit must be the user's: moving a record out of reach is a
    # write to a unit the user does not own.
    _check_write(user, person.unit_id)
    _check_write(user, data.unit.code)
    _person_validate(data, exclude_pk=person.pk)
    with transaction.atomic():
        before = snapshot(person)
        _person_apply(person, data)
        _updated(user, person, person.unit_id, before)
    return person


def person_delete(*, user: Any, person: Person) -> None:
    _check_write(user, person.unit_id)
    with transaction.atomic():
        _soft_delete(user, person)


def people_by_names(
    *, user: Any, unit: Unit, names: Sequence[str], create: bool = True
) -> list[Person]:
    """The people named, looked up in the unit's subtree; a name nobody has becomes a new
    person of the unit (when `create`). Two people of the same name below the unit cannot be
    told apart by name, so that name is refused rather than guessed. One query to look up."""
    wanted = list(dict.fromkeys(n.strip() for n in names if n.strip()))
    found: dict[str, list[Person]] = {}
    for p in Person.objects.filter(tree.subtree_q(unit.code, "unit_id"), name__in=wanted):
        found.setdefault(p.name, []).append(p)
    errors: list[str] = []
    out: list[Person] = []
    for name in wanted:
        matches = found.get(name, [])
        # Someone of the unit itself is meant before a namesake in a village below.
        own = [p for p in matches if p.unit_id == unit.code]
        if len(own) == 1 or len(matches) == 1:
            out.append(own[0] if len(own) == 1 else matches[0])
        elif matches:
            errors.append(
                _("“%(name)s”有 %(n)d 人同名，请在人员页区分后再选。")
                % {"name": name, "n": len(matches)}
            )
        elif create:
            out.append(person_create(user=user, data=PersonData(unit=unit, name=name)))
        else:
            errors.append(_("没有名为“%(name)s”的人员。") % {"name": name})
    if errors:
        raise ValidationError(errors)
    return out


# --- Teams -----------------------------------------------------------------------------------


@dataclass
class TeamData:
    """The editable fields of a team, already parsed (leader looked up in the user's scope)."""

    unit: Unit
    name: str
    genre: TeamGenre
    leader: Person | None = None
    founded_year: int | None = None
    active: bool = True
    note: str = ""


def team_check(data: TeamData) -> dict[str, str]:
    errors = _length_errors(Team, data, (("name", _("队伍名称")),))
    if not data.name.strip():
        errors["name"] = _("队伍名称不能为空。")
    if message := _year_error(data.founded_year, _("成立年份")):
        errors["founded_year"] = message
    return errors


def team_duplicate(data: TeamData, exclude_pk: int | None = None) -> Team | None:
    qs = Team.objects.filter(unit=data.unit, name=data.name.strip())
    return _other_than(qs, exclude_pk).first()


def _team_validate(user: Any, data: TeamData, exclude_pk: int | None = None) -> None:
    errors = team_check(data)
    if data.leader is not None and not tree.in_subtree(data.leader.unit_id, user.scope):
        errors["leader"] = _("请选择本单位或下级单位的人员。")
    if not errors and team_duplicate(data, exclude_pk):
        errors["name"] = _("本单位已有同名的队伍。")
    if errors:
        raise ValidationError(errors)


def _team_apply(team: Team, data: TeamData) -> None:
    team.unit = data.unit
    team.name = data.name.strip()
    team.genre = data.genre
    team.leader = data.leader
    team.founded_year = data.founded_year
    team.active = data.active
    team.note = data.note
    team.search_pinyin = _pinyin(team.name)


def team_create(*, user: Any, data: TeamData, members: Sequence["MemberData"] = ()) -> Team:
    _check_write(user, data.unit.code)
    _team_validate(user, data)
    team = Team(created_by=_who(user))
    _team_apply(team, data)
    with transaction.atomic():
        _created(user, team, team.unit_id)
        for member in members:
            team_member_add(user=user, team=team, data=member)
        # The leader is a member too, so "team members" counts them.
        if data.leader is not None and not team.members.filter(person=data.leader).exists():
            team_member_add(user=user, team=team, data=MemberData(person=data.leader))
    return team


def team_update(*, user: Any, team: Team, data: TeamData) -> Team:
    _check_write(user, team.unit_id)
    _check_write(user, data.unit.code)
    _team_validate(user, data, exclude_pk=team.pk)
    with transaction.atomic():
        before = snapshot(team)
        _team_apply(team, data)
        _updated(user, team, team.unit_id, before)
        if data.leader is not None and not team.members.filter(person=data.leader).exists():
            team_member_add(user=user, team=team, data=MemberData(person=data.leader))
    return team


def team_delete(*, user: Any, team: Team) -> None:
    _check_write(user, team.unit_id)
    with transaction.atomic():
        _soft_delete(user, team)


@dataclass
class MemberData:
    person: Person
    role: str = ""
    joined_on: date | None = None


def team_member_add(*, user: Any, team: Team, data: MemberData) -> TeamMember:
    _check_write(user, team.unit_id)
    if not tree.in_subtree(data.person.unit_id, user.scope):
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
    with transaction.atomic():
        _created(user, member, team.unit_id)
    return member


def team_member_remove(*, user: Any, member: TeamMember) -> None:
    _check_write(user, member.team.unit_id)
    with transaction.atomic():
        _removed(user, member, member.team.unit_id)


def team_performance_add(*, user: Any, team: Team, activity: Activity) -> TeamPerformance:
    """Record that the team performed at the activity (both must be the user's to see)."""
    _check_write(user, team.unit_id)
    if not tree.in_subtree(activity.unit_id, user.scope) or activity.deleted_at is not None:
        raise ValidationError({"activity": _("请选择本单位或下级单位的活动。")})
    if TeamPerformance.objects.filter(team=team, activity=activity).exists():
        raise ValidationError({"activity": _("该演出已登记。")})
    performance = TeamPerformance(team=team, activity=activity)
    with transaction.atomic():
        _created(user, performance, team.unit_id)
    return performance


def team_performance_remove(*, user: Any, performance: TeamPerformance) -> None:
    _check_write(user, performance.team.unit_id)
    with transaction.atomic():
        _removed(user, performance, performance.team.unit_id)


def team_genre_create(*, user: Any, name: str) -> TeamGenre:
    """Add a troupe genre for everyone (genres are shared by the whole deployment)."""
    if not can_manage(user, user.scope):
        raise PermissionDenied(_("只有系统管理员可以添加队伍类别。"))
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("名称不能为空。")})
    if len(name) > 50:
        raise ValidationError({"name": _("名称不能超过 50 个字。")})
    if TeamGenre.objects.filter(name=name).exists():
        raise ValidationError({"name": _("已有名为“%(name)s”的队伍类别。") % {"name": name}})
    last = TeamGenre.objects.aggregate(m=models.Max("ordering"))["m"] or 0
    with transaction.atomic():
        genre = TeamGenre(name=name, ordering=last + 10)
        _created(user, genre, user.scope)
    return genre


def team_genre_set_active(*, user: Any, genre: TeamGenre, active: bool) -> TeamGenre:
    """Retire a genre from the entry form and the import (teams keep it) or bring it back."""
    if not can_manage(user, user.scope):
        raise PermissionDenied(_("只有系统管理员可以停用或启用队伍类别。"))
    with transaction.atomic():
        before = snapshot(genre)
        genre.active = active
        _updated(user, genre, user.scope, before)
    return genre


# --- Training classes ------------------------------------------------------------------------


@dataclass
class TrainingData:
    """The editable fields of a training class, already parsed."""

    unit: Unit
    title: str
    start_date: date
    end_date: date
    trainer: str = ""
    place: str = ""
    note: str = ""


@dataclass
class SessionData:
    date: date
    hours: Decimal
    topic: str = ""


TRAINING_TEXTS = (("title", "培训班名称"), ("trainer", "授课老师"), ("place", "地点"))
HOURS_MAX = Decimal("24")


def training_check(data: TrainingData) -> dict[str, str]:
    errors = _length_errors(TrainingClass, data, TRAINING_TEXTS)
    if not data.title.strip():
        errors["title"] = _("培训班名称不能为空。")
    if data.end_date < data.start_date:
        errors["end_date"] = _("结束日期不能早于开始日期。")
    return errors


def session_check(tc: TrainingClass | TrainingData, data: SessionData) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not tc.start_date <= data.date <= tc.end_date:
        errors["date"] = _("课次日期应在培训班的起止日期（%(start)s 至 %(end)s）之内。") % {
            "start": tc.start_date.isoformat(),
            "end": tc.end_date.isoformat(),
        }
    exponent = data.hours.as_tuple().exponent
    if not Decimal(0) < data.hours <= HOURS_MAX or not isinstance(exponent, int) or exponent < -1:
        errors["hours"] = _("课时应大于 0、不超过 24 小时，最多一位小数。")
    if len(data.topic.strip()) > 200:
        errors["topic"] = _("内容不能超过 200 个字。")
    return errors


def training_type() -> ActivityType:
    kind = ActivityType.objects.filter(name=TRAINING_TYPE).first()
    if kind is None:
        raise ValidationError(
            _("没有“%(name)s”活动类型，请系统管理员在活动类型中添加。") % {"name": TRAINING_TYPE}
        )
    return kind


def _activity_data(tc: TrainingClass, participants: int) -> activity_services.ActivityData:
    """The class as its 培训 activity; the activity's own extra fields are kept."""
    act = tc.activity if tc.activity_id else None
    return activity_services.ActivityData(
        unit=tc.unit,
        type=training_type(),
        title=tc.title,
        start_date=tc.start_date,
        end_date=tc.end_date,
        place=tc.place,
        participants=participants,
        organisers=act.organisers if act else "",
        co_organisers=act.co_organisers if act else "",
        audience=act.audience if act else 0,
        cost=act.cost if act else None,
        funding=act.funding if act else "",
        description=act.description if act and act.description else tc.note,
    )


def _revive_activity(user: Any, act: Activity) -> None:
    """Undelete the class's own activity, as the audit page would restore it (the activities
    app has no restore service): audited, and its deletion marked as restored."""
    act.deleted_at = None
    act.save(update_fields=["deleted_at", "updated_at"])  # updated_at: core.versioned
    AuditEntry.objects.filter(
        model=act._meta.label_lower, object_pk=str(act.pk), action=Action.DELETE,
        restored_at__isnull=True,
    ).update(restored_at=timezone.now())  # fmt: skip
    audit_record(
        actor=user, action=Action.RESTORE, obj=act, unit_code=act.unit_id, after=snapshot(act)
    )


def _sync_activity(user: Any, tc: TrainingClass) -> None:
    """Create, link or update the class's 培训 activity so it matches the class."""
    data = _activity_data(tc, tc.trainees.count())
    act = Activity.all_objects.filter(pk=tc.activity_id).first() if tc.activity_id else None
    # Its own activity comes back rather than a fresh one, which would count the class twice
    # once someone restored the old one from the audit page.
    if act and act.deleted_at and not activity_services.activity_duplicate(data, act.pk):
        _revive_activity(user, act)
    if act is not None and act.deleted_at is None:
        activity_services.activity_update(user=user, activity=act, data=data)
        return
    # Recorded already on the activity page and not yet another class's: link, don't double.
    existing = activity_services.activity_duplicate(data)
    if existing is not None and not TrainingClass.objects.filter(activity=existing).exists():
        tc.activity = existing
        data = _activity_data(tc, data.participants)
        activity_services.activity_update(user=user, activity=existing, data=data)
    else:
        tc.activity = activity_services.activity_create(user=user, data=data)
    tc.save(update_fields=["activity"])


def _training_apply(tc: TrainingClass, data: TrainingData) -> None:
    tc.unit = data.unit
    tc.title = data.title.strip()
    tc.start_date = data.start_date
    tc.end_date = data.end_date
    tc.trainer = data.trainer.strip()
    tc.place = data.place.strip()
    tc.note = data.note
    tc.search_pinyin = _pinyin(tc.title)


def training_create(
    *,
    user: Any,
    data: TrainingData,
    sessions: Sequence[SessionData] = (),
    trainees: Sequence[Person] = (),
) -> TrainingClass:
    """A class, its sessions and trainees, and its 培训 activity, all or nothing."""
    _check_write(user, data.unit.code)
    errors = training_check(data)
    for i, session in enumerate(sessions):
        for message in session_check(data, session).values():
            errors.setdefault("sessions", "")
            errors["sessions"] += _("第 %(n)d 课次：%(m)s") % {"n": i + 1, "m": message}
    if errors:
        raise ValidationError(errors)
    tc = TrainingClass(created_by=_who(user))
    _training_apply(tc, data)
    with transaction.atomic():
        _created(user, tc, tc.unit_id)
        for session in sessions:
            _session_create(user, tc, session)
        for person in trainees:
            _trainee_create(user, tc, person)
        _sync_activity(user, tc)
    return tc


def training_update(*, user: Any, training: TrainingClass, data: TrainingData) -> TrainingClass:
    _check_write(user, training.unit_id)
    _check_write(user, data.unit.code)
    errors = training_check(data)
    outside = training.sessions.exclude(date__gte=data.start_date, date__lte=data.end_date)
    if not errors and outside.exists():
        errors["start_date"] = _("已有课次在新的起止日期之外，请先修改或删除这些课次。")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        before = snapshot(training)
        _training_apply(training, data)
        _updated(user, training, training.unit_id, before)
        _sync_activity(user, training)
    return training


def training_delete(*, user: Any, training: TrainingClass) -> None:
    """Soft delete the class and its 培训 activity (both restorable on the audit page)."""
    _check_write(user, training.unit_id)
    with transaction.atomic():
        _soft_delete(user, training)
        act = Activity.objects.filter(pk=training.activity_id or 0).first()
        if act is not None:
            activity_services.activity_delete(user=user, activity=act)


def training_restored(*, user: Any, training: TrainingClass) -> None:
    """After the audit page restored a class: bring back the 培训 activity deleted with it, in
    the same transaction (called by the audit app's restore hook, see apps.py)."""
    _check_write(user, training.unit_id)
    if training.deleted_at is None:
        with transaction.atomic():
            _sync_activity(user, training)


def _session_create(user: Any, tc: TrainingClass, data: SessionData) -> TrainingSession:
    session = TrainingSession(
        training_class=tc, date=data.date, hours=data.hours, topic=data.topic.strip()
    )
    _created(user, session, tc.unit_id)
    return session


def session_add(*, user: Any, training: TrainingClass, data: SessionData) -> TrainingSession:
    _check_write(user, training.unit_id)
    errors = session_check(training, data)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return _session_create(user, training, data)


def session_update(*, user: Any, session: TrainingSession, data: SessionData) -> TrainingSession:
    tc = session.training_class
    _check_write(user, tc.unit_id)
    errors = session_check(tc, data)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        before = snapshot(session)
        session.date, session.hours, session.topic = data.date, data.hours, data.topic.strip()
        _updated(user, session, tc.unit_id, before)
    return session


def session_delete(*, user: Any, session: TrainingSession) -> None:
    tc = session.training_class
    _check_write(user, tc.unit_id)
    with transaction.atomic():
        _removed(user, session, tc.unit_id)


def _trainee_create(user: Any, tc: TrainingClass, person: Person) -> Trainee:
    if not tree.in_subtree(person.unit_id, user.scope):
        raise ValidationError({"person": _("请选择本单位或下级单位的人员。")})
    trainee = Trainee(training_class=tc, person=person)
    _created(user, trainee, tc.unit_id)
    return trainee


def trainees_add(*, user: Any, training: TrainingClass, people: Sequence[Person]) -> int:
    """Enrol people (those already enrolled are skipped); returns how many were added."""
    _check_write(user, training.unit_id)
    enrolled = set(training.trainees.values_list("person_id", flat=True))
    added = 0
    with transaction.atomic():
        for person in people:
            if person.pk not in enrolled:
                _trainee_create(user, training, person)
                enrolled.add(person.pk)
                added += 1
        if added:
            _sync_activity(user, training)
    return added


def trainee_remove(*, user: Any, trainee: Trainee) -> None:
    tc = trainee.training_class
    _check_write(user, tc.unit_id)
    with transaction.atomic():
        _removed(user, trainee, tc.unit_id)
        _sync_activity(user, tc)


def attendance_set(*, user: Any, session: TrainingSession, present: Sequence[int]) -> int:
    """Make the session's attendance exactly the trainees (ids) in `present`; returns how many.

    The roll call of a phone page: unticked boxes are absences. Ids not of this class are
    refused rather than ignored, so that a stale page cannot pass silently.
    """
    tc = session.training_class
    _check_write(user, tc.unit_id)
    wanted = set(present)
    enrolled = set(tc.trainees.values_list("pk", flat=True))
    if wanted - enrolled:
        raise ValidationError(_("所选学员不属于该培训班，请刷新页面后重试。"))
    with transaction.atomic():
        before = sorted(session.attendance.values_list("trainee_id", flat=True))
        if set(before) != wanted:
            session.attendance.exclude(trainee_id__in=wanted).delete()
            Attendance.objects.bulk_create(
                [Attendance(session=session, trainee_id=pk) for pk in sorted(wanted - set(before))]
            )
            audit_record(
                actor=user,
                action=Action.UPDATE,
                obj=session,
                unit_code=tc.unit_id,
                before={"present": before},
                after={"present": sorted(wanted)},
            )
    return len(wanted)


# --- Honours ---------------------------------------------------------------------------------


@dataclass
class HonourData:
    """The editable fields of an honour; for a person or a team their unit is the record's."""

    holder_kind: str
    unit: Unit
    name: str
    level: str
    year: int
    person: Person | None = None
    team: Team | None = None
    awarded_by: str = ""
    note: str = ""


def honour_check(user: Any, data: HonourData) -> dict[str, str]:
    errors = _length_errors(Honour, data, (("name", _("荣誉名称")), ("awarded_by", _("授予单位"))))
    if not data.name.strip():
        errors["name"] = _("荣誉名称不能为空。")
    if data.level not in Level.values:
        errors["level"] = _("级别只能是：%(choices)s。") % {
            "choices": "、".join(str(label) for label in Level.labels)
        }
    if message := _year_error(data.year, _("年份")):
        errors["year"] = message
    holder: Person | Team | None = None
    if data.holder_kind == HolderKind.PERSON:
        holder = data.person
        if holder is None:
            errors["person"] = _("请选择获得荣誉的人员。")
    elif data.holder_kind == HolderKind.TEAM:
        holder = data.team
        if holder is None:
            errors["team"] = _("请选择获得荣誉的队伍。")
    elif data.holder_kind != HolderKind.UNIT:
        errors["holder_kind"] = _("授予对象只能是：单位、个人、队伍。")
    if holder is not None and not tree.in_subtree(holder.unit_id, user.scope):
        errors["person" if data.holder_kind == HolderKind.PERSON else "team"] = _(
            "请选择本单位或下级单位的人员或队伍。"
        )
    return errors


def _honour_apply(honour: Honour, data: HonourData) -> None:
    honour.holder_kind = data.holder_kind
    honour.person = data.person if data.holder_kind == HolderKind.PERSON else None
    honour.team = data.team if data.holder_kind == HolderKind.TEAM else None
    holder = honour.person or honour.team
    # A person's or team's honour belongs to their unit, so it is seen where they are.
    honour.unit = holder.unit if holder is not None else data.unit
    honour.name = data.name.strip()
    honour.level = data.level
    honour.year = data.year
    honour.awarded_by = data.awarded_by.strip()
    honour.note = data.note
    honour.search_pinyin = _pinyin(honour.name)


def honour_create(*, user: Any, data: HonourData) -> Honour:
    errors = honour_check(user, data)
    if errors:
        raise ValidationError(errors)
    honour = Honour(created_by=_who(user))
    _honour_apply(honour, data)
    _check_write(user, honour.unit_id)
    with transaction.atomic():
        _created(user, honour, honour.unit_id)
    return honour


def honour_update(*, user: Any, honour: Honour, data: HonourData) -> Honour:
    _check_write(user, honour.unit_id)
    errors = honour_check(user, data)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        before = snapshot(honour)
        _honour_apply(honour, data)
        _check_write(user, honour.unit_id)
        _updated(user, honour, honour.unit_id, before)
    return honour


def honour_delete(*, user: Any, honour: Honour) -> None:
    _check_write(user, honour.unit_id)
    with transaction.atomic():
        _soft_delete(user, honour)
