"""Writing culture households: one at a time (pages, API) or a batch (the Excel import).

Each function checks the right to write for the household's unit, applies the rules (Chinese
messages keyed by field) and saves with its audit entry in one transaction.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from xuanwen.accounts.models import User
from xuanwen.accounts.permissions import can_write
from xuanwen.audit.models import Action
from xuanwen.audit.services import audit_record, snapshot
from xuanwen.core import clock
from xuanwen.core.imports import Rejected
from xuanwen.core.models import Level
from xuanwen.core.text import pinyin_of
from xuanwen.records.selectors import values_in
from xuanwen.records.services import (
    creator,
    length_errors,
    mark_duplicates,
    row_problems,
    save_created,
    save_values,
    soft_delete,
)
from xuanwen.units.models import Unit

from .models import Household, HouseholdKind

# The earliest year a designation may carry (culture households were named from the 1980s;
# older dates are typing errors) and how far ahead one may lie (announced for next year).
YEAR_MIN = 1949
YEARS_AHEAD = 1
# How many of a household may take part: a household, not a troupe.
MEMBERS_MIN, MEMBERS_MAX = 1, 50


@dataclass
class HouseholdData:
    """The editable fields of a household, already parsed (from a form, JSON or a sheet row)."""

    unit: Unit
    kind: HouseholdKind
    head: str
    speciality: str = ""
    members: int = 1
    member_names: str = ""
    level: str = ""
    designated_on: date | None = None
    revoked_on: date | None = None
    note: str = ""


TEXT_LIMITS = (("head", _lazy("户主")), ("speciality", _lazy("特长")))


def household_check(data: HouseholdData) -> dict[str, str]:
    """Rule errors by field name, in Chinese; empty when the data is acceptable."""
    errors: dict[str, str] = {}
    if not data.head.strip():
        errors["head"] = _("户主姓名不能为空。")
    if not MEMBERS_MIN <= data.members <= MEMBERS_MAX:
        errors["members"] = _("参与人数应在 %(lo)d 至 %(hi)d 之间。") % {
            "lo": MEMBERS_MIN,
            "hi": MEMBERS_MAX,
        }
    if data.level and data.level not in Level.values:
        names = "、".join(str(label) for label in Level.labels)
        errors["level"] = _("认定级别只能是：%(names)s。") % {"names": names}
    last = clock.today().year + YEARS_AHEAD
    for name, day in (("designated_on", data.designated_on), ("revoked_on", data.revoked_on)):
        if day is not None and not YEAR_MIN <= day.year <= last:
            errors[name] = _("日期应在 %(first)d 年至 %(last)d 年之间。") % {
                "first": YEAR_MIN,
                "last": last,
            }
    if data.revoked_on is not None and "revoked_on" not in errors:
        if data.designated_on is None:
            errors["revoked_on"] = _("填写撤销日期前，请先填写认定日期。")
        elif data.revoked_on <= data.designated_on:
            errors["revoked_on"] = _("撤销日期应晚于认定日期。")
    errors.update(length_errors(Household, data, TEXT_LIMITS))
    return errors


def duplicate_key(data: HouseholdData) -> tuple[str, int, str]:
    """What makes two live households the same one: village, kind and head's name."""
    return (data.unit.code, data.kind.pk, data.head.strip())


def household_duplicate(data: HouseholdData, exclude_pk: int | None = None) -> Household | None:
    """A live household of the same village, kind and head."""
    qs = Household.objects.filter(unit=data.unit, kind=data.kind, head=data.head.strip())
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.first()


DUPLICATE_MESSAGE = _lazy("该村（社区）已有同一户主的同类文化户。")


def _stored(data: HouseholdData) -> dict[str, Any]:
    """The values a household is stored with, by field (the one place they are normalised)."""
    head = data.head.strip()
    full, initials = pinyin_of(head)
    return {
        "unit": data.unit,
        "kind": data.kind,
        "head": head,
        "speciality": data.speciality.strip(),
        "members": data.members,
        "member_names": data.member_names.strip(),
        "level": data.level,
        "designated_on": data.designated_on,
        "revoked_on": data.revoked_on,
        "note": data.note,
        "search_pinyin": f"{full} {initials}",
    }


def _check_write(user: User, unit_code: str) -> None:
    if not can_write(user, unit_code):
        raise PermissionDenied(_("您不能为该单位登记或修改文化户。"))


def _validate(data: HouseholdData, exclude_pk: int | None = None) -> None:
    errors = household_check(data)
    if not errors and household_duplicate(data, exclude_pk):
        errors["head"] = str(DUPLICATE_MESSAGE)
    if errors:
        raise ValidationError(errors)


def household_create(*, user: User, data: HouseholdData) -> Household:
    _check_write(user, data.unit.code)
    _validate(data)
    household = Household(created_by=creator(user), **_stored(data))
    return save_created(user=user, record=household, unit_code=household.unit_id)


def household_update(*, user: User, household: Household, data: HouseholdData) -> Household:
    # Both the old and the new unit must be the user's: moving a record out of reach is a write
    # to a unit the user does not own.
    _check_write(user, household.unit_id)
    _check_write(user, data.unit.code)
    _validate(data, exclude_pk=household.pk)
    return save_values(user=user, record=household, values=_stored(data), unit_code=data.unit.code)


def household_delete(*, user: User, household: Household) -> None:
    """Soft delete: gone everywhere, restorable from the audit page. A revocation is not a
    deletion: a revoked household keeps counting in the periods it stood in."""
    _check_write(user, household.unit_id)
    soft_delete(user=user, record=household, unit_code=household.unit_id)


# --- Import of many households at once (the Excel import) ----------------------------------


def households_import_problems(
    *, user: User, rows: Sequence[HouseholdData], row_numbers: Sequence[int]
) -> dict[int, dict[str, str]]:
    """The rule errors of a batch: {index in rows: {field: Chinese message}}, empty if none.

    The same rules as one household_create per row, plus a duplicate within the batch; the
    stored households are read with one query per 500 units, not one per row.
    """
    problems = row_problems(
        user=user,
        rows=rows,
        check=household_check,
        unit_of=lambda data: data.unit.code,
        refused=("unit", _("您不能为该单位登记文化户。")),
    )
    codes = [data.unit.code for data in rows]
    existing = values_in(Household.objects.all(), "unit_id", codes, "unit_id", "kind_id", "head")
    mark_duplicates(
        problems,
        [duplicate_key(data) for data in rows],
        field="head",
        repeats=_("与第 %(row)d 行重复：同一村（社区）、同一户主、同一类型。"),
        label=lambda i: row_numbers[i],
        existing=existing,
        exists=str(DUPLICATE_MESSAGE),
    )
    return problems


def households_import(
    *, user: User, rows: Sequence[HouseholdData], row_numbers: Sequence[int], source: str = ""
) -> list[Household]:
    """Create every household of the batch, or none: the bulk form of household_create.

    The rows are checked again inside the transaction, so a duplicate entered by someone else
    since the preview is still caught. A county has hundreds of culture households, so each
    row is saved and audited like one entered by hand.
    """
    if not rows:
        raise ValidationError(_("没有可导入的文化户。"))
    created_by = creator(user)
    created: list[Household] = []
    with transaction.atomic():
        problems = households_import_problems(user=user, rows=rows, row_numbers=row_numbers)
        if problems:
            raise Rejected(problems, row_numbers)
        for data in rows:
            household = Household(created_by=created_by, **_stored(data))
            household.save()
            after = snapshot(household)
            if source:
                after["source"] = source
            audit_record(
                actor=user,
                action=Action.IMPORT,
                obj=household,
                unit_code=household.unit_id,
                after=after,
            )
            created.append(household)
    return created
