"""Writing designations (命名): create, update, delete and the batch import.

Pages, the API and the Excel import all come through here: each function checks the right to
write for the designation's unit, applies the rules (Chinese messages keyed by field) and saves
with its audit entry in one transaction.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

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
    assign,
    creator,
    length_errors,
    mark_duplicates,
    row_problems,
    save_changed,
    save_created,
    soft_delete,
)
from xuanwen.units.models import Unit

from .models import Designation, DesignationKind

# The earliest year a designation may carry (the culture-village campaigns began long after)
# and how far ahead a date may lie (a designation announced for the coming year).
YEAR_MIN = 1949
YEARS_AHEAD = 1


@dataclass
class DesignationData:
    """The editable fields of a designation, already parsed (from a form, JSON or a row)."""

    unit: Unit
    kind: DesignationKind
    level: str
    designated_on: date | None = None
    revoked_on: date | None = None
    document_no: str = ""
    awarded_by: str = ""
    note: str = ""

    @property
    def level_name(self) -> str:
        """The level's name, for an import's preview (not a field: forms and sheets skip it)."""
        return str(Level(self.level).label) if self.level in Level.values else self.level


# Text fields with a maximum length, and their names in messages.
TEXT_LIMITS = (("document_no", _lazy("文号")), ("awarded_by", _lazy("授予单位")))
STRIPPED = ("level", "document_no", "awarded_by", "note")

DUPLICATE_MESSAGE = _lazy("该单位已有同一类型、同一级别、同一命名日期的命名。")


def designation_check(data: DesignationData) -> dict[str, str]:
    """Rule errors by field name, in Chinese; empty when the data is acceptable."""
    errors: dict[str, str] = {}
    if data.level not in Level.values:
        errors["level"] = _("级别只能是：%(names)s。") % {
            "names": "、".join(str(label) for label in Level.labels)
        }
    last = clock.today().year + YEARS_AHEAD
    for name, day in (("designated_on", data.designated_on), ("revoked_on", data.revoked_on)):
        if day is not None and not YEAR_MIN <= day.year <= last:
            errors[name] = _("日期应在 %(first)d 年至 %(last)d 年之间。") % {
                "first": YEAR_MIN,
                "last": last,
            }
    if data.designated_on and data.revoked_on and data.revoked_on <= data.designated_on:
        errors.setdefault("revoked_on", _("撤销日期应晚于命名日期。"))
    errors.update(length_errors(Designation, data, TEXT_LIMITS))
    return errors


def duplicate_key(data: DesignationData) -> tuple[str, int, str, date | None]:
    """What makes two designations the same one: unit, kind, level and designated date. The
    same kind at another level or on another date is a designation of its own."""
    return (data.unit.code, data.kind.pk, data.level, data.designated_on)


def designation_duplicate(
    data: DesignationData, exclude_pk: int | None = None
) -> Designation | None:
    qs = Designation.objects.filter(
        unit=data.unit, kind=data.kind, level=data.level, designated_on=data.designated_on
    )
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.first()


def _check_write(user: User, unit_code: str) -> None:
    if not can_write(user, unit_code):
        raise PermissionDenied(_("您不能为该单位登记或修改命名。"))


def _validate(data: DesignationData, exclude_pk: int | None = None) -> None:
    errors = designation_check(data)
    if not errors and designation_duplicate(data, exclude_pk):
        errors["kind"] = str(DUPLICATE_MESSAGE)
    if errors:
        raise ValidationError(errors)


def _apply(designation: Designation, data: DesignationData) -> None:
    assign(designation, data, strip=STRIPPED)
    full, initials = pinyin_of(data.unit.name)
    designation.search_pinyin = f"{full} {initials}"


def designation_create(*, user: User, data: DesignationData) -> Designation:
    _check_write(user, data.unit.code)
    _validate(data)
    designation = Designation(created_by=creator(user))
    _apply(designation, data)
    return save_created(user=user, record=designation, unit_code=designation.unit_id)


def designation_update(
    *, user: User, designation: Designation, data: DesignationData
) -> Designation:
    # Both the old and the new unit must be the user's: moving a record out of reach is a
    # write to a unit the user does not own.
    _check_write(user, designation.unit_id)
    _check_write(user, data.unit.code)
    _validate(data, exclude_pk=designation.pk)
    with transaction.atomic():
        before = snapshot(designation)
        _apply(designation, data)
        return save_changed(
            user=user, record=designation, unit_code=designation.unit_id, before=before
        )


def designation_delete(*, user: User, designation: Designation) -> None:
    """Soft delete: gone from every page and count, restorable from the audit page. (A
    designation withdrawn by the higher level is revoked, with its date, not deleted.)"""
    _check_write(user, designation.unit_id)
    soft_delete(user=user, record=designation, unit_code=designation.unit_id)


# --- The Excel import: all or nothing --------------------------------------------------------


def designations_import_problems(
    *, user: User, rows: Sequence[DesignationData], row_numbers: Sequence[int]
) -> dict[int, dict[str, str]]:
    """The rule errors of a batch, {index in rows: {field: message}}: the rules of one
    designation_create per row, and a duplicate stored already or earlier in the batch
    (existing designations read with one query per 500 units, not one per row)."""
    problems = row_problems(
        user=user,
        rows=rows,
        check=designation_check,
        unit_of=lambda data: data.unit.code,
        refused=("unit", _("您不能为该单位登记命名。")),
    )
    codes = [data.unit.code for data in rows]
    existing = values_in(
        Designation.objects.all(), "unit_id", codes, "unit_id", "kind_id", "level", "designated_on"
    )
    mark_duplicates(
        problems,
        [duplicate_key(data) for data in rows],
        field="kind",
        repeats=_("与第 %(row)d 行重复：同一单位、同一类型、同一级别、同一命名日期。"),
        label=lambda i: row_numbers[i],
        existing=existing,
        exists=str(DUPLICATE_MESSAGE),
    )
    return problems


def designations_import(
    *, user: User, rows: Sequence[DesignationData], row_numbers: Sequence[int], source: str = ""
) -> list[Designation]:
    """Create every designation of the batch, or none. The rows are checked again inside the
    transaction, so a duplicate entered by someone else since the preview is still caught."""
    if not rows:
        raise ValidationError(_("没有可导入的命名。"))
    created_by = creator(user)
    created: list[Designation] = []
    with transaction.atomic():
        problems = designations_import_problems(user=user, rows=rows, row_numbers=row_numbers)
        if problems:
            raise Rejected(problems, row_numbers)
        for data in rows:
            designation = Designation(created_by=created_by)
            _apply(designation, data)
            designation.save()
            after = snapshot(designation)
            if source:
                after["source"] = source
            audit_record(
                actor=user,
                action=Action.IMPORT,
                obj=designation,
                unit_code=designation.unit_id,
                after=after,
            )
            created.append(designation)
    return created
