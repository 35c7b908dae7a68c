"""Writing training classes (培训班), their sessions, trainees and roll call.

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

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from xuanwen.accounts.models import User
from xuanwen.activities import counts as activity_counts
from xuanwen.activities import services as activity_services
from xuanwen.activities.models import Activity, ActivityType
from xuanwen.audit.models import Action, AuditEntry
from xuanwen.audit.services import audit_record, snapshot
from xuanwen.core import clock, locks
from xuanwen.records.services import (
    assign,
    creator,
    delete_part,
    length_errors,
    save_changed,
    save_created,
    soft_delete,
)
from xuanwen.units.models import Unit

from ..models import (
    Attendance,
    Person,
    Trainee,
    TrainingClass,
    TrainingSession,
)
from .common import (
    TRAINING_TYPE,
    _check_write,
    _pinyin,
)

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
    errors = length_errors(TrainingClass, data, TRAINING_TEXTS)
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
        programmes=act.programmes if act else 0,
        cost=act.cost if act else None,
        funding=act.funding if act else "",
        description=act.description if act and act.description else tc.note,
    )


def _revive_activity(user: User, act: Activity) -> None:
    """Undelete the class's own activity, as the audit page would restore it (the activities
    app has no restore service): audited, and its deletion marked as restored."""
    act.deleted_at = None
    act.save(update_fields=["deleted_at", "updated_at"])
    activity_counts.added(act)  # live again: counted, as a restore on the audit page does
    AuditEntry.objects.filter(
        model=act._meta.label_lower, object_pk=str(act.pk), action=Action.DELETE,
        restored_at__isnull=True,
    ).update(restored_at=clock.now())  # fmt: skip
    audit_record(
        actor=user, action=Action.RESTORE, obj=act, unit_code=act.unit_id, after=snapshot(act)
    )


def _sync_activity(user: User, tc: TrainingClass) -> None:
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
    assign(tc, data, strip=("title", "trainer", "place"))
    tc.search_pinyin = _pinyin(tc.title)


def training_create(
    *,
    user: User,
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
    tc = TrainingClass(created_by=creator(user))
    _training_apply(tc, data)
    with transaction.atomic():
        save_created(user=user, record=tc, unit_code=tc.unit_id)
        for session in sessions:
            _session_create(user, tc, session)
        for person in trainees:
            _trainee_create(user, tc, person)
        _sync_activity(user, tc)
    return tc


def training_update(*, user: User, training: TrainingClass, data: TrainingData) -> TrainingClass:
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
        save_changed(user=user, record=training, unit_code=training.unit_id, before=before)
        _sync_activity(user, training)
    return training


def training_delete(*, user: User, training: TrainingClass) -> None:
    """Soft delete the class and its 培训 activity (both restorable on the audit page)."""
    _check_write(user, training.unit_id)
    with transaction.atomic():
        soft_delete(user=user, record=training, unit_code=training.unit_id)
        act = Activity.objects.filter(pk=training.activity_id or 0).first()
        if act is not None:
            activity_services.activity_delete(user=user, activity=act)


def training_restored(*, user: User, training: TrainingClass) -> None:
    """After the audit page restored a class: bring back the 培训 activity deleted with it, in
    the same transaction (called by the audit app's restore hook, see apps.py)."""
    _check_write(user, training.unit_id)
    if training.deleted_at is None:
        _sync_activity(user, training)


def _session_create(user: User, tc: TrainingClass, data: SessionData) -> TrainingSession:
    session = TrainingSession(
        training_class=tc, date=data.date, hours=data.hours, topic=data.topic.strip()
    )
    save_created(user=user, record=session, unit_code=tc.unit_id)
    return session


def session_add(*, user: User, training: TrainingClass, data: SessionData) -> TrainingSession:
    _check_write(user, training.unit_id)
    errors = session_check(training, data)
    if errors:
        raise ValidationError(errors)
    return _session_create(user, training, data)


def session_update(*, user: User, session: TrainingSession, data: SessionData) -> TrainingSession:
    tc = session.training_class
    _check_write(user, tc.unit_id)
    errors = session_check(tc, data)
    if errors:
        raise ValidationError(errors)
    before = snapshot(session)
    session.date, session.hours, session.topic = data.date, data.hours, data.topic.strip()
    save_changed(user=user, record=session, unit_code=tc.unit_id, before=before)
    return session


def session_delete(*, user: User, session: TrainingSession) -> None:
    tc = session.training_class
    _check_write(user, tc.unit_id)
    delete_part(user=user, record=session, unit_code=tc.unit_id)


def _trainee_create(user: User, tc: TrainingClass, person: Person) -> Trainee:
    if not user.scope.contains(person.unit_id):
        raise ValidationError({"person": _("请选择本单位或下级单位的人员。")})
    trainee = Trainee(training_class=tc, person=person)
    save_created(user=user, record=trainee, unit_code=tc.unit_id)
    return trainee


def trainees_add(*, user: User, training: TrainingClass, people: Sequence[Person]) -> int:
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


def trainee_remove(*, user: User, trainee: Trainee) -> None:
    tc = trainee.training_class
    _check_write(user, tc.unit_id)
    with transaction.atomic():
        delete_part(user=user, record=trainee, unit_code=tc.unit_id)
        _sync_activity(user, tc)


def attendance_set(*, user: User, session: TrainingSession, present: Sequence[int]) -> int:
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
    locks.refuse_record(session, tc.unit_id)  # the roll call changes the session
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
