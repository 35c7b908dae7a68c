"""The live activities per unit and type (ActivityCount), kept exact by the services.

Every service that adds, removes, moves or retypes a live activity calls `count_change` in its
own transaction, after its write: the counter rows change with the activity or not at all.
Each row is changed by `live = live + n` under the row's lock, so concurrent writers queue on
it, whatever order they commit in; nothing depends on a clock or on which id is highest.

After the database was changed by hand (SQL, a restored backup of one table), `xuanwen
recount` rebuilds the rows from the activities (`rebuild`), or with --check only reports.
"""

from collections import Counter
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count, F, Sum

from xuanwen.core.scope import Scope

from .models import Activity, ActivityCount

Key = tuple[str, int]  # (unit code, type id)


def count_change(deltas: Iterable[tuple[Key, int]]) -> None:
    """Add each n to the counter of its (unit, type); call inside the write's transaction."""
    total: Counter[Key] = Counter()
    for key, n in deltas:
        total[key] += n
    changes = sorted((key, n) for key, n in total.items() if n)
    if not changes:
        return
    # Make sure each row exists (a concurrent insert of the same row waits, then is skipped),
    # then change them in one order, so two writers never wait on each other crosswise.
    ActivityCount.objects.bulk_create(
        [ActivityCount(unit_id=unit, type_id=kind, live=0) for (unit, kind), _n in changes],
        ignore_conflicts=True,
    )
    for (unit, kind), n in changes:
        ActivityCount.objects.filter(unit_id=unit, type_id=kind).update(live=F("live") + n)


def added(activity: Activity, n: int = 1) -> None:
    count_change([((activity.unit_id, activity.type_id), n)])


def live_total(scope: Scope, type_id: int | None = None) -> int:
    """How many live activities the scope holds (of one type, if given)."""
    qs = ActivityCount.objects.filter(scope.q("unit_id"))
    if type_id is not None:
        qs = qs.filter(type_id=type_id)
    return int(qs.aggregate(n=Sum("live"))["n"] or 0)


def actual() -> dict[Key, int]:
    """The counts as the activities table has them now (reads the whole table)."""
    rows = Activity.objects.values_list("unit_id", "type_id").annotate(n=Count("id")).order_by()
    return {(unit, kind): n for unit, kind, n in rows}


def kept() -> dict[Key, int]:
    rows = ActivityCount.objects.exclude(live=0).values_list("unit_id", "type_id", "live")
    return {(unit, kind): n for unit, kind, n in rows}


def differences() -> dict[Key, tuple[int, int]]:
    """(kept, actual) of every counter that is wrong; empty when all are right."""
    have, want = kept(), actual()
    return {
        key: (have.get(key, 0), want.get(key, 0))
        for key in sorted(have.keys() | want.keys())
        if have.get(key, 0) != want.get(key, 0)
    }


def rebuild() -> dict[Key, tuple[int, int]]:
    """Set every counter from the activities table; returns what was wrong (as differences).

    The activities are locked against writes meanwhile (on SQLite the transaction holds the
    database's write lock from its start), so no write slips in between the count and the
    replacement.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                table = connection.ops.quote_name(Activity._meta.db_table)
                cursor.execute(f"LOCK TABLE {table} IN SHARE MODE")
        wrong = differences()
        ActivityCount.objects.all().delete()
        ActivityCount.objects.bulk_create(
            [
                ActivityCount(unit_id=unit, type_id=kind, live=n)
                for (unit, kind), n in actual().items()
            ],
            batch_size=500,
        )
    return wrong
