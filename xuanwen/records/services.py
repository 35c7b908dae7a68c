"""Writes every record type repeats: a record saved with its audit entry (created, changed,
soft-deleted, a part removed) and an upload stored with its row.

An app's service still reads in order: check the right to write, validate, then one of these
steps. Each opens a transaction without a savepoint, so called inside the app's own
`transaction.atomic()` (a record saved with its parts) it simply joins it: the record, its
parts and the audit entry are committed together or not at all.

A register whose records all look alike (facilities, households, designations: a unit, a kind,
real-world start and end dates) declares its writes once as a `RegisterWrites` (its model, its
rules, its stored values, its duplicate key and messages); its service functions call it.
"""

import dataclasses
from collections.abc import Callable, Collection, Hashable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Generic, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from xuanwen.accounts.models import User
from xuanwen.accounts.permissions import can_write
from xuanwen.audit.models import Action
from xuanwen.audit.services import audit_record, snapshot
from xuanwen.core import clock, files, locks
from xuanwen.core.imports import Rejected
from xuanwen.core.text import pinyin_of

from .selectors import values_in
from .vocab import kind_refused

StoredT = TypeVar("StoredT", bound=models.Model)
RowT = TypeVar("RowT")


def creator(user: User) -> User | None:
    """Who to store as a record's `created_by`: None when a command or an import without a
    signed-in user writes (the audit entry then names the system)."""
    return user if getattr(user, "pk", None) else None


def fits_column(value: Decimal | int, model: type[models.Model], name: str) -> bool:
    """Whether a decimal fits `model.name`'s numeric column on both databases: no more whole
    digits and no more places than it holds (PostgreSQL refuses more with an error, SQLite
    would store them as they came). normalize(): 120.50 from a spreadsheet cell has one place
    that matters."""
    field = model._meta.get_field(name)
    assert isinstance(field, models.DecimalField)
    number = Decimal(value)  # a caller may pass a whole number (a plan's target of 3)
    exponent = number.normalize().as_tuple().exponent
    if not isinstance(exponent, int):  # NaN or infinity
        return False
    whole = field.max_digits - field.decimal_places
    return exponent >= -field.decimal_places and abs(number) < Decimal(10) ** whole


def length_errors(
    model: type[models.Model], data: Any, fields: Sequence[tuple[str, Any]]
) -> dict[str, str]:
    """The model's text lengths, checked with a message of our own: SQLite would store a
    longer text silently and PostgreSQL would fail the whole request (or the whole import).
    `fields` names each text field with its label in messages."""
    errors: dict[str, str] = {}
    for name, label in fields:
        limit = getattr(model._meta.get_field(name), "max_length", None) or 0
        if len(str(getattr(data, name) or "").strip()) > limit:
            errors[name] = _("%(label)s不能超过 %(limit)d 个字。") % {
                "label": label,
                "limit": limit,
            }
    return errors


def assign(record: models.Model, data: Any, *, strip: Collection[str] = ()) -> None:
    """Set each field of a service's data class on the record by the same name, the text
    fields named in `strip` without the spaces around them (what a form or a sheet cell
    carried around a name is not stored). A value worked out from others is set after."""
    for name, value in stored_values(data, strip=strip).items():
        setattr(record, name, value)


def stored_values(
    data: Any, *, strip: Collection[str] = (), pinyin: str | None = None
) -> dict[str, Any]:
    """Each field of a service's data class by name, as `assign` sets them; with `pinyin`
    (the name a register's list search finds a record by), its `search_pinyin` too: that
    name's full pinyin and initials."""
    values = {field.name: getattr(data, field.name) for field in dataclasses.fields(data)}
    stored = {n: v.strip() if n in strip else v for n, v in values.items()}
    if pinyin is not None:
        full, initials = pinyin_of(pinyin)
        stored["search_pinyin"] = f"{full} {initials}"
    return stored


# The earliest year a register's real-world date may carry: older dates are typing errors (the
# halls, villages and households registered were built or named since).
FIRST_YEAR = 1949


def dated_errors(
    data: Any, dates: tuple[str, str], *, years_ahead: int, order: str, first_needed: str = ""
) -> dict[str, str]:
    """The rules of a record's real-world start and end dates (`dates` names their fields on
    `data`, e.g. opened_on and closed_on), by field name: each from FIRST_YEAR to
    `years_ahead` years after this one (a facility being built, a designation announced for
    next year), the end after the start (`order` said on the end date) and, with
    `first_needed`, no end date without a start."""
    first, last = dates
    start, end = getattr(data, first), getattr(data, last)
    years = (FIRST_YEAR, clock.today().year + years_ahead)
    errors: dict[str, str] = {}
    for name, day in ((first, start), (last, end)):
        if day is not None and not years[0] <= day.year <= years[1]:
            errors[name] = _("日期应在 %(first)d 年至 %(last)d 年之间。") % {
                "first": years[0],
                "last": years[1],
            }
    if end is not None and last not in errors:
        if start is None:
            if first_needed:
                errors[last] = first_needed
        elif end <= start:
            errors[last] = order
    return errors


# --- A batch (an import): the rules of one create per row ---------------------------------


def row_problems(
    *,
    user: User,
    rows: Sequence[RowT],
    check: Callable[[RowT], dict[str, str]],
    unit_of: Callable[[RowT], str],
    refused: tuple[str, str],
) -> dict[int, dict[str, str]]:
    """The rule errors of a batch, {index in rows: {field: message}}, empty if none: `check`
    on every row and, where the user may not write for the row's unit (`unit_of` gives its
    code), the (field, message) of `refused`. No query: rights come from the user's scope."""
    problems: dict[int, dict[str, str]] = {}
    for i, data in enumerate(rows):
        errors = check(data)
        if not can_write(user, unit_of(data)):
            field, message = refused
            errors[field] = message
        if errors:
            problems[i] = errors
    return problems


def mark_duplicates(
    problems: dict[int, dict[str, str]],
    keys: Sequence[Hashable],
    *,
    field: str,
    repeats: str,
    label: Callable[[int], int],
    existing: Collection[Hashable] = (),
    exists: str = "",
) -> None:
    """Add to `problems` the rows whose duplicate key (`keys`, one per row) is already stored
    (`existing`: message `exists`) or stands on an earlier row of the batch (`repeats`, a
    message with %(row)d, the earlier row as `label` numbers it), on `field` unless the row
    already has an error there."""
    first_seen: dict[Hashable, int] = {}
    for i, key in enumerate(keys):
        if key in existing:
            message = exists
        elif key in first_seen:
            message = repeats % {"row": label(first_seen[key])}
        else:
            first_seen[key] = i
            continue
        problems.setdefault(i, {}).setdefault(field, message)


def save_created(
    *,
    user: User,
    record: StoredT,
    unit_code: str,
    before: dict[str, Any] | None = None,
) -> StoredT:
    """Save a new record and audit its creation under `unit_code`.

    `before` is for a record brought back by entering it again (a deleted day's opening): what
    it was before the new entry.
    """
    return _save(user, record, unit_code, Action.CREATE, before)


def save_changed(*, user: User, record: StoredT, unit_code: str, before: dict[str, Any]) -> StoredT:
    """Save a changed record and audit the change: `before` is its snapshot taken before the
    caller changed it; `unit_code` the unit it belongs to now."""
    return _save(user, record, unit_code, Action.UPDATE, before)


def _save(
    user: User,
    record: StoredT,
    unit_code: str,
    action: str,
    before: dict[str, Any] | None,
    changed: Collection[str] | None = None,
) -> StoredT:
    # A record of a period whose report is approved is locked, as it is and as it was.
    locks.refuse_record(record, unit_code, before if action == Action.UPDATE else None, changed)
    with transaction.atomic(savepoint=False):
        record.save()
        audit_record(
            actor=user,
            action=action,
            obj=record,
            unit_code=unit_code,
            before=before,
            after=snapshot(record),
        )
    return record


def save_values(*, user: User, record: StoredT, values: dict[str, Any], unit_code: str) -> StoredT:
    """Set `values` (field name: value) on a record, save it and audit the change."""
    # Nothing is written before _save's transaction: a refusal (a locked period) leaves the
    # caller's transaction usable.
    before = snapshot(record)
    for name, value in values.items():
        setattr(record, name, value)
    return _save(user, record, unit_code, Action.UPDATE, before, changed=values.keys())


def add_part(*, user: User, record: StoredT, owner: str, unit_code: str) -> StoredT:
    """Save a new part of a record (a room, a piece of media coverage …) and audit it.

    `record` is the part with its owner already set on the field named `owner`; the model's
    own validation (required fields, lengths, choices, non-negative numbers) is the rule set,
    its errors keyed by field, ready for a form. The owner itself is not validated again: the
    caller read it through a scoped selector and checked the right to write.
    """
    record.full_clean(exclude=[owner])
    return save_created(user=user, record=record, unit_code=unit_code)


def update_part(
    *, user: User, record: StoredT, values: dict[str, Any], owner: str, unit_code: str
) -> StoredT:
    """Change a part of a record (a report's views, a room's area) and audit it: the same rule
    set as add_part (the model's own validation, errors keyed by field), owner unchanged."""
    # As save_values: validated and checked before _save's transaction.
    before = snapshot(record)
    for name, value in values.items():
        setattr(record, name, value)
    record.full_clean(exclude=[owner])
    return save_changed(user=user, record=record, unit_code=unit_code, before=before)


def soft_delete(
    *, user: User, record: models.Model, unit_code: str, touch: tuple[str, ...] = ()
) -> None:
    """Soft delete: the record disappears everywhere (its model's default manager hides rows
    with `deleted_at`) and can be restored from the audit page; what hangs on it stays
    attached, so a restore brings that back too. `touch` names further fields the save writes
    (`updated_at` where a model keeps one)."""
    locks.refuse_record(record, unit_code)
    with transaction.atomic(savepoint=False):
        before = snapshot(record)
        setattr(record, "deleted_at", clock.now())  # noqa: B010
        record.save(update_fields=["deleted_at", *touch])
        audit_record(
            actor=user, action=Action.DELETE, obj=record, unit_code=unit_code, before=before
        )


def delete_part(*, user: User, record: models.Model, unit_code: str) -> None:
    """Delete a part of a record (a room, a membership, a photo …) for good, audited so the
    audit page can restore it."""
    locks.refuse_record(record, unit_code)
    with transaction.atomic(savepoint=False):
        before = snapshot(record)
        record.delete()
        audit_record(
            actor=user, action=Action.DELETE, obj=record, unit_code=unit_code, before=before
        )


def store_upload(
    *, user: User, record: StoredT, upload: files.CheckedUpload, unit_code: str
) -> StoredT:
    """Upload-then-save: write a checked upload's files into `record` (a photo, attachment or
    piece of evidence with its owner and kind set), save the row and audit it, all or nothing.

    The caller has checked the right to write and the upload's kind. Should the save or the
    audit fail, the files just written are deleted again: no row, no file.
    """
    # Every stored-upload model has `uploaded_by` (None when a command or import uploads).
    setattr(record, "uploaded_by", creator(user))  # noqa: B010
    try:
        files.write_upload(record, upload)
        save_created(user=user, record=record, unit_code=unit_code)
    except BaseException:
        files.discard_files([record])
        raise
    return record


# --- A register's writes, declared once ----------------------------------------------------

DataT = TypeVar("DataT")


@dataclass(frozen=True)
class Duplicates(Generic[DataT]):
    """What makes two live records of a register the same one: the values `key(data)` gives
    for the model's `columns` (the unit's code first: a batch reads the stored ones a chunk
    of units at a time). A duplicate is refused on `field`, saying `exists` when stored
    already and `repeats` (with %(row)d) when an earlier row of the same batch has it."""

    model: type[models.Model]
    columns: tuple[str, ...]  # ("unit_id", "kind_id", "name")
    key: Callable[[DataT], tuple[Any, ...]]
    field: str
    exists: str | Promise
    repeats: str | Promise

    def stored(self, data: DataT, exclude_pk: int | None = None) -> bool:
        """Whether a live record other than `exclude_pk` has the same key."""
        same = self.model._default_manager.filter(
            **dict(zip(self.columns, self.key(data), strict=True))
        )
        return same.exclude(pk=exclude_pk).exists() if exclude_pk else same.exists()

    def mark(
        self, problems: dict[int, dict[str, str]], rows: Sequence[DataT], row_numbers: Sequence[int]
    ) -> None:
        """Add the batch's duplicates to `problems` (see mark_duplicates)."""
        keys = [self.key(data) for data in rows]
        stored = self.model._default_manager.all()
        found = values_in(stored, self.columns[0], [key[0] for key in keys], *self.columns)
        repeats, exists = str(self.repeats), str(self.exists)
        label = row_numbers.__getitem__  # a row as the sheet numbers it
        mark_duplicates(problems, keys, field=self.field, repeats=repeats, label=label,
                        existing=found, exists=exists)  # fmt: skip


@dataclass(frozen=True)
class RegisterWrites(Generic[StoredT, DataT]):
    """The create, update, delete and import bodies of a register whose data class has a
    `unit` (facilities, households, designations), declared once per app; the app's service
    functions call these, so they still read: check the right to write, validate, save.

    `stored(data)` gives the values a record is stored with, by field (the one place they are
    normalised); `check(data)` the rule errors by field; `refused` is the 403 of a unit the
    user may not write for, `refused_row` the same said on an import row's unit, `empty` the
    refusal of an import without rows.
    """

    model: type[StoredT]
    stored: Callable[[DataT], dict[str, Any]]
    check: Callable[[DataT], dict[str, str]]
    duplicates: Duplicates[DataT]
    refused: str | Promise
    refused_row: str | Promise
    empty: str | Promise

    def check_write(self, user: User, unit_code: str) -> None:
        if not can_write(user, unit_code):
            raise PermissionDenied(str(self.refused))

    def rules(self, data: DataT) -> dict[str, str]:
        """The register's rules, and that the record's unit sees its kind (no other county's
        type: see records.models)."""
        return {**kind_refused(getattr(data, "kind", None), _unit_code(data)), **self.check(data)}

    def validate(self, data: DataT, exclude_pk: int | None = None) -> None:
        """The rules, then (only when they pass) the duplicate check: a ValidationError."""
        errors = self.rules(data)
        if not errors and self.duplicates.stored(data, exclude_pk):
            errors[self.duplicates.field] = str(self.duplicates.exists)
        if errors:
            raise ValidationError(errors)

    def create(self, user: User, data: DataT) -> StoredT:
        self.check_write(user, _unit_code(data))
        self.validate(data)
        record = self.model(created_by=creator(user), **self.stored(data))
        return save_created(user=user, record=record, unit_code=_unit_code(data))

    def update(self, user: User, record: StoredT, data: DataT) -> StoredT:
        # Both the old and the new unit must be the user's: moving a record out of reach is
        # a write to a unit the user does not own.
        self.check_write(user, _unit_of(record))
        self.check_write(user, _unit_code(data))
        self.validate(data, exclude_pk=record.pk)
        values = self.stored(data)
        return save_values(user=user, record=record, values=values, unit_code=_unit_code(data))

    def delete(self, user: User, record: StoredT) -> None:
        """Soft delete (see soft_delete): a correction, not the record's end date."""
        self.check_write(user, _unit_of(record))
        soft_delete(user=user, record=record, unit_code=_unit_of(record))

    def import_problems(
        self, user: User, rows: Sequence[DataT], row_numbers: Sequence[int]
    ) -> dict[int, dict[str, str]]:
        """The rule errors of a batch, {index in rows: {field: message}}: the rules of one
        create per row, and a duplicate stored already or earlier in the batch (the stored
        ones read with one query per 500 units, not one per row)."""
        refused = ("unit", str(self.refused_row))
        check, unit_of = self.rules, _unit_code
        problems = row_problems(user=user, rows=rows, check=check, unit_of=unit_of, refused=refused)
        self.duplicates.mark(problems, rows, row_numbers)
        return problems

    def import_rows(
        self, user: User, rows: Sequence[DataT], row_numbers: Sequence[int], source: str
    ) -> list[StoredT]:
        """Create every record of the batch, or none. The rows are checked again inside the
        transaction, so a duplicate entered by someone else since the preview is still
        caught. A county has hundreds of these, so each row is saved and audited like one
        entered by hand (the audit entry says IMPORT, and from which `source`)."""
        if not rows:
            raise ValidationError(str(self.empty))
        created_by = creator(user)
        created: list[StoredT] = []
        with transaction.atomic():
            problems = self.import_problems(user, rows, row_numbers)
            if problems:
                raise Rejected(problems, row_numbers)
            for data in rows:
                record = self.model(created_by=created_by, **self.stored(data))
                record.save()
                after = snapshot(record)
                if source:
                    after["source"] = source
                unit_code = _unit_of(record)
                audit_record(
                    actor=user, action=Action.IMPORT, obj=record, unit_code=unit_code, after=after
                )
                created.append(record)
        return created


def _unit_code(data: Any) -> str:
    code: str = data.unit.code
    return code


def _unit_of(record: models.Model) -> str:
    code: str = record.unit_id  # type: ignore[attr-defined]
    return code
