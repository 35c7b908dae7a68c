"""Writing honours (荣誉) of units, people and teams."""

import calendar
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from xuanwen.accounts.models import User
from xuanwen.audit.services import snapshot
from xuanwen.core.models import Level
from xuanwen.records.services import creator, length_errors, save_changed, save_created, soft_delete
from xuanwen.units.models import Unit

from ..models import (
    HolderKind,
    Honour,
    Person,
    Team,
    awarded_on,
)
from .common import (
    _check_write,
    _pinyin,
    _year_error,
)

# --- Honours ---------------------------------------------------------------------------------


@dataclass
class HonourData:
    """The editable fields of an honour; for a person or a team their unit is the record's."""

    holder_kind: str
    unit: Unit
    name: str
    level: str
    year: int
    # As precisely as known: a month of the year, and a day of it (a day needs its month).
    month: int | None = None
    day: int | None = None
    person: Person | None = None
    team: Team | None = None
    awarded_by: str = ""
    note: str = ""


def honour_check(user: User, data: HonourData) -> dict[str, str]:
    errors = length_errors(Honour, data, (("name", _("荣誉名称")), ("awarded_by", _("授予单位"))))
    if not data.name.strip():
        errors["name"] = _("荣誉名称不能为空。")
    if data.level not in Level.values:
        errors["level"] = _("级别只能是：%(choices)s。") % {
            "choices": "、".join(str(label) for label in Level.labels)
        }
    if message := _year_error(data.year, _("年份")):
        errors["year"] = message
    errors.update(_date_errors(data))
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
    if holder is not None and not user.scope.contains(holder.unit_id):
        errors["person" if data.holder_kind == HolderKind.PERSON else "team"] = _(
            "请选择本单位或下级单位的人员或队伍。"
        )
    return errors


def _date_errors(data: HonourData) -> dict[str, str]:
    """A month of 1–12, a day only with its month and only one that month has."""
    if data.month is None:
        return {"day": _("填写日时须同时填写月份。")} if data.day is not None else {}
    if not 1 <= data.month <= 12:
        return {"month": _("月份应在 1 至 12 之间。")}
    last = calendar.monthrange(data.year or 2000, data.month)[1]
    if data.day is not None and not 1 <= data.day <= last:
        return {"day": _("%(m)d 月没有 %(d)d 日。") % {"m": data.month, "d": data.day}}
    return {}


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
    honour.month = data.month
    honour.day = data.day if data.month is not None else None
    # Kept by save() too; set here so that the lock check sees the new day before the save.
    honour.awarded_on = awarded_on(honour.year, honour.month, honour.day)
    honour.awarded_by = data.awarded_by.strip()
    honour.note = data.note
    honour.search_pinyin = _pinyin(honour.name)


def honour_create(*, user: User, data: HonourData) -> Honour:
    errors = honour_check(user, data)
    if errors:
        raise ValidationError(errors)
    honour = Honour(created_by=creator(user))
    _honour_apply(honour, data)
    _check_write(user, honour.unit_id)
    save_created(user=user, record=honour, unit_code=honour.unit_id)
    return honour


def honour_update(*, user: User, honour: Honour, data: HonourData) -> Honour:
    _check_write(user, honour.unit_id)
    errors = honour_check(user, data)
    if errors:
        raise ValidationError(errors)
    before = snapshot(honour)
    _honour_apply(honour, data)
    _check_write(user, honour.unit_id)
    save_changed(user=user, record=honour, unit_code=honour.unit_id, before=before)
    return honour


def honour_delete(*, user: User, honour: Honour) -> None:
    _check_write(user, honour.unit_id)
    soft_delete(user=user, record=honour, unit_code=honour.unit_id)
