"""Writing culture households: one at a time (pages, API) or a batch (the Excel import).

Each function checks the right to write for the household's unit, applies the rules (Chinese
messages keyed by field) and saves with its audit entry in one transaction.
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

from .models import Household, HouseholdKind

# How far ahead a designation date may lie: announced for next year.
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
    order = _("撤销日期应晚于认定日期。")
    first_needed = _("填写撤销日期前，请先填写认定日期。")
    dates = ("designated_on", "revoked_on")
    errors.update(
        dated_errors(data, dates, years_ahead=YEARS_AHEAD, order=order, first_needed=first_needed)
    )
    errors.update(length_errors(Household, data, TEXT_LIMITS))
    return errors


def duplicate_key(data: HouseholdData) -> tuple[str, int, str]:
    """What makes two live households the same one: village, kind and head's name."""
    return (data.unit.code, data.kind.pk, data.head.strip())


def _stored(data: HouseholdData) -> dict[str, Any]:
    """The values a household is stored with, by field (the one place they are normalised)."""
    strip = ("head", "speciality", "member_names")
    return stored_values(data, strip=strip, pinyin=data.head.strip())


WRITES = RegisterWrites(
    model=Household,
    stored=_stored,
    check=household_check,
    duplicates=Duplicates(
        Household,
        ("unit_id", "kind_id", "head"),
        duplicate_key,
        field="head",
        exists=_lazy("该村（社区）已有同一户主的同类文化户。"),
        repeats=_lazy("与第 %(row)d 行重复：同一村（社区）、同一户主、同一类型。"),
    ),
    refused=_lazy("您不能为该单位登记或修改文化户。"),
    refused_row=_lazy("您不能为该单位登记文化户。"),
    empty=_lazy("没有可导入的文化户。"),
)


def household_create(*, user: User, data: HouseholdData) -> Household:
    return WRITES.create(user, data)


def household_update(*, user: User, household: Household, data: HouseholdData) -> Household:
    return WRITES.update(user, household, data)


def household_delete(*, user: User, household: Household) -> None:
    """Soft delete: gone everywhere, restorable from the audit page. A revocation is not a
    deletion: a revoked household keeps counting in the periods it stood in."""
    WRITES.delete(user, household)


# --- Import of many households at once (the Excel import) ----------------------------------


def households_import_problems(
    *, user: User, rows: Sequence[HouseholdData], row_numbers: Sequence[int]
) -> dict[int, dict[str, str]]:
    """The rule errors of a batch: {index in rows: {field: Chinese message}}, empty if none."""
    return WRITES.import_problems(user, rows, row_numbers)


def households_import(
    *, user: User, rows: Sequence[HouseholdData], row_numbers: Sequence[int], source: str = ""
) -> list[Household]:
    """Create every household of the batch, or none: the bulk form of household_create."""
    return WRITES.import_rows(user, rows, row_numbers, source)
