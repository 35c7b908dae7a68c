"""Counts and page parts kept per version of the data they come from: never stale.

Counting the live activities of a county of 50,000 reads 50,000 index entries, however the
query is written, and rendering a page of them costs far more than reading it. Neither can
change while the data does not, and whether it changed is three index look-ups (`data_version`):

- the table's highest id (a row added) and latest `updated_at` (any edit, delete or restore,
  since every save sets it), where it has one;
- on PostgreSQL, the transactions in flight (see IN_FLIGHT);
- for rendered parts, also the audit log's highest id: every change anywhere is audited (a
  unit renamed, an activity type added), so this one catches what a page shows from other
  tables. A count reads its own table only, so it does not need it, and other tables' changes
  (an opening day logged) leave it standing.

A count or a rendered part is kept, in this process's cache, under what it was made from and
that version; the first request after any change makes it anew. Nothing is approximate or
stale: a different version is a different key.

What this relies on: every change to such a table goes through `save()` or sets `updated_at`
itself (a queryset `.update()` that leaves it alone would not be seen), and every other change
is audited. The services do both; `tests/test_versioned.py` holds them to it.
"""

import hashlib
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import connections, router
from django.db.models import QuerySet

from xuanwen.audit.models import AuditEntry

TIMEOUT = 600  # seconds; a version's entries are worthless once the data changed anyway

T = TypeVar("T")


@dataclass(frozen=True)
class Version:
    """What a cached entry was made from: its tables' state, and the audit log's."""

    tables: str  # the tables' maxima (and, on PostgreSQL, the transactions in flight)
    audit: str  # the audit log's highest id: any audited change anywhere


# The versions read for the part being built: a count inside it need not read them again.
_building: ContextVar[dict[tuple[str, tuple[str, ...]], Version] | None] = ContextVar(
    "_building", default=None
)

Models = Any  # a model class, or a tuple of them

# PostgreSQL hands out ids and timestamps before commit, so a transaction still open when the
# version is read can commit later with a lower id than rows already counted, and the maxima
# would not move. The transactions in flight are therefore part of the version: once one of
# them ends, the version is another. (SQLite has one writer at a time, committing in order.)
IN_FLIGHT = (
    "(SELECT string_agg(x::text, ',' ORDER BY x::text)"
    " FROM pg_snapshot_xip(pg_current_snapshot()) AS x)"
)


def _models(models: Models) -> tuple[Any, ...]:
    return models if isinstance(models, tuple) else (models,)


def data_version(models: Models, alias: str | None = None) -> Version:
    """The tables' highest ids and latest updated_at, and the audit log's highest id.

    One statement of scalar subqueries, so that each MAX is one seek at the end of its index
    (SQLite only does that for a query with a single MAX in it).
    """
    models = _models(models)
    alias = alias or router.db_for_read(models[0])
    labels = tuple(m._meta.label for m in models)
    known = _building.get()
    if known is not None and (alias, labels) in known:
        return known[alias, labels]
    connection = connections[alias]
    q = connection.ops.quote_name
    audit: Any = AuditEntry._meta
    maxima = [(q(audit.pk.column), q(audit.db_table))]
    for model in models:
        meta = model._meta
        table = q(meta.db_table)
        maxima.append((q(meta.pk.column), table))
        if any(f.name == "updated_at" for f in meta.concrete_fields):
            maxima.append((q(meta.get_field("updated_at").column), table))
    # Quoted names from the models, no values: nothing to inject.
    subqueries = [f"(SELECT MAX({column}) FROM {tbl})" for column, tbl in maxima]  # noqa: S608
    if connection.vendor == "postgresql":
        subqueries.append(IN_FLIGHT)
    sql = "SELECT " + ", ".join(subqueries)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        audit_top, *tables = cursor.fetchone()
    return Version(tables=":".join(str(value) for value in tables), audit=str(audit_top))


def _key(kind: str, alias: str, what: str, version: str) -> str:
    name = connections[alias].settings_dict["NAME"]
    return f"{kind}:" + hashlib.sha256(f"{name}|{what}|{version}".encode()).hexdigest()


def cached_count(qs: QuerySet[Any], key: Any = None) -> int:
    """qs.count(), kept for this version of qs's table (see the module's docstring).

    qs must filter on its own table's columns only. The count is filed under qs's SQL, or
    under `key` when the caller passes one: a value (its repr) that determines qs entirely,
    such as the scope and the filter that built it. That spares compiling the SQL only to name
    the count.
    """
    alias = qs.db
    if key is None:
        sql, params = qs.query.sql_with_params()
        what = f"{sql}|{params!r}"
    else:
        what = f"{qs.model._meta.label}|{key!r}"
    # A count depends on its own table alone: other tables' changes leave it standing.
    name = _key("count", alias, what, data_version(qs.model, alias).tables)
    count = cache.get(name)
    if count is None:
        count = qs.count()
        cache.set(name, count, TIMEOUT)
    return int(count)


def cached_part(models: Models, key: Any, build: Callable[[], T]) -> T:
    """build(), kept for this version of the data (see the module's docstring).

    `models` are the tables the part mainly shows (a model or a tuple of them); what it shows
    from others is covered by the audit log's version. `key` (its repr) must name everything
    else the part depends on: whose scope and rights, which filter and page, which language,
    which day. The part must not hold anything of one request (a CSRF token).
    """
    models = _models(models)
    alias = router.db_for_read(models[0])
    labels = tuple(m._meta.label for m in models)
    version = data_version(models, alias)
    name = _key("part", alias, f"{labels}|{key!r}", f"{version.tables}|{version.audit}")
    part = cache.get(name)
    if part is None:
        token = _building.set({(alias, labels): version})
        try:
            part = build()
        finally:
            _building.reset(token)
        cache.set(name, part, TIMEOUT)
    return part
