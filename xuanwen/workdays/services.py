"""Entering a year's official holiday schedule. Pages and the API both come through here."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from xuanwen.accounts.models import User
from xuanwen.accounts.permissions import can_manage_scope
from xuanwen.audit.models import Action
from xuanwen.audit.services import audit_record, snapshot
from xuanwen.records.services import creator

from .models import EntryKind, ScheduleEntry, YearSchedule
from .selectors import YEAR_MAX, YEAR_MIN, is_builtin

WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


@dataclass
class HolidayData:
    """A holiday of the schedule: its name and its first and last day off."""

    name: str
    start: date
    end: date


@dataclass
class MakeupData:
    """A make-up workday (调休上班日): a weekend day worked, and the holiday it pays for."""

    date: date
    name: str = ""


@dataclass
class ScheduleData:
    year: int
    holidays: Sequence[HolidayData]
    workdays: Sequence[MakeupData] = ()
    source: str = ""


def check_year(year: int) -> None:
    """Refuse a year that cannot be entered (ValidationError keyed "year")."""
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise ValidationError(
            {"year": _("年份应在 %(a)d 到 %(b)d 之间。") % {"a": YEAR_MIN, "b": YEAR_MAX}}
        )
    if is_builtin(year):
        raise ValidationError(
            {
                "year": _("%(year)d 年的节假日安排已内置（国务院公布的安排），无需录入。")
                % {"year": year}
            }
        )


def schedule_check(data: ScheduleData) -> dict[str, list[str]]:
    """Every rule error, by field ("holidays", "workdays", "source"), in Chinese."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    year = data.year
    if not data.holidays:
        add("holidays", _("请至少填写一个节日的放假日期。"))
    days_off: dict[date, str] = {}
    for h in data.holidays:
        name = h.name.strip()
        if not name:
            add("holidays", _("%(start)s 起的放假安排缺少节日名称。") % {"start": h.start})
            continue
        if len(name) > 50:
            add("holidays", _("节日名称不能超过 50 个字：%(name)s") % {"name": name[:20]})
        if h.end < h.start:
            add("holidays", _("%(name)s：结束日期不能早于开始日期。") % {"name": name})
            continue
        if h.start.year != year or h.end.year != year:
            add(
                "holidays",
                _("%(name)s：日期须在 %(year)d 年内（跨年的日子属于另一年的安排）。")
                % {"name": name, "year": year},
            )
            continue
        if (h.end - h.start).days > 14:
            add("holidays", _("%(name)s：放假超过 15 天，请检查日期。") % {"name": name})
            continue
        day = h.start
        while day <= h.end:
            if day in days_off:
                add(
                    "holidays",
                    _("%(day)s 同时属于“%(a)s”和“%(b)s”的放假安排。")
                    % {"day": day, "a": days_off[day], "b": name},
                )
                break
            days_off[day] = name
            day += timedelta(days=1)
    seen: set[date] = set()
    for w in data.workdays:
        label = f"{w.date:%Y-%m-%d} {WEEKDAYS[w.date.weekday()]}"
        if w.date.year != year:
            add(
                "workdays",
                _("调休上班日 %(day)s 不在 %(year)d 年内。") % {"day": label, "year": year},
            )
        elif w.date.weekday() < 5:
            add("workdays", _("%(day)s 本来就是工作日，不是调休上班日。") % {"day": label})
        elif w.date in days_off:
            add("workdays", _("%(day)s 已是放假日，不能同时为调休上班日。") % {"day": label})
        elif w.date in seen:
            add("workdays", _("调休上班日 %(day)s 填写了两次。") % {"day": label})
        if len(w.name.strip()) > 50:
            add("workdays", _("调休说明不能超过 50 个字。"))
        seen.add(w.date)
    if len(data.source.strip()) > 200:
        add("source", _("依据不能超过 200 个字。"))
    return errors


def _snapshot(schedule: YearSchedule) -> dict[str, Any]:
    """The schedule with its entries, for the audit page's before/after."""
    data = snapshot(schedule)
    data["fields"]["entries"] = [
        f"{e.get_kind_display()} {e.name} {e.start:%Y-%m-%d}"
        + (f"–{e.end:%Y-%m-%d}" if e.end != e.start else "")
        for e in schedule.entries.order_by("start", "kind")
    ]
    return data


def schedule_save(*, user: User, data: ScheduleData) -> YearSchedule:
    """Enter a year's schedule, or replace the one entered before (holidays and workdays alike).

    Only admins: the calendar decides how every station's week is judged.
    """
    if not can_manage_scope(user):
        raise PermissionDenied(_("只有系统管理员可以录入节假日安排。"))
    check_year(data.year)
    errors = schedule_check(data)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        schedule = YearSchedule.objects.select_for_update().filter(year=data.year).first()
        before = _snapshot(schedule) if schedule else None
        if schedule is None:
            schedule = YearSchedule(year=data.year)
        schedule.source = data.source.strip()
        schedule.entered_by = creator(user)
        schedule.save()
        schedule.entries.all().delete()
        ScheduleEntry.objects.bulk_create(
            [
                ScheduleEntry(
                    schedule=schedule,
                    kind=EntryKind.HOLIDAY,
                    name=h.name.strip(),
                    start=h.start,
                    end=h.end,
                )
                for h in data.holidays
            ]
            + [
                ScheduleEntry(
                    schedule=schedule,
                    kind=EntryKind.WORKDAY,
                    name=w.name.strip() or _("调休上班"),
                    start=w.date,
                    end=w.date,
                )
                for w in data.workdays
            ]
        )
        audit_record(
            actor=user,
            action=Action.UPDATE if before else Action.CREATE,
            obj=schedule,
            unit_code=user.scope.top,
            before=before,
            after=_snapshot(schedule),
        )
    return schedule
