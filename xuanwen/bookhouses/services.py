"""Writing the bookhouse registers. Pages, the API and the Excel import all come through here.

Every write checks the right to write for the bookhouse's unit, runs the register's rules
(errors by field, in Chinese) and is audited in the same transaction. Register rows are
soft-deleted so that the audit page can restore them.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Sum
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from xuanwen.accounts.models import User
from xuanwen.accounts.permissions import can_write
from xuanwen.audit.models import Action
from xuanwen.audit.services import audit_record
from xuanwen.core import clock, locks, tree
from xuanwen.core.imports import Rejected
from xuanwen.facilities.models import Facility
from xuanwen.records.services import (
    creator,
    length_errors,
    row_problems,
    save_created,
    save_values,
    soft_delete,
)

from .models import (
    BOOKHOUSE_KIND,
    Demand,
    DemandStatus,
    Loan,
    StockEntry,
    StockKind,
    StockSource,
)

# A loan is due this many days after it was lent unless a due date is given.
LOAN_DAYS = 30

RowT = TypeVar("RowT", StockEntry, Loan, Demand)


@dataclass
class StockData:
    """The editable fields of a stock entry, already parsed (form, JSON or sheet row)."""

    facility: Facility
    date: date
    kind: str
    count: int
    source: str
    note: str = ""


@dataclass
class LoanData:
    facility: Facility
    lent_on: date
    reader_name: str
    title: str
    reader_phone: str = ""
    due_on: date | None = None  # None: LOAN_DAYS after lent_on
    returned_on: date | None = None


@dataclass
class DemandData:
    facility: Facility
    date: date
    reader_name: str
    wanted: str
    reader_phone: str = ""
    status: str = DemandStatus.PENDING
    status_date: dt.date | None = None  # None once answered: the day it is recorded
    note: str = ""


# --- Rules ---------------------------------------------------------------------------------


def _phone_error(phone: str) -> str | None:
    allowed = set("0123456789+-() ")
    if phone.strip() and not set(phone.strip()) <= allowed:
        return _("联系电话只能包含数字、空格和 + - ( )。")
    return None


def _choices_text(choices: type[models.TextChoices]) -> str:
    return "、".join(str(label) for label in choices.labels)


def stock_check(data: StockData) -> dict[str, str]:
    """Rule errors by field name, in Chinese; empty when the entry is acceptable."""
    errors = length_errors(StockEntry, data, [("note", _lazy("备注"))])
    if data.kind not in StockKind.values:
        errors["kind"] = _("类别只能是：%(c)s。") % {"c": _choices_text(StockKind)}
    if data.source not in StockSource.values:
        errors["source"] = _("来源只能是：%(c)s。") % {"c": _choices_text(StockSource)}
    elif data.count == 0:
        errors["count"] = _("数量不能为 0。")
    elif data.source == StockSource.REMOVED and data.count > 0:
        errors["count"] = _("剔旧报损的数量应为负数，如 -20。")
    elif data.source not in (StockSource.REMOVED, StockSource.OPENING) and data.count < 0:
        errors["count"] = _("新增的数量应为正数；减少请选“剔旧报损”。")
    if abs(data.count) > 1_000_000:
        errors["count"] = _("数量过大。")
    return errors


def loan_check(data: LoanData) -> dict[str, str]:
    errors = length_errors(
        Loan,
        data,
        [
            ("reader_name", _lazy("读者")),
            ("title", _lazy("书名")),
            ("reader_phone", _lazy("联系电话")),
        ],
    )
    if not data.reader_name.strip():
        errors["reader_name"] = _("读者姓名不能为空。")
    if not data.title.strip():
        errors["title"] = _("书名不能为空。")
    phone = _phone_error(data.reader_phone)
    if phone:
        errors.setdefault("reader_phone", phone)
    if data.due_on is not None and data.due_on < data.lent_on:
        errors["due_on"] = _("应还日期不能早于借出日期。")
    if data.returned_on is not None and data.returned_on < data.lent_on:
        errors["returned_on"] = _("归还日期不能早于借出日期。")
    return errors


def demand_check(data: DemandData) -> dict[str, str]:
    errors = length_errors(
        Demand,
        data,
        [
            ("reader_name", _lazy("读者")),
            ("wanted", _lazy("需求")),
            ("reader_phone", _lazy("联系电话")),
            ("note", _lazy("备注")),
        ],
    )
    if not data.reader_name.strip():
        errors["reader_name"] = _("读者姓名不能为空。")
    if not data.wanted.strip():
        errors["wanted"] = _("需求不能为空：请写书名或主题。")
    phone = _phone_error(data.reader_phone)
    if phone:
        errors.setdefault("reader_phone", phone)
    if data.status not in DemandStatus.values:
        errors["status"] = _("处理情况只能是：%(c)s。") % {"c": _choices_text(DemandStatus)}
    if data.status_date is not None and data.status_date < data.date:
        errors["status_date"] = _("处理日期不能早于登记日期。")
    return errors


def _check_write(user: User, facility: Facility) -> None:
    if not can_write(user, facility.unit_id):
        raise PermissionDenied(_("您不能为该农家书屋登记。"))


def _check_bookhouse(facility: Facility) -> None:
    # A register row belongs to a live bookhouse; anything else is a caller's mistake that the
    # user must still be told about in words.
    kind_code = getattr(getattr(facility, "kind", None), "code", None)
    if kind_code != BOOKHOUSE_KIND or facility.deleted_at is not None:
        raise ValidationError({"facility": _("请选择一个农家书屋。")})


def _validate(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


# --- Stored values -------------------------------------------------------------------------


def _stock_values(data: StockData) -> dict[str, Any]:
    return {
        "facility": data.facility,
        "date": data.date,
        "kind": data.kind,
        "count": data.count,
        "source": data.source,
        "note": data.note.strip(),
    }


def reader_key(facility_id: int, name: str) -> str:
    """Who a reader is for the distinct count: the bookhouse and the name without spaces."""
    return f"{facility_id}|{''.join(name.split())}"[:80]


def _loan_values(data: LoanData) -> dict[str, Any]:
    name = data.reader_name.strip()
    return {
        "facility": data.facility,
        "lent_on": data.lent_on,
        "reader_name": name,
        "reader_phone": data.reader_phone.strip(),
        "title": data.title.strip(),
        "due_on": data.due_on or data.lent_on + timedelta(days=LOAN_DAYS),
        "returned_on": data.returned_on,
        "reader_key": reader_key(data.facility.pk, name),
    }


def _demand_values(data: DemandData) -> dict[str, Any]:
    status_date = data.status_date
    if data.status != DemandStatus.PENDING and status_date is None:
        status_date = max(clock.today(), data.date)
    if data.status == DemandStatus.PENDING:
        status_date = None
    return {
        "facility": data.facility,
        "date": data.date,
        "reader_name": data.reader_name.strip(),
        "reader_phone": data.reader_phone.strip(),
        "wanted": data.wanted.strip(),
        "status": data.status,
        "status_date": status_date,
        "note": data.note.strip(),
    }


# --- Generic create / update / delete -----------------------------------------------------


def _create(user: User, model: type[RowT], values: dict[str, Any]) -> RowT:
    obj = model(created_by=creator(user), **values)
    return save_created(user=user, record=obj, unit_code=obj.facility.unit_id)


def _update(user: User, obj: RowT, values: dict[str, Any]) -> RowT:
    # Filed under the facility's unit after the change (a row moved to another bookhouse).
    unit_code = values.get("facility", obj.facility).unit_id
    return save_values(user=user, record=obj, values=values, unit_code=unit_code)


def _delete(user: User, obj: StockEntry | Loan | Demand) -> None:
    """Soft delete: the row disappears everywhere and can be restored from the audit page."""
    _check_write(user, obj.facility)
    soft_delete(user=user, record=obj, unit_code=obj.facility.unit_id)


def _prepare(user: User, facility: Facility, errors: dict[str, str]) -> None:
    # The right to write is asked first, so a read-only caller always hears "403", whatever
    # else is wrong with what they sent.
    _check_write(user, facility)
    _check_bookhouse(facility)
    _validate(errors)


# --- Holdings: a kind's stock never below zero -------------------------------------------
#
# The stock of a kind on a day is the sum of the ledger up to that day, so a removal (or a
# smaller, later or deleted addition) can take it below zero on its own date or on any later
# one. A change is refused when, on some date, the holdings after it are negative and lower
# than before it; holdings already negative from older data do not block unrelated changes.


@dataclass(frozen=True)
class Change:
    """One pending change of the ledger: `count` more (or fewer) of `kind` on `date`."""

    facility_id: int
    kind: str
    date: date
    count: int


@dataclass(frozen=True)
class Shortfall:
    """The lowest point a change takes a kind's holdings to, below zero."""

    kind: str
    date: date
    total: int

    def message(self) -> str:
        return _("%(kind)s库存不足：%(date)s 的库存将变为 %(total)d，缺 %(short)d。") % {
            "kind": StockKind(self.kind).label,
            "date": f"{self.date:%Y-%m-%d}",
            "total": self.total,
            "short": -self.total,
        }


def _ledgers(changes: Sequence[Change]) -> dict[tuple[int, str], dict[date, int]]:
    """The stored ledger by day of every (bookhouse, kind) the changes touch, locked.

    Inside a transaction the bookhouses' rows are locked first, so two removals racing for
    the same books are judged one after the other (a dry run outside one locks nothing). A
    query or two per 500 bookhouses.
    """
    lock = transaction.get_connection().in_atomic_block
    facility_ids = sorted({c.facility_id for c in changes})
    kinds = sorted({c.kind for c in changes})
    ledgers: dict[tuple[int, str], dict[date, int]] = defaultdict(dict)
    for start in range(0, len(facility_ids), 500):
        chunk = facility_ids[start : start + 500]
        if lock:
            list(
                Facility.all_objects.select_for_update()
                .filter(pk__in=chunk)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
        rows = (
            StockEntry.objects.filter(facility_id__in=chunk, kind__in=kinds)
            .values_list("facility_id", "kind", "date")
            .annotate(n=Sum("count"))
            .order_by()
        )
        for facility_id, kind, day, n in rows:
            ledgers[(facility_id, kind)][day] = n or 0
    return ledgers


def _low_points(stored: dict[date, int], deltas: dict[date, int]) -> list[tuple[date, int]]:
    """(date, holdings after) wherever the deltas leave the holdings negative and lower."""
    before = after = 0
    low: list[tuple[date, int]] = []
    for day in sorted(stored.keys() | deltas.keys()):
        before += stored.get(day, 0)
        after += stored.get(day, 0) + deltas.get(day, 0)
        if after < 0 and after < before:
            low.append((day, after))
    return low


def holdings_problems(changes: Sequence[Change]) -> dict[int, Shortfall]:
    """The shortfalls a batch of changes causes, on the changes that lower the holdings.

    A lowering change is blamed for the lowest point on or after its date, so each removal
    that helps empty the shelf is named (with where and by how much it falls short).
    """
    if not any(c.count < 0 for c in changes):
        return {}  # additions alone never lower anything: no query
    ledgers = _ledgers(changes)
    by_pair: dict[tuple[int, str], list[int]] = defaultdict(list)
    for i, c in enumerate(changes):
        by_pair[(c.facility_id, c.kind)].append(i)
    found: dict[int, Shortfall] = {}
    for (facility_id, kind), indexes in by_pair.items():
        deltas: dict[date, int] = defaultdict(int)
        for i in indexes:
            deltas[changes[i].date] += changes[i].count
        low = _low_points(ledgers.get((facility_id, kind), {}), deltas)
        if not low:
            continue
        for i in indexes:
            if changes[i].count >= 0:
                continue
            later = [p for p in low if p[0] >= changes[i].date]
            if later:
                day, total = min(later, key=lambda p: (p[1], p[0]))
                found[i] = Shortfall(kind, day, total)
    return found


def _check_holdings(changes: Sequence[Change]) -> None:
    shortfalls = holdings_problems(changes)
    if shortfalls:
        worst = min(shortfalls.values(), key=lambda s: (s.total, s.date))
        raise ValidationError({"count": worst.message()})


def _change(data: StockData) -> Change:
    return Change(data.facility.pk, data.kind, data.date, data.count)


# --- Stock ---------------------------------------------------------------------------------


def stock_create(*, user: User, data: StockData) -> StockEntry:
    _prepare(user, data.facility, stock_check(data))
    with transaction.atomic():
        _check_holdings([_change(data)])
        return _create(user, StockEntry, _stock_values(data))


def stock_update(*, user: User, entry: StockEntry, data: StockData) -> StockEntry:
    # Both bookhouses must be the user's: moving a row out of reach is a write to a unit the
    # user does not own.
    _check_write(user, entry.facility)
    _prepare(user, data.facility, stock_check(data))
    with transaction.atomic():
        # The stored entry goes and the edited one comes: a smaller or later addition lowers
        # the holdings as surely as a removal does.
        _check_holdings(
            [
                Change(entry.facility_id, entry.kind, entry.date, -entry.count),
                _change(data),
            ]
        )
        return _update(user, entry, _stock_values(data))


def stock_delete(*, user: User, entry: StockEntry) -> None:
    """Soft delete; an addition the later removals depend on stays (ValidationError)."""
    _check_write(user, entry.facility)
    with transaction.atomic():
        shortfalls = holdings_problems(
            [Change(entry.facility_id, entry.kind, entry.date, -entry.count)]
        )
        if shortfalls:
            raise ValidationError(
                _("不能删除：%(why)s") % {"why": next(iter(shortfalls.values())).message()}
            )
        _delete(user, entry)


def stock_restored(*, user: User, entry: StockEntry) -> None:
    """A stock entry the audit page has just restored (in its transaction): a removal that
    now takes the holdings below zero, since later removals used those books, is refused and
    the restore rolls back (ValidationError)."""
    if entry.count >= 0:
        return  # an addition never lowers anything
    change = Change(entry.facility_id, entry.kind, entry.date, entry.count)
    stored = dict(_ledgers([change]).get((entry.facility_id, entry.kind), {}))
    # The ledger as it was before the restore, and the restore as the change to judge.
    stored[entry.date] = stored.get(entry.date, 0) - entry.count
    low = [p for p in _low_points(stored, {entry.date: entry.count}) if p[0] >= entry.date]
    if low:
        day, total = min(low, key=lambda p: (p[1], p[0]))
        why = Shortfall(entry.kind, day, total).message()
        raise ValidationError(_("不能恢复：%(why)s") % {"why": why})


# --- Loans ---------------------------------------------------------------------------------


def loan_create(*, user: User, data: LoanData) -> Loan:
    _prepare(user, data.facility, loan_check(data))
    return _create(user, Loan, _loan_values(data))


def loan_update(*, user: User, loan: Loan, data: LoanData) -> Loan:
    _check_write(user, loan.facility)
    _prepare(user, data.facility, loan_check(data))
    return _update(user, loan, _loan_values(data))


def loan_return(*, user: User, loan: Loan, on: date | None = None) -> Loan:
    """Mark a loan returned (归还), today unless another day is given."""
    _check_write(user, loan.facility)
    if loan.returned_on is not None:
        raise ValidationError(
            {"returned_on": _("该书已于 %(d)s 归还。") % {"d": f"{loan.returned_on:%Y-%m-%d}"}}
        )
    day = on or clock.today()
    if day < loan.lent_on:
        raise ValidationError({"returned_on": _("归还日期不能早于借出日期。")})
    return _update(user, loan, {"returned_on": day})


def loan_delete(*, user: User, loan: Loan) -> None:
    _delete(user, loan)


# --- Demands -------------------------------------------------------------------------------


def demand_create(*, user: User, data: DemandData) -> Demand:
    _prepare(user, data.facility, demand_check(data))
    return _create(user, Demand, _demand_values(data))


def demand_update(*, user: User, demand: Demand, data: DemandData) -> Demand:
    _check_write(user, demand.facility)
    _prepare(user, data.facility, demand_check(data))
    return _update(user, demand, _demand_values(data))


def demand_delete(*, user: User, demand: Demand) -> None:
    _delete(user, demand)


# --- Imports (Excel): all rows or none -------------------------------------------------------


def import_problems(
    *, user: User, rows: Sequence[Any], check: Callable[[Any], dict[str, str]], day: str
) -> dict[int, dict[str, str]]:
    """The rule errors of a batch, the same rules as one create per row, without queries; and
    the rows whose `day` lies in a period whose report is approved (one query for them all)."""
    problems = row_problems(
        user=user,
        rows=rows,
        check=check,
        unit_of=lambda data: data.facility.unit_id,
        refused=("facility", _("您不能为该农家书屋登记。")),
    )
    days = [getattr(data, day) for data in rows]
    spans = [
        (data.facility.unit_id, on, on) if on else None for data, on in zip(rows, days, strict=True)
    ]
    locks.mark_locked(problems, spans, day)
    return problems


def stock_import_problems(*, user: User, rows: Sequence[StockData]) -> dict[int, dict[str, str]]:
    """The stock rules of a batch, the holdings of every kind on every date included.

    The rows are judged together, after what is stored: a removal may rely on an addition
    earlier in the same file. A query per 500 bookhouses, whatever the number of rows.
    """
    problems = import_problems(user=user, rows=rows, check=stock_check, day="date")
    shortfalls = holdings_problems([_change(data) for data in rows])
    for i, shortfall in shortfalls.items():
        problems.setdefault(i, {}).setdefault("count", shortfall.message())
    return problems


def loan_import_problems(*, user: User, rows: Sequence[LoanData]) -> dict[int, dict[str, str]]:
    return import_problems(user=user, rows=rows, check=loan_check, day="lent_on")


def demand_import_problems(*, user: User, rows: Sequence[DemandData]) -> dict[int, dict[str, str]]:
    return import_problems(user=user, rows=rows, check=demand_check, day="date")


def _import(
    model: type[RowT],
    problems_of: Callable[..., dict[int, dict[str, str]]],
    values: Callable[[Any], dict[str, Any]],
    what: str | Promise,
    *,
    user: User,
    rows: Sequence[Any],
    source: str = "",
) -> int:
    """A register's batch import: every row of the batch created as a `model` (its fields
    from `values`), or none (Rejected names the rows), with one audit entry for the batch."""
    if not rows:
        raise ValidationError(_("没有可导入的记录。"))
    created_by = creator(user)
    with transaction.atomic():
        problems = problems_of(user=user, rows=rows)
        if problems:
            raise Rejected(problems)
        objs = [model(created_by=created_by, **values(data)) for data in rows]
        model.objects.bulk_create(objs, batch_size=500)
        by_facility: dict[str, int] = {}
        for data in rows:
            key = str(data.facility.pk)
            by_facility[key] = by_facility.get(key, 0) + 1
        units = sorted({data.facility.unit_id for data in rows})
        entry = audit_record(
            actor=user,
            action=Action.IMPORT,
            obj=objs[0],
            unit_code=tree.common_ancestor(units),
            after={
                "count": len(rows),
                "source": source,
                "facilities": by_facility,
                "ids": [o.pk for o in objs if o.pk is not None],
            },
        )
        # The entry stands for the batch, not for its first row.
        entry.object_repr = (
            _("导入%(what)s %(n)d 条") % {"what": what, "n": len(rows)}
            + (f"（{source}）" if source else "")
        )[:200]
        entry.save(update_fields=["object_repr"])
    return len(rows)


# Each register's batch import, called as `<register>_import(user=, rows=, source=)`.
stock_import = partial(_import, StockEntry, stock_import_problems, _stock_values, _lazy("藏书登记"))
loans_import = partial(_import, Loan, loan_import_problems, _loan_values, _lazy("借阅登记"))
demands_import = partial(_import, Demand, demand_import_problems, _demand_values, _lazy("需求登记"))
