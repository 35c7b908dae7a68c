"""Locked periods: one check that every record write asks before it changes a dated record.

A unit's records of a period are locked once a report that counts them has been approved
upwards (the reporting app decides that). core knows neither records nor reports, so both sides
register here from their AppConfig.ready(), as home cards do:

- a record type says how its records are dated (`register_dated`): which fields hold the
  start and end day and, where the record has one, its unit; a part of a record (an
  activity's award, a completion's evidence) names instead its `owner` field, and is locked
  when its owner is;
- the app that locks periods registers a check (`register_check`): given spans
  (unit code, first day, last day) it returns a message for each locked one.

The shared write paths (records.services' save, change, soft delete and part delete, the
audit page's restore) call `refuse_record`, as does a service that saves by itself (a duty
completion, a roll call); a batch import calls `mark_locked` (`locked_rows`) once for all its
rows, and saves them `with batch_checked()` when it goes row by row through one-record
services. A multi-day record is locked if any day of it lies in a locked period.
"""

from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

# (unit code, first day, last day) of a record.
Span = tuple[str, date, date]
# Spans → {index in spans: message} for the locked ones, in a constant number of queries.
LockCheck = Callable[[Sequence[Span]], dict[int, str]]


@dataclass(frozen=True)
class Dated:
    """Where a record type keeps its dates (and its unit, when it has a `unit` of its own), or
    the field of the record it is a part of (`owner`); `free` names fields a change of which
    alone is never locked (a March loan's return in April)."""

    start: str = ""
    end: str = ""
    unit: str = ""
    owner: str = ""
    free: frozenset[str] = frozenset()


_checks: list[LockCheck] = []
_dated: dict[type[models.Model], Dated] = {}
# Set while a batch whose rows were all checked at once (`mark_locked`) saves them one by one.
_batch_checked: ContextVar[bool] = ContextVar("batch_checked", default=False)


def register_check(check: LockCheck) -> None:
    if check not in _checks:
        _checks.append(check)


def register_dated(
    model: type[models.Model],
    *,
    start: str = "",
    end: str = "",
    unit: str = "",
    owner: str = "",
    free: Collection[str] = (),
) -> None:
    """Records of `model` are locked by the periods their `start`..`end` days touch (a
    one-day record names only `start`); `unit` is the field of their unit, if they have one
    (else the unit the write names is used). A part names only its `owner` (a foreign key to
    a registered model): it is locked when its owner is. A change of `free` fields only is
    not refused."""
    if bool(start) == bool(owner):
        raise ValueError(f"{model.__name__}: name either start or owner")
    _dated[model] = Dated(
        start=start, end=end or start, unit=unit, owner=owner, free=frozenset(free)
    )


def locked_rows(spans: Sequence[Span]) -> dict[int, str]:
    """The locked spans among `spans`: {index: message}, empty when nothing is locked."""
    found: dict[int, str] = {}
    if not spans:
        return found
    for check in _checks:
        for index, message in check(spans).items():
            found.setdefault(index, message)
    return found


def mark_locked(
    problems: dict[int, dict[str, str]], spans: Sequence[Span | None], field: str
) -> None:
    """Add to a batch's `problems` ({row index: {field: message}}) its locked rows, the message
    on `field` unless the row has an error there already: one call for the whole batch. A row
    without a span (None: its dates are wrong, which its own problems say) is skipped."""
    rows = [(i, span) for i, span in enumerate(spans) if span is not None]
    for j, message in locked_rows([span for _i, span in rows]).items():
        problems.setdefault(rows[j][0], {}).setdefault(field, message)


@contextmanager
def batch_checked() -> Iterator[None]:
    """Within it, `refuse_record` passes: the batch that saves its rows through the one-record
    services here asked `locked_rows` for all of them before (a constant number of queries,
    not one check per row)."""
    token = _batch_checked.set(True)
    try:
        yield
    finally:
        _batch_checked.reset(token)


def refuse_spans(spans: Sequence[Span]) -> None:
    """Raise a ValidationError with the first locked span's message, if any is locked."""
    if locked := locked_rows(spans):
        raise ValidationError(locked[min(locked)])


def _day(value: Any) -> date | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def span_of(
    model: type[models.Model], fields: dict[str, Any] | models.Model, unit_code: str
) -> Span | None:
    """The span of a record (an instance, or the `fields` of its audit snapshot), None when its
    type is not dated or it has no date."""
    dated = _dated.get(model)
    if dated is None:
        return None
    if dated.owner:
        # A part: its owner's span (one query to read the owner, none when it is cached).
        field = model._meta.get_field(dated.owner)
        if isinstance(fields, models.Model) and field.is_cached(fields):  # type: ignore[union-attr]
            parent = field.get_cached_value(fields)  # type: ignore[union-attr]
        else:
            # The base manager: a deleted owner's part (restored first) still has its dates.
            pk = (
                getattr(fields, field.attname)  # type: ignore[union-attr]
                if isinstance(fields, models.Model)
                else fields.get(dated.owner)
            )
            related: Any = field.related_model
            parent = related._base_manager.filter(pk=pk).first()
        return None if parent is None else span_of(type(parent), parent, unit_code)

    def get(name: str) -> Any:
        if isinstance(fields, models.Model):
            return (
                getattr(fields, f"{name}_id", None) if name == dated.unit else getattr(fields, name)
            )
        return fields.get(name)

    start = _day(get(dated.start))
    if start is None:
        return None
    end = _day(get(dated.end)) or start
    unit = str(get(dated.unit) or unit_code) if dated.unit else unit_code
    return (unit, start, max(start, end))


def refuse_record(
    record: models.Model,
    unit_code: str,
    before: dict[str, Any] | None = None,
    changed: Collection[str] | None = None,
) -> None:
    """Refuse a write to `record` if it lies in a locked period, as it is now or (a change)
    as it was: `before` is its audit snapshot taken before the change, `changed` the fields
    the change sets, when known (a change of the type's `free` fields only passes)."""
    if not _checks or _batch_checked.get():
        return
    model = type(record)
    dated = _dated.get(model)
    if dated is None or (changed is not None and dated.free and set(changed) <= dated.free):
        return
    spans = [span_of(model, record, unit_code)]
    if before is not None and not dated.owner:  # a part keeps its owner
        spans.append(span_of(model, before.get("fields", {}), unit_code))
    refuse_spans([span for span in spans if span is not None])
