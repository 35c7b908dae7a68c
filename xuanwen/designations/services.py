"""Writing designations (命名): create, update, delete and the batch import.

Pages, the API and the Excel import all come through here: each function checks the right to
write for the designation's unit, applies the rules (Chinese messages keyed by field) and saves
with its audit entry in one transaction.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from xuanwen.accounts.models import User
from xuanwen.core.models import Level
from xuanwen.records.services import (
    Duplicates,
    RegisterWrites,
    dated_errors,
    length_errors,
    stored_values,
)
from xuanwen.units.models import Unit

from .models import Designation, DesignationKind

# How far ahead a date may lie: a designation announced for the coming year.
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


def designation_check(data: DesignationData) -> dict[str, str]:
    """Rule errors by field name, in Chinese; empty when the data is acceptable."""
    errors: dict[str, str] = {}
    if data.level not in Level.values:
        errors["level"] = _("级别只能是：%(names)s。") % {
            "names": "、".join(str(label) for label in Level.labels)
        }
    order = _("撤销日期应晚于命名日期。")
    dates = ("designated_on", "revoked_on")
    errors.update(dated_errors(data, dates, years_ahead=YEARS_AHEAD, order=order))
    errors.update(length_errors(Designation, data, TEXT_LIMITS))
    return errors


def duplicate_key(data: DesignationData) -> tuple[str, int, str, date | None]:
    """What makes two designations the same one: unit, kind, level and designated date. The
    same kind at another level or on another date is a designation of its own."""
    return (data.unit.code, data.kind.pk, data.level, data.designated_on)


def _stored(data: DesignationData) -> dict[str, Any]:
    """The values a designation is stored with, by field; its search is the unit's pinyin."""
    return stored_values(data, strip=STRIPPED, pinyin=data.unit.name)


WRITES = RegisterWrites(
    model=Designation,
    stored=_stored,
    check=designation_check,
    duplicates=Duplicates(
        Designation,
        ("unit_id", "kind_id", "level", "designated_on"),
        duplicate_key,
        field="kind",
        exists=_lazy("该单位已有同一类型、同一级别、同一命名日期的命名。"),
        repeats=_lazy("与第 %(row)d 行重复：同一单位、同一类型、同一级别、同一命名日期。"),
    ),
    refused=_lazy("您不能为该单位登记或修改命名。"),
    refused_row=_lazy("您不能为该单位登记命名。"),
    empty=_lazy("没有可导入的命名。"),
)


def designation_create(*, user: User, data: DesignationData) -> Designation:
    return WRITES.create(user, data)


def designation_update(
    *, user: User, designation: Designation, data: DesignationData
) -> Designation:
    return WRITES.update(user, designation, data)


def designation_delete(*, user: User, designation: Designation) -> None:
    """Soft delete: gone from every page and count, restorable from the audit page. (A
    designation withdrawn by the higher level is revoked, with its date, not deleted.)"""
    WRITES.delete(user, designation)


# --- The Excel import: all or nothing --------------------------------------------------------


def designations_import_problems(
    *, user: User, rows: Sequence[DesignationData], row_numbers: Sequence[int]
) -> dict[int, dict[str, str]]:
    """The rule errors of a batch, {index in rows: {field: message}}: the rules of one
    designation_create per row, and a duplicate stored already or earlier in the batch."""
    return WRITES.import_problems(user, rows, row_numbers)


def designations_import(
    *, user: User, rows: Sequence[DesignationData], row_numbers: Sequence[int], source: str = ""
) -> list[Designation]:
    """Create every designation of the batch, or none (see RegisterWrites.import_rows)."""
    return WRITES.import_rows(user, rows, row_numbers, source)
