"""Kept totals of the live activities, exact by construction: ActivityCount per subtree and
type (the list's "共 N 项活动") and ActivityTally per subtree, type and months (the activity
indicators). An activity is in the rows of its own unit and of each of its ancestors.

Every service that adds, removes, moves, retypes or otherwise changes a live activity (its
dates, numbers or whether it has media coverage) calls `change` in its own transaction, after
its write, with the activity's `Shape` before (-1) and after (+1): the kept rows change with the
activity or not at all. Each row is changed by `live = live + n` under the row's lock, so
concurrent writers queue on it, whatever order they commit in; nothing depends on a clock or on
which id is highest. A tally row is shared by every unit of the subtree, so writers of the same
type and month in one county queue on its row for the rest of their (short) transactions.

After the database was changed by hand (SQL, a restored backup of one table), `xuanwen
recount` rebuilds the rows from the activities (`rebuild`), or with --check only reports.
"""

import dataclasses
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection, models, transaction
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import Length, TruncMonth

from xuanwen.core import tree
from xuanwen.core.scope import Scope

from .models import Activity, ActivityCount, ActivityTally, MediaCoverage

Key = tuple[str, int]  # (subtree code, type id)
TallyKey = tuple[str, int, date, date]  # (subtree code, type id, start month, end month)
# A tally row's numbers, in the order of TALLIED.
Sums = tuple[int, int, int, int, int]
TALLIED = ("live", "participants", "audience", "programmes", "covered")


@dataclass(frozen=True)
class Shape:
    """What one live activity adds to the kept rows."""

    unit: str
    type: int
    start: date
    end: date
    participants: int = 0
    audience: int = 0
    programmes: int = 0
    covered: bool = False


def shape_of(activity: Activity, covered: bool | None = None) -> Shape:
    """The activity as the kept rows count it; unless told, one query finds whether it has
    media coverage."""
    if covered is None:
        covered = activity.pk is not None and (
            MediaCoverage.objects.filter(activity=activity).exists()
        )
    return Shape(
        unit=activity.unit_id,
        type=activity.type_id,
        start=activity.start_date,
        end=activity.end_date,
        participants=activity.participants,
        audience=activity.audience,
        programmes=activity.programmes,
        covered=covered,
    )


def month_of(day: date) -> date:
    return day.replace(day=1)


def change(deltas: Iterable[tuple[Shape, int]]) -> None:
    """Add each shape n times (n < 0: remove it); call inside the write's transaction."""
    counted: Counter[Key] = Counter()
    tallied: dict[TallyKey, list[int]] = defaultdict(lambda: [0] * len(TALLIED))
    for shape, n in deltas:
        numbers = (1, shape.participants, shape.audience, shape.programmes, int(shape.covered))
        months = (month_of(shape.start), month_of(shape.end))
        for path in [*tree.ancestor_codes(shape.unit), shape.unit]:
            counted[(path, shape.type)] += n
            row = tallied[(path, shape.type, *months)]
            for i, number in enumerate(numbers):
                row[i] += n * number
    _add_to_rows(
        ActivityCount, ("path", "type"), ("live",), {key: (n,) for key, n in counted.items()}
    )
    _add_to_rows(ActivityTally, ("path", "type", "start_month", "end_month"), TALLIED, tallied)


def added(activity: Activity, n: int = 1) -> None:
    """The activity became live (n = 1) or stopped being live (n = -1)."""
    change([(shape_of(activity), n)])


def coverage_changed(activity: Activity, was: Shape) -> None:
    """After a report was added to or removed from the activity, which was `was` before."""
    if activity.deleted_at is None:  # a deleted activity is in no kept row
        change([(was, -1), (shape_of(activity), 1)])


def coverage_restored(coverage: MediaCoverage) -> None:
    """After a deleted report was put back on the audit page (its activity may be covered now)."""
    activity = Activity.objects.filter(pk=coverage.activity_id).first()  # live ones only
    if activity is not None:
        now = shape_of(activity)
        others = MediaCoverage.objects.filter(activity=activity).exclude(pk=coverage.pk)
        change([(dataclasses.replace(now, covered=others.exists()), -1), (now, 1)])


def _add_to_rows(
    model: type[models.Model],
    key: tuple[str, ...],
    summed: tuple[str, ...],
    changes: Mapping[tuple[Any, ...], Sequence[int]],
) -> None:
    """Add the numbers to the `summed` fields of the model's rows found by their `key` fields,
    creating the missing rows: one upsert statement, whatever the number of rows (an import
    touches thousands), that adds to the row it meets rather than overwriting it.

    Rows are taken in one order, so two writers never wait on each other crosswise; the
    statement is the same on SQLite and PostgreSQL. (Django's bulk_create can only overwrite
    on conflict.)
    """
    changed = sorted((k, v) for k, v in changes.items() if any(v))
    if not changed:
        return
    ops = connection.ops
    table = ops.quote_name(model._meta.db_table)
    fields = [model._meta.get_field(name) for name in (*key, *summed)]
    column = {f.name: ops.quote_name(str(f.column)) for f in fields}  # type: ignore[union-attr]
    names = ", ".join(column[f.name] for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    adds = ", ".join(f"{column[n]} = {table}.{column[n]} + excluded.{column[n]}" for n in summed)
    into = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608 (names, not data)
    sql = f"{into} ON CONFLICT ({', '.join(column[n] for n in key)}) DO UPDATE SET {adds}"
    # Dates by the adapter the ORM uses for them, the rest (codes, ids, numbers) as they are:
    # Field.get_db_prep_save per value cost more than the whole statement.
    dates = [isinstance(f, models.DateField) for f in fields]
    rows = [
        [ops.adapt_datefield_value(x) if d else x for d, x in zip(dates, (*k, *v), strict=True)]
        for k, v in changed
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _tally_row(key: TallyKey, sums: Sums) -> ActivityTally:
    path, kind, start, end = key
    return ActivityTally(
        path=path,
        type_id=kind,
        start_month=start,
        end_month=end,
        **dict(zip(TALLIED, sums, strict=True)),
    )


def live_total(scope: Scope, type_id: int | None = None) -> int:
    """How many live activities the scope holds (of one type, if given): the rows of its top
    unit, one per type; for the whole country, those of the provinces (which every activity's
    code has, whether or not the province has a Unit row)."""
    if scope.is_nothing:
        return 0
    qs = ActivityCount.objects.all()
    if scope.is_country:
        qs = qs.annotate(length=Length("path")).filter(length=tree.LEVEL_LENGTHS[0])
    else:
        qs = qs.filter(path=scope.top)
    if type_id is not None:
        qs = qs.filter(type_id=type_id)
    return int(qs.aggregate(n=Sum("live"))["n"] or 0)


# --- Checking and rebuilding after a hand edit -----------------------------------------------


def actual() -> dict[Key, int]:
    """The counts as the activities table has them now: one GROUP BY on the activities' own
    units (reads the whole table), added up to every ancestor here."""
    rows = Activity.objects.values_list("unit_id", "type_id").annotate(n=Count("id")).order_by()
    counted: Counter[Key] = Counter()
    for unit, kind, n in rows.iterator(chunk_size=10_000):
        for path in [*tree.ancestor_codes(unit), unit]:
            counted[(path, kind)] += n
    return {key: n for key, n in counted.items() if n}


def kept() -> dict[Key, int]:
    rows = ActivityCount.objects.exclude(live=0).values_list("path", "type_id", "live")
    return {(path, kind): n for path, kind, n in rows}


def actual_tallies() -> dict[TallyKey, Sums]:
    """The tallies as the activities table has them now: one GROUP BY on the activities' own
    units (reads the whole table), added up to every ancestor here."""
    rows = (
        Activity.objects.annotate(
            start_month=TruncMonth("start_date"), end_month=TruncMonth("end_date")
        )
        .values_list("unit_id", "type_id", "start_month", "end_month")
        .annotate(
            live=Count("id"),
            participants=Sum("participants"),
            audience=Sum("audience"),
            programmes=Sum("programmes"),
            covered=Count(
                "id", filter=Q(Exists(MediaCoverage.objects.filter(activity=OuterRef("pk"))))
            ),
        )
        .order_by()
    )
    sums: dict[TallyKey, list[int]] = defaultdict(lambda: [0] * len(TALLIED))
    for unit, kind, start, end, *numbers in rows.iterator(chunk_size=10_000):  # not all at once
        for path in [*tree.ancestor_codes(unit), unit]:
            row = sums[(path, kind, start, end)]
            for i, number in enumerate(numbers):
                row[i] += number or 0
    return {key: (row[0], row[1], row[2], row[3], row[4]) for key, row in sums.items() if any(row)}


def kept_tallies() -> dict[TallyKey, Sums]:
    rows = ActivityTally.objects.values_list(
        "path", "type_id", "start_month", "end_month", *TALLIED
    )
    return {
        (path, kind, start, end): (live, participants, audience, programmes, covered)
        for path, kind, start, end, live, participants, audience, programmes, covered in rows
        if live or participants or audience or programmes or covered
    }


def differences() -> dict[str, tuple[str, str]]:
    """What is wrong, as (kept, actual) by a label naming the row; empty when all are right."""
    wrong: dict[str, tuple[str, str]] = {}
    have, want = kept(), actual()
    for unit, kind in sorted(have.keys() | want.keys()):
        if have.get((unit, kind), 0) != want.get((unit, kind), 0):
            label = f"{unit} 类型 {kind}"
            wrong[label] = (str(have.get((unit, kind), 0)), str(want.get((unit, kind), 0)))
    have_t, want_t = kept_tallies(), actual_tallies()
    none = (0, 0, 0, 0, 0)
    for path, kind, start, end in sorted(have_t.keys() | want_t.keys()):
        key = (path, kind, start, end)
        if have_t.get(key, none) != want_t.get(key, none):
            label = f"{path} 类型 {kind} {start:%Y-%m}..{end:%Y-%m} 指标累计"
            wrong[label] = (_sums_text(have_t.get(key, none)), _sums_text(want_t.get(key, none)))
    return wrong


def _sums_text(sums: Sums) -> str:
    return " ".join(f"{name}={n}" for name, n in zip(TALLIED, sums, strict=True))


def rebuild() -> dict[str, tuple[str, str]]:
    """Set every counter and tally from the activities table; returns what was wrong (as
    differences).

    The activities are locked against writes meanwhile (on SQLite the transaction holds the
    database's write lock from its start), so no write slips in between the count and the
    replacement.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for model in (Activity, MediaCoverage):
                    table = connection.ops.quote_name(model._meta.db_table)
                    cursor.execute(f"LOCK TABLE {table} IN SHARE MODE")
        wrong = differences()
        ActivityCount.objects.all().delete()
        ActivityCount.objects.bulk_create(
            [
                ActivityCount(path=path, type_id=kind, live=n)
                for (path, kind), n in actual().items()
            ],
            batch_size=500,
        )
        ActivityTally.objects.all().delete()
        ActivityTally.objects.bulk_create(
            [_tally_row(key, sums) for key, sums in actual_tallies().items()], batch_size=500
        )
    return wrong
