"""Exact counts of large lists without counting on every request.

Counting the live activities of a county of 50,000 reads 50,000 index entries, however the
query is written, and that was most of a list page's time. A count cannot change while its
table does not, and whether a table changed is two index look-ups: its highest id (a new row)
and its latest `updated_at` (any edit, delete or restore, since every save sets it). So a count
is kept, in this process's cache, under its exact SQL and that version of the table, and is
recounted on the first request after any change. Counts are never approximate or stale: a
different version is a different key.

What this relies on: every change to such a table goes through `save()` or sets `updated_at`
itself (a queryset `.update()` that leaves it alone would not be seen). The services of the
apps that use it do; `tests/test_counting.py` holds them to it.
"""

import hashlib
from typing import Any

from django.core.cache import cache
from django.db import connections
from django.db.models import QuerySet

TIMEOUT = 600  # seconds; a version's counts are worthless once the table changed anyway


def table_version(model: Any, alias: str) -> str:
    """The table's highest id and latest updated_at: changes whenever a row is added or saved.

    Two scalar subqueries, so that each MAX is one seek at the end of its index (SQLite only
    does that for a query with a single MAX in it).
    """
    connection = connections[alias]
    q = connection.ops.quote_name
    meta = model._meta
    table = q(meta.db_table)
    pk = q(meta.pk.column)
    touched = q(meta.get_field("updated_at").column)
    with connection.cursor() as cursor:
        cursor.execute(
            # Quoted names from the model, no values: nothing to inject.
            f"SELECT (SELECT MAX({pk}) FROM {table}), (SELECT MAX({touched}) FROM {table})"  # noqa: S608
        )
        top, latest = cursor.fetchone()
    return f"{top}:{latest}"


def cached_count(qs: QuerySet[Any]) -> int:
    """qs.count(), remembered for this version of qs's table (see the module's docstring)."""
    sql, params = qs.query.sql_with_params()
    alias = qs.db
    name = connections[alias].settings_dict["NAME"]
    version = table_version(qs.model, alias)
    key = "count:" + hashlib.sha256(f"{name}|{sql}|{params!r}|{version}".encode()).hexdigest()
    count = cache.get(key)
    if count is None:
        count = qs.count()
        cache.set(key, count, TIMEOUT)
    return int(count)
