"""Writing opening logs. Forms, the week grid, the API and the Excel import all come here."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from xuanwen.accounts.models import User
from xuanwen.accounts.permissions import can_write
from xuanwen.audit.models import Action
from xuanwen.audit.services import audit_record, snapshot
from xuanwen.core import clock, locks, tree
from xuanwen.core.imports import Rejected
from xuanwen.facilities.models import Facility
from xuanwen.records.services import (
    creator,
    row_problems,
    save_changed,
    save_created,
    soft_delete,
)

from .compliance import hours_text
from .models import OpeningLog

HOURS_MAX = Decimal("24")
# A log may be entered a little ahead (a keeper closing up on Saturday evening logs Sunday),
# but not for a week ahead: future days are not judged and a typo in the year would hide.
FUTURE_DAYS = 1
EARLIEST = date(2000, 1, 1)


@dataclass
class OpeningData:
    """One opening session, already parsed (from a form, JSON or a sheet row). With a start
    and an end its hours are derived from them (`hours` may then be left out); without
    times it is a whole-day entry and `hours` is the day's."""

    facility: Facility
    date: date
    hours: Decimal | None = None
    visitors: int = 0
    note: str = ""
    start: time | None = None
    end: time | None = None


def _minute(value: time | None) -> time | None:
    """Times are kept to the minute (a browser or a sheet may send seconds)."""
    return value.replace(second=0, microsecond=0) if value is not None else None


def derived_hours(start: time, end: time) -> Decimal:
    """The hours between two times of a day, to 0.1: 08:30–11:30 → 3.0, 14:00–17:30 → 3.5."""
    minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    return (Decimal(minutes) / 60).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def session_hours(data: OpeningData) -> Decimal | None:
    """The hours the session stores: derived from its times, else as given."""
    start, end = _minute(data.start), _minute(data.end)
    if start is not None and end is not None:
        return derived_hours(start, end)
    return data.hours


def times_text(start: time | None, end: time | None, hours: Decimal | None = None) -> str:
    """How a session is named to the user: "08:30–11:30", or a whole-day entry's hours."""
    if start is None or end is None:
        return _("全天登记 %(hours)s 小时") % {"hours": hours_text(hours)}
    return f"{start:%H:%M}–{end:%H:%M}"


def overlaps(a: tuple[time | None, time | None], b: tuple[time | None, time | None]) -> bool:
    """Whether two sessions of a day overlap: a whole-day entry (no times) overlaps any."""
    if None in a or None in b:
        return True
    return a[0] < b[1] and b[0] < a[1]  # type: ignore[operator]


def opening_check(data: OpeningData, today: date | None = None) -> dict[str, str]:
    """Rule errors by field name, in Chinese; empty when the data is acceptable."""
    today = today or clock.today()
    errors: dict[str, str] = {}
    start, end = _minute(data.start), _minute(data.end)
    if (start is None) != (end is None):
        missing = "end" if end is None else "start"
        errors[missing] = _("请同时填写开始和结束时间；不记时间的，两个都不填，只填开放时长。")
    elif start is not None and end is not None:
        if end <= start:
            errors["end"] = _("结束时间应晚于开始时间（一场不能跨过午夜）。")
        elif data.hours is not None and data.hours != derived_hours(start, end):
            errors["hours"] = _(
                "按起止时间应为 %(hours)s 小时；填了起止时间的，开放时长可不填，自动计算。"
            ) % {"hours": hours_text(derived_hours(start, end))}
    elif data.hours is None:
        errors["hours"] = _("请填写开始和结束时间，或填写开放时长。")
    elif data.hours <= 0:
        errors["hours"] = _("开放时长应大于 0 小时（没开放的日子不用登记）。")
    elif data.hours > HOURS_MAX:
        errors["hours"] = _("开放时长不能超过 24 小时。")
    elif data.hours != data.hours.quantize(Decimal("0.1")):
        errors["hours"] = _("开放时长最多保留 1 位小数，如 3.5。")
    if data.visitors is None or data.visitors < 0:
        errors["visitors"] = _("接待人次不能为负数。")
    if data.date > today + timedelta(days=FUTURE_DAYS):
        errors["date"] = _("不能登记 %(day)s：还没到这一天。") % {"day": data.date}
    elif data.date < EARLIEST:
        errors["date"] = _("日期太早，请检查年份。")
    if len(data.note.strip()) > 200:
        errors["note"] = _("备注不能超过 200 个字。")
    return errors


def clash_field(data: OpeningData) -> str:
    """The field a clash with another session is said on: the start time, or the hours of a
    whole-day entry (which has no times)."""
    return "start" if data.start is not None else "hours"


def clash_message(
    data: OpeningData, other: tuple[time | None, time | None, Decimal | None]
) -> str | None:
    """What is wrong with recording `data` next to `other` session of its day, or None."""
    mine = (_minute(data.start), _minute(data.end))
    theirs = (other[0], other[1])
    if mine == theirs:
        return _("这一场（%(times)s）已经登记过了，请直接修改那一条。") % {
            "times": times_text(*other)
        }
    if None in theirs:
        return _(
            "当天已有一条不记时间的登记（%(times)s），与任何一场都算重叠；"
            "要分场登记，请先在那一条填上起止时间。"
        ) % {"times": times_text(*other)}
    if None in mine:
        return _(
            "当天已按场登记（如 %(times)s），不能再登记不记时间的全天；请填写这一场的起止时间。"
        ) % {"times": times_text(*other)}
    if overlaps(mine, theirs):
        return _("与当天已登记的一场（%(times)s）时间重叠；同一阵地同一天的各场不能重叠。") % {
            "times": times_text(*other)
        }
    return None


def _check_write(user: User, facility: Facility) -> None:
    if not can_write(user, facility.unit_id):
        raise PermissionDenied(_("您不能为该阵地登记开放。"))


def _validate(data: OpeningData) -> None:
    errors = opening_check(data)
    if errors:
        raise ValidationError(errors)


def _check_day(data: OpeningData, exclude: int | None = None) -> None:
    """Refuse a session that repeats or overlaps another live one of its facility and day.
    The facility's row is locked first, so two sessions saved at once cannot both pass."""
    Facility.all_objects.select_for_update().filter(pk=data.facility.pk).first()
    others = OpeningLog.objects.filter(facility=data.facility, date=data.date)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    for other in others.order_by("start").values_list("start", "end", "hours"):
        message = clash_message(data, other)
        if message:
            raise ValidationError({clash_field(data): message})


def _apply(log: OpeningLog, data: OpeningData) -> None:
    log.facility = data.facility
    log.date = data.date
    log.start = _minute(data.start)
    log.end = _minute(data.end)
    hours = session_hours(data)
    assert hours is not None  # opening_check refused a session without hours
    log.hours = hours.quantize(Decimal("0.1"))  # 3.50 from a sheet is 3.5
    log.visitors = data.visitors
    log.note = data.note.strip()


def opening_record(*, user: User, data: OpeningData) -> OpeningLog:
    """Record one session. Another session of the same day is welcome; one that repeats or
    overlaps a session already recorded is refused, naming that session's times."""
    _check_write(user, data.facility)
    _validate(data)
    with transaction.atomic():
        _check_day(data)
        log = OpeningLog(created_by=creator(user))
        _apply(log, data)
        save_created(user=user, record=log, unit_code=data.facility.unit_id)
    return log


def _update(user: User, log: OpeningLog, data: OpeningData) -> OpeningLog:
    before = snapshot(log)
    _apply(log, data)
    return save_changed(user=user, record=log, unit_code=log.facility.unit_id, before=before)


def opening_update(*, user: User, log: OpeningLog, data: OpeningData) -> OpeningLog:
    """Change a session (its facility, day and times too, unless it would then overlap
    another session)."""
    _check_write(user, log.facility)
    _check_write(user, data.facility)
    _validate(data)
    with transaction.atomic():
        _check_day(data, exclude=log.pk)
        return _update(user, log, data)


def opening_delete(*, user: User, log: OpeningLog) -> None:
    """Soft delete: the session disappears everywhere and can be restored from the audit page."""
    _check_write(user, log.facility)
    soft_delete(user=user, record=log, unit_code=log.facility.unit_id)


def check_restored(*, user: User, obj: OpeningLog) -> None:
    """A session restored from the audit page must not overlap one recorded since."""
    data = OpeningData(
        facility=obj.facility, date=obj.date, hours=obj.hours, start=obj.start, end=obj.end
    )
    try:
        _check_day(data, exclude=obj.pk)
    except ValidationError as exc:
        raise ValidationError(_("无法恢复：%(why)s") % {"why": " ".join(exc.messages)}) from exc


# --- Several sessions at once: the week grid and the Excel import ---------------------------

Day = tuple[int, date]  # a facility's pk and a date


def recorded_sessions(rows: Sequence[OpeningData], *, lock: bool = False) -> dict[Day, list[Any]]:
    """The live sessions already recorded on the days of `rows`, by (facility, day) (one
    query; `lock` takes them for update)."""
    if not rows:
        return {}
    qs = OpeningLog.objects.filter(
        facility_id__in={d.facility.pk for d in rows},
        date__gte=min(d.date for d in rows),
        date__lte=max(d.date for d in rows),
    ).order_by("start", "pk")
    if lock:
        qs = qs.select_for_update()
    out: dict[Day, list[Any]] = {}
    for log in qs:
        out.setdefault((log.facility_id, log.date), []).append(log)
    return out


def _same_session(data: OpeningData, log: OpeningLog) -> bool:
    return (_minute(data.start), _minute(data.end)) == (log.start, log.end)


def openings_problems(
    *,
    user: User,
    rows: Sequence[OpeningData],
    row_numbers: Sequence[int] | None = None,
    recorded: dict[Day, list[Any]] | None = None,
) -> dict[int, dict[str, str]]:
    """The rule errors of a batch, {row index: {field: message}}: the rules of
    opening_record per row; a session given twice in the batch, or overlapping another row's
    of the same facility and day; a session overlapping one already recorded (one query,
    unless `recorded` is handed in); a day of a locked period (core.locks, as many queries
    whatever its rows). A row repeating a recorded session exactly is no error: it updates
    that session. `row_numbers` are how the caller numbers the rows (a sheet's) when a
    message points at another row."""
    today = clock.today()
    problems = row_problems(
        user=user,
        rows=rows,
        check=lambda data: opening_check(data, today),
        unit_of=lambda data: data.facility.unit_id,
        refused=("facility", _("您不能为该阵地登记开放。")),
    )
    label = (lambda i: row_numbers[i]) if row_numbers is not None else (lambda i: i + 1)
    if recorded is None:
        recorded = recorded_sessions([d for i, d in enumerate(rows) if i not in problems])
    seen: dict[Day, list[int]] = {}
    for i, data in enumerate(rows):
        if {"start", "end"} & set(problems.get(i, {})):
            continue  # its times are broken: said once, on the row's own error
        day = (data.facility.pk, data.date)
        mine = (_minute(data.start), _minute(data.end))
        field, message = clash_field(data), None
        for j in seen.get(day, []):
            theirs = (_minute(rows[j].start), _minute(rows[j].end))
            if mine == theirs:
                field = "date"
                message = _("与第 %(row)d 行重复：同一阵地同一天同一场。") % {"row": label(j)}
            elif overlaps(mine, theirs):
                message = _("与第 %(row)d 行时间重叠：同一阵地同一天的各场不能重叠。") % {
                    "row": label(j)
                }
            if message:
                break
        if message is None:
            for log in recorded.get(day, []):
                if not _same_session(data, log):
                    message = clash_message(data, (log.start, log.end, log.hours))
                    if message:
                        break
        if message:
            problems.setdefault(i, {}).setdefault(field, message)
        else:
            seen.setdefault(day, []).append(i)
    # A day in a period whose report is approved refuses the whole batch (one query).
    spans = [(data.facility.unit_id, data.date, data.date) for data in rows]
    locks.mark_locked(problems, spans, "date")
    return problems


def openings_record_many(
    *,
    user: User,
    rows: Sequence[OpeningData],
    source: str = "",
    row_numbers: Sequence[int] | None = None,
) -> tuple[int, int]:
    """Record every session of the batch, or none: (created, updated).

    A row repeating a recorded session (same facility, day, start and end; for a whole-day
    entry, the same day) updates it, as a sheet "以表中为准"; every other row is a new
    session, refused if it overlaps one. One audit entry of action "import" names the batch
    when it comes from a file (`source`); the week grid audits each day like the single form
    does.
    """
    if not rows:
        raise ValidationError(_("没有可登记的开放记录。"))
    updated = 0
    with transaction.atomic():
        recorded = recorded_sessions(rows, lock=True)
        problems = openings_problems(
            user=user, rows=rows, row_numbers=row_numbers, recorded=recorded
        )
        if problems:
            raise Rejected(problems, row_numbers)
        new: list[OpeningLog] = []
        changed: list[tuple[OpeningLog, dict[str, Any]]] = []
        creator = user if getattr(user, "pk", None) else None
        for data in rows:
            same = [
                log
                for log in recorded.get((data.facility.pk, data.date), [])
                if _same_session(data, log)
            ]
            if not same:
                log = OpeningLog(created_by=creator)
                _apply(log, data)
                new.append(log)
                continue
            log = same[0]
            before = snapshot(log)
            updated += 1
            _apply(log, data)
            changed.append((log, before))
        now = clock.now()
        for log in new:
            log.created_at = log.updated_at = now
        OpeningLog.objects.bulk_create(new, batch_size=500)
        for log, _before in changed:
            log.updated_at = now
        OpeningLog.all_objects.bulk_update(
            [log for log, _before in changed],
            ["hours", "visitors", "note", "updated_at"],
            batch_size=500,
        )
        created = len(new)
        if source:
            # One entry for the whole file; a stand-in log carries its label (see __str__).
            first = new[0] if new else changed[0][0]
            audit_record(
                actor=user,
                action=Action.IMPORT,
                obj=OpeningLog(
                    pk=first.pk,
                    note=_("导入开放登记 %(n)d 条（%(source)s）")
                    % {"n": len(rows), "source": source},
                ),
                unit_code=tree.common_ancestor(sorted({d.facility.unit_id for d in rows})),
                after={
                    "created": created,
                    "updated": updated,
                    "source": source,
                    "ids": sorted(log.pk for log in new),
                },
            )
        else:
            for log in new:
                audit_record(
                    actor=user,
                    action=Action.CREATE,
                    obj=log,
                    unit_code=log.facility.unit_id,
                    after=snapshot(log),
                )
            for log, before in changed:
                audit_record(
                    actor=user,
                    action=Action.UPDATE,
                    obj=log,
                    unit_code=log.facility.unit_id,
                    before=before,
                    after=snapshot(log),
                )
    return created, updated
