"""Writing opening logs. Forms, the week grid, the API and the Excel import all come here."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
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
    mark_duplicates,
    row_problems,
    save_changed,
    save_created,
    soft_delete,
)

from .models import OpeningLog

HOURS_MAX = Decimal("24")
# A log may be entered a little ahead (a keeper closing up on Saturday evening logs Sunday),
# but not for a week ahead: future days are not judged and a typo in the year would hide.
FUTURE_DAYS = 1
EARLIEST = date(2000, 1, 1)


@dataclass
class OpeningData:
    """One day's opening, already parsed (from a form, JSON or a sheet row)."""

    facility: Facility
    date: date
    hours: Decimal
    visitors: int = 0
    note: str = ""


def opening_check(data: OpeningData, today: date | None = None) -> dict[str, str]:
    """Rule errors by field name, in Chinese; empty when the data is acceptable."""
    today = today or clock.today()
    errors: dict[str, str] = {}
    if data.hours is None or data.hours <= 0:
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


def _check_write(user: User, facility: Facility) -> None:
    if not can_write(user, facility.unit_id):
        raise PermissionDenied(_("您不能为该阵地登记开放。"))


def _validate(data: OpeningData) -> None:
    errors = opening_check(data)
    if errors:
        raise ValidationError(errors)


def _apply(log: OpeningLog, data: OpeningData) -> None:
    log.facility = data.facility
    log.date = data.date
    log.hours = data.hours.quantize(Decimal("0.1"))  # 3.50 from a sheet is 3.5
    log.visitors = data.visitors
    log.note = data.note.strip()


def opening_record(*, user: User, data: OpeningData) -> tuple[OpeningLog, bool]:
    """Record a day's opening: (log, created). A day already recorded is updated, so a keeper
    who taps "save" twice or corrects the hours never makes two rows."""
    _check_write(user, data.facility)
    _validate(data)
    with transaction.atomic():
        log = (
            OpeningLog.all_objects.select_for_update()
            .filter(facility=data.facility, date=data.date)
            .first()
        )
        if log is not None and log.deleted_at is None:
            return _update(user, log, data), False
        before = snapshot(log) if log is not None else None
        if log is None:
            log = OpeningLog(created_by=creator(user))
        log.deleted_at = None  # a deleted day recorded again comes back (see the model)
        _apply(log, data)
        save_created(user=user, record=log, unit_code=data.facility.unit_id, before=before)
    return log, True


def _update(user: User, log: OpeningLog, data: OpeningData) -> OpeningLog:
    before = snapshot(log)
    _apply(log, data)
    return save_changed(user=user, record=log, unit_code=log.facility.unit_id, before=before)


def opening_update(*, user: User, log: OpeningLog, data: OpeningData) -> OpeningLog:
    """Change a log (its facility and day too, unless another log holds that day)."""
    _check_write(user, log.facility)
    _check_write(user, data.facility)
    _validate(data)
    clash = (
        OpeningLog.all_objects.filter(facility=data.facility, date=data.date)
        .exclude(pk=log.pk)
        .first()
    )
    if clash is not None:
        if clash.deleted_at is None:
            message = _("%(facility)s %(day)s 已有登记，请直接修改那一条。")
        else:
            message = _(
                "%(facility)s %(day)s 有一条已删除的登记，请在操作记录中恢复或直接重新登记。"
            )
        raise ValidationError({"date": message % {"facility": data.facility, "day": data.date}})
    with transaction.atomic():
        return _update(user, log, data)


def opening_delete(*, user: User, log: OpeningLog) -> None:
    """Soft delete: the day disappears everywhere and can be restored from the audit page."""
    _check_write(user, log.facility)
    soft_delete(user=user, record=log, unit_code=log.facility.unit_id)


# --- Several days at once: the week grid and the Excel import -------------------------------


def openings_problems(
    *, user: User, rows: Sequence[OpeningData], row_numbers: Sequence[int] | None = None
) -> dict[int, dict[str, str]]:
    """The rule errors of a batch, {row index: {field: message}}: the rules of
    opening_record per row, plus a day given twice in the batch, plus a day of a locked period
    (core.locks, the batch's only queries, as many whatever its rows). `row_numbers` are how
    the caller numbers the rows (a sheet's) when a message points at another row."""
    today = clock.today()
    problems = row_problems(
        user=user,
        rows=rows,
        check=lambda data: opening_check(data, today),
        unit_of=lambda data: data.facility.unit_id,
        refused=("facility", _("您不能为该阵地登记开放。")),
    )
    mark_duplicates(
        problems,
        [(data.facility.pk, data.date) for data in rows],
        field="date",
        repeats=_("与第 %(row)d 行重复：同一阵地同一天。"),
        label=(lambda i: row_numbers[i]) if row_numbers is not None else (lambda i: i + 1),
    )
    # A day in a period whose report is approved refuses the whole batch (one query).
    for i, message in locks.locked_rows(
        [(data.facility.unit_id, data.date, data.date) for data in rows]
    ).items():
        problems.setdefault(i, {}).setdefault("date", message)
    return problems


def openings_record_many(
    *,
    user: User,
    rows: Sequence[OpeningData],
    source: str = "",
    row_numbers: Sequence[int] | None = None,
) -> tuple[int, int]:
    """Record every day of the batch, or none: (created, updated).

    Days already recorded are updated, like opening_record. One audit entry of action
    "import" names the batch when it comes from a file (`source`); the week grid audits each
    day like the single form does.
    """
    if not rows:
        raise ValidationError(_("没有可登记的开放记录。"))
    created = updated = 0
    with transaction.atomic():
        problems = openings_problems(user=user, rows=rows, row_numbers=row_numbers)
        if problems:
            raise Rejected(problems, row_numbers)
        existing = {
            (log.facility_id, log.date): log
            for log in OpeningLog.all_objects.select_for_update().filter(
                facility_id__in={d.facility.pk for d in rows},
                date__gte=min(d.date for d in rows),
                date__lte=max(d.date for d in rows),
            )
        }
        new: list[OpeningLog] = []
        changed: list[tuple[OpeningLog, dict[str, Any]]] = []
        creator = user if getattr(user, "pk", None) else None
        for data in rows:
            log = existing.get((data.facility.pk, data.date))
            if log is None:
                log = OpeningLog(created_by=creator)
                _apply(log, data)
                new.append(log)
                continue
            before = snapshot(log)
            if log.deleted_at is not None:
                log.deleted_at = None  # a deleted day recorded again comes back
                created += 1
            else:
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
            ["hours", "visitors", "note", "deleted_at", "updated_at"],
            batch_size=500,
        )
        created += len(new)
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
